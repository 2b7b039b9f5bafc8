import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { PresignImageRequest, PresignImageResult } from '../domain/lambda-payloads.ts';
import type { Blob } from '../generated/graphql.ts';
import { callerOf } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';

/** The states whose object is an image that was read: a REJECTED upload may be anything. */
const READABLE = ['LABELLED', 'FAILED'];

/** The owner's only (not an admin's): the image is theirs, the labels are what others may read. */
export function request(ctx: Context<object, object, undefined, Blob>): LambdaRequest {
  const blob = ctx.source;
  if (!blob || !READABLE.includes(blob.status) || !blob.contentType || callerOf(ctx.identity).owner !== blob.owner) {
    return runtime.earlyReturn(null);
  }
  const payload: PresignImageRequest = { id: blob.id, contentType: blob.contentType };
  return { operation: 'Invoke', payload };
}

export function response(ctx: Context<object, object, undefined, Blob, PresignImageResult>): string {
  raiseDataSourceError(ctx.error);
  return ctx.result.url;
}
