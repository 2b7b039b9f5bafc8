// Deleting a blob while it is processed: its subscriber and its webhook receiver hear DELETED, once, and the
// processing that finds it gone stops without claiming labels for it, or a verdict on its image.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Blob } from '../../generated/graphql.ts';
import type { LocalCloud } from '../../local/cloud.ts';
import { startCallbackReceiver, type CallbackReceiver } from '../functions/support/callback-receiver.ts';
import { holdFirst } from './support/hold.ts';
import { createBlob, fixture, getBlob, graphql, putBytes, removeDataDir, startTestCloud, subscribeLabelsReady, type LabelsReadySubscription } from './support/local-service.ts';
import { eventually, queueDepth } from './support/upload-queue.ts';

const DELETE_BLOB = 'mutation D($id: ID!) { deleteBlob(id: $id) { id status } }';

/** The blob's record as process-upload left it (with the lease, which the API never shows); undefined when gone. */
async function storedRecord(cloud: LocalCloud, id: string): Promise<Record<string, unknown> | undefined> {
  const dynamodb = new DynamoDBClient({ endpoint: cloud.dynamodbEndpoint, region: cloud.region, credentials: cloud.credentials });
  try {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: cloud.table, Key: { id: { S: id } }, ConsistentRead: true }));
    return Item && unmarshall(Item);
  } finally {
    dynamodb.destroy();
  }
}

async function queueEmpty(cloud: LocalCloud, queueUrl: string): Promise<boolean> {
  const depth = await queueDepth(cloud.sqsEndpoint, queueUrl);
  return depth.visible + depth.inFlight === 0;
}

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

describe('deleteBlob landing while DetectLabels waits for the object it deletes', () => {
  let cloud: LocalCloud | undefined;
  let receiver: CallbackReceiver | undefined;
  let subscription: LabelsReadySubscription | undefined;
  const detectLabels = holdFirst<{ bucket: string; key: string }>('DetectLabels called on the upload');
  const objectDeleted = holdFirst<string>('deleteBlob deleted the object');

  afterAll(async () => {
    // A failure half-way leaves a request held: let it go, so that the cloud can close.
    detectLabels.release();
    objectDeleted.release();
    subscription?.close();
    await receiver?.close();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('announces DELETED once and never a verdict on the image, and leaves no record, no message, nothing dead-lettered', async () => {
    // Arrange: DetectLabels held before it reads the object; deleteBlob held after its object is deleted, before the
    // record is: the window in which an attempt used to find the object gone and end the blob REJECTED.
    cloud = await startTestCloud(undefined, {
      holds: {
        detectLabels: detectLabels.hold,
        appsyncInvokeAnswer: (name) => (name === 'delete-object' ? objectDeleted.hold(name) : Promise.resolve()),
      },
    });
    receiver = await startCallbackReceiver();
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png', callbackUrl: receiver.url })).data!.createBlob;
    subscription = await subscribeLabelsReady(cloud, blob.id);
    expect((await putBytes(upload.url, JSON.parse(upload.headers) as Record<string, string>, await fixture('coffee.png'))).status).toBe(200);
    expect(await detectLabels.reachedWithin(60_000)).toEqual({ bucket: cloud.bucket, key: `${cloud.stage}/${blob.id}` });

    // Act: the object goes, DetectLabels goes on and misses it, the attempt ends; only then is the record deleted.
    const deletion = graphql<{ deleteBlob: Blob | null }>(cloud, DELETE_BLOB, { id: blob.id });
    await objectDeleted.reachedWithin(30_000);
    detectLabels.release();
    const c = cloud;
    await eventually(async () => {
      const record = await storedRecord(c, blob.id);
      return record?.status !== 'PROCESSING' || record.processingStartedAt === undefined;
    }, 30_000, 'the processing attempt ended');
    const leftByTheAttempt = await storedRecord(cloud, blob.id);
    objectDeleted.release();
    const answer = await deletion;
    const heard = await subscription.next(30_000);
    // The upload comes back after its hand-back delay and finds no record: the queue drains, nothing is dead-lettered.
    await eventually(() => queueEmpty(c, c.uploadQueueUrl), 60_000, 'the upload queue drained');
    await eventually(async () => receiver!.received.length > 0, 30_000, 'the webhook arrived');

    // Assert
    expect(leftByTheAttempt).toMatchObject({ status: 'PROCESSING' });
    expect(leftByTheAttempt).not.toHaveProperty('error');
    expect(answer).toEqual({ status: 200, data: { deleteBlob: { id: blob.id, status: 'PROCESSING' } }, errors: undefined });
    expect(heard).toMatchObject({ id: blob.id, status: 'DELETED', labels: null, error: { code: 'BlobDeleted', retryable: false } });
    expect(subscription.pending()).toBe(0);
    expect(await getBlob(cloud, blob.id)).toBeNull();
    expect((await graphql<{ deleteBlob: Blob | null }>(cloud, DELETE_BLOB, { id: blob.id })).data).toEqual({ deleteBlob: null });
    expect(await storedRecord(cloud, blob.id)).toBeUndefined();
    expect(await queueDepth(cloud.sqsEndpoint, cloud.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    const webhooks = receiver.received.map((request) => JSON.parse(request.body) as { blobId: string; status: string });
    expect(webhooks).toEqual([{ blobId: blob.id, status: 'DELETED', labels: null, error: expect.objectContaining({ code: 'BlobDeleted' }) }]);
  }, 180_000);
});
