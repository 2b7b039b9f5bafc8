// The UpdateItem expression the @aws-appsync/utils/dynamodb `update` helper builds, and the `operations` markers
// it reads. As AppSync's EvaluateCode answers (test/conformance): placeholders are numbered in order of use,
// `#expName_1`, `:expValue_1`; a plain value, operations.add and operations.replace SET the attribute;
// increment/decrement SET it to itself plus/minus the amount; append/prepend SET it with list_append.
// Nested plain objects update their leaves (operations.replace swaps the whole value).
import type { AttributeValue } from './dynamodb.ts';
import { toDynamoDB } from './dynamodb.ts';
import { namePath, type Expression } from './expressions.ts';

/** The marker objects of `operations.*`, in AppSync's shape. */
export type UpdateOperation =
  | { type: 'OPERATION_ADD'; value: unknown }
  | { type: 'OPERATION_REMOVE' }
  | { type: 'OPERATION_REPLACE'; value: unknown }
  | { type: 'OPERATION_INCREMENT'; by: number }
  | { type: 'OPERATION_DECREMENT'; by: number }
  | { type: 'OPERATION_APPEND'; items: unknown[] }
  | { type: 'OPERATION_PREPEND'; items: unknown[] }
  | { type: 'OPERATION_UPDATE_LIST_ITEM'; value: unknown; index: number };

export const operations = {
  add: (value: unknown): UpdateOperation => ({ type: 'OPERATION_ADD', value }),
  remove: (): UpdateOperation => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown): UpdateOperation => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by = 1): UpdateOperation => ({ type: 'OPERATION_INCREMENT', by }),
  decrement: (by = 1): UpdateOperation => ({ type: 'OPERATION_DECREMENT', by }),
  append: (items: unknown[]): UpdateOperation => ({ type: 'OPERATION_APPEND', items }),
  prepend: (items: unknown[]): UpdateOperation => ({ type: 'OPERATION_PREPEND', items }),
  updateListItem: (value: unknown, index: number): UpdateOperation => ({ type: 'OPERATION_UPDATE_LIST_ITEM', value, index }),
};

const OPERATION_TYPES = new Set(['OPERATION_ADD', 'OPERATION_REMOVE', 'OPERATION_REPLACE', 'OPERATION_INCREMENT', 'OPERATION_DECREMENT', 'OPERATION_APPEND', 'OPERATION_PREPEND', 'OPERATION_UPDATE_LIST_ITEM']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isOperation(value: unknown): value is UpdateOperation {
  return isPlainObject(value) && typeof value.type === 'string' && OPERATION_TYPES.has(value.type);
}

/** Typed sets (ddb.toStringSet ...) are values, not nested objects. */
function isSetValue(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && ['SS', 'NS', 'BS'].includes(Object.keys(value)[0]);
}

/** Update object → UpdateExpression with numbered placeholders. */
export function buildUpdate(update: Record<string, unknown>): Required<Expression> {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const nameKeys = new Map<string, string>();
  const nameOf = (attribute: string) => {
    const existing = nameKeys.get(attribute);
    if (existing) return existing;
    const key = `#expName_${nameKeys.size + 1}`;
    nameKeys.set(attribute, key);
    return key;
  };
  const valueOf = (v: unknown) => {
    const key = `:expValue_${Object.keys(values).length + 1}`;
    values[key] = toDynamoDB(v);
    return key;
  };
  const set: string[] = [];
  const remove: string[] = [];
  const visit = (obj: Record<string, unknown>, prefix: string) => {
    for (const [key, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      const field = () => namePath(`${prefix}${key}`, names, nameOf);
      if (isOperation(v)) {
        const f = field();
        switch (v.type) {
          case 'OPERATION_REMOVE':
            remove.push(f);
            break;
          case 'OPERATION_ADD':
          case 'OPERATION_REPLACE':
            set.push(`${f} = ${valueOf(v.value)}`);
            break;
          case 'OPERATION_INCREMENT':
            set.push(`${f} = ${f} + ${valueOf(v.by)}`);
            break;
          case 'OPERATION_DECREMENT':
            set.push(`${f} = ${f} - ${valueOf(v.by)}`);
            break;
          case 'OPERATION_APPEND':
            set.push(`${f} = list_append(${f}, ${valueOf(v.items)})`);
            break;
          case 'OPERATION_PREPEND':
            set.push(`${f} = list_append(${valueOf(v.items)}, ${f})`);
            break;
          case 'OPERATION_UPDATE_LIST_ITEM':
            set.push(`${f}[${v.index}] = ${valueOf(v.value)}`);
            break;
        }
      } else if (Array.isArray(v) && v.length > 0 && v.every(isOperation)) {
        const f = field();
        for (const item of v) {
          if (item.type !== 'OPERATION_UPDATE_LIST_ITEM') throw new TypeError(`Only operations.updateListItem may be listed for ${prefix}${key}`);
          set.push(`${f}[${item.index}] = ${valueOf(item.value)}`);
        }
      } else if (isPlainObject(v) && !isSetValue(v)) {
        visit(v, `${prefix}${key}.`);
      } else {
        set.push(`${field()} = ${valueOf(v)}`);
      }
    }
  };
  visit(update, '');
  const clauses = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean);
  return { expression: clauses.join(' '), expressionNames: names, expressionValues: values };
}
