import { util, type DynamoDBGetItemRequest, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { IDEMPOTENCY_ID_PREFIX, type IdempotencyRecord } from '../../domain/blob.ts';
import { IDEMPOTENCY_RETENTION_SECONDS } from './constants.ts';

const CLAIM = 'SET blobId = if_not_exists(blobId, :blobId), fingerprint = if_not_exists(fingerprint, :fingerprint), expiresAt = if_not_exists(expiresAt, :expiresAt)';

/** Each owner has a key space of their own: the same key from two owners names two blobs. */
export function claimId(owner: string, key: string): string {
  return `${IDEMPOTENCY_ID_PREFIX}${owner}#${key}`;
}

/** Reads an earlier claim of the key, so that a replay neither counts against the quota nor claims again. */
export function findClaim(owner: string, key: string): DynamoDBGetItemRequest {
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: claimId(owner, key) }), consistentRead: true };
}

/**
 * Claims the key for `blobId` with one unconditional UpdateItem: the first caller's values win and every
 * caller reads them back (AppSync's UpdateItem returns ALL_NEW), so concurrent creates cannot race.
 */
export function claimKey(owner: string, key: string, blobId: string, fingerprint: string): DynamoDBUpdateItemRequest {
  const values = { ':blobId': blobId, ':fingerprint': fingerprint, ':expiresAt': util.time.nowEpochSeconds() + IDEMPOTENCY_RETENTION_SECONDS };
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ id: claimId(owner, key) }),
    update: { expression: CLAIM, expressionValues: util.dynamodb.toMapValues(values) },
  };
}

/** The same key with another input is refused rather than answered with another request's blob. */
export function assertSameRequest(claim: IdempotencyRecord, fingerprint: string): void {
  if (claim.fingerprint !== fingerprint) {
    util.error('idempotencyKey was already used with a different input', 'IdempotencyConflict', null, { field: 'idempotencyKey' });
  }
}
