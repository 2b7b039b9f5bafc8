// The blobs table as infra/constructs/blobs-table.ts deploys it, built from the same spec (domain/blobs-table.ts).
import {
  CreateTableCommand,
  DescribeTableCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BLOBS_TABLE, type IndexSpec, type KeyAttribute, type TableSpec } from '../../domain/blobs-table.ts';

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) {
    schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  }
  return schema;
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [spec.partitionKey, ...spec.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])])];
  const unique = new Map(keys.map((key) => [key.name, key.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export function tableDefinition(tableName: string, spec: TableSpec = BLOBS_TABLE): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: keySchema(spec.partitionKey),
    GlobalSecondaryIndexes: spec.globalSecondaryIndexes.map((index: IndexSpec) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: index.projection },
    })),
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

/** The existing table must have the key and indexes the product code relies on. */
function checkShape(table: TableDescription, expected: CreateTableCommandInput): void {
  const sameKey = JSON.stringify(table.KeySchema) === JSON.stringify(expected.KeySchema);
  const missing = (expected.GlobalSecondaryIndexes ?? []).filter((wanted) => {
    const found = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === wanted.IndexName);
    return !found || JSON.stringify(found.KeySchema) !== JSON.stringify(wanted.KeySchema) ||
      found.Projection?.ProjectionType !== wanted.Projection?.ProjectionType;
  });
  if (!sameKey || missing.length > 0) {
    const indexes = (expected.GlobalSecondaryIndexes ?? [])
      .map((index) => `${index.IndexName}: ${index.KeySchema?.map((key) => key.AttributeName).join(', ')}`)
      .join('; ');
    throw new Error(
      `table ${table.TableName} in the data directory does not have the expected key (id) and indexes (${indexes}); ` +
      'it was made by another version: use another --data-dir or remove its dynamodb folder',
    );
  }
}

/** Creates the table unless it exists (idempotent across restarts) and waits until it is ACTIVE. */
export async function ensureBlobsTable(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<{ created: boolean }> {
  const definition = tableDefinition(tableName);
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
