import { fromWireMap } from '../../../local/appsync/runtime/util/dynamodb.ts';

/** Scanned DynamoDB items as plain objects. */
export function unmarshalled<T>(items: Array<Record<string, unknown>>): T[] {
  return items.map((item) => fromWireMap(item as Record<string, Record<string, unknown>>) as T);
}
