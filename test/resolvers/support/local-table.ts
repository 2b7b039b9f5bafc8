// A real DynamoDB (dynalite, in memory, in its thread as the local cloud runs it) with the blobs table and its GSI:
// reached by the AWS SDK over HTTP, and without HTTP as the local AppSync's data sources reach it (no IAM here).
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BLOBS_TABLE, type TableSpec } from '../../../domain/blobs-table.ts';
import { directDynamoDbClient, type DynamoDbRequests } from '../../../local/dynamodb/direct-client.ts';
import { startDynaliteThread } from '../../../local/dynamodb/dynalite-thread.ts';
import { tableDefinition } from '../../../local/dynamodb/table.ts';

export interface LocalTable {
  client: DynamoDBClient;
  /** The table without HTTP, as a data source of the local AppSync calls it. */
  requests: DynamoDbRequests;
  tableName: string;
  /** Every item in the table, as DynamoDB typed maps. */
  scanAll(): Promise<Array<Record<string, unknown>>>;
  /** Deletes every item: each test starts empty. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The blobs table (domain/blobs-table.ts), or another shape for tests of the data source itself. */
export async function startLocalTable(tableName = 'blobs-test', spec: TableSpec = BLOBS_TABLE): Promise<LocalTable> {
  const server = await startDynaliteThread({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }, 0, '127.0.0.1');
  const { port } = server;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(tableDefinition(tableName, spec)));
  async function scanAll(): Promise<Array<Record<string, AttributeValue>>> {
    const items: Array<Record<string, AttributeValue>> = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
  return {
    client,
    requests: directDynamoDbClient({ thread: server, accessKeyId: 'local', authorize: () => null }),
    tableName,
    scanAll,
    // Item by item: dynalite drops a deleted table after answering DeleteTable, so one recreated at once could vanish.
    async reset() {
      const key = spec.partitionKey.name;
      for (const item of await scanAll()) {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: { [key]: item[key] } }));
      }
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
