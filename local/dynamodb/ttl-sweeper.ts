// DynamoDB's Time to Live, which dynalite lacks: items whose TTL attribute (epoch seconds) has
// passed are deleted in the background, some time after they expire, as the real service does.
// Like DynamoDB, only Number values count, values more than five years in the past are ignored,
// and each delete is conditional on the TTL value it saw, so an item whose TTL was changed or
// removed in the meantime (a blob that started processing) survives.
import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../log.ts';

const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 60 * 60;

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tableName: string;
  /** The table's key attributes, to address the deletes. */
  keyAttributes: readonly string[];
  ttlAttribute: string;
  intervalSeconds: number;
  logger: Logger;
  /** Epoch seconds; injectable for tests. */
  now?: () => number;
}

export interface TtlSweeper {
  /** One full pass over the table; resolves with the number of items deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const { client, tableName, keyAttributes, ttlAttribute, logger } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let running: Promise<number> | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    const current = now();
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({
        TableName: tableName,
        // Comparing with a Number skips items whose attribute is not a Number, as TTL does.
        FilterExpression: '#ttl < :now AND #ttl > :oldest',
        ProjectionExpression: [...keyAttributes.map((_, index) => `#k${index}`), '#ttl'].join(', '),
        ExpressionAttributeNames: {
          '#ttl': ttlAttribute,
          ...Object.fromEntries(keyAttributes.map((name, index) => [`#k${index}`, name])),
        },
        ExpressionAttributeValues: { ':now': { N: String(current) }, ':oldest': { N: String(current - FIVE_YEARS_SECONDS) } },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        if (stopped) {
          return deleted;
        }
        const key = Object.fromEntries(keyAttributes.map((name) => [name, item[name]!]));
        try {
          await client.send(new DeleteItemCommand({
            TableName: tableName,
            Key: key,
            ConditionExpression: '#ttl = :seen',
            ExpressionAttributeNames: { '#ttl': ttlAttribute },
            ExpressionAttributeValues: { ':seen': item[ttlAttribute]! },
          }));
          deleted += 1;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') {
            throw error;
          }
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && !stopped);
    if (deleted > 0) {
      logger.info('deleted expired items', { table: tableName, count: deleted });
    }
    return deleted;
  }

  function sweep(): Promise<number> {
    // Passes never overlap: a caller during a pass waits for that pass and then runs its own.
    const previous = running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => pass());
    running = next;
    void next.finally(() => {
      if (running === next) {
        running = null;
      }
    }).catch(() => undefined);
    return next;
  }

  const timer = setInterval(() => {
    if (running) {
      return;
    }
    sweep().catch((error: unknown) => logger.warn('TTL sweep failed; will try again', { table: tableName, error }));
  }, options.intervalSeconds * 1000);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
