import type { LambdaRequest } from '@aws-appsync/utils';
import type { PresignUploadRequest, PresignUploadResult } from '../../domain/lambda-payloads.ts';
import type { Blob, CreateBlobPayload } from '../../generated/graphql.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

/** Signs for the stored record's window, so a replayed create gets the same expiry as the first. */
export function request(ctx: CreateBlobContext): LambdaRequest {
  const { id, contentType, contentLength, createdAt, uploadExpiresAt } = ctx.stash.record;
  const payload: PresignUploadRequest = { id, contentType, contentLength: contentLength ?? null, signedAt: createdAt, expiresAt: uploadExpiresAt };
  return { operation: 'Invoke', payload };
}

export function response(ctx: CreateBlobContext<Blob>): CreateBlobPayload {
  raiseDataSourceError(ctx.error);
  const { url, method, headers, expiresAt } = ctx.result as PresignUploadResult;
  return { blob: ctx.prev.result, upload: { url, method, headers: JSON.stringify(headers), expiresAt } };
}
