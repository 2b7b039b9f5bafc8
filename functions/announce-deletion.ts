// Lambda data source of deleteBlob's last step, invoked in the background (Event): a blob deleted before its final
// state tells labelsReady subscribers and its webhook receiver that it is gone (status DELETED, code BlobDeleted).
import type { Context } from 'aws-lambda';
import type { AnnounceDeletionRequest } from '../domain/lambda-payloads.ts';
import { createAppSyncPublisher } from './publishing/appsync-publisher.ts';
import { systemClock } from './commons/clock.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { configuredDelivery } from './webhooks/delivery.ts';
import { announceDeletion, detachedAttempts } from './publishing/deletion.ts';
import { DomainError } from './commons/errors.ts';
import { blobLogger, invocationLogger, logger } from './commons/logger.ts';
import { isBlobId } from './storage/object-key.ts';

const config = loadConfig(process.env, FUNCTIONS['announce-deletion'].settings);
logger.setLogLevel(config.logLevel);
const publisher = createAppSyncPublisher({ graphqlUrl: config.appsyncGraphqlUrl, region: config.region });
const delivery = configuredDelivery(config);

export const handler = async (event: AnnounceDeletionRequest, context: Context): Promise<void> => {
  const record = event.record;
  if (!record || !isBlobId(record.id)) {
    throw new DomainError('ValidationError', 'record must be a blob record');
  }
  const log = blobLogger(invocationLogger(context), record.id);
  const deliver = delivery(detachedAttempts(record));
  await announceDeletion(record, {
    publisher,
    deliver: (deleted, blobLog, _remaining, content) => deliver(deleted, blobLog, context.getRemainingTimeInMillis?.(), content),
    now: () => systemClock.now(),
    log,
  });
};
