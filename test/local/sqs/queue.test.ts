import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../local/sqs/queue.ts';

describe('the local queue', () => {
  let dir: string;
  let now: number;
  const clock = () => now;

  const open = async (options: { maxReceiveCount?: number } = {}) => {
    const deadLetters = await LocalQueue.open({ name: 'dlq', directory: join(dir, 'dlq'), region: 'us-east-1', accountId: '000000000000', visibilityTimeoutSeconds: 30, now: clock });
    const queue = await LocalQueue.open({
      name: 'uploads',
      directory: join(dir, 'uploads'),
      region: 'us-east-1',
      accountId: '000000000000',
      visibilityTimeoutSeconds: 30,
      redrive: options.maxReceiveCount === undefined ? undefined : { deadLetterQueue: deadLetters, maxReceiveCount: options.maxReceiveCount },
      now: clock,
    });
    return { queue, deadLetters };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-queue-'));
    now = 1_000_000;
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const { queue } = await open();
    await queue.send('{"n":1}');

    const [first] = await queue.receive(10);
    const hidden = await queue.receive(10);
    now += 30_000;
    const [again] = await queue.receive(10);

    expect(first.attributes.ApproximateReceiveCount).toBe('1');
    expect(hidden).toEqual([]);
    expect(again).toMatchObject({ messageId: first.messageId, body: '{"n":1}', attributes: { ApproximateReceiveCount: '2' } });
    expect(again.receiptHandle).not.toBe(first.receiptHandle);
  });

  it('lets the latest receipt handle delete the message, and an older one do nothing', async () => {
    const { queue } = await open();
    await queue.send('x');
    const [first] = await queue.receive(1);
    now += 30_000;
    const [second] = await queue.receive(1);

    await queue.delete(first.receiptHandle);
    const afterStale = queue.counts().total;
    await queue.delete(second.receiptHandle);

    expect(afterStale).toBe(1);
    expect(queue.counts().total).toBe(0);
  });

  it('brings a message back when its visibility is changed, and refuses to change one that is not in flight', async () => {
    const { queue } = await open();
    await queue.send('x');
    const [message] = await queue.receive(1);

    await queue.changeVisibility(message.receiptHandle, 5);
    now += 5_000;
    const [back] = await queue.receive(1);
    now += 30_000;

    expect(back.messageId).toBe(message.messageId);
    await expect(queue.changeVisibility(back.receiptHandle, 10)).rejects.toMatchObject({ code: 'MessageNotInflight' });
    await expect(queue.changeVisibility(message.receiptHandle, 10)).rejects.toMatchObject({ code: 'ReceiptHandleIsInvalid' });
    await expect(queue.changeVisibility('garbage', 10)).rejects.toMatchObject({ code: 'ReceiptHandleIsInvalid' });
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue instead of delivering it again', async () => {
    const { queue, deadLetters } = await open({ maxReceiveCount: 2 });
    const { messageId } = await queue.send('poison');
    await queue.receive(1);
    now += 30_000;
    await queue.receive(1);
    now += 30_000;

    const third = await queue.receive(1);

    expect(third).toEqual([]);
    expect(queue.counts().total).toBe(0);
    expect(await deadLetters.receive(1)).toEqual([expect.objectContaining({ messageId, body: 'poison' })]);
  });

  it('keeps every message and its state on disk: a new process finds in-flight messages still in flight', async () => {
    const { queue } = await open();
    await queue.send('in flight');
    await queue.send('waiting');
    const [received] = await queue.receive(1);
    await queue.flushed();
    const files = (await readdir(join(dir, 'uploads'))).filter((file) => file.endsWith('.json'));

    const { queue: reopened } = await open();
    const visibleNow = await reopened.receive(10);
    await Promise.all(visibleNow.map((message) => reopened.delete(message.receiptHandle)));
    now += 30_000;
    const later = await reopened.receive(10);

    expect(visibleNow.map((message) => message.body)).toEqual(['waiting']);
    expect(later).toEqual([expect.objectContaining({ messageId: received.messageId, attributes: expect.objectContaining({ ApproximateReceiveCount: '2' }) })]);
    expect(files).toHaveLength(2);
  });

  it('never gives one message to two receives running side by side', async () => {
    const { queue } = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.send(String(i))));

    const batches = await Promise.all(Array.from({ length: 8 }, () => queue.receive(3)));

    const ids = batches.flat().map((message) => message.messageId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });
});
