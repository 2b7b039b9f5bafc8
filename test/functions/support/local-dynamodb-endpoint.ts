// dynalite reached the way the handlers reach DynamoDB: through AWS_ENDPOINT_URL_DYNAMODB.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { BlobRecord } from '../../../domain/blob.ts';

export interface LocalDynamoDbEndpoint {
  endpoint: string;
  tableName: string;
  put(record: BlobRecord): Promise<void>;
  get(id: string): Promise<BlobRecord | undefined>;
  close(): Promise<void>;
}

export async function startDynamoDbEndpoint(tableName: string): Promise<LocalDynamoDbEndpoint> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    tableName,
    async put(record) {
      await doc.send(new PutCommand({ TableName: tableName, Item: record }));
    },
    async get(id) {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
      return Item as BlobRecord | undefined;
    },
    async close() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
