import { util, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { IDEMPOTENCY_ID_PREFIX, type IdempotencyRecord } from '../../domain/blob.ts';
import { IDEMPOTENCY_RETENTION_SECONDS } from './constants.ts';

const CLAIM = 'SET blobId = if_not_exists(blobId, :blobId), fingerprint = if_not_exists(fingerprint, :fingerprint), expiresAt = if_not_exists(expiresAt, :expiresAt)';

/**
 * Claims `key` for `blobId` with one unconditional UpdateItem: the first caller's values win and every
 * caller reads them back (AppSync's UpdateItem returns ALL_NEW), so concurrent creates cannot race.
 */
export function claimKey(key: string, blobId: string, fingerprint: string): DynamoDBUpdateItemRequest {
  const values = { ':blobId': blobId, ':fingerprint': fingerprint, ':expiresAt': util.time.nowEpochSeconds() + IDEMPOTENCY_RETENTION_SECONDS };
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ id: IDEMPOTENCY_ID_PREFIX + key }),
    update: { expression: CLAIM, expressionValues: util.dynamodb.toMapValues(values) },
  };
}

/** The same key with another input is refused rather than answered with another request's blob. */
export function assertSameRequest(claim: IdempotencyRecord, fingerprint: string): void {
  if (claim.fingerprint !== fingerprint) {
    util.error('idempotencyKey was already used with a different input', 'IdempotencyConflict', null, { field: 'idempotencyKey' });
  }
}
