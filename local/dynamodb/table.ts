// The blobs table as infra/constructs/blobs-table.ts deploys it: key `id`, sparse GSI `byCreatedAt`.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BLOBS_BY_CREATED_AT_INDEX } from '../../domain/blob.ts';

export function blobsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'entity', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: BLOBS_BY_CREATED_AT_INDEX,
        KeySchema: [
          { AttributeName: 'entity', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | null> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table ?? null;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return null;
    }
    throw error;
  }
}

function isActive(table: TableDescription): boolean {
  return table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE');
}

/** The existing table must have the key and index the product code relies on. */
function checkShape(table: TableDescription, expected: CreateTableCommandInput): void {
  const key = JSON.stringify(table.KeySchema);
  const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === BLOBS_BY_CREATED_AT_INDEX);
  const expectedIndex = expected.GlobalSecondaryIndexes?.[0];
  if (key !== JSON.stringify(expected.KeySchema) || !index || JSON.stringify(index.KeySchema) !== JSON.stringify(expectedIndex?.KeySchema)) {
    throw new Error(
      `table ${table.TableName} in the data directory does not have the expected key (id) and index ` +
      `(${BLOBS_BY_CREATED_AT_INDEX}: entity, createdAt); it was made by another version: use another --data-dir or remove its dynamodb folder`,
    );
  }
}

/** Creates the table unless it exists (idempotent across restarts) and waits until it is ACTIVE. */
export async function ensureBlobsTable(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<{ created: boolean }> {
  const definition = blobsTableDefinition(tableName);
  let created = false;
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(definition));
      created = true;
    } catch (error) {
      // Someone else created it in between: fine.
      if ((error as Error).name !== 'ResourceInUseException') {
        throw error;
      }
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    table = await describe(client, tableName);
    if (table && isActive(table)) {
      checkShape(table, definition);
      return { created };
    }
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms (status ${table?.TableStatus ?? 'missing'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
