// The per-owner daily upload quota: one counter record per owner and UTC day, raised by a conditional UpdateItem,
// so concurrent creates at the edge cannot overshoot it and a refused create writes nothing.
import { util, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { QUOTA_ID_PREFIX } from '../../domain/blob.ts';
import { QUOTA_RETENTION_SECONDS } from './constants.ts';
import { isoAt } from './time.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface QuotaWindow {
  /** The counter's id: quota#<owner>#<yyyy-MM-dd>. */
  id: string;
  /** When the next UTC day starts, as an ISO instant. */
  resetsAt: string;
}

export function quotaWindow(owner: string, nowMs: number): QuotaWindow {
  const dayStartMs = nowMs - (nowMs % DAY_MS);
  const day = util.time.epochMilliSecondsToFormatted(dayStartMs, 'yyyy-MM-dd');
  return { id: `${QUOTA_ID_PREFIX}${owner}#${day}`, resetsAt: isoAt(dayStartMs + DAY_MS) };
}

/** Counts one upload, unless the owner already used `limit` of them today (the condition then fails). */
export function countUpload(window: QuotaWindow, limit: number, nowMs: number): DynamoDBUpdateItemRequest {
  const values = { ':one': 1, ':expiresAt': Math.floor(nowMs / 1000) + QUOTA_RETENTION_SECONDS };
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ id: window.id }),
    update: { expression: 'ADD uploads :one SET expiresAt = :expiresAt', expressionValues: util.dynamodb.toMapValues(values) },
    condition: {
      expression: 'attribute_not_exists(uploads) OR uploads < :limit',
      expressionValues: util.dynamodb.toMapValues({ ':limit': limit }),
    },
  };
}

export function quotaExceeded(limit: number, window: QuotaWindow): never {
  return util.error(
    `Upload quota reached: ${limit} uploads per day; it resets at ${window.resetsAt}`,
    'QuotaExceeded',
    null,
    { limit, resetsAt: window.resetsAt },
  );
}
