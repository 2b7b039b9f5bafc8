import { util } from '@aws-appsync/utils';
import { isFinalStatus } from '../../domain/blob.ts';
import type { Blob } from '../../generated/graphql.ts';

/** redeliverCallback's typed errors: the blob must exist, have a callbackUrl and be in a final state. */
export function assertCallbackCanBeSent(blob: Blob | null, id: string): asserts blob is Blob {
  if (!blob) {
    util.error(`No blob ${id}`, 'NotFound');
  }
  if (!blob.callback) {
    util.error('The blob has no callbackUrl', 'NoCallback');
  }
  if (!isFinalStatus(blob.status)) {
    util.error(`The blob is ${blob.status}; its result is sent once it is LABELLED, FAILED or REJECTED`, 'NotReady');
  }
}
