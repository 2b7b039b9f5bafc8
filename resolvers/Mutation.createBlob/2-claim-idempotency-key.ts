import { runtime, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { IdempotencyRecord } from '../../domain/blob.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { assertSameRequest, claimKey } from '../lib/idempotency.ts';

/** Skipped without an idempotency key; a replay records the first call's blob id for the next step. */
export function request(ctx: CreateBlobContext): DynamoDBUpdateItemRequest {
  const key = ctx.stash.request.idempotencyKey;
  return key === null ? runtime.earlyReturn(null) : claimKey(key, ctx.stash.record.id, ctx.stash.fingerprint);
}

export function response(ctx: CreateBlobContext): IdempotencyRecord {
  raiseDataSourceError(ctx.error, []);
  const claim = ctx.result as IdempotencyRecord;
  assertSameRequest(claim, ctx.stash.fingerprint);
  if (claim.blobId !== ctx.stash.record.id) {
    ctx.stash.firstBlobId = claim.blobId;
  }
  return claim;
}
