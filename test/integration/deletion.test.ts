// Deleting a blob while it is processed: its subscriber and its webhook receiver hear DELETED, once, and the
// processing that finds it gone stops without claiming labels for it.
import { afterAll, describe, expect, it } from 'vitest';
import type { Blob } from '../../generated/graphql.ts';
import type { LocalCloud } from '../../local/cloud.ts';
import { startCallbackReceiver, type CallbackReceiver } from '../functions/support/callback-receiver.ts';
import { createBlob, fixture, getBlob, graphql, putBytes, removeDataDir, startTestCloud, subscribeLabelsReady, type LabelsReadySubscription } from './support/local-service.ts';

describe('a blob deleted while it is PROCESSING', () => {
  let cloud: LocalCloud | undefined;
  let receiver: CallbackReceiver | undefined;
  const subscriptions: LabelsReadySubscription[] = [];

  afterAll(async () => {
    subscriptions.forEach((subscription) => subscription.close());
    await receiver?.close();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('ends with one DELETED event and one DELETED webhook, and never a result with labels', async () => {
    // Arrange: Rekognition held to 1 call a second, so that uploads wait PROCESSING while their calls are throttled.
    cloud = await startTestCloud(undefined, { rekognitionTps: 1 });
    receiver = await startCallbackReceiver();
    const photo = await fixture('coffee.png');
    const created = [];
    for (let i = 0; i < 6; i += 1) {
      const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png', callbackUrl: receiver.url })).data!.createBlob;
      subscriptions.push(await subscribeLabelsReady(cloud, blob.id));
      created.push({ blob, upload, subscription: subscriptions[subscriptions.length - 1] });
    }
    await Promise.all(created.map(({ upload }) => putBytes(upload.url, JSON.parse(upload.headers) as Record<string, string>, photo)));

    // Act: delete the first blob seen PROCESSING (deleteBlob answers the blob as it was when deleted).
    let deleted: { blob: Blob; subscription: LabelsReadySubscription } | undefined;
    const deadline = Date.now() + 60_000;
    while (!deleted && Date.now() < deadline) {
      for (const entry of created) {
        if ((await getBlob(cloud, entry.blob.id))?.status !== 'PROCESSING') continue;
        const answer = await graphql<{ deleteBlob: Blob | null }>(cloud, 'mutation D($id: ID!) { deleteBlob(id: $id) { id status } }', { id: entry.blob.id });
        if (answer.data?.deleteBlob?.status === 'PROCESSING') {
          deleted = { blob: entry.blob, subscription: entry.subscription };
          break;
        }
      }
    }
    expect(deleted).toBeDefined();
    const last = await deleted!.subscription.next(30_000);
    // Every other blob is labelled: the queue is drained, nothing more will be announced.
    for (const entry of created.filter((candidate) => candidate.blob.id !== deleted!.blob.id)) {
      expect((await entry.subscription.next(120_000)).status).toBe('LABELLED');
    }
    await cloud.uploadsIdle();

    // Assert
    expect(last).toMatchObject({ id: deleted!.blob.id, status: 'DELETED', labels: null, error: { code: 'BlobDeleted' } });
    expect(deleted!.subscription.pending()).toBe(0);
    expect(await getBlob(cloud, deleted!.blob.id)).toBeNull();
    const webhooks = receiver.received
      .map((request) => JSON.parse(request.body) as { blobId: string; status: string; labels: unknown })
      .filter((body) => body.blobId === deleted!.blob.id);
    expect(webhooks).toEqual([{ blobId: deleted!.blob.id, status: 'DELETED', labels: null, error: expect.objectContaining({ code: 'BlobDeleted' }) }]);
  }, 240_000);
});
