import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import { toMapValues, toWireMap } from '../../local/appsync/runtime/util/dynamodb.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const labelled: BlobRecord = {
  id: 'blob-1',
  entity: 'Blob',
  status: 'LABELLED',
  contentType: 'image/png',
  minConfidence: 55,
  maxLabels: 20,
  labels: [],
  callback: { url: 'https://example.com/hook', status: 'FAILED', attempts: 5, lastAttemptAt: '2026-03-01T12:01:00.000Z', lastError: 'HTTP 500', deliveredAt: null },
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:01:00.000Z',
  uploadExpiresAt: '2026-03-01T12:15:00.000Z',
  labelledAt: '2026-03-01T12:00:30.000Z',
};

async function store(record: BlobRecord): Promise<void> {
  await h.table.client.send(new PutItemCommand({ TableName: h.table.tableName, Item: toWireMap(toMapValues({ ...record })) as never }));
}

describe('redeliverCallback', () => {
  it('sends the result again and returns the blob with its new callback state', async () => {
    await store(labelled);
    const delivered = { ...labelled, callback: { ...labelled.callback!, status: 'DELIVERED' as const, attempts: 6, deliveredAt: '2026-03-01T12:05:00.000Z' } };
    h.lambdas['deliver-callback'] = async () => delivered;

    const { data, errors } = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-1' });

    expect(errors).toEqual([]);
    expect(h.lambdaEvents['deliver-callback']).toEqual([{ id: 'blob-1' }]);
    expect(data).toMatchObject({ id: 'blob-1', callback: { status: 'DELIVERED', attempts: 6 } });
  });

  it.each<[string, BlobRecord | null, string]>([
    ['an unknown blob', null, 'NotFound'],
    ['a blob without a callbackUrl', { ...labelled, callback: undefined }, 'NoCallback'],
    ['a blob still processing', { ...labelled, status: 'PROCESSING', labels: undefined, labelledAt: undefined }, 'NotReady'],
  ])('refuses %s with %s, without calling the function', async (_case, record, errorType) => {
    if (record) await store(record);

    const { data, errors } = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-1' });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType })]);
    expect(h.lambdaEvents['deliver-callback']).toEqual([]);
  });
});
