import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import { BOB, startHarness, T0, type Harness } from './support/harness.ts';
import { labelledRecord, storeRecord } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const labelled = labelledRecord();
const store = (record: BlobRecord) => storeRecord(h, record);

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
    ['a blob whose webhook was sent less than a minute ago', { ...labelled, callback: { ...labelled.callback!, lastAttemptAt: new Date(T0 - 59_000).toISOString() } }, 'TooManyRequests'],
  ])('refuses %s with %s, without calling the function', async (_case, record, errorType) => {
    if (record) await store(record);

    const { data, errors } = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-1' });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType })]);
    expect(h.lambdaEvents['deliver-callback']).toEqual([]);
  });

  it("answers another user's blob exactly as an unknown id, without sending anything", async () => {
    await store(labelled);

    const theirs = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-1' }, BOB);
    const unknown = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-2' }, BOB);

    expect(theirs.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
    expect(theirs.errors.map((e) => e.errorType)).toEqual(unknown.errors.map((e) => e.errorType));
    expect(h.lambdaEvents['deliver-callback']).toEqual([]);
  });

  it.each([
    ['an empty id', ''],
    ['an id of 3,000 characters, longer than a DynamoDB key may be', 'x'.repeat(3000)],
    ['the id of an idempotency claim', 'idempotency#k'],
  ])('answers %s, which no blob can have, as an unknown id: NotFound, sending nothing', async (_case, id) => {
    const { data, errors } = await h.resolve('Mutation', 'redeliverCallback', { id });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
    expect(h.lambdaEvents['deliver-callback']).toEqual([]);
  });

  it('tells how long to wait before the webhook may be sent again', async () => {
    await store({ ...labelled, callback: { ...labelled.callback!, lastAttemptAt: new Date(T0 - 20_000).toISOString() } });

    const { errors } = await h.resolve('Mutation', 'redeliverCallback', { id: 'blob-1' });

    expect(errors).toEqual([expect.objectContaining({ errorType: 'TooManyRequests', errorInfo: { retryAfterSeconds: 40 } })]);
  });
});
