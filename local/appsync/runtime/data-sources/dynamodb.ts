// DynamoDB data source: runs AppSync's request objects (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan,
// BatchGetItem, BatchPutItem, BatchDeleteItem, TransactGetItems, TransactWriteItems) against one table, in
// DynamoDB's JSON protocol, as the data source's role (the client given enforces its policy), and maps the answers back as AppSync does: items as plain JSON, `nextToken` an opaque string,
// errors as ctx.error `{ type: "DynamoDB:<exception>", message }`.
import type { DynamoDbOutput, DynamoDbRequests, DynamoDbServiceError } from '../../../dynamodb/direct-client.ts';
import { isDeepStrictEqual } from 'node:util';
import { fromWireMap, toWireMap } from '../util/dynamodb.ts';
import { InvalidRequestError, type DataSourceOutcome } from './types.ts';

type Obj = Record<string, unknown>;
type Item = Record<string, Obj>;

interface PageOutput {
  Items?: Item[];
  LastEvaluatedKey?: Item;
  ScannedCount?: number;
}

interface BatchGetOutput {
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
}

interface BatchWriteOutput {
  UnprocessedItems?: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>;
}

interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Obj;
}

interface ConditionExpression extends Expression {
  equalsIgnore?: string[];
  consistentRead?: boolean;
  conditionalCheckFailedHandler?: { strategy: 'Custom' | 'Reject'; lambdaArn?: string };
}

export interface DynamoDBTarget {
  client: DynamoDbRequests;
  tableName: string;
}

const wire = (map: unknown): Item => toWireMap(map as Obj) as unknown as Item;
const plain = (item: unknown): Obj | null => (item ? fromWireMap(item as Item) : null);

/** ExpressionAttributeNames/Values merged from several AppSync expressions (condition, filter, projection). */
function expressionParts(...expressions: Array<Expression | undefined>) {
  const names: Record<string, string> = {};
  const values: Obj = {};
  for (const e of expressions) {
    Object.assign(names, e?.expressionNames ?? {});
    Object.assign(values, e?.expressionValues ?? {});
  }
  return {
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length > 0 ? wire(values) : undefined,
  };
}

/** The opaque pagination token: the LastEvaluatedKey, bound to the table and index it came from. */
export function encodeNextToken(lastEvaluatedKey: unknown, tableName: string, index: string | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  const token = { v: 1, t: tableName, i: index ?? null, k: lastEvaluatedKey };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
}

class InvalidTokenError extends Error {}

function decodeNextToken(token: string | undefined, tableName: string, index: string | undefined): Item | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { v?: number; t?: string; i?: string | null; k?: Obj };
    if (parsed.v === 1 && parsed.t === tableName && parsed.i === (index ?? null) && parsed.k && typeof parsed.k === 'object') {
      return wire(parsed.k);
    }
  } catch {
    // fall through
  }
  throw new InvalidTokenError('com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.');
}

function errorOutcome(error: unknown): DataSourceOutcome {
  const e = error as Partial<DynamoDbServiceError>;
  const name = e?.name ?? 'DynamoDbException';
  const status = e?.status ?? 400;
  const requestId = e?.requestId ?? 'local';
  const message = name === 'ConditionalCheckFailedException' ? 'The conditional request failed' : (e?.message ?? String(error));
  return { result: null, error: { type: `DynamoDB:${name}`, message: `${message} (Service: DynamoDb, Status Code: ${status}, Request ID: ${requestId})` } };
}

function withoutIgnored(item: Obj | null, ignore: readonly string[]): Obj | null {
  if (!item) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => !ignore.includes(k)));
}

export class DynamoDBDataSource {
  constructor(private readonly target: DynamoDBTarget) {}

