// A real DynamoDB protocol server (dynalite, in memory) on a free port, with the blobs table and its GSI.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { BLOBS_TABLE, type TableSpec } from '../../../domain/blobs-table.ts';
import { tableDefinition } from '../../../local/dynamodb/table.ts';

export interface LocalTable {
  client: DynamoDBClient;
  tableName: string;
  /** Every item in the table, as DynamoDB typed maps. */
  scanAll(): Promise<Array<Record<string, unknown>>>;
  /** Drops and recreates the table: each test starts empty. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The blobs table (domain/blobs-table.ts), or another shape for tests of the data source itself. */
export async function startLocalTable(tableName = 'blobs-test', spec: TableSpec = BLOBS_TABLE): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(tableDefinition(tableName, spec)));
  return {
    client,
    tableName,
    async scanAll() {
      const out = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
      return out.Items ?? [];
    },
    async reset() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      await client.send(new CreateTableCommand(tableDefinition(tableName, spec)));
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
