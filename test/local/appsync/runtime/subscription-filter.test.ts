import { describe, expect, it } from 'vitest';
import { matchesSubscriptionFilter } from '../../../../local/appsync/runtime/subscription-filter.ts';
import type { SubscriptionFilter } from '../../../../local/appsync/runtime/types.ts';

const one = (fieldName: string, operator: string, value: unknown): SubscriptionFilter => ({ filterGroup: [{ filters: [{ fieldName, operator, value }] }] });

const payload = {
  id: 'blob-1',
  status: 'LABELLED',
  size: 2048,
  labels: ['Cat', 'Animal'],
  error: { code: 'InvalidImageFormatException', retryable: false },
};

describe('subscription filters', () => {
  it.each<[string, unknown, boolean]>([
    ['eq', 'blob-1', true],
    ['eq', 'blob-2', false],
    ['ne', 'blob-2', true],
    ['ne', 'blob-1', false],
    ['beginsWith', 'blob-', true],
    ['beginsWith', 'other', false],
    ['in', ['blob-0', 'blob-1'], true],
    ['in', ['blob-0'], false],
    ['notIn', ['blob-0'], true],
    ['notIn', ['blob-1'], false],
    ['contains', 'ob-', true],
    ['notContains', 'ob-', false],
  ])('id %s %j → %s', (operator, value, expected) => {
    expect(matchesSubscriptionFilter(one('id', operator, value), payload)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['gt', 1000, true],
    ['gt', 2048, false],
    ['ge', 2048, true],
    ['lt', 4096, true],
    ['le', 2047, false],
    ['between', [1000, 2048], true],
    ['between', [1, 2], false],
  ])('size %s %j → %s', (operator, value, expected) => {
    expect(matchesSubscriptionFilter(one('size', operator, value), payload)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['contains', 'Cat', true],
    ['contains', 'Dog', false],
    ['notContains', 'Dog', true],
    ['containsAny', ['Dog', 'Animal'], true],
    ['containsAny', ['Dog', 'Car'], false],
  ])('labels %s %j → %s', (operator, value, expected) => {
    expect(matchesSubscriptionFilter(one('labels', operator, value), payload)).toBe(expected);
  });

  it('reads nested fields through dotted names', () => {
    expect(matchesSubscriptionFilter(one('error.code', 'beginsWith', 'Invalid'), payload)).toBe(true);
    expect(matchesSubscriptionFilter(one('error.retryable', 'eq', true), payload)).toBe(false);
  });

  it('fails a filter on a missing field, except the negative operators', () => {
    expect(matchesSubscriptionFilter(one('missing', 'eq', 'x'), payload)).toBe(false);
    expect(matchesSubscriptionFilter(one('missing', 'gt', 1), payload)).toBe(false);
    expect(matchesSubscriptionFilter(one('missing', 'ne', 'x'), payload)).toBe(true);
  });

  it('ANDs the filters of a group and ORs the groups', () => {
    const filter: SubscriptionFilter = {
      filterGroup: [
        { filters: [{ fieldName: 'id', operator: 'eq', value: 'blob-1' }, { fieldName: 'status', operator: 'eq', value: 'FAILED' }] },
        { filters: [{ fieldName: 'id', operator: 'eq', value: 'blob-1' }, { fieldName: 'status', operator: 'eq', value: 'LABELLED' }] },
      ],
    };

    expect(matchesSubscriptionFilter(filter, payload)).toBe(true);
    expect(matchesSubscriptionFilter({ filterGroup: [filter.filterGroup[0]] }, payload)).toBe(false);
  });

  it('lets everything through when there is no group', () => {
    expect(matchesSubscriptionFilter({ filterGroup: [] }, payload)).toBe(true);
  });
});