  async execute(request: unknown): Promise<DataSourceOutcome> {
    const r = (request ?? {}) as Obj;
    try {
      switch (r.operation) {
        case 'GetItem':
          return await this.getItem(r);
        case 'PutItem':
          return await this.putItem(r);
        case 'UpdateItem':
          return await this.updateItem(r);
        case 'DeleteItem':
          return await this.deleteItem(r);
        case 'Query':
          return await this.query(r);
        case 'Scan':
          return await this.scan(r);
        case 'BatchGetItem':
          return await this.batchGet(r);
        case 'BatchPutItem':
        case 'BatchDeleteItem':
          return await this.batchWrite(r);
        case 'TransactGetItems':
          return await this.transactGet(r);
        case 'TransactWriteItems':
          return await this.transactWrite(r);
        case 'Sync':
          throw new InvalidRequestError('Sync needs a versioned DynamoDB data source, which this API does not have');
        default:
          throw new InvalidRequestError(`Unsupported operation '${String(r.operation)}' for a DynamoDB data source`);
      }
    } catch (error) {
      if (error instanceof InvalidRequestError) throw error;
      if (error instanceof InvalidTokenError) {
        // As AppSync answers a token it did not issue (reported in aws-amplify/amplify-cli#3411).
        return { result: null, error: { type: 'DynamoDB:UserIllegalArgumentException', message: error.message } };
      }
      return errorOutcome(error);
    }
  }

  private send<T>(operation: string, input: Obj): Promise<T> {
    return this.target.client.send(operation, input) as Promise<T>;
  }

  private get table(): string {
    return this.target.tableName;
  }

  private async getItem(r: Obj): Promise<DataSourceOutcome> {
    const projection = r.projection as Expression | undefined;
    const out = await this.send<{ Item?: Item }>('GetItem', {
      TableName: this.table,
      Key: wire(r.key),
      ConsistentRead: (r.consistentRead as boolean | undefined) ?? false,
      ProjectionExpression: projection?.expression,
      ExpressionAttributeNames: projection?.expressionNames,
    });
    return { result: plain(out.Item) };
  }

  /** AppSync's condition-failure handling: succeed when the item already is what the write wanted. */
  private async onConditionFailed(r: Obj, desired: Obj | null, error: unknown): Promise<DataSourceOutcome> {
    const condition = r.condition as ConditionExpression;
    if (condition.conditionalCheckFailedHandler?.strategy === 'Custom') {
      throw new InvalidRequestError('conditionalCheckFailedHandler strategy Custom (a Lambda function) is not supported locally');
    }
    const out = await this.send<{ Item?: Item }>('GetItem', { TableName: this.table, Key: wire(r.key), ConsistentRead: true });
    const current = plain(out.Item);
    if (desired && current) {
      const ignore = condition.equalsIgnore ?? [];
      if (isDeepStrictEqual(withoutIgnored(current, ignore), withoutIgnored(desired, ignore))) return { result: current };
    }
    const outcome = errorOutcome(error);
    return { result: null, error: { ...outcome.error!, data: current } };
  }

  private async putItem(r: Obj): Promise<DataSourceOutcome> {
    const condition = r.condition as ConditionExpression | undefined;
    const item = { ...wire(r.attributeValues), ...wire(r.key) };
    try {
      await this.send<DynamoDbOutput>('PutItem', { TableName: this.table, Item: item, ConditionExpression: condition?.expression, ...expressionParts(condition) });
      return { result: plain(item) };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException' && condition) return this.onConditionFailed(r, plain(item), error);
      throw error;
    }
  }

  private async updateItem(r: Obj): Promise<DataSourceOutcome> {
    const condition = r.condition as ConditionExpression | undefined;
    const update = r.update as Expression;
    if (!update?.expression) throw new InvalidRequestError('UpdateItem needs update.expression');
    try {
      const out = await this.send<{ Attributes?: Item }>('UpdateItem', {
        TableName: this.table,
        Key: wire(r.key),
        UpdateExpression: update.expression,
        ConditionExpression: condition?.expression,
        ReturnValues: 'ALL_NEW',
        ...expressionParts(update, condition),
      });
      return { result: plain(out.Attributes) };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException' && condition) return this.onConditionFailed(r, null, error);
      throw error;
    }
  }

