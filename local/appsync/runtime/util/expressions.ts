// DynamoDB condition and filter expressions from AppSync's filter objects ({ field: { eq: 1 }, and: [...], or: [...],
// not: {...} }), as util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression give them; also the key
// condition of a Query and projections, for the @aws-appsync/utils/dynamodb helpers.
//
// The shape follows what AppSync's EvaluateCode answers (see test/conformance):
// - each operator is one parenthesised condition, `(#title = :title_eq)`, `(contains(#title,:title_contains))`;
//   the conditions of an object are joined with AND: `(attribute_exists(#id)) AND (#version = :version_eq)`;
// - value placeholders are `:<field>_<operator>`, prefixed inside and/or/not by where they are (`:and_0_a_eq`);
//   between gives `:<field>_between_start` and `:<field>_between_end`;
// - expressionNames and expressionValues are always present, empty when nothing is named; `{}` gives an empty
//   expression;
// - what AppSync does not read as a filter (a field that is not an object of operators, a nested field object,
//   an unknown operator) gives no expression at all: null.
import { toDynamoDB, type AttributeValue } from './dynamodb.ts';

export interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', le: '<=', lt: '<', ge: '>=', gt: '>' };
const FUNCTIONS: Record<string, string> = { beginsWith: 'begins_with', contains: 'contains', notContains: 'NOT contains' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  string: 'S', stringSet: 'SS', number: 'N', numberSet: 'NS', binary: 'B', binarySet: 'BS', boolean: 'BOOL', list: 'L', map: 'M', _null: 'NULL', null: 'NULL',
};
const OPERATORS = new Set([...Object.keys(COMPARATORS), ...Object.keys(FUNCTIONS), 'between', 'in', 'attributeExists', 'attributeType', 'size']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What AppSync does not read as a filter: the whole expression is then null. */
class NotAFilter extends Error {}

interface Scope {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

function value(scope: Scope, placeholder: string, operand: unknown): string {
  scope.values[placeholder] = toDynamoDB(operand);
  return placeholder;
}

/** The conditions of one field: one per operator. */
function fieldConditions(scope: Scope, field: string, ops: Record<string, unknown>, prefix: string): string[] {
  const name = `#${field}`;
  scope.names[name] = field;
  const at = (op: string) => `:${prefix}${field}_${op}`;
  const parts: string[] = [];
  for (const [op, operand] of Object.entries(ops)) {
    if (operand === undefined) continue;
    if (!OPERATORS.has(op)) throw new NotAFilter(op);
    if (COMPARATORS[op]) {
      parts.push(`${name} ${COMPARATORS[op]} ${value(scope, at(op), operand)}`);
    } else if (FUNCTIONS[op]) {
      parts.push(`${FUNCTIONS[op]}(${name},${value(scope, at(op), operand)})`);
    } else if (op === 'between') {
      if (!Array.isArray(operand) || operand.length !== 2) throw new NotAFilter(op);
      parts.push(`${name} BETWEEN ${value(scope, at('between_start'), operand[0])} AND ${value(scope, at('between_end'), operand[1])}`);
    } else if (op === 'in') {
      if (!Array.isArray(operand)) throw new NotAFilter(op);
      parts.push(`${name} IN (${operand.map((v, i) => value(scope, at(`in_${i}`), v)).join(',')})`);
    } else if (op === 'attributeExists') {
      parts.push(operand ? `attribute_exists(${name})` : `attribute_not_exists(${name})`);
    } else if (op === 'attributeType') {
      parts.push(`attribute_type(${name},${value(scope, at(op), ATTRIBUTE_TYPES[String(operand)] ?? String(operand))})`);
    } else if (op === 'size') {
      if (!isPlainObject(operand)) throw new NotAFilter(op);
      for (const [sizeOp, sizeOperand] of Object.entries(operand)) {
        if (!COMPARATORS[sizeOp]) throw new NotAFilter(`size.${sizeOp}`);
        parts.push(`size(${name}) ${COMPARATORS[sizeOp]} ${value(scope, at(`size_${sizeOp}`), sizeOperand)}`);
      }
    }
  }
  return parts.map((p) => `(${p})`);
}

/** The conditions of a filter object, each parenthesised; `prefix` names where it sits inside and/or/not. */
function conditions(scope: Scope, filter: Record<string, unknown>, prefix: string): string[] {
  const parts: string[] = [];
  for (const [key, operand] of Object.entries(filter)) {
    if (operand === undefined || operand === null) continue;
    if (key === 'and' || key === 'or') {
      const list = Array.isArray(operand) ? operand : [operand];
      const inner = list
        .map((sub, i) => {
          if (!isPlainObject(sub)) throw new NotAFilter(key);
          return conditions(scope, sub, `${prefix}${key}_${i}_`).join(' AND ');
        })
        .filter((text) => text !== '');
      if (inner.length > 0) parts.push(`(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
    } else if (key === 'not') {
      if (!isPlainObject(operand)) throw new NotAFilter(key);
      const inner = conditions(scope, operand, `${prefix}not_`).join(' AND ');
      if (inner !== '') parts.push(`(NOT ${inner})`);
    } else if (isPlainObject(operand) && Object.keys(operand).every((op) => OPERATORS.has(op))) {
      parts.push(...fieldConditions(scope, key, operand, prefix));
    } else {
      // A scalar, a nested field object or an unknown operator: AppSync reads no filter from it.
      throw new NotAFilter(key);
    }
  }
  return parts;
}

/** Filter/condition object → expression, as util.transform gives it; null when AppSync reads no filter from it. */
export function buildCondition(filter: Record<string, unknown> | null | undefined): Required<Expression> | null {
  if (!isPlainObject(filter)) return null;
  const scope: Scope = { names: {}, values: {} };
  try {
    const expression = conditions(scope, filter, '').join(' AND ');
    return { expression, expressionNames: scope.names, expressionValues: scope.values };
  } catch (error) {
    if (error instanceof NotAFilter) return null;
    throw error;
  }
}

/** Key condition of a Query: equality on the partition key, one comparison/between/beginsWith on the sort key. */
export function buildKeyCondition(query: Record<string, unknown>): Expression {
  const scope: Scope = { names: {}, values: {} };
  const parts: string[] = [];
  for (const [key, ops] of Object.entries(query)) {
    if (!isPlainObject(ops)) throw new TypeError(`Invalid key condition for ${key}: ${JSON.stringify(ops)}`);
    try {
      parts.push(...fieldConditions(scope, key, ops, '').map((p) => p.slice(1, -1)));
    } catch (error) {
      if (error instanceof NotAFilter) throw new TypeError(`Invalid key condition for ${key}: ${JSON.stringify(ops)}`);
      throw error;
    }
  }
  return { expression: parts.join(' AND '), expressionNames: scope.names, expressionValues: scope.values };
}

/** `a.b[2].c` → `#a.#b[2].#c`, registering the names in `names`. */
export function namePath(path: string, names: Record<string, string>, placeholder: (segment: string) => string): string {
  return path
    .split('.')
    .map((segment) => {
      const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
      const name = m ? m[1] : segment;
      const key = placeholder(name);
      names[key] = name;
      return `${key}${m ? m[2] : ''}`;
    })
    .join('.');
}

export function buildProjection(fields: readonly string[] | null | undefined): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!fields || fields.length === 0) return undefined;
  const names: Record<string, string> = {};
  const expression = fields.map((f) => namePath(f, names, (segment) => `#${segment.replace(/[^A-Za-z0-9_]/g, '_')}`)).join(', ');
  return { expression, expressionNames: names };
}
