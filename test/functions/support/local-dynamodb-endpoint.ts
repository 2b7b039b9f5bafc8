// dynalite reached the way the handlers reach DynamoDB: through AWS_ENDPOINT_URL_DYNAMODB.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BlobRecord } from '../../../domain/blob.ts';
import { startLocalTable } from './local-dynamodb.ts';

export interface LocalDynamoDbEndpoint {
  endpoint: string;
  tableName: string;
  put(record: BlobRecord): Promise<void>;
  get(id: string): Promise<BlobRecord | undefined>;
  close(): Promise<void>;
}

export async function startDynamoDbEndpoint(tableName: string): Promise<LocalDynamoDbEndpoint> {
  const table = await startLocalTable(tableName);
  return {
    endpoint: table.endpoint,
    tableName,
    async put(record) {
      await table.doc.send(new PutCommand({ TableName: tableName, Item: record }));
    },
    async get(id) {
      const { Item } = await table.doc.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
      return Item as BlobRecord | undefined;
    },
    close: () => table.close(),
  };
}