  private async deleteItem(r: Obj): Promise<DataSourceOutcome> {
    const condition = r.condition as ConditionExpression | undefined;
    try {
      const out = await this.send<{ Attributes?: Item }>('DeleteItem', {
        TableName: this.table,
        Key: wire(r.key),
        ConditionExpression: condition?.expression,
        ReturnValues: 'ALL_OLD',
        ...expressionParts(condition),
      });
      return { result: plain(out.Attributes) };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException' && condition) return this.onConditionFailed(r, null, error);
      throw error;
    }
  }

  private async query(r: Obj): Promise<DataSourceOutcome> {
    const keyCondition = r.query as Expression;
    if (!keyCondition?.expression) throw new InvalidRequestError('Query needs query.expression');
    const filter = r.filter as Expression | undefined;
    const projection = r.projection as Expression | undefined;
    const index = r.index as string | undefined;
    const out = await this.send<PageOutput>('Query', {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: keyCondition.expression,
      FilterExpression: filter?.expression,
      ProjectionExpression: projection?.expression,
      Limit: r.limit as number | undefined,
      ScanIndexForward: (r.scanIndexForward as boolean | undefined) ?? true,
      ConsistentRead: r.consistentRead as boolean | undefined,
      Select: r.select as 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | undefined,
      ExclusiveStartKey: decodeNextToken(r.nextToken as string | undefined, this.table, index),
      ...expressionParts(keyCondition, filter, projection),
    });
    return {
      result: {
        items: (out.Items ?? []).map((i) => plain(i)),
        nextToken: encodeNextToken(out.LastEvaluatedKey, this.table, index),
        scannedCount: out.ScannedCount ?? 0,
      },
    };
  }

  private async scan(r: Obj): Promise<DataSourceOutcome> {
    const filter = r.filter as Expression | undefined;
    const projection = r.projection as Expression | undefined;
    const index = r.index as string | undefined;
    const out = await this.send<PageOutput>('Scan', {
      TableName: this.table,
      IndexName: index,
      FilterExpression: filter?.expression,
      ProjectionExpression: projection?.expression,
      Limit: r.limit as number | undefined,
      ConsistentRead: r.consistentRead as boolean | undefined,
      Segment: r.segment as number | undefined,
      TotalSegments: r.totalSegments as number | undefined,
      ExclusiveStartKey: decodeNextToken(r.nextToken as string | undefined, this.table, index),
      ...expressionParts(filter, projection),
    });
    return {
      result: {
        items: (out.Items ?? []).map((i) => plain(i)),
        nextToken: encodeNextToken(out.LastEvaluatedKey, this.table, index),
        scannedCount: out.ScannedCount ?? 0,
      },
    };
  }

  /** data.<table> lists the items in the order of the keys, null where there was none. */
  private async batchGet(r: Obj): Promise<DataSourceOutcome> {
    const tables = r.tables as Record<string, { keys: Obj[]; consistentRead?: boolean; projection?: Expression }>;
    const requestItems: Record<string, { Keys: Item[]; ConsistentRead?: boolean; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }> = {};
    for (const [table, spec] of Object.entries(tables)) {
      requestItems[table] = {
        Keys: spec.keys.map(wire),
        ConsistentRead: spec.consistentRead,
        ProjectionExpression: spec.projection?.expression,
        ExpressionAttributeNames: spec.projection?.expressionNames,
      };
    }
    const out = await this.send<BatchGetOutput>('BatchGetItem', { RequestItems: requestItems });
    const data: Record<string, Array<Obj | null>> = {};
    const unprocessedKeys: Record<string, Obj[]> = {};
    for (const [table, spec] of Object.entries(tables)) {
      const found = (out.Responses?.[table] ?? []).map((i) => plain(i) as Obj);
      const unprocessed = (out.UnprocessedKeys?.[table]?.Keys ?? []).map((k) => plain(k) as Obj);
      data[table] = spec.keys.map((key) => {
        const k = plain(wire(key)) as Obj;
        return found.find((item) => Object.entries(k).every(([name, v]) => isDeepStrictEqual(item[name], v))) ?? null;
      });
      unprocessedKeys[table] = unprocessed;
    }
    return { result: { data, unprocessedKeys } };
  }

