// Local DynamoDB: dynalite (DynamoDB's JSON protocol on LevelDB) in a worker thread of this process, persisted on
// disk, with the blobs table created at start and a TTL sweeper standing in for DynamoDB's Time to Live.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../log.ts';
import { BLOBS_TABLE } from '../../domain/blobs-table.ts';
import { startDynaliteThread } from './dynalite-thread.ts';
import { ensureBlobsTable } from './table.ts';
import { startTtlSweeper, type TtlSweeper } from './ttl-sweeper.ts';
import { urlHost } from '../net.ts';

export interface DynamoDbOptions {
  /** The local cloud's data directory: the database lives in `<dataDir>/dynamodb`. */
  dataDir: string;
  host: string;
  /** 0 takes a free port. */
  port: number;
  tableName: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
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
  const server = await startDynaliteThread({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }, options.port, options.host);
  const { port } = server;
  const endpoint = `http://${urlHost(options.host)}:${port}`;

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
    await server.close();
    throw error;
  }

  return {
    endpoint,
    port,
    client,
    ttl,
    async close() {
      await ttl.stop();
      client.destroy();
      await server.close();
    },
  };
}
