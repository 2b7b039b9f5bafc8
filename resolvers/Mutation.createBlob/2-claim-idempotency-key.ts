import { runtime, util, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { IDEMPOTENCY_ID_PREFIX, type IdempotencyRecord } from '../../domain/blob.ts';
import { IDEMPOTENCY_RETENTION_SECONDS } from '../lib/constants.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

/** One conditional-free UpdateItem: the first caller's values win, every caller reads them back (ALL_NEW). */
export function request(ctx: CreateBlobContext): DynamoDBUpdateItemRequest {
  const key = ctx.stash.request.idempotencyKey;
  if (key === null) {
    runtime.earlyReturn(null);
  }
  const values = { ':blobId': ctx.stash.record.id, ':fingerprint': ctx.stash.fingerprint, ':expiresAt': util.time.nowEpochSeconds() + IDEMPOTENCY_RETENTION_SECONDS };
  const expression = 'SET blobId = if_not_exists(blobId, :blobId), fingerprint = if_not_exists(fingerprint, :fingerprint), expiresAt = if_not_exists(expiresAt, :expiresAt)';
  return { operation: 'UpdateItem', key: util.dynamodb.toMapValues({ id: IDEMPOTENCY_ID_PREFIX + key }), update: { expression, expressionValues: util.dynamodb.toMapValues(values) } };
}

export function response(ctx: CreateBlobContext): IdempotencyRecord {
  raiseDataSourceError(ctx.error, []);
  const claim = ctx.result as IdempotencyRecord;
  if (claim.fingerprint !== ctx.stash.fingerprint) {
    util.error('idempotencyKey was already used with a different input', 'IdempotencyConflict', null, { field: 'idempotencyKey' });
  }
  if (claim.blobId !== ctx.stash.record.id) {
    ctx.stash.firstBlobId = claim.blobId;
  }
  return claim;
}
