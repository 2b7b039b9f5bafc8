// The `@aws-appsync/utils/dynamodb` module: helpers that build DynamoDB request objects.
import { toMapValues } from '../util/dynamodb.ts';
import { buildCondition, buildKeyCondition, buildProjection, type Expression } from '../util/expressions.ts';
import { buildUpdate } from '../util/update-expressions.ts';

export { operations } from '../util/update-expressions.ts';

type Obj = Record<string, unknown>;

/** Leaves out undefined members, as AppSync serialises a request object. */
function compact<T extends Obj>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** A condition or filter object as an expression. AppSync's own helper gives no expression for what it cannot
 * read (util.transform answers null); a request built without its condition would silently do more than asked,
 * so the local helper refuses it instead. */
function condition(filter: Obj | null | undefined): Expression | undefined {
  if (filter === null || filter === undefined) return undefined;
  const expression = buildCondition(filter);
  if (!expression) throw new TypeError(`Not a DynamoDB condition or filter: ${JSON.stringify(filter)}`);
  return expression.expression === '' ? undefined : expression;
}

function versioning(input: Obj) {
  return { customPartitionKey: input.customPartitionKey, populateIndexFields: input.populateIndexFields, _version: input._version };
}

export function get(input: { key: Obj; consistentRead?: boolean; projection?: string[] }) {
  return compact({ operation: 'GetItem', key: toMapValues(input.key), consistentRead: input.consistentRead, projection: buildProjection(input.projection) });
}

export function put(input: { key: Obj; item: Obj; condition?: Obj | null } & Obj) {
  return compact({
    operation: 'PutItem',
    key: toMapValues(input.key),
    attributeValues: toMapValues(input.item),
    condition: condition(input.condition),
    ...versioning(input),
  });
}

export function remove(input: { key: Obj; condition?: Obj | null } & Obj) {
  return compact({ operation: 'DeleteItem', key: toMapValues(input.key), condition: condition(input.condition), ...versioning(input) });
}

export function update(input: { key: Obj; update: Obj; condition?: Obj | null } & Obj) {
  return compact({
    operation: 'UpdateItem',
    key: toMapValues(input.key),
    update: buildUpdate(input.update),
    condition: condition(input.condition),
    ...versioning(input),
  });
}

interface ScanInput {
  index?: string | null;
  limit?: number | null;
  filter?: Obj | null;
  nextToken?: string | null;
  consistentRead?: boolean | null;
  projection?: string[];
  totalSegments?: number;
  segment?: number;
  select?: string;
  scanIndexForward?: boolean | null;
}

export function query(input: ScanInput & { query: Obj }) {
  return compact({
    operation: 'Query',
    query: buildKeyCondition(input.query),
    index: input.index,
    nextToken: input.nextToken,
    limit: input.limit,
    scanIndexForward: input.scanIndexForward,
    consistentRead: input.consistentRead,
    select: input.select,
    filter: condition(input.filter),
    projection: buildProjection(input.projection),
  });
}

export function scan(input: ScanInput) {
  return compact({
    operation: 'Scan',
    index: input.index,
    limit: input.limit,
    consistentRead: input.consistentRead,
    nextToken: input.nextToken,
    totalSegments: input.totalSegments,
    segment: input.segment,
    select: input.select,
    filter: condition(input.filter),
    projection: buildProjection(input.projection),
  });
}

// No `sync`: AppSync's bundled @aws-appsync/utils/dynamodb has none (EvaluateCode: "Property 'sync' does not exist").

export function batchGet(input: { tables: Record<string, { keys: Obj[]; consistentRead?: boolean; projection?: string[] }> }) {
  const tables: Obj = {};
  for (const [table, spec] of Object.entries(input.tables)) {
    tables[table] = compact({ keys: spec.keys.map(toMapValues), consistentRead: spec.consistentRead, projection: buildProjection(spec.projection) });
  }
  return { operation: 'BatchGetItem', tables };
}

export function batchPut(input: { tables: Record<string, Obj[]> }) {
  const tables: Obj = {};
  for (const [table, items] of Object.entries(input.tables)) tables[table] = items.map(toMapValues);
  return { operation: 'BatchPutItem', tables };
}

export function batchDelete(input: { tables: Record<string, Obj[]> }) {
  const tables: Obj = {};
  for (const [table, keys] of Object.entries(input.tables)) tables[table] = keys.map(toMapValues);
  return { operation: 'BatchDeleteItem', tables };
}

export function transactGet(input: { items: Array<{ table: string; key: Obj; projection?: string[] }> }) {
  return {
    operation: 'TransactGetItems',
    transactItems: input.items.map((item) => compact({ table: item.table, key: toMapValues(item.key), projection: buildProjection(item.projection) })),
  };
}

type WriteItem =
  | { putItem: { table: string; key: Obj; item: Obj; condition?: Obj } }
  | { updateItem: { table: string; key: Obj; update: Obj; condition?: Obj } }
  | { deleteItem: { table: string; key: Obj; condition?: Obj } }
  | { conditionCheck: { table: string; key: Obj; condition?: Obj } };

export function transactWrite(input: { items: WriteItem[] }) {
  const transactCondition = (c: Obj | undefined) => {
    const expression = condition(c);
    return expression ? { ...expression, returnValuesOnConditionCheckFailure: true } : undefined;
  };
  const transactItems = input.items.map((item) => {
    if ('putItem' in item) {
      const { table, key, item: values, condition: c } = item.putItem;
      return compact({ table, operation: 'PutItem', key: toMapValues(key), attributeValues: toMapValues(values), condition: transactCondition(c) });
    }
    if ('updateItem' in item) {
      const { table, key, update: u, condition: c } = item.updateItem;
      return compact({ table, operation: 'UpdateItem', key: toMapValues(key), update: buildUpdate(u), condition: transactCondition(c) });
    }
    if ('deleteItem' in item) {
      const { table, key, condition: c } = item.deleteItem;
      return compact({ table, operation: 'DeleteItem', key: toMapValues(key), condition: transactCondition(c) });
    }
    const { table, key, condition: c } = item.conditionCheck;
    return compact({ table, operation: 'ConditionCheck', key: toMapValues(key), condition: transactCondition(c) });
  });
  return { operation: 'TransactWriteItems', transactItems };
}

export const toStringSet = (list: string[]) => ({ SS: list.map(String) });
export const toNumberSet = (list: number[]) => ({ NS: [...list] });
export const toBinarySet = (list: string[]) => ({ BS: [...list] });
