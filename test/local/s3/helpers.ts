// Starts the local S3 on a free port in a fresh directory, with a recording event destination.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { silentLogger } from '../../../local/log.ts';
import { startS3Server, type LocalS3 } from '../../../local/s3/server.ts';

export const BUCKET = 'test-uploads';
export const PREFIX = 'local/';

/** Events as the destination received them, and a bounded wait for the next ones. */
export class EventRecorder {
  readonly events: S3Event[] = [];
  private waiters: Array<() => void> = [];

  readonly send = async (event: S3Event): Promise<void> => {
    this.events.push(event);
    this.waiters.splice(0).forEach((wake) => wake());
  };

  async waitFor(count: number, timeoutMs = 5000): Promise<S3Event[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`expected ${count} events, got ${this.events.length} within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }
}

export async function temporaryDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'local-s3-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function startTestS3(dataDir: string, recorder: EventRecorder, port = 0): Promise<LocalS3> {
  return startS3Server({
    dataDir,
    host: '127.0.0.1',
    port,
    bucket: BUCKET,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    credentials: LOCAL_CREDENTIALS,
    notification: { prefix: PREFIX, configurationId: 'ProcessUpload', send: recorder.send },
    logger: silentLogger,
  });
}

export function s3Client(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = localCredentials()): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

/** `<Code>` and `<Message>` of an S3 XML error body. */
export function parseError(xml: string): { code: string | undefined; message: string | undefined } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(xml)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(xml)?.[1],
  };
}
