// The last word on a blob deleted before it reached a final state: its labelsReady subscribers and its webhook
// receiver would otherwise wait forever. Both hear status DELETED with the error code BlobDeleted.
import type { LocatedLogger } from '../commons/logger.ts';
import { type BlobRecord, toBlob } from '../../domain/blob.ts';
import type { Blob, BlobError } from '../../generated/graphql.ts';
import type { BlobPublisher } from './appsync-publisher.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { type CallbackAttempt, callbackAfterAttempt } from '../webhooks/callback-attempt.ts';
import type { CallbackDeliverer } from '../webhooks/delivery.ts';
import type { WebhookBody } from '../webhooks/webhook.ts';

export const BLOB_DELETED: BlobError = {
  code: 'BlobDeleted',
  message: 'The blob was deleted before it reached a final state',
  retryable: false,
};

/** The blob as its subscribers last see it. */
export function deletedBlob(record: BlobRecord, now: Date): Blob {
  const blob = toBlob(record, now.toISOString());
  if (blob === null) {
    throw new Error(`Record ${record.id} is not a blob`);
  }
  return { ...blob, status: 'DELETED', labels: null, error: BLOB_DELETED, updatedAt: now.toISOString() };
}

export function deletionWebhookBody(record: BlobRecord): WebhookBody {
  return { blobId: record.id, status: 'DELETED', labels: null, error: BLOB_DELETED };
}

/**
 * Delivery records each attempt on the blob; a deleted blob has no record to write to, so the attempts are kept
 * on a copy (for the log) and the delivery retries as it would for any blob.
 */
export function detachedAttempts(record: BlobRecord): Pick<BlobStore, 'recordCallbackAttempt'> {
  let current = record;
  return {
    async recordCallbackAttempt(_id: string, attempt: CallbackAttempt): Promise<BlobRecord> {
      if (current.callback) {
        current = { ...current, callback: callbackAfterAttempt(current.callback, attempt) };
      }
      return current;
    },
  };
}

export interface DeletionDependencies {
  publisher: Pick<BlobPublisher, 'publishBlob'>;
  /** Delivers with attempts recorded by detachedAttempts(record). */
  deliver: CallbackDeliverer;
  now: () => Date;
  log: LocatedLogger;
}

/** Publishes DELETED, then sends the webhook when the blob had a callback URL. Failures are logged, not thrown. */
export async function announceDeletion(record: BlobRecord, deps: DeletionDependencies): Promise<void> {
  try {
    await deps.publisher.publishBlob(deletedBlob(record, deps.now()));
    deps.log.info('Deletion published to labelsReady');
  } catch (error) {
    deps.log.error('Publishing the deletion failed: subscribers will not hear of it', { error });
  }
  if (!record.callback) {
    return;
  }
  try {
    const delivered = await deps.deliver(record, deps.log, undefined, deletionWebhookBody(record));
    deps.log.info('Deletion webhook done', { callbackStatus: delivered.callback?.status, attempts: delivered.callback?.attempts });
  } catch (error) {
    deps.log.error('Deletion webhook could not be sent', { error });
  }
}
