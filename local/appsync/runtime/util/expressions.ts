// DynamoDB expressions from AppSync's filter/condition objects ({ field: { eq: 1 }, and: [...], or: [...], not: {...} }),
// key conditions, update objects (with `operations` markers) and projections. Shared by util.transform and
// the @aws-appsync/utils/dynamodb helpers, so both produce the same expressions.
import { toDynamoDB, type AttributeValue } from './dynamodb.ts';

export interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

const CONDITION_OPERATORS = ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'in', 'between', 'beginsWith', 'contains', 'notContains', 'attributeExists', 'attributeType', 'size'];
const ATTRIBUTE_TYPES: Record<string, string> = {
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
  _null: 'NULL',
  null: 'NULL',
};
const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', le: '<=', lt: '<', ge: '>=', gt: '>' };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects #names and :values for one expression (or several that share them, as in an UpdateItem). */
export class ExpressionScope {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  /** `prefix` + the base made safe for a placeholder, numbered when taken. */
  private unique(prefix: '#' | ':', base: string, taken: Record<string, unknown>): string {
    const clean = prefix + (base.replace(/[^A-Za-z0-9_]/g, '_') || 'v');
    let candidate = clean;
    for (let i = 1; Object.hasOwn(taken, candidate); i += 1) candidate = `${clean}_${i}`;
    return candidate;
  }

  name(attribute: string): string {
    const existing = Object.entries(this.names).find(([, v]) => v === attribute);
    if (existing) return existing[0];
    const key = this.unique('#', attribute, this.names);
    this.names[key] = attribute;
    return key;
  }

  /** `a.b[2].c` → `#a.#b[2].#c` */
  path(path: string): string {
    return path
      .split('.')
      .map((segment) => {
        const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
        return m ? `${this.name(m[1])}${m[2]}` : this.name(segment);
      })
      .join('.');
  }

  value(base: string, value: unknown, raw = false): string {
    const key = this.unique(':', base, this.values);
    this.values[key] = raw ? (value as AttributeValue) : toDynamoDB(value);
    return key;
  }

  toExpression(expression: string): Expression {
    const out: Expression = { expression };
    if (Object.keys(this.names).length > 0) out.expressionNames = { ...this.names };
    if (Object.keys(this.values).length > 0) out.expressionValues = { ...this.values };
    return out;
  }
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => CONDITION_OPERATORS.includes(k));
}

function fieldConditions(scope: ExpressionScope, path: string, ops: Record<string, unknown>): string[] {
  const field = scope.path(path);
  const base = path.replace(/[^A-Za-z0-9_]/g, '_');
  const parts: string[] = [];
  for (const [op, operand] of Object.entries(ops)) {
    if (operand === undefined) continue;
    if (COMPARATORS[op]) {
      parts.push(`${field} ${COMPARATORS[op]} ${scope.value(`${base}_${op}`, operand)}`);
    } else if (op === 'in') {
      const list = (operand as unknown[]).map((v, i) => scope.value(`${base}_in_${i}`, v));
      parts.push(`${field} IN (${list.join(', ')})`);
    } else if (op === 'between') {
      const [low, high] = operand as [unknown, unknown];
      parts.push(`${field} BETWEEN ${scope.value(`${base}_between_0`, low)} AND ${scope.value(`${base}_between_1`, high)}`);
    } else if (op === 'beginsWith') {
      parts.push(`begins_with(${field}, ${scope.value(`${base}_beginsWith`, operand)})`);
    } else if (op === 'contains') {
      parts.push(`contains(${field}, ${scope.value(`${base}_contains`, operand)})`);
    } else if (op === 'notContains') {
      parts.push(`NOT contains(${field}, ${scope.value(`${base}_notContains`, operand)})`);
    } else if (op === 'attributeExists') {
      parts.push(operand ? `attribute_exists(${field})` : `attribute_not_exists(${field})`);
    } else if (op === 'attributeType') {
      const type = ATTRIBUTE_TYPES[String(operand)] ?? String(operand);
      parts.push(`attribute_type(${field}, ${scope.value(`${base}_attributeType`, type)})`);
    } else if (op === 'size' && isPlainObject(operand)) {
      for (const [sizeOp, sizeOperand] of Object.entries(operand)) {
        if (COMPARATORS[sizeOp]) parts.push(`size(${field}) ${COMPARATORS[sizeOp]} ${scope.value(`${base}_size_${sizeOp}`, sizeOperand)}`);
      }
    }
  }
  return parts;
}

const wrap = (expression: string) => `(${expression})`;

function conditionParts(scope: ExpressionScope, filter: Record<string, unknown>, prefix: string): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (prefix === '' && (key === 'and' || key === 'or')) {
      const list = (Array.isArray(value) ? value : [value]).map((f) => conditionExpression(scope, f as Record<string, unknown>)).filter(Boolean);
      if (list.length > 0) parts.push(list.length === 1 ? list[0] : list.map(wrap).join(key === 'and' ? ' AND ' : ' OR '));
    } else if (prefix === '' && key === 'not') {
      const inner = conditionExpression(scope, value as Record<string, unknown>);
      if (inner) parts.push(`NOT ${wrap(inner)}`);
    } else if (isOperatorObject(value)) {
      parts.push(...fieldConditions(scope, `${prefix}${key}`, value));
    } else if (isPlainObject(value)) {
      parts.push(...conditionParts(scope, value, `${prefix}${key}.`));
    } else {
      throw new TypeError(`Invalid condition for ${prefix}${key}: ${JSON.stringify(value)}`);
    }
  }
  return parts;
}

