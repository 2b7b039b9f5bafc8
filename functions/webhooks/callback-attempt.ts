// One attempt at a blob's callback, and the callback as the attempt leaves it. Pure, and apart from the blob store:
// the functions that only record attempts on a record they hold (announce-deletion) then bundle no DynamoDB client
// (@aws-sdk/lib-dynamodb, which blob-store.ts imports, is not free of side effects, so esbuild keeps it whole).
import type { Callback, CallbackStatus } from '../../generated/graphql.ts';

export interface CallbackAttempt {
  status: CallbackStatus;
  at: Date;
  /** Why the attempt did not deliver; absent when delivered. */
  error?: string;
}

/** A callback as an attempt leaves it (what BlobStore.recordCallbackAttempt writes, for a record kept elsewhere). */
export function callbackAfterAttempt(callback: Callback, attempt: CallbackAttempt): Callback {
  const at = attempt.at.toISOString();
  return {
    ...callback,
    status: attempt.status,
    attempts: callback.attempts + 1,
    lastAttemptAt: at,
    lastError: attempt.error ?? null,
    deliveredAt: attempt.status === 'DELIVERED' ? at : callback.deliveredAt,
  };
}
