import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.ts';
import { lambdaContext } from './support/lambda-context.ts';
import { type LocalDynamoDbEndpoint, startDynamoDbEndpoint } from './support/local-dynamodb-endpoint.ts';
import { importWithEnvironment } from './support/handler-module.ts';

const SECRET = `whsec_${Buffer.alloc(24, 5).toString('base64')}`;
let table: LocalDynamoDbEndpoint;
let receiver: CallbackReceiver;
let counter = 0;

function blob(overrides: Partial<BlobRecord> = {}): BlobRecord {
  counter += 1;
  return {
    id: `01JREDELIVERTEST${String(counter).padStart(10, '0')}`,
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'FAILED',
    contentType: 'image/jpeg',
    size: 1000,
    minConfidence: 55,
    maxLabels: 20,
    error: { code: 'ThrottlingException', message: 'Rate exceeded', retryable: true },
    callback: { url: receiver.url, status: 'FAILED', attempts: 5, lastAttemptAt: '2026-03-01T12:00:00.000Z', lastError: 'HTTP 503', deliveredAt: null },
    createdAt: '2026-03-01T11:59:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    uploadExpiresAt: '2026-03-01T12:14:00.000Z',
    ...overrides,
  };
}

async function loadHandler() {
  const env = {
    TABLE_NAME: table.tableName,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDREDELIVER',
    AWS_SECRET_ACCESS_KEY: 'redeliver-secret',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    WEBHOOK_SECRET: SECRET,
    CALLBACK_ALLOW_HTTP_LOOPBACK: 'true',
    LOG_LEVEL: 'SILENT',
  };
  return (await importWithEnvironment(env, () => import('../../functions/deliver-callback.ts'))).handler;
}

describe('deliver-callback handler (redeliverCallback)', () => {
  beforeAll(async () => {
    table = await startDynamoDbEndpoint('blobs-redeliver-test');
  });

  afterAll(async () => {
    await table.close();
  });

  beforeEach(async () => {
    receiver = await startCallbackReceiver();
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
  });

  it('sends the result again and returns the record with the delivery recorded', async () => {
    // Arrange
    const record = blob();
    await table.put(record);
    const handler = await loadHandler();

    // Act
    const result = await handler({ id: record.id }, lambdaContext());

    // Assert
    expect(result).toMatchObject({ id: record.id, status: 'FAILED', callback: { status: 'DELIVERED', attempts: 6 } });
    expect(result.callback).not.toHaveProperty('lastError');
    const [request] = receiver.received;
    expect(new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>)).toEqual({
      blobId: record.id,
      status: 'FAILED',
      labels: null,
      error: record.error,
    });
  });

  it.each([
    ['NotFound', 'no such blob', undefined],
    ['NoCallback', 'a blob without callbackUrl', { callback: undefined }],
    ['NotReady', 'a blob still processing', { status: 'PROCESSING' as const, error: undefined }],
  ])('throws %s for %s, as an error whose name AppSync receives as errorType', async (errorType, _case, overrides) => {
    const record = blob(overrides);
    if (overrides !== undefined) {
      await table.put(record);
    }
    const handler = await loadHandler();

    const error = await handler({ id: record.id }, lambdaContext()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: errorType, errorType, message: expect.stringContaining(record.id) });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses an id that is not a blob id', async () => {
    const handler = await loadHandler();

    await expect(handler({ id: 'idempotency#x' }, lambdaContext())).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
