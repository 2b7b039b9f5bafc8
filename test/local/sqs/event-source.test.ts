import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../local/log.ts';
import { type EventSourceMapping, startEventSourceMapping } from '../../../local/sqs/event-source.ts';
import { LocalQueue } from '../../../local/sqs/queue.ts';

/** A function whose invocations stay open until the test lets them finish. */
class HeldFunction {
  readonly events: SQSEvent[] = [];
  private releases: Array<(response: unknown) => void> = [];
  private waiters: Array<() => void> = [];
  respond: (event: SQSEvent) => unknown = () => ({ batchItemFailures: [] });

  readonly invoke = (event: SQSEvent): Promise<unknown> => {
    this.events.push(event);
    this.waiters.splice(0).forEach((wake) => wake());
    return new Promise((resolve) => this.releases.push(() => resolve(this.respond(event))));
  };

  get running(): number {
    return this.releases.length;
  }

  releaseAll(): void {
    this.releases.splice(0).forEach((release) => release(undefined));
  }

  async waitForInvocations(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} invocations, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

describe('the local event source mapping', () => {
  let dir: string;
  let queue: LocalQueue;
  let mapping: EventSourceMapping | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-esm-'));
    queue = await LocalQueue.open({ name: 'uploads', directory: dir, region: 'us-east-1', accountId: '000000000000', visibilityTimeoutSeconds: 60 });
  });

  afterEach(async () => {
    await mapping?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a queue whose visibility timeout is shorter than the function timeout, as Lambda does', () => {
    expect(() => startEventSourceMapping({
      queue, region: 'us-east-1', functionTimeoutSeconds: 61, batchSize: 1, maxConcurrency: 1, invoke: async () => ({ batchItemFailures: [] }), logger: silentLogger,
    })).toThrow('Queue visibility timeout: 60 seconds is less than Function timeout: 61 seconds');
  });

  it('never runs more invocations than its maximum concurrency, one batch of batchSize messages each', async () => {
    const fn = new HeldFunction();
    await Promise.all(Array.from({ length: 7 }, (_, i) => queue.send(String(i))));

    mapping = startEventSourceMapping({ queue, region: 'us-east-1', functionTimeoutSeconds: 60, batchSize: 1, maxConcurrency: 3, invoke: fn.invoke, logger: silentLogger });
    await fn.waitForInvocations(3);
    const atMost = fn.running;
    fn.releaseAll();
    await fn.waitForInvocations(6);
    fn.releaseAll();
    await fn.waitForInvocations(7);
    fn.releaseAll();
    await mapping.idle();

    expect(atMost).toBe(3);
    expect(fn.events.map((event) => event.Records.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(fn.events[0].Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:uploads',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(queue.counts().total).toBe(0);
  });

  it('deletes the messages of a batch but those the function reports as failed', async () => {
    const fn = new HeldFunction();
    fn.respond = (event): SQSBatchResponse => ({ batchItemFailures: [{ itemIdentifier: event.Records[1].messageId }] });
    await Promise.all(['a', 'b', 'c'].map((body) => queue.send(body)));

    mapping = startEventSourceMapping({ queue, region: 'us-east-1', functionTimeoutSeconds: 60, batchSize: 3, maxConcurrency: 2, invoke: fn.invoke, logger: silentLogger });
    await fn.waitForInvocations(1);
    fn.releaseAll();
    await mapping.close();
    mapping = undefined;

    expect(fn.events[0].Records.map((record) => record.body)).toEqual(['a', 'b', 'c']);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, total: 1 });
    await queue.changeVisibility(fn.events[0].Records[1].receiptHandle, 0);
    expect((await queue.receive(10)).map((message) => message.body)).toEqual(['b']);
  });

  it('keeps the whole batch when the function fails or names a message that was not in it', async () => {
    await Promise.all(['a', 'b'].map((body) => queue.send(body)));
    let calls = 0;
    let secondCall!: () => void;
    const twoCalls = new Promise<void>((resolve) => (secondCall = resolve));
    const invoke = async (): Promise<unknown> => {
      calls += 1;
      if (calls === 2) secondCall();
      if (calls === 1) throw new Error('function crashed');
      return { batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] };
    };

    mapping = startEventSourceMapping({ queue, region: 'us-east-1', functionTimeoutSeconds: 60, batchSize: 1, maxConcurrency: 2, invoke, logger: silentLogger });
    await twoCalls;
    await mapping.close();
    mapping = undefined;

    expect(queue.counts()).toEqual({ visible: 0, inFlight: 2, total: 2 });
  });

  it('receives a handed-back message again when its new visibility ends', async () => {
    const fn = new HeldFunction();
    fn.respond = (event) => {
      if (event.Records[0].attributes.ApproximateReceiveCount === '1') {
        void queue.changeVisibility(event.Records[0].receiptHandle, 0);
        return { batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] };
      }
      return { batchItemFailures: [] };
    };
    await queue.send('retry me');

    mapping = startEventSourceMapping({ queue, region: 'us-east-1', functionTimeoutSeconds: 60, batchSize: 1, maxConcurrency: 1, invoke: fn.invoke, logger: silentLogger });
    await fn.waitForInvocations(1);
    fn.releaseAll();
    await fn.waitForInvocations(2);
    fn.releaseAll();
    await mapping.idle();

    expect(fn.events.map((event) => event.Records[0].attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  });
});
