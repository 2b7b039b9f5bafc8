import { readFile } from 'node:fs/promises';
import { DetectLabelsCommand, ProvisionedThroughputExceededException, RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import { type AppSyncStub, startAppSyncStub } from './support/appsync-stub.ts';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.ts';
import { captureLogs } from './support/captured-logs.ts';
import { lambdaContext } from './support/lambda-context.ts';
import { type LocalDynamoDbEndpoint, startDynamoDbEndpoint } from './support/local-dynamodb-endpoint.ts';
import { objectBody, objectCreatedRecord, s3Event } from './support/s3-events.ts';
import { QUEUE_URL, queueMessage, sqsEvent } from './support/sqs-events.ts';
import { importWithEnvironment } from './support/handler-module.ts';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BUCKET = 'uploads';
const s3 = mockClient(S3Client);
const rekognition = mockClient(RekognitionClient);
const sqs = mockClient(SQSClient);

let table: LocalDynamoDbEndpoint;
let appsync: AppSyncStub;
let receiver: CallbackReceiver;
let counter = 0;

function pendingBlob(callbackUrl: string): BlobRecord {
  counter += 1;
  const now = new Date().toISOString();
  return {
    id: `01JHANDLERTEST${String(counter).padStart(12, '0')}`,
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'PENDING_UPLOAD',
    contentType: 'image/png',
    minConfidence: 55,
    maxLabels: 20,
    callback: { url: callbackUrl, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null },
    createdAt: now,
    updatedAt: now,
    uploadExpiresAt: new Date(Date.now() + 900_000).toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  };
}

/** Stores the blob and makes S3 answer for its upload with a fixture's size and first bytes. */
async function uploadedFixture(blob: BlobRecord, fixture: string): Promise<Buffer> {
  await table.put(blob);
  const bytes = await readFile(new URL(`../fixtures/images/${fixture}`, import.meta.url));
  s3.on(HeadObjectCommand).resolves({ ContentLength: bytes.length, ContentType: 'image/png' });
  s3.on(GetObjectCommand).resolves({ Body: objectBody(bytes.subarray(0, 16)) });
  return bytes;
}

async function loadHandler() {
  const env = {
    STAGE: 'test',
    TABLE_NAME: table.tableName,
    BUCKET_NAME: BUCKET,
    APPSYNC_GRAPHQL_URL: appsync.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDHANDLERTEST',
    AWS_SECRET_ACCESS_KEY: 'handler-test-secret',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    WEBHOOK_SECRET: SECRET,
    UPLOAD_QUEUE_URL: QUEUE_URL,
    CALLBACK_ALLOW_HTTP_LOOPBACK: 'true',
    CALLBACK_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'INFO',
  };
  return (await importWithEnvironment(env, () => import('../../functions/process-upload.ts'))).handler;
}

/** The message S3 writes to the queue for the upload of a blob. */
function uploadOf(blob: BlobRecord, options: { receiveCount?: number } = {}) {
  return queueMessage(s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`)), options);
}

describe('process-upload handler', () => {
  beforeAll(async () => {
    table = await startDynamoDbEndpoint('blobs-handler-test');
    appsync = await startAppSyncStub();
  });

  afterAll(async () => {
    await table.close();
    await appsync.close();
  });

  beforeEach(async () => {
    s3.reset();
    rekognition.reset();
    sqs.reset();
    receiver = await startCallbackReceiver();
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
  });

  it('labels an upload, publishes it signed to AppSync and delivers a signed webhook', async () => {
    // Arrange
    const blob = pendingBlob(receiver.url);
    const png = await uploadedFixture(blob, 'chelsea.png');
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Cat', Confidence: 96.4, Parents: [{ Name: 'Animal' }] }] });
    const handler = await loadHandler();
    const logs = captureLogs();

    // Act
    let response;
    try {
      response = await handler(sqsEvent(uploadOf(blob)), lambdaContext());
    } finally {
      logs.restore();
    }

    // Assert: the queue deletes the message
    expect(response).toEqual({ batchItemFailures: [] });
    // the table
    const stored = await table.get(blob.id);
    expect(stored).toMatchObject({ status: 'LABELLED', size: png.length, callback: { status: 'DELIVERED', attempts: 1 } });
    expect(stored?.labels?.[0]).toMatchObject({ name: 'Cat', parents: ['Animal'] });
    // the subscription
    const [publish] = appsync.requests;
    expect(publish.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDHANDLERTEST\/\d{8}\/eu-west-1\/appsync\/aws4_request/);
    expect(publish.body.variables.input).toMatchObject({ id: blob.id, status: 'LABELLED' });
    // the webhook
    const [webhook] = receiver.received;
    const verified = new Webhook(SECRET).verify(webhook.body, webhook.headers as Record<string, string>);
    expect(verified).toEqual({ blobId: blob.id, status: 'LABELLED', labels: stored?.labels, error: null });
    // the logs
    const processed = logs.entries().find((entry) => entry.message === 'Blob processed');
    expect(processed).toMatchObject({
      blobId: blob.id,
      function_request_id: lambdaContext().awsRequestId,
      status: 'LABELLED',
      location: expect.stringMatching(/^labelling\/processing\.ts:\d+$/),
    });
    expect(JSON.stringify(logs.entries())).not.toContain(SECRET);
  });

  it('hands the message back with a short backoff when S3 fails, leaving the blob free to be taken over at once', async () => {
    const blob = pendingBlob(receiver.url);
    await table.put(blob);
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }),
    );
    const handler = await loadHandler();
    const message = uploadOf(blob);
    const logs = captureLogs();

    const response = await handler(sqsEvent(message), lambdaContext()).finally(() => logs.restore());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: message.messageId }] });
    const [visibility] = sqs.commandCalls(ChangeMessageVisibilityCommand);
    expect(visibility.args[0].input).toMatchObject({ QueueUrl: QUEUE_URL, ReceiptHandle: message.receiptHandle });
    expect(visibility.args[0].input.VisibilityTimeout).toBeGreaterThanOrEqual(3);
    expect(visibility.args[0].input.VisibilityTimeout).toBeLessThanOrEqual(5);
    const stored = await table.get(blob.id);
    expect(stored?.status).toBe('PROCESSING');
    expect(stored).not.toHaveProperty('processingStartedAt');
    expect(appsync.requests.filter((request) => request.body.variables.input.id === blob.id)).toHaveLength(0);
  });

  it('hands back a message redelivered while another attempt holds the blob, to come back when that lease ends', async () => {
    // An attempt claimed the blob 10 s ago and may have died; the lease is 120 s.
    const blob = { ...pendingBlob(receiver.url), status: 'PROCESSING' as const, processingStartedAt: new Date(Date.now() - 10_000).toISOString() };
    await table.put(blob);
    const handler = await loadHandler();
    const message = uploadOf(blob, { receiveCount: 2 });
    const logs = captureLogs();

    const response = await handler(sqsEvent(message), lambdaContext()).finally(() => logs.restore());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: message.messageId }] });
    const delay = sqs.commandCalls(ChangeMessageVisibilityCommand)[0].args[0].input.VisibilityTimeout;
    expect(delay).toBeGreaterThanOrEqual(110);
    expect(delay).toBeLessThanOrEqual(112);
    expect(s3.calls()).toHaveLength(0);
    expect(receiver.received).toHaveLength(0);
  });

  it('takes over a blob whose attempt died once its lease has passed, and answers it once', async () => {
    const blob = { ...pendingBlob(receiver.url), status: 'PROCESSING' as const, processingStartedAt: new Date(Date.now() - 200_000).toISOString() };
    await uploadedFixture(blob, 'horse.png');
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Horse', Confidence: 88 }] });
    const handler = await loadHandler();
    const logs = captureLogs();

    const response = await handler(sqsEvent(uploadOf(blob, { receiveCount: 2 })), lambdaContext()).finally(() => logs.restore());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await table.get(blob.id)).toMatchObject({ status: 'LABELLED', callback: { status: 'DELIVERED', attempts: 1 } });
    expect(receiver.received).toHaveLength(1);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ message: 'Took over a blob whose previous processing attempt let its lease pass', blobId: blob.id }));
  });

  it('ends the blob FAILED and tells subscribers and the webhook when Rekognition still throttles on the last receive', async () => {
    const blob = pendingBlob(receiver.url);
    await uploadedFixture(blob, 'chelsea.png');
    rekognition
      .on(DetectLabelsCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'Provisioned rate exceeded', $metadata: { httpStatusCode: 400 } }));
    const handler = await loadHandler();
    const logs = captureLogs();

    const response = await handler(sqsEvent(uploadOf(blob, { receiveCount: 10 })), lambdaContext()).finally(() => logs.restore());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await table.get(blob.id)).toMatchObject({
      status: 'FAILED',
      error: { code: 'ProvisionedThroughputExceededException', retryable: true },
    });
    expect(appsync.requests.find((request) => request.body.variables.input.id === blob.id)?.body.variables.input).toMatchObject({ status: 'FAILED' });
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ blobId: blob.id, status: 'FAILED' });
  });

  it('hands an unreadable message back at once, so that it reaches the dead-letter queue, and deletes S3’s test event', async () => {
    const handler = await loadHandler();
    const unreadable = queueMessage('not json');
    const test = queueMessage('{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-03-01T12:00:00.000Z","Bucket":"uploads"}');
    const logs = captureLogs();

    const response = await handler(sqsEvent(unreadable, test), lambdaContext()).finally(() => logs.restore());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: unreadable.messageId }] });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout)).toEqual([0]);
  });

  it('processes a duplicated event only once', async () => {
    const blob = pendingBlob(receiver.url);
    await uploadedFixture(blob, 'horse.png');
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Horse', Confidence: 88 }] });
    const handler = await loadHandler();
    const event = s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`));
    const logs = captureLogs();

    try {
      // S3 delivers at least once: the same event twice, in two messages handled at the same time.
      await Promise.all([
        handler(sqsEvent(queueMessage(event)), lambdaContext()),
        handler(sqsEvent(queueMessage(event)), lambdaContext({ awsRequestId: 'second' })),
      ]);
    } finally {
      logs.restore();
    }

    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    expect(appsync.requests.filter((request) => request.body.variables.input.id === blob.id)).toHaveLength(1);
  });

  it('stores a result too large for one DynamoDB item as LABELLED, its least confident detail trimmed', async () => {
    const blob = { ...pendingBlob(receiver.url), maxLabels: 1000, callback: undefined };
    await uploadedFixture(blob, 'coffee.png');
    const box = { Confidence: 80, BoundingBox: { Left: 0.123456789, Top: 0.223456789, Width: 0.323456789, Height: 0.423456789 } };
    const labels = Array.from({ length: 1000 }, (_, i) => ({
      Name: `Label number ${i}`,
      Confidence: 99 - i * 0.04,
      Parents: [{ Name: 'Some Parent' }, { Name: 'Another Parent' }],
      Categories: [{ Name: 'Some Category' }],
      Instances: Array.from({ length: 12 }, () => box),
    }));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: labels });
    const handler = await loadHandler();
    const logs = captureLogs();

    try {
      await handler(sqsEvent(uploadOf(blob)), lambdaContext());
    } finally {
      logs.restore();
    }

    const stored = await table.get(blob.id);
    expect(stored?.status).toBe('LABELLED');
    expect(stored?.labels?.[0]).toMatchObject({ name: 'Label number 0', instances: expect.arrayContaining([expect.anything()]) });
    expect(stored?.labels?.length).toBeGreaterThan(0);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ message: 'Labels trimmed to fit one DynamoDB item and one subscription message', blobId: blob.id, returned: 1000 }));
  });
});
