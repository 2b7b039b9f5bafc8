import { runtime, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { IdempotencyRecord } from '../../domain/blob.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { assertSameRequest, findClaim } from '../lib/idempotency.ts';

/** Skipped without an idempotency key; a replay records the first call's blob id for the steps after. */
export function request(ctx: CreateBlobContext): DynamoDBGetItemRequest {
  const key = ctx.stash.request.idempotencyKey;
  return key === null ? runtime.earlyReturn(null) : findClaim(ctx.stash.owner, key);
}

export function response(ctx: CreateBlobContext): IdempotencyRecord | null {
  raiseDataSourceError(ctx.error);
  const claim = ctx.result as IdempotencyRecord | null;
  if (claim) {
    assertSameRequest(claim, ctx.stash.fingerprint);
    ctx.stash.firstBlobId = claim.blobId;
  }
  return claim;
}
