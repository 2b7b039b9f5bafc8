// AppSync's enhanced subscription filters, evaluated against a mutation's result before it is sent to a
// subscriber. Groups (`filterGroup`) are ORed; the filters of a group are ANDed; `fieldName` may be a dotted
// path into nested objects. A filter on a field the payload does not have fails, except the negative
// operators (ne, notIn, notContains), which pass. An empty filter (no groups) lets everything through.
import { isDeepStrictEqual } from 'node:util';
import type { SubscriptionFilter } from './types.ts';

type Filter = SubscriptionFilter['filterGroup'][number]['filters'][number];

/** The operators AppSync documents for enhanced subscription filters. */
export const SUBSCRIPTION_FILTER_OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny']);

/**
 * Refuses a filter whose operators AppSync does not document: toSubscriptionFilter passes any operator name
 * through (`lte`, `gte`...), and how AppSync then matches events is not known, so the subscription fails
 * loudly here instead of delivering differently.
 */
export function assertKnownOperators(filter: SubscriptionFilter | null | undefined): void {
  // toSubscriptionFilter answers null for what it cannot read; what AppSync does with a null filter is not known.
  if (typeof filter !== 'object' || filter === null || !Array.isArray(filter.filterGroup)) {
    throw new TypeError(`A subscription filter must be { filterGroup: [...] } (util.transform.toSubscriptionFilter answers null for what it cannot read), not ${JSON.stringify(filter)}`);
  }
  for (const group of filter.filterGroup) {
    for (const f of group.filters ?? []) {
      if (!SUBSCRIPTION_FILTER_OPERATORS.has(f.operator)) {
        throw new TypeError(`Subscription filter operator '${f.operator}' (on ${f.fieldName}) is not one AppSync documents; use ${[...SUBSCRIPTION_FILTER_OPERATORS].join(', ')}`);
      }
    }
  }
}

function valueAt(payload: unknown, fieldName: string): unknown {
  let current: unknown = payload;
  for (const part of fieldName.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const equal = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

function compare(actual: unknown, expected: unknown): number | null {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  return null;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
  if (Array.isArray(actual)) return actual.some((item) => equal(item, expected));
  return false;
}

export function matchesFilter(filter: Filter, payload: unknown): boolean {
  const actual = valueAt(payload, filter.fieldName);
  const expected = filter.value;
  const present = actual !== undefined;
  switch (filter.operator) {
    case 'eq':
      return present && equal(actual, expected);
    case 'ne':
      return !present || !equal(actual, expected);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const c = present ? compare(actual, expected) : null;
      if (c === null) return false;
      return filter.operator === 'lt' ? c < 0 : filter.operator === 'le' ? c <= 0 : filter.operator === 'gt' ? c > 0 : c >= 0;
    }
    case 'contains':
      return present && contains(actual, expected);
    case 'notContains':
      return !present || !contains(actual, expected);
    case 'beginsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'in':
      return present && Array.isArray(expected) && expected.some((v) => equal(actual, v));
    case 'notIn':
      return !present || !Array.isArray(expected) || !expected.some((v) => equal(actual, v));
    case 'between': {
      if (!present || !Array.isArray(expected) || expected.length !== 2) return false;
      const low = compare(actual, expected[0]);
      const high = compare(actual, expected[1]);
      return low !== null && high !== null && low >= 0 && high <= 0;
    }
    case 'containsAny':
      return present && Array.isArray(expected) && expected.some((v) => contains(actual, v));
    default:
      return false;
  }
}

export function matchesSubscriptionFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  const groups = filter?.filterGroup ?? [];
  if (groups.length === 0) return true;
  return groups.some((group) => (group.filters ?? []).every((f) => matchesFilter(f, payload)));
}
