import { util } from '@aws-appsync/utils';
import { isFinalStatus } from '../../domain/blob.ts';
import type { Blob } from '../../generated/graphql.ts';
import { REDELIVERY_COOLDOWN_SECONDS } from './constants.ts';

/**
 * redeliverCallback's typed errors: the caller's blob must exist (another user's reads as NotFound), have a
 * callbackUrl, be in a final state, and not have been sent within the cooldown (each call is several signed POSTs).
 */
export function assertCallbackCanBeSent(blob: Blob | null, id: string, nowMs: number): asserts blob is Blob {
  if (!blob) {
    util.error(`No blob ${id}`, 'NotFound');
  }
  if (!blob.callback) {
    util.error('The blob has no callbackUrl', 'NoCallback');
  }
  if (!isFinalStatus(blob.status)) {
    util.error(`The blob is ${blob.status}; its result is sent once it is LABELLED, FAILED or REJECTED`, 'NotReady');
  }
  const last = blob.callback.lastAttemptAt;
  if (last) {
    const waitMs = util.time.parseISO8601ToEpochMilliSeconds(last) + REDELIVERY_COOLDOWN_SECONDS * 1000 - nowMs;
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      util.error(`The webhook was sent less than ${REDELIVERY_COOLDOWN_SECONDS} s ago; try again in ${retryAfterSeconds} s`, 'TooManyRequests', null, { retryAfterSeconds });
    }
  }
}
