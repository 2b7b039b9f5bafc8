// S3 event notifications, as S3 sends them to a Lambda function: the ObjectCreated:* event shape,
// and delivery with Lambda's asynchronous-invocation retries (the first try plus two retries).
// Events are written to an outbox on disk before delivery and removed once the handler succeeded,
// so an event is not lost when the handler fails or the local cloud stops in the middle: pending
// events are delivered again at the next start (at least once, as S3 promises; the processing
// handler is idempotent). Events that fail every attempt are kept in `failed/` for inspection.
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import type { Logger } from '../log.ts';

export type ObjectCreatedEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';

export interface ObjectCreated {
  eventName: ObjectCreatedEventName;
  bucket: string;
  /** The key as stored (not encoded). */
  key: string;
  size: number;
  /** Without quotes, as in the event. */
  eTag: string;
  region: string;
  time: Date;
  sourceIp: string;
  /** `AWS:<principal>` of the caller that wrote the object. */
  principalId: string;
  bucketOwnerId: string;
  requestId: string;
  hostId: string;
  configurationId: string;
  sequencer: string;
}

/**
 * Encodes a key as S3 writes it into event notifications: form-URL-encoding (spaces as `+`,
 * everything but letters, digits and `. - _ *` as %XX of the UTF-8 bytes), slashes kept.
 * Handlers decode it with `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeEventKey(key: string): string {
  let encoded = '';
  for (const char of key) {
    if (/^[A-Za-z0-9.\-_*/]$/.test(char)) {
      encoded += char;
    } else if (char === ' ') {
      encoded += '+';
    } else {
      encoded += Array.from(Buffer.from(char, 'utf8'), (byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
    }
  }
  return encoded;
}

let lastSequencerTime = 0n;
let sequencerCounter = 0n;

/** Hexadecimal, increasing for the events of one key (S3 only promises that much); compare after padding. */
export function nextSequencer(now = Date.now()): string {
  const time = BigInt(now);
  if (time > lastSequencerTime) {
    lastSequencerTime = time;
    sequencerCounter = 0n;
  } else {
    sequencerCounter += 1n;
  }
  return ((lastSequencerTime << 20n) + sequencerCounter).toString(16).toUpperCase().padStart(18, '0');
}

export function objectCreatedEvent(created: ObjectCreated): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: created.region,
        eventTime: created.time.toISOString(),
        eventName: created.eventName,
        userIdentity: { principalId: created.principalId },
        requestParameters: { sourceIPAddress: created.sourceIp },
        responseElements: { 'x-amz-request-id': created.requestId, 'x-amz-id-2': created.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: created.configurationId,
          bucket: {
            name: created.bucket,
            ownerIdentity: { principalId: created.bucketOwnerId },
            arn: `arn:aws:s3:::${created.bucket}`,
          },
          object: {
            key: encodeEventKey(created.key),
            size: created.size,
            eTag: created.eTag,
            sequencer: created.sequencer,
          },
        },
      },
    ],
  };
}

export type S3EventHandler = (event: S3Event) => Promise<unknown>;

export interface EventDeliveryOptions {
  /** Outbox directory: `pending/` and `failed/` live under it. */
  directory: string;
  handler: S3EventHandler;
  /** Waits before each retry; Lambda retries an async invocation twice (about 1 and 2 minutes). */
  retryDelaysMs: readonly number[];
  logger: Logger;
}

export interface EventDelivery {
  /** Persists the event, then delivers it in the background. */
  publish(event: S3Event): Promise<void>;
  /** Delivers the events left pending by a previous run. */
  resumePending(): Promise<number>;
  /** Resolves when every delivery started so far has finished (succeeded or given up). */
  idle(): Promise<void>;
  /** Stops retrying; events not delivered yet stay pending for the next start. */
  close(): Promise<void>;
}

export async function createEventDelivery(options: EventDeliveryOptions): Promise<EventDelivery> {
  const pendingDir = join(options.directory, 'pending');
  const failedDir = join(options.directory, 'failed');
  await mkdir(pendingDir, { recursive: true });
  await mkdir(failedDir, { recursive: true });
  const { logger } = options;
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();

  const wait = (ms: number) => new Promise<void>((resolve) => {
    if (stopping.signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stopping.signal.removeEventListener('abort', done);
      resolve();
    }
    stopping.signal.addEventListener('abort', done);
  });

  async function deliver(file: string, event: S3Event): Promise<void> {
    const record = event.Records[0];
    const fields = { eventName: record?.eventName, key: record?.s3.object.key, sequencer: record?.s3.object.sequencer };
    const attempts = options.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (stopping.signal.aborted) {
        logger.info('event left pending for the next start', fields);
        return;
      }
      try {
        await options.handler(event);
        await unlink(join(pendingDir, file)).catch(() => undefined);
        logger.debug('event delivered', { ...fields, attempt });
        return;
      } catch (error) {
        const last = attempt === attempts;
        logger[last ? 'error' : 'warn'](last ? 'event handler failed on every attempt' : 'event handler failed; retrying', { ...fields, attempt, error });
        if (!last) {
          await wait(options.retryDelaysMs[attempt - 1] ?? 0);
        }
      }
    }
    await rename(join(pendingDir, file), join(failedDir, file)).catch(() => undefined);
    logger.error('event kept in the failed events folder', { ...fields, file: join(failedDir, file) });
  }

  function track(file: string, event: S3Event): void {
    const delivery = deliver(file, event).catch((error: unknown) => logger.error('event delivery broke', { file, error }));
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  return {
    async publish(event) {
      const sequencer = event.Records[0]?.s3.object.sequencer ?? '0';
      const digest = createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 8);
      const file = `${sequencer}-${digest}-${randomBytes(2).toString('hex')}.json`;
      await writeFile(join(pendingDir, file), JSON.stringify(event));
      track(file, event);
    },
    async resumePending() {
      const files = (await readdir(pendingDir)).filter((name) => name.endsWith('.json')).sort();
      for (const file of files) {
        try {
          track(file, JSON.parse(await readFile(join(pendingDir, file), 'utf8')) as S3Event);
        } catch (error) {
          logger.error('unreadable pending event moved to failed', { file, error });
          await rename(join(pendingDir, file), join(failedDir, file)).catch(() => undefined);
        }
      }
      if (files.length > 0) {
        logger.info('delivering events left pending by the previous run', { count: files.length });
      }
      return files.length;
    },
    async idle() {
      while (inFlight.size > 0) {
        await Promise.all([...inFlight]);
      }
    },
    async close() {
      stopping.abort();
      while (inFlight.size > 0) {
        await Promise.all([...inFlight]);
      }
    },
  };
}
