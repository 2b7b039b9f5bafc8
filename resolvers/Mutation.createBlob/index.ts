// createBlob: validate → find an earlier claim of the idempotency key → count the upload against the quota
// → claim the key → store (or fetch) the blob → presign the upload.
import type { CreateBlobPayload } from '../../generated/graphql.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';

export function request(): Record<string, never> {
  return {};
}

export function response(ctx: CreateBlobContext<CreateBlobPayload>): CreateBlobPayload {
  return ctx.prev.result;
}
