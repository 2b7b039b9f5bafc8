import { runtime, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { IdempotencyRecord } from '../../domain/blob.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { assertSameRequest, claimKey } from '../lib/idempotency.ts';

/** Skipped without an idempotency key or for a replay; a concurrent create that claimed first wins. */
export function request(ctx: CreateBlobContext): DynamoDBUpdateItemRequest {
  const key = ctx.stash.request.idempotencyKey;
  if (key === null || ctx.stash.firstBlobId) {
    return runtime.earlyReturn(null);
  }
  return claimKey(ctx.stash.owner, key, ctx.stash.record.id, ctx.stash.fingerprint);
}

export function response(ctx: CreateBlobContext): IdempotencyRecord {
  raiseDataSourceError(ctx.error);
  const claim = ctx.result as IdempotencyRecord;
  assertSameRequest(claim, ctx.stash.fingerprint);
  if (claim.blobId !== ctx.stash.record.id) {
    ctx.stash.firstBlobId = claim.blobId;
  }
  return claim;
}
