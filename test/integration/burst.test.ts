// A burst of uploads beyond what Rekognition accepts per second: the queue drains it at the quota's pace, and no
// blob ends FAILED. (The benchmark, `npm run bench`, runs the full 1,000-upload burst.)
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';
import { startCallbackReceiver, type CallbackReceiver } from '../functions/support/callback-receiver.ts';
import { createBlob, fixture, putBytes, removeDataDir, startTestCloud, subscribeLabelsReady, type LabelsReadySubscription } from './support/local-service.ts';
import { queueDepth } from './support/upload-queue.ts';

const UPLOADS = 20;
const CONCURRENCY = 16;
/**
 * One call a second, with two invocations at once: the two that start the burst call Rekognition together, so at
 * least one call is throttled however fast or slow the labeller is on this machine.
 */
const REKOGNITION_TPS = 1;

/** Runs `task` for 0..count-1 with at most `concurrency` at a time. */
async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

describe('a burst of uploads beyond the Rekognition quota', () => {
  let cloud: LocalCloud | undefined;
  let receiver: CallbackReceiver | undefined;
  const subscriptions: LabelsReadySubscription[] = [];

  afterAll(async () => {
    subscriptions.forEach((subscription) => subscription.close());
    await receiver?.close();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('drains: every blob LABELLED, none FAILED or lost, one labelsReady event and one webhook each', async () => {
    // Arrange
    cloud = await startTestCloud(undefined, { labellerWorkers: 2, rekognitionTps: REKOGNITION_TPS });
    receiver = await startCallbackReceiver();
    const photo = await fixture('coffee.png');
    const created = await inParallel(UPLOADS, CONCURRENCY, async () => {
      const { blob, upload } = (await createBlob(cloud!, { contentType: 'image/png', callbackUrl: receiver!.url })).data!.createBlob;
      subscriptions.push(await subscribeLabelsReady(cloud!, blob.id));
      return { id: blob.id, upload };
    });

    // Act
    await inParallel(UPLOADS, CONCURRENCY, async (index) => {
      const { upload } = created[index];
      expect((await putBytes(upload.url, JSON.parse(upload.headers) as Record<string, string>, photo)).status).toBe(200);
    });
    const results = await Promise.all(subscriptions.map((subscription) => subscription.next(300_000)));
    await cloud.uploadsIdle();

    // Assert
    expect(cloud.maxConcurrency).toBe(2);
    expect(cloud.rekognitionThrottled()).toBeGreaterThan(0);
    expect(results.filter((blob) => blob.status !== 'LABELLED')).toEqual([]);
    expect(subscriptions.map((subscription) => subscription.pending())).toEqual(created.map(() => 0));
    const webhooks = receiver.received.map((request) => (JSON.parse(request.body) as { blobId: string }).blobId).sort();
    expect(webhooks).toEqual(created.map(({ id }) => id).sort());
    expect(await queueDepth(cloud.sqsEndpoint, cloud.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 420_000);
});
