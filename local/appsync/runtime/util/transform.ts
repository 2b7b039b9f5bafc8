// util.transform
import type { SubscriptionFilter } from '../types.ts';
import { buildCondition } from './expressions.ts';

type Filter = SubscriptionFilter['filterGroup'][number]['filters'][number];

const SUBSCRIPTION_OPERATORS = ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny'];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => SUBSCRIPTION_OPERATORS.includes(k));
}

/** Every combination of one group from `a` and one from `b`. */
function cross(a: Filter[][], b: Filter[][]): Filter[][] {
  return a.flatMap((left) => b.map((right) => [...left, ...right]));
}

function groupsOf(obj: Record<string, unknown>, prefix: string, ignored: readonly string[]): Filter[][] {
  let groups: Filter[][] = [[]];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || ignored.includes(key)) continue;
    if (prefix === '' && (key === 'and' || key === 'or')) {
      const subs = (Array.isArray(value) ? value : [value]).map((s) => groupsOf(s as Record<string, unknown>, '', []));
      groups = key === 'and' ? subs.reduce(cross, groups) : cross(groups, subs.flat());
    } else if (isOperatorObject(value)) {
      const filters = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([operator, v]) => ({ fieldName: `${prefix}${key}`, operator, value: v }));
      groups = groups.map((g) => [...g, ...filters]);
    } else if (isPlainObject(value)) {
      groups = cross(groups, groupsOf(value, `${prefix}${key}.`, []));
    } else {
      throw new TypeError(`Invalid subscription filter for ${prefix}${key}: ${JSON.stringify(value)}`);
    }
  }
  return groups;
}

export function toSubscriptionFilter(obj: Record<string, unknown>, ignoredFields?: string[] | null, rules?: Record<string, unknown> | null): SubscriptionFilter {
  let groups = groupsOf(obj ?? {}, '', ignoredFields ?? []);
  if (rules && Object.keys(rules).length > 0) {
    // "at least one of the rules": each rule is an alternative added to every group.
    const alternatives = groupsOf(rules, '', []).flat().map((rule) => [rule]);
    groups = cross(groups, alternatives);
  }
  return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
}

function toElasticsearchQueryDSL(obj: Record<string, unknown>): string {
  const clause = (field: string, ops: Record<string, unknown>): unknown[] =>
    Object.entries(ops).map(([op, v]) => {
      switch (op) {
        case 'eq':
          return { term: { [field]: v } };
        case 'ne':
          return { bool: { must_not: { term: { [field]: v } } } };
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          return { range: { [field]: { [op]: v } } };
        case 'range': {
          const [gte, lte] = v as [unknown, unknown];
          return { range: { [field]: { gte, lte } } };
        }
        case 'exists':
          return v ? { exists: { field } } : { bool: { must_not: { exists: { field } } } };
        case 'match':
        case 'wildcard':
        case 'regexp':
          return { [op]: { [field]: v } };
        case 'matchPhrase':
          return { match_phrase: { [field]: v } };
        case 'matchPhrasePrefix':
          return { match_phrase_prefix: { [field]: v } };
        case 'multiMatch':
          return { multi_match: v };
        default:
          throw new TypeError(`Unsupported OpenSearch operator ${op}`);
      }
    });
  const query = (o: Record<string, unknown>): unknown => {
    const must: unknown[] = [];
    for (const [key, value] of Object.entries(o)) {
      if (key === 'and') must.push({ bool: { must: (value as Record<string, unknown>[]).map(query) } });
      else if (key === 'or') must.push({ bool: { should: (value as Record<string, unknown>[]).map(query) } });
      else if (key === 'not') must.push({ bool: { must_not: query(value as Record<string, unknown>) } });
      else must.push({ bool: { must: clause(key, value as Record<string, unknown>) } });
    }
    return { bool: { must } };
  };
  return JSON.stringify(query(obj));
}

export const transformUtil = {
  toDynamoDBFilterExpression: (filter: Record<string, unknown>) => JSON.stringify(buildCondition(filter) ?? null),
  toDynamoDBConditionExpression: (condition: Record<string, unknown>) => JSON.stringify(buildCondition(condition) ?? null),
  toSubscriptionFilter,
  toElasticsearchQueryDSL,
};