  private async batchWrite(r: Obj): Promise<DataSourceOutcome> {
    const isPut = r.operation === 'BatchPutItem';
    const tables = r.tables as Record<string, Obj[]>;
    const requestItems: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>> = {};
    for (const [table, entries] of Object.entries(tables)) {
      requestItems[table] = entries.map((entry) => (isPut ? { PutRequest: { Item: wire(entry) } } : { DeleteRequest: { Key: wire(entry) } }));
    }
    const out = await this.send<BatchWriteOutput>('BatchWriteItem', { RequestItems: requestItems });
    const data: Record<string, Obj[]> = {};
    const unprocessed: Record<string, Obj[]> = {};
    for (const [table, entries] of Object.entries(tables)) {
      data[table] = entries.map((e) => plain(wire(e)) as Obj);
      unprocessed[table] = (out.UnprocessedItems?.[table] ?? []).map((w) => plain(w.PutRequest?.Item ?? w.DeleteRequest?.Key) as Obj);
    }
    return { result: isPut ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed } };
  }

  private async transactGet(r: Obj): Promise<DataSourceOutcome> {
    const items = r.transactItems as Array<{ table: string; key: Obj; projection?: Expression }>;
    const out = await this.send<{ Responses?: Array<{ Item?: Item }> }>('TransactGetItems', {
      TransactItems: items.map((i) => ({
        Get: { TableName: i.table, Key: wire(i.key), ProjectionExpression: i.projection?.expression, ExpressionAttributeNames: i.projection?.expressionNames },
      })),
    });
    return { result: { items: (out.Responses ?? []).map((resp) => plain(resp.Item)), cancellationReasons: null } };
  }

  private async transactWrite(r: Obj): Promise<DataSourceOutcome> {
    type TransactItem = { table: string; operation: string; key: Obj; attributeValues?: Obj; update?: Expression; condition?: Expression };
    const items = r.transactItems as TransactItem[];
    const transactItems = items.map((i) => {
      const common = { TableName: i.table, Key: wire(i.key), ConditionExpression: i.condition?.expression };
      switch (i.operation) {
        case 'PutItem':
          return { Put: { TableName: i.table, Item: { ...wire(i.attributeValues), ...wire(i.key) }, ConditionExpression: i.condition?.expression, ...expressionParts(i.condition) } };
        case 'UpdateItem':
          return { Update: { ...common, UpdateExpression: i.update?.expression ?? '', ...expressionParts(i.update, i.condition) } };
        case 'DeleteItem':
          return { Delete: { ...common, ...expressionParts(i.condition) } };
        case 'ConditionCheck':
          return { ConditionCheck: { ...common, ConditionExpression: i.condition?.expression ?? '', ...expressionParts(i.condition) } };
        default:
          throw new InvalidRequestError(`Unsupported transact operation '${i.operation}'`);
      }
    });
    try {
      await this.send<DynamoDbOutput>('TransactWriteItems', { TransactItems: transactItems });
      return { result: { keys: items.map((i) => plain(wire(i.key))), cancellationReasons: null } };
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string; Message?: string }> }).CancellationReasons;
      const outcome = errorOutcome(error);
      return { result: { keys: null, cancellationReasons: reasons?.map((c) => ({ type: c.Code ?? 'None', message: c.Message ?? '' })) ?? null }, error: outcome.error };
    }
  }
}
