import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesSubscriptionFilter } from '../../local/appsync/runtime/subscription-filter.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const subscribe = (id: string) =>
  h.runtime.subscribe({
    typeName: 'Subscription',
    fieldName: 'labelsReady',
    arguments: { id },
    source: null,
    identity: null,
    request: { headers: {}, domainName: null },
    info: { fieldName: 'labelsReady', parentTypeName: 'Subscription', variables: {}, selectionSetList: ['id'], selectionSetGraphQL: '{ id }' },
  });

describe('labelsReady', () => {
  it('sets a server-side filter on the id it was given', async () => {
    const { errors, filter } = await subscribe('blob-a');

    expect(errors).toEqual([]);
    expect(filter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 'blob-a' }] }] });
  });

  it('lets through only results for that blob', async () => {
    const { filter } = await subscribe('blob-a');

    expect(matchesSubscriptionFilter(filter!, { id: 'blob-a', status: 'LABELLED' })).toBe(true);
    expect(matchesSubscriptionFilter(filter!, { id: 'blob-b', status: 'LABELLED' })).toBe(false);
    expect(matchesSubscriptionFilter(filter!, { id: 'blob-a-2', status: 'LABELLED' })).toBe(false);
  });
});
