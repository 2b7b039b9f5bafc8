// util.transform
import type { SubscriptionFilter } from '../types.ts';
import { buildCondition } from './expressions.ts';

type Filter = SubscriptionFilter['filterGroup'][number]['filters'][number];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every combination of one group from `a` and one from `b`. */
function cross(a: Filter[][], b: Filter[][]): Filter[][] {
  return a.flatMap((left) => b.map((right) => [...left, ...right]));
}

/** What AppSync cannot read as a subscription filter: toSubscriptionFilter then answers null. */
class NotASubscriptionFilter extends Error {}

/** A field's operators, one alternative each. Nothing is validated: `{ a: { bogus: 1 } }` passes through. */
function alternativesOf(field: string, operators: unknown): Filter[][] {
  if (!isPlainObject(operators)) throw new NotASubscriptionFilter(field);
  return Object.entries(operators).map(([operator, value]) => [{ fieldName: field, operator, value }]);
}

/**
 * The filter groups of `obj`, as AppSync's toSubscriptionFilter expands them: fields and `and` members are
 * ANDed, the operators of one field and the members of an `or` are alternatives, so the groups multiply out.
 * `not` is a field name like any other; `ignoredFields` apply at every level.
 */
function groupsOf(obj: unknown, ignored: readonly string[]): Filter[][] {
  if (!isPlainObject(obj)) throw new NotASubscriptionFilter('filter');
  let groups: Filter[][] = [[]];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new NotASubscriptionFilter(key);
      groups = key === 'and' ? value.reduce((acc: Filter[][], member) => cross(acc, groupsOf(member, ignored)), groups) : cross(groups, value.flatMap((member) => groupsOf(member, ignored)));
    } else if (!ignored.includes(key)) {
      groups = cross(groups, alternativesOf(key, value));
    }
  }
  return groups;
}

export function toSubscriptionFilter(obj: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  const ignored = Array.isArray(ignoredFields) ? (ignoredFields as string[]) : [];
  try {
    let groups = groupsOf(obj, ignored);
    if (isPlainObject(rules)) {
      // "at least one of the rules": each rule is an alternative added to every group.
      const alternatives = Object.entries(rules).flatMap(([field, operators]) => alternativesOf(field, operators));
      if (alternatives.length > 0) groups = cross(groups, alternatives);
    }
    return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
  } catch (error) {
    if (error instanceof NotASubscriptionFilter) return null;
    throw error;
  }
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