/** Condition/filter object → expression text, registering names and values in `scope`. */
export function conditionExpression(scope: ExpressionScope, filter: Record<string, unknown> | null | undefined): string {
  if (!filter) return '';
  const parts = conditionParts(scope, filter, '');
  return parts.length === 1 ? parts[0] : parts.map(wrap).join(' AND ');
}

export function buildCondition(filter: Record<string, unknown> | null | undefined): Expression | undefined {
  const scope = new ExpressionScope();
  const expression = conditionExpression(scope, filter);
  return expression ? scope.toExpression(expression) : undefined;
}

/** Key condition of a Query: equality on the partition key, one comparison/between/beginsWith on the sort key. */
export function buildKeyCondition(query: Record<string, unknown>): Expression {
  const scope = new ExpressionScope();
  const parts: string[] = [];
  for (const [key, ops] of Object.entries(query)) {
    if (!isOperatorObject(ops)) throw new TypeError(`Invalid key condition for ${key}: ${JSON.stringify(ops)}`);
    parts.push(...fieldConditions(scope, key, ops));
  }
  return scope.toExpression(parts.join(' AND '));
}

export function buildProjection(fields: readonly string[] | null | undefined): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!fields || fields.length === 0) return undefined;
  const scope = new ExpressionScope();
  const expression = fields.map((f) => scope.path(f)).join(', ');
  return { expression, expressionNames: { ...scope.names } };
}

/** Marker objects made by `operations.*` in @aws-appsync/utils/dynamodb. */
export type UpdateOperation =
  | { _type: 'add'; payload: unknown }
  | { _type: 'remove' }
  | { _type: 'replace'; payload: unknown }
  | { _type: 'increment'; by: number }
  | { _type: 'decrement'; by: number }
  | { _type: 'append'; payload: unknown[] }
  | { _type: 'prepend'; payload: unknown[] }
  | { _type: 'updateListItem'; payload: unknown; index: number };

const OPERATION_TYPES = ['add', 'remove', 'replace', 'increment', 'decrement', 'append', 'prepend', 'updateListItem'];

function isOperation(value: unknown): value is UpdateOperation {
  return isPlainObject(value) && typeof value._type === 'string' && OPERATION_TYPES.includes(value._type);
}

function isSetValue(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && ['SS', 'NS', 'BS'].includes(Object.keys(value)[0]);
}

/** Update object → UpdateExpression. Nested plain objects update their leaves; operations.replace swaps the whole value. */
export function buildUpdate(update: Record<string, unknown>): Expression {
  const scope = new ExpressionScope();
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const visit = (obj: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (value === undefined) continue;
      const path = `${prefix}${key}`;
      const base = path.replace(/[^A-Za-z0-9_]/g, '_');
      const field = () => scope.path(path);
      if (isOperation(value)) {
        switch (value._type) {
          case 'remove':
            remove.push(field());
            break;
          case 'replace':
            set.push(`${field()} = ${scope.value(base, value.payload)}`);
            break;
          case 'add':
            if (typeof value.payload === 'number' || isSetValue(value.payload)) add.push(`${field()} ${scope.value(`${base}_add`, value.payload)}`);
            else set.push(`${field()} = ${scope.value(base, value.payload)}`);
            break;
          case 'increment':
            add.push(`${field()} ${scope.value(`${base}_increment`, value.by)}`);
            break;
          case 'decrement':
            add.push(`${field()} ${scope.value(`${base}_decrement`, -value.by)}`);
            break;
          case 'append': {
            const f = field();
            set.push(`${f} = list_append(if_not_exists(${f}, ${scope.value('emptyList', [])}), ${scope.value(`${base}_append`, value.payload)})`);
            break;
          }
          case 'prepend': {
            const f = field();
            set.push(`${f} = list_append(${scope.value(`${base}_prepend`, value.payload)}, if_not_exists(${f}, ${scope.value('emptyList', [])}))`);
            break;
          }
          case 'updateListItem':
            set.push(`${field()}[${value.index}] = ${scope.value(`${base}_${value.index}`, value.payload)}`);
            break;
        }
      } else if (Array.isArray(value) && value.length > 0 && value.every(isOperation)) {
        for (const item of value) {
          if (item._type === 'updateListItem') set.push(`${field()}[${item.index}] = ${scope.value(`${base}_${item.index}`, item.payload)}`);
        }
      } else if (isPlainObject(value) && !isSetValue(value)) {
        visit(value, `${path}.`);
      } else {
        set.push(`${field()} = ${scope.value(base, value)}`);
      }
    }
  };
  visit(update, '');
  const clauses = [
    set.length > 0 ? `SET ${set.join(', ')}` : '',
    add.length > 0 ? `ADD ${add.join(', ')}` : '',
    remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
  ].filter(Boolean);
  return scope.toExpression(clauses.join(' '));
}
