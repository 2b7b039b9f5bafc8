// util.transform
import type { SubscriptionFilter } from '../types.ts';
import { buildCondition } from './expressions.ts';

type Filter = SubscriptionFilter['filterGroup'][number]['filters'][number];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every combination of one group from `a` and one from `b`. */
function cross(a: Filter[][], b: Filter[][]): Filter[][] {
  return a.flatMap((left) => b.map((right) => [...left, ...right]));
}

/** A field's operators: `{ ge: 1, le: 5 }`. Operator names pass through unchecked, as AppSync passes them. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.values(value).every((v) => !isPlainObject(v));
}

/**
 * The filter groups of `obj`: fields are ANDed, the operators of one field ORed (one alternative each, as
 * AppSync's toSubscriptionFilter makes them), `and` lists ANDed, `or` lists ORed. `ignoredFields` apply at
 * every level, inside and/or too.
 */
function groupsOf(obj: Record<string, unknown>, ignored: readonly string[]): Filter[][] {
  let groups: Filter[][] = [[]];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === null || ignored.includes(key)) continue;
    if (key === 'and' || key === 'or') {
      const subs = (Array.isArray(value) ? value : [value]).map((sub) => {
        if (!isPlainObject(sub)) throw new TypeError(`Invalid subscription filter: ${key} holds ${JSON.stringify(sub)}`);
        return groupsOf(sub, ignored);
      });
      groups = key === 'and' ? subs.reduce(cross, groups) : cross(groups, subs.flat());
    } else if (isOperatorObject(value)) {
      const alternatives = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([operator, v]) => [{ fieldName: key, operator, value: v }]);
      if (alternatives.length > 0) groups = cross(groups, alternatives);
    } else {
      // A scalar or a nested field object: what AppSync makes of it is not known, so it is refused here.
      throw new TypeError(`Invalid subscription filter for ${key}: ${JSON.stringify(value)} is not an object of operators`);
    }
  }
  return groups;
}

export function toSubscriptionFilter(obj: Record<string, unknown> | null | undefined, ignoredFields?: string[] | null, rules?: Record<string, unknown> | null): SubscriptionFilter | null {
  if (!isPlainObject(obj)) return null;
  let groups = groupsOf(obj, ignoredFields ?? []);
  if (rules && Object.keys(rules).length > 0) {
    // "at least one of the rules": each rule is an alternative added to every group.
    const alternatives = groupsOf(rules, []).flat().map((rule) => [rule]);
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

const jsonOrNull = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

export const transformUtil = {
  // A JSON string, or null (not "null") when AppSync reads no filter from the object.
  toDynamoDBFilterExpression: (filter: Record<string, unknown>) => jsonOrNull(buildCondition(filter)),
  toDynamoDBConditionExpression: (condition: Record<string, unknown>) => jsonOrNull(buildCondition(condition)),
  toSubscriptionFilter,
  toElasticsearchQueryDSL,
};
