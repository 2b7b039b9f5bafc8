import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOBS_BY_OWNER_INDEX } from '../../../domain/blob.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { startDynaliteThread } from '../../../local/dynamodb/dynalite-thread.ts';
import { startDynamoDb, type LocalDynamoDb } from '../../../local/dynamodb/server.ts';
import { silentLogger } from '../../../local/log.ts';

const TABLE = 'test-blobs';

function start(dataDir: string, port = 0): Promise<LocalDynamoDb> {
  return startDynamoDb({
    dataDir,
    host: '127.0.0.1',
    port,
    tableName: TABLE,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    credentials: localCredentials(),
    // Long enough never to fire during a test: tests sweep by hand.
    ttlSweepSeconds: 3600,
    logger: silentLogger,
  });
}

describe('local DynamoDB', () => {
  let dataDir: string;
  let dynamodb: LocalDynamoDb | undefined;
  let client: DynamoDBClient;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-dynamodb-'));
  });

  afterEach(async () => {
    client?.destroy();
    await dynamodb?.close();
    dynamodb = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  async function open(): Promise<LocalDynamoDb> {
    client?.destroy();
    await dynamodb?.close();
    dynamodb = await start(dataDir);
    client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: LOCAL_REGION, credentials: localCredentials() });
    return dynamodb;
  }

  it('creates the blobs table with key id and the keys-only byOwner index', async () => {
    // Act
    await open();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));

    // Assert
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => ({ name: index.IndexName, key: index.KeySchema, projection: index.Projection }))).toEqual([
      {
        name: BLOBS_BY_OWNER_INDEX,
        key: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
        projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('keeps the table and its items across restarts, creating nothing twice', async () => {
    // Arrange
    await open();
    await client.send(new PutItemCommand({
      TableName: TABLE,
      Item: { id: { S: 'blob-1' }, entity: { S: 'Blob' }, owner: { S: 'user-1' }, createdAt: { S: '2024-01-01T00:00:00.000Z' }, status: { S: 'LABELLED' } },
    }));

    // Act
    await open();
    await open();
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'blob-1' } } }));
    const listed = await client.send(new QueryCommand({
      TableName: TABLE,
      IndexName: BLOBS_BY_OWNER_INDEX,
      KeyConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: 'user-1' } },
    }));

    // Assert
    expect(Item?.status).toEqual({ S: 'LABELLED' });
    expect(listed.Items?.map((item) => item.id?.S)).toEqual(['blob-1']);
  });

  it('refuses to open a data directory another local DynamoDB is using', async () => {
    // Arrange
    await open();

    // Act
    const second = start(dataDir);

    // Assert
    await expect(second).rejects.toThrow(/another local cloud/);
  });

  describe('TTL sweeper', () => {
    const now = Math.floor(Date.now() / 1000);

    async function put(id: string, expiresAt?: { N: string } | { S: string }): Promise<void> {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, ...(expiresAt ? { expiresAt } : {}) } }));
    }

    async function exists(id: string): Promise<boolean> {
      const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }));
      return Item !== undefined;
    }

    it('deletes only the items whose expiresAt has passed', async () => {
      // Arrange
      const local = await open();
      await put('expired', { N: String(now - 10) });
      await put('future', { N: String(now + 3600) });
      await put('no-ttl');
      await put('not-a-number', { S: String(now - 10) });
      await put('ancient', { N: String(now - 6 * 365 * 24 * 3600) });

      // Act
      const deleted = await local.ttl.sweep();

      // Assert
      expect(deleted).toBe(1);
      expect(await exists('expired')).toBe(false);
      expect(await exists('future')).toBe(true);
      expect(await exists('no-ttl')).toBe(true);
      expect(await exists('not-a-number')).toBe(true);
      expect(await exists('ancient')).toBe(true);
    });

    it('sweeps a table larger than one scan page', async () => {
      // Arrange: items near the 400 KB limit fill dynalite's 1 MB scan pages quickly.
      const local = await open();
      const padding = 'x'.repeat(300_000);
      for (let index = 0; index < 8; index += 1) {
        await client.send(new PutItemCommand({
          TableName: TABLE,
          Item: { id: { S: `big-${index}` }, padding: { S: padding }, expiresAt: { N: String(now - 1) } },
        }));
      }

      // Act
      const deleted = await local.ttl.sweep();

      // Assert
      expect(deleted).toBe(8);
    });
  });
});

describe("dynalite's thread", () => {
  it('takes no port when given none, so that only the front reaches it, and still answers over its MessagePort', async () => {
    const thread = await startDynaliteThread({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }, null, '127.0.0.1');
    try {
      const answer = await thread.request('DynamoDB_20120810.ListTables', '{}');

      expect(thread.port).toBeNull();
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ TableNames: [] });
      expect(answer.crc32).toMatch(/^\d+$/);
    } finally {
      await thread.close();
    }
  });
});
