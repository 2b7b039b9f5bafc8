// Upload queue (S3 ObjectCreated events, through SQS) → label the uploads (see labelling/processing.ts for the
// steps and the state machine). Partial batch responses: a message whose upload must be tried again is handed back
// with the delay its processing asked for (ChangeMessageVisibility) and reported as a batch item failure; the
// others are deleted by the event source mapping. Nothing is retried by throwing from the handler.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAppSyncPublisher } from './publishing/appsync-publisher.ts';
import { BlobStore, documentClient } from './storage/blob-store.ts';
import {
  createDynamoDBClient,
  createRekognitionClient,
  createS3Client,
  createSQSClient,
} from './commons/clients.ts';
import { systemClock } from './commons/clock.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { configuredDelivery } from './webhooks/delivery.ts';
import { DomainError } from './commons/errors.ts';
import { invocationLogger, type LocatedLogger, logger } from './commons/logger.ts';
import { sqsHandBack } from './queue/message-hand-back.ts';
import type { ProcessingDependencies } from './labelling/processing.ts';
import { processUploadMessage } from './queue/upload-message.ts';

const config = loadConfig(process.env, FUNCTIONS['process-upload'].settings);
logger.setLogLevel(config.logLevel);
const sockets = { maxSockets: config.sdkMaxSockets };
const s3 = createS3Client({ ...sockets, forcePathStyle: config.s3ForcePathStyle });
const rekognition = createRekognitionClient(sockets);
const store = new BlobStore(documentClient(createDynamoDBClient(sockets)), config.tableName);
const handBack = sqsHandBack(createSQSClient(sockets), config.uploadQueueUrl);
const publisher = createAppSyncPublisher({ graphqlUrl: config.appsyncGraphqlUrl, region: config.region });
const deliver = configuredDelivery(config)(store);

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const log = invocationLogger(context);
  const deps: ProcessingDependencies = {
    store,
    s3,
    rekognition,
    publisher,
    deliver: (record, blobLog) => deliver(record, blobLog, context.getRemainingTimeInMillis?.()),
    clock: systemClock,
    bucketName: config.bucketName,
    stage: config.stage,
    leaseSeconds: config.processingLeaseSeconds,
  };
  // One processor per invocation: it holds the batch's state, and the local cloud runs invocations side by side.
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(event, (message: SQSRecord) => processMessage(message, deps, log), processor, {
    context,
    throwOnFullBatchFailure: false,
  });
};

async function processMessage(message: SQSRecord, deps: ProcessingDependencies, log: LocatedLogger): Promise<void> {
  const outcome = await processUploadMessage(message, config.uploadQueueMaxReceiveCount, deps, log);
  if (outcome.kind === 'done') {
    return;
  }
  try {
    await handBack(message.receiptHandle, outcome.delaySeconds);
  } catch (error) {
    log.warn('Could not set when the message comes back; it returns after the queue visibility timeout', {
      messageId: message.messageId,
      error,
    });
  }
  // Reported as a batch item failure: the event source mapping leaves the message in the queue.
  throw new DomainError('RetryLater', `Handed back for ${outcome.delaySeconds} s: ${outcome.reason}`, { retryable: true });
}
