// S3 ObjectCreated → label the upload (see commons/process-upload.ts for the steps and the state machine).
// Throws only when a record should be processed again (a failing dependency): Lambda's retry then takes over the
// blob, whose lease was released. Records that finished or were skipped are skipped again by the retry.
import type { Context, S3Event } from 'aws-lambda';
import { createAppSyncPublisher } from './commons/appsync-publisher.ts';
import { BlobStore, documentClient } from './commons/blob-store.ts';
import {
  createDynamoDBClient,
  createRekognitionClient,
  createS3Client,
  createSecretsManagerClient,
} from './commons/clients.ts';
import { systemClock } from './commons/clock.ts';
import { loadConfig } from './commons/config.ts';
import { callbackDeliverer } from './commons/deliver-callback.ts';
import { DomainError } from './commons/errors.ts';
import { invocationLogger, logger } from './commons/logger.ts';
import { processUploadEvent } from './commons/process-upload.ts';
import { webhookSecretProvider } from './commons/webhook-secret.ts';

const config = loadConfig(process.env, ['tableName', 'bucketName', 'appsyncGraphqlUrl', 'region', 'webhookSecret']);
logger.setLogLevel(config.logLevel);
const s3 = createS3Client({ forcePathStyle: config.s3ForcePathStyle });
const rekognition = createRekognitionClient();
const store = new BlobStore(documentClient(createDynamoDBClient()), config.tableName);
const publisher = createAppSyncPublisher({ graphqlUrl: config.appsyncGraphqlUrl, region: config.region });
const deliver = callbackDeliverer(
  config,
  store,
  webhookSecretProvider(config.webhookSecret, createSecretsManagerClient),
  systemClock,
);

export const handler = async (event: S3Event, context: Context): Promise<void> => {
  const log = invocationLogger(context);
  const results = await processUploadEvent(
    event,
    {
      store,
      s3,
      rekognition,
      publisher,
      deliver: (record, blobLog) => deliver(record, blobLog, context.getRemainingTimeInMillis?.()),
      clock: systemClock,
      bucketName: config.bucketName,
      stage: config.stage,
      leaseSeconds: config.processingLeaseSeconds,
    },
    log,
  );
  const retries = results.flatMap((result) => (result.outcome === 'retry' ? [result] : []));
  if (retries.length > 0) {
    const detail = retries.map((result) => `${result.blobId}: ${result.error.message}`).join('; ');
    throw new DomainError('DependencyUnavailable', `${retries.length} of ${results.length} uploads to retry: ${detail}`, {
      retryable: true,
    });
  }
};
