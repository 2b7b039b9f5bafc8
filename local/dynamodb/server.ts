// Local DynamoDB: dynalite (DynamoDB's JSON protocol on LevelDB) in a worker thread of this process (its decoding
// and LevelDB work stay off the GraphQL event loop), persisted on disk, with the blobs table created at start and a
// TTL sweeper standing in for DynamoDB's Time to Live. dynalite checks no signature and no permission: clients reach
// it through a front that does both (local/iam/aws-json-front.ts), answering as DynamoDB answers, which hands each
// request to dynalite's thread over its MessagePort. The local cloud's own services (the AppSync data sources) reach it as AWS's own
// services do, without HTTP: a direct client checks the same IAM rule for their principal and hands the request
// to dynalite's thread (local/dynamodb/direct-client.ts).
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { accessControl, type AccessControl } from '../iam/access.ts';
import { startAwsJsonFront } from '../iam/aws-json-front.ts';
import { dynamoDbRule } from '../iam/dynamodb-rules.ts';
import type { Logger } from '../log.ts';
import { BLOBS_TABLE } from '../../domain/blobs-table.ts';
import { directDynamoDbClient, type DynamoDbRequests } from './direct-client.ts';
import { startDynaliteThread } from './dynalite-thread.ts';
import { ensureBlobsTable } from './table.ts';
import { startTtlSweeper, type TtlSweeper } from './ttl-sweeper.ts';

export interface DynamoDbOptions {
  /** The local cloud's data directory: the database lives in `<dataDir>/dynamodb`. */
  dataDir: string;
  host: string;
  /** 0 takes a free port. */
  port: number;
  tableName: string;
  region: string;
  accountId: string;
  /** The local cloud's own key (the TTL sweeper, the table's creation, the resolvers' data source use it). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Who may sign, and what each signer may do; default: the credentials alone, allowed everything. */
  access?: AccessControl;
  /** Seconds between TTL sweeps. */
  ttlSweepSeconds: number;
  logger: Logger;
}

export interface LocalDynamoDb {
  endpoint: string;
  port: number;
  /** A client for the local cloud's own use (TTL sweeper, resolver runtime). */
  client: DynamoDBClient;
  ttl: TtlSweeper;
  /** A client without HTTP for the local cloud's own services, as the principal of the key (its IAM policy applies). */
  requestsAs(accessKeyId: string): DynamoDbRequests;
  close(): Promise<void>;
}

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens and closes the LevelDB directory with the `level` that dynalite itself uses. dynalite opens
 * it lazily and leaves requests unanswered when that fails (most often: another local cloud holds
 * the directory's lock), so the check happens here, with a clear message.
 */
async function checkDatabaseOpens(path: string): Promise<void> {
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (location: string) => LevelDatabase };
  const database = new Level(path);
  try {
    await database.open();
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`cannot open the DynamoDB data in ${path} (is another local cloud using this --data-dir?): ${cause}`);
  }
  await database.close();
}

export async function startDynamoDb(options: DynamoDbOptions): Promise<LocalDynamoDb> {
  const { logger } = options;
  const path = join(options.dataDir, 'dynamodb');
  await mkdir(path, { recursive: true });
  await checkDatabaseOpens(path);

  // dynalite keeps a fresh table CREATING for createTableMs; DynamoDB takes seconds, nobody needs to wait here.
  // No port of its own: the front below is the only way in, as for the other local services.
  const server = await startDynaliteThread({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }, null, '127.0.0.1');
  const access = options.access ?? accessControl({ accountId: options.accountId, administrator: options.credentials });
  const authorize = dynamoDbRule(access, options.region, options.accountId);
  let front;
  try {
    front = await startAwsJsonFront({
      host: options.host,
      port: options.port,
      region: options.region,
      service: 'dynamodb',
      // dynalite's own request handler over its thread's MessagePort: the same answers, one loopback HTTP leg less.
      upstream: async (target, body) => {
        const answer = await server.request(target, body);
        const headers: Record<string, string> = { 'x-amzn-requestid': answer.requestId };
        if (answer.crc32 !== '') headers['x-amz-crc32'] = answer.crc32;
        return { status: answer.status, headers, body: answer.body };
      },
      contentType: 'application/x-amz-json-1.0',
      access,
      authorize,
      logger,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const { endpoint, port } = front;

  const client = new DynamoDBClient({ endpoint, region: options.region, credentials: options.credentials, maxAttempts: 3 });
  let ttl: TtlSweeper;
  try {
    const { created } = await ensureBlobsTable(client, options.tableName);
    logger.info(created ? 'created table' : 'table ready', { table: options.tableName, endpoint });
    ttl = startTtlSweeper({
      client,
      tableName: options.tableName,
      keyAttributes: [BLOBS_TABLE.partitionKey.name],
      ttlAttribute: BLOBS_TABLE.timeToLiveAttribute,
      intervalSeconds: options.ttlSweepSeconds,
      logger,
    });
  } catch (error) {
    client.destroy();
    await front.close();
    await server.close();
    throw error;
  }

  return {
    endpoint,
    port,
    client,
    ttl,
    requestsAs: (accessKeyId) => directDynamoDbClient({ thread: server, accessKeyId, authorize }),
    async close() {
      await ttl.stop();
      client.destroy();
      await front.close();
      await server.close();
    },
  };
}
