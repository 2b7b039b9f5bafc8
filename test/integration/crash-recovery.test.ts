// kill -9 of the local cloud's process group while uploads are PROCESSING, then a start on the same data
// directory: every blob must still be labelled, announced once to its subscribers and called back once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_PROCESSING_LEASE_SECONDS } from '../../local/config.ts';
import { startCallbackReceiver, type CallbackReceiver } from '../functions/support/callback-receiver.ts';
import { type ChildCloud, type LogLine, startChildCloud } from './support/child-cloud.ts';
import { createBlob, fixture, getBlob, putBytes, subscribeLabelsReady } from './support/local-service.ts';
import { signIn, signUp } from './support/users.ts';
import { eventually, queueDepth } from './support/upload-queue.ts';

/**
 * As short as the local cloud allows (the consumer's timeout, so that a live attempt is never taken over), so that the
 * test does not wait two minutes for the lease of the killed attempts to pass.
 */
const LEASE_SECONDS = MIN_PROCESSING_LEASE_SECONDS;
const UPLOADS = 30;
const PHOTOS = ['chelsea.png', 'coffee.png', 'horse.png', 'astronaut.png'];

/** Up to `line`, every result stored ('Blob processed') was announced ('Announcement done'). */
function noAnnouncementOpen(logs: LogLine[], line: LogLine): boolean {
  const upTo = logs.slice(0, logs.indexOf(line) + 1);
  const count = (message: string) => upTo.filter((entry) => entry.message === message).length;
  return count('Blob processed') === count('Announcement done');
}

const publishedIds = (logs: LogLine[]) =>
  logs.filter((line) => line.message === 'Result published to labelsReady').map((line) => String(line.blobId));

describe('the local cloud killed while uploads are PROCESSING', () => {
  const clouds: ChildCloud[] = [];
  let receiver: CallbackReceiver | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await Promise.all(clouds.map((cloud) => cloud.kill()));
    await receiver?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('labels every blob after a restart on the same data directory, each with one labelsReady event and one webhook', async () => {
    // Arrange: 30 uploads, most of them PROCESSING (the local labeller takes one image at a time).
    dataDir = await mkdtemp(join(tmpdir(), 'image-labels-crash-'));
    receiver = await startCallbackReceiver();
    const flags = ['--processing-lease-seconds', String(LEASE_SECONDS)];
    const first = await startChildCloud(dataDir, flags);
    clouds.push(first);
    const photos = await Promise.all(PHOTOS.map((name) => fixture(name)));
    const user = await signUp(first.ready);
    // Every blob created first, then every upload at once: they are all claimed before many are labelled.
    const created = await Promise.all(
      Array.from({ length: UPLOADS }, async () => (await createBlob(first.ready, { contentType: 'image/png', callbackUrl: receiver!.url }, user)).data!.createBlob),
    );
    const ids = created.map(({ blob }) => blob.id);
    const uploads = await Promise.all(
      created.map(({ upload }, i) => putBytes(upload.url, JSON.parse(upload.headers) as Record<string, string>, photos[i % photos.length])),
    );
    expect(uploads.map((response) => response.status)).toEqual(ids.map(() => 200));
    // Waits for the claims in the log (polling the API would miss the moment on a busy machine).
    await first.waitForLog(() => new Set(first.logs.filter((line) => line.message === 'Processing started').map((line) => line.blobId)).size >= 26, 60_000);

    // Act: kill -9 at a moment when no result is half announced, then start again on the same data directory.
    // (A kill between a publish and its record publishes again after the restart: at least once, not exactly.)
    const seen = first.logs.length;
    await first.waitForLog((line) => line.message === 'Announcement done' && first.logs.indexOf(line) >= seen && noAnnouncementOpen(first.logs, line));
    await first.kill();
    const announcedBeforeKill = new Set(publishedIds(first.logs));
    const processingAtKill = ids.filter((id) => !announcedBeforeKill.has(id));
    const second = await startChildCloud(dataDir, flags);
    clouds.push(second);
    // The same user (the user pool is kept in the data directory), signed in again at the new cloud's issuer.
    const again = await signIn(second.ready, user.email);
    const subscriptions = await Promise.all(processingAtKill.map((id) => subscribeLabelsReady(second.ready, id, again)));

    // Assert: each blob PROCESSING at the kill is labelled after the restart, and told to its subscriber (how soon is
    // the benchmark's business: on an idle machine, within the lease + 60 s).
    expect(processingAtKill.length).toBeGreaterThanOrEqual(20);
    const results = await Promise.all(subscriptions.map((subscription) => subscription.next(300_000)));
    expect(results.map((blob) => blob.status)).toEqual(processingAtKill.map(() => 'LABELLED'));
    expect(results.map((blob) => blob.id)).toEqual(processingAtKill);
    // Once the queue is empty nothing more can be announced: no second event, no second webhook, nothing lost.
    await eventually(async () => {
      const depth = await queueDepth(second.ready.sqsEndpoint, second.ready.uploadQueueUrl);
      return depth.visible + depth.inFlight === 0;
    }, 30_000, 'the upload queue drained');
    expect(subscriptions.map((subscription) => subscription.pending())).toEqual(processingAtKill.map(() => 0));
    subscriptions.forEach((subscription) => subscription.close());
    const published = [...publishedIds(first.logs), ...publishedIds(second.logs)];
    const webhooks = receiver.received.map((request) => (JSON.parse(request.body) as { blobId: string }).blobId);
    for (const id of ids) {
      expect({ id, events: published.filter((blobId) => blobId === id).length }).toEqual({ id, events: 1 });
      expect({ id, webhooks: webhooks.filter((blobId) => blobId === id).length }).toEqual({ id, webhooks: 1 });
    }
    const final = await Promise.all(ids.map((id) => getBlob(second.ready, id, again)));
    expect(final.map((blob) => blob?.status)).toEqual(ids.map(() => 'LABELLED'));
    expect(await queueDepth(second.ready.sqsEndpoint, second.ready.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 600_000);
});
