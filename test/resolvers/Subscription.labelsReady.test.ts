import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { matchesSubscriptionFilter } from '../../local/appsync/runtime/subscription-filter.ts';
import { ADMIN, BOB, iamIdentity, startHarness, type Harness } from './support/harness.ts';
import { labelledRecord, storeRecord } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.reset();
  await storeRecord(h, labelledRecord({ id: 'blob-a', status: 'PROCESSING', labels: undefined }));
});

describe('labelsReady', () => {
  it("sets a server-side filter on the id of the caller's blob", async () => {
    const { errors, filter } = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' });

    expect(errors).toEqual([]);
    expect(filter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 'blob-a' }] }] });
  });

  it('lets through only results for that blob', async () => {
    const { filter } = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' });

    expect(matchesSubscriptionFilter(filter!, { id: 'blob-a', status: 'LABELLED' })).toBe(true);
    expect(matchesSubscriptionFilter(filter!, { id: 'blob-b', status: 'LABELLED' })).toBe(false);
    expect(matchesSubscriptionFilter(filter!, { id: 'blob-a-2', status: 'LABELLED' })).toBe(false);
  });

  it("refuses another user's blob exactly as a blob that does not exist", async () => {
    const theirs = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' }, BOB);
    const unknown = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-z' }, BOB);

    expect(theirs.filter).toBeNull();
    expect(theirs.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
    expect(theirs.errors).toEqual(unknown.errors);
  });

  it.each([
    ['an empty id', ''],
    ['an id of 3,000 characters, longer than a DynamoDB key may be', 'x'.repeat(3000)],
  ])('refuses %s, which no blob can have, exactly as a blob that does not exist', async (_case, id) => {
    const malformed = await h.subscribe('Subscription', 'labelsReady', { id });
    const unknown = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-z' });

    expect(malformed.filter).toBeNull();
    expect(malformed.errors).toEqual(unknown.errors);
  });

  it('lets an admin subscribe to any blob', async () => {
    const { errors } = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' }, ADMIN);

    expect(errors).toEqual([]);
  });

  it('refuses a caller with no identity', async () => {
    const { errors } = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' }, null);

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });

  it('refuses an IAM principal that does not own the blob', async () => {
    const { errors } = await h.subscribe('Subscription', 'labelsReady', { id: 'blob-a' }, iamIdentity('arn:aws:iam::123456789012:user/backend'));

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });
});
