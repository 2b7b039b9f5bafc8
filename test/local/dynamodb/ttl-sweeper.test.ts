import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { startDynamoDb, type LocalDynamoDb } from '../../../local/dynamodb/server.ts';
import { startTtlSweeper } from '../../../local/dynamodb/ttl-sweeper.ts';
import { silentLogger } from '../../../local/log.ts';

const TABLE = 'sweeper-blobs';
let dataDir: string;
let dynamodb: LocalDynamoDb;
let client: DynamoDBClient;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-ttl-'));
  dynamodb = await startDynamoDb({
    dataDir, host: '127.0.0.1', port: 0, tableName: TABLE, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID,
    credentials: localCredentials(), ttlSweepSeconds: 3600, logger: silentLogger,
  });
  client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: LOCAL_REGION, credentials: localCredentials() });
});

afterEach(async () => {
  client.destroy();
  await dynamodb.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('spares an item whose expiresAt was removed after the sweep saw it expired', async () => {
  // Arrange: the record starts processing (expiresAt removed) between the sweeper's scan and its delete.
  const expired = String(Math.floor(Date.now() / 1000) - 5);
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'racing' }, status: { S: 'PENDING_UPLOAD' }, expiresAt: { N: expired } } }));
  const sweeperClient = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: LOCAL_REGION, credentials: localCredentials() });
  sweeperClient.middlewareStack.add((next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'ScanCommand') {
      await client.send(new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { S: 'racing' } },
        UpdateExpression: 'SET #status = :processing REMOVE expiresAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': { S: 'PROCESSING' } },
      }));
    }
    return result;
  }, { step: 'initialize' });
  const sweeper = startTtlSweeper({
    client: sweeperClient, tableName: TABLE, keyAttributes: ['id'], ttlAttribute: 'expiresAt', intervalSeconds: 3600, logger: silentLogger,
  });

  // Act
  const deleted = await sweeper.sweep();

  // Assert
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'racing' } } }));
  expect(deleted).toBe(0);
  expect(Item?.status).toEqual({ S: 'PROCESSING' });
  await sweeper.stop();
  sweeperClient.destroy();
});

it('sweeps on its own timer', async () => {
  // Arrange
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'gone' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) - 1) } } }));
  const deletions: number[] = [];
  const sweeper = startTtlSweeper({
    client, tableName: TABLE, keyAttributes: ['id'], ttlAttribute: 'expiresAt', intervalSeconds: 0.05,
    logger: { ...silentLogger, info: (_message, fields) => deletions.push(Number(fields?.count)) },
  });

  // Act: wait (bounded) for the timer's pass to report its deletion.
  const deadline = Date.now() + 5000;
  while (deletions.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await sweeper.stop();

  // Assert
  expect(deletions).toEqual([1]);
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'gone' } } }));
  expect(Item).toBeUndefined();
});
