// Lambda data source of redeliverCallback: sends a final blob's result to its callback URL again.
// Event: the AppSync `Invoke` payload, { id }. Result: the record as the delivery left it.
// NotFound / NoCallback / NotReady are thrown as errors whose name is that type (see docs/functions.md for how
// AppSync surfaces a Lambda error).
import type { Context } from 'aws-lambda';
import type { DeliverCallbackRequest, DeliverCallbackResult } from '../domain/lambda-payloads.ts';
import { BlobStore, documentClient } from './storage/blob-store.ts';
import { createDynamoDBClient } from './commons/clients.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { configuredDelivery, redeliverCallback } from './webhooks/delivery.ts';
import { DomainError, isDomainError } from './commons/errors.ts';
import { blobLogger, invocationLogger, logger } from './commons/logger.ts';
import { isBlobId } from './storage/object-key.ts';

const config = loadConfig(process.env, FUNCTIONS['deliver-callback'].settings);
logger.setLogLevel(config.logLevel);
const store = new BlobStore(documentClient(createDynamoDBClient()), config.tableName);
const deliver = configuredDelivery(config)(store);

export const handler = async (event: DeliverCallbackRequest, context: Context): Promise<DeliverCallbackResult> => {
  if (!isBlobId(event.id)) {
    throw new DomainError('ValidationError', 'id must be a blob id');
  }
  const log = blobLogger(invocationLogger(context), event.id);
  try {
    const record = await redeliverCallback(event.id, store, (found) =>
      deliver(found, log, context.getRemainingTimeInMillis?.()),
    );
    log.info('Callback redelivered', { callbackStatus: record.callback?.status, attempts: record.callback?.attempts });
    return record;
  } catch (error) {
    if (isDomainError(error) && ['NotFound', 'NoCallback', 'NotReady'].includes(error.code)) {
      log.info('Redelivery refused', { errorType: error.code });
    } else {
      log.error('Redelivery failed', { error });
    }
    throw error;
  }
};
