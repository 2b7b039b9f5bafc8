import { readFile } from 'node:fs/promises';
import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
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

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BUCKET = 'uploads';
const s3 = mockClient(S3Client);
const rekognition = mockClient(RekognitionClient);

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
  vi.resetModules();
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
    CALLBACK_ALLOW_HTTP_LOOPBACK: 'true',
    CALLBACK_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'INFO',
  };
  for (const [name, value] of Object.entries(env)) {
    vi.stubEnv(name, value);
  }
  return (await import('../../functions/process-upload.ts')).handler;
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
    try {
      await handler(s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`)), lambdaContext());
    } finally {
      logs.restore();
    }

    // Assert: the table
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
      location: expect.stringMatching(/^commons\/process-upload\.ts:\d+$/),
    });
    expect(JSON.stringify(logs.entries())).not.toContain(SECRET);
  });

  it('throws for Lambda to retry when S3 fails, leaving the blob free to be taken over at once', async () => {
    const blob = pendingBlob(receiver.url);
    await table.put(blob);
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }),
    );
    const handler = await loadHandler();
    const logs = captureLogs();

    const error = await handler(s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`)), lambdaContext())
      .catch((thrown: unknown) => thrown)
      .finally(() => logs.restore());

    expect(error).toMatchObject({ name: 'DependencyUnavailable', retryable: true, message: expect.stringContaining(blob.id) });
    const stored = await table.get(blob.id);
    expect(stored?.status).toBe('PROCESSING');
    expect(stored).not.toHaveProperty('processingStartedAt');
    expect(appsync.requests.filter((request) => request.body.variables.input.id === blob.id)).toHaveLength(0);
  });

  it('processes a duplicated event only once', async () => {
    const blob = pendingBlob(receiver.url);
    await uploadedFixture(blob, 'horse.png');
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Horse', Confidence: 88 }] });
    const handler = await loadHandler();
    const event = s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`));
    const logs = captureLogs();

    try {
      await Promise.all([handler(event, lambdaContext()), handler(event, lambdaContext({ awsRequestId: 'second' }))]);
    } finally {
      logs.restore();
    }

    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ message: 'Upload already handled or not expected; skipped', blobId: blob.id }));
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
      await handler(s3Event(objectCreatedRecord(BUCKET, `test/${blob.id}`)), lambdaContext());
    } finally {
      logs.restore();
    }

    const stored = await table.get(blob.id);
    expect(stored?.status).toBe('LABELLED');
    expect(stored?.labels?.[0]).toMatchObject({ name: 'Label number 0', instances: expect.arrayContaining([expect.anything()]) });
    expect(stored?.labels?.length).toBeGreaterThan(0);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ message: 'Labels trimmed to fit one DynamoDB item', blobId: blob.id, returned: 1000 }));
  });
});
