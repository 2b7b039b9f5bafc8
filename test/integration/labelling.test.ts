// The whole path through the local cloud, as a client app and a webhook receiver see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { LocalCloud } from '../../local/cloud.ts';
import { startCallbackReceiver, type CallbackReceiver } from '../functions/support/callback-receiver.ts';
import {
  createBlob,
  curlUpload,
  fixture,
  FIXTURES,
  getBlob,
  graphql,
  putBytes,
  removeDataDir,
  startTestCloud,
  subscribeLabelsReady,
} from './support/local-service.ts';

interface WebhookBody {
  blobId: string;
  status: string;
  labels: Array<{ name: string; confidence: number }> | null;
  error: { code: string; message: string; retryable: boolean } | null;
}

describe('labelling an image through the local cloud', () => {
  let cloud: LocalCloud;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    cloud = await startTestCloud();
    receiver = await startCallbackReceiver();
  });

  afterAll(async () => {
    await receiver?.close();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  /** The webhook for one blob, its signature checked with the cloud's secret. */
  async function signedWebhookFor(blobId: string): Promise<WebhookBody> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const request = receiver.received.find((r) => r.body.includes(blobId));
      if (request) {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
        return new Webhook(cloud.webhookSecret).verify(request.body, headers) as WebhookBody;
      }
      if (Date.now() > deadline) throw new Error(`no webhook for ${blobId} within 30 s`);
      await cloud.uploadsIdle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('labels a cat photo and tells the subscription, the query and the signed webhook the same labels', async () => {
    const created = await createBlob(cloud, { contentType: 'image/png', callbackUrl: receiver.url });
    expect(created.errors).toBeUndefined();
    const { blob, upload } = created.data!.createBlob;
    expect(blob.status).toBe('PENDING_UPLOAD');
    expect(upload.method).toBe('PUT');
    const subscription = await subscribeLabelsReady(cloud, blob.id);

    const uploaded = await curlUpload(upload, `${FIXTURES}chelsea.png`);
    expect(uploaded.status).toBe(200);
    const published = await subscription.next();
    subscription.close();

    expect(published.id).toBe(blob.id);
    expect(published.status).toBe('LABELLED');
    expect(published.labels!.slice(0, 5).map((l) => l.name)).toContain('Cat');
    expect(published.labels!.map((l) => l.name)).not.toContain('Dog');
    const cat = published.labels!.find((l) => l.name === 'Cat')!;
    expect(cat.parents).toEqual(expect.arrayContaining(['Pet', 'Mammal', 'Animal']));
    expect(cat.instances.length).toBeGreaterThan(0);

    const stored = await getBlob(cloud, blob.id);
    expect(stored!.status).toBe('LABELLED');
    expect(stored!.size).toBe((await fixture('chelsea.png')).length);
    expect(stored!.labels).toEqual(published.labels);
    expect(stored!.labelledAt).not.toBeNull();

    const webhook = await signedWebhookFor(blob.id);
    expect(webhook).toMatchObject({ blobId: blob.id, status: 'LABELLED', error: null });
    expect(webhook.labels!.map((l) => l.name)).toEqual(published.labels!.map((l) => l.name));
    await cloud.uploadsIdle();
    const delivered = await getBlob(cloud, blob.id);
    expect(delivered!.callback).toMatchObject({ url: receiver.url, status: 'DELIVERED', attempts: 1 });
  });

  it('sends each subscriber only the blob it subscribed to', async () => {
    const first = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const second = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const firstSubscription = await subscribeLabelsReady(cloud, first.blob.id);
    const secondSubscription = await subscribeLabelsReady(cloud, second.blob.id);

    expect((await curlUpload(first.upload, `${FIXTURES}coffee.png`)).status).toBe(200);
    expect((await curlUpload(second.upload, `${FIXTURES}horse.png`)).status).toBe(200);
    const firstResult = await firstSubscription.next();
    const secondResult = await secondSubscription.next();
    await cloud.uploadsIdle();

    expect(firstResult.id).toBe(first.blob.id);
    expect(secondResult.id).toBe(second.blob.id);
    expect(firstSubscription.pending()).toBe(0);
    expect(secondSubscription.pending()).toBe(0);
    firstSubscription.close();
    secondSubscription.close();
  });

  it('rejects a corrupt JPEG with a typed error on the subscription, the query and the webhook', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/jpeg', callbackUrl: receiver.url })).data!.createBlob;
    const subscription = await subscribeLabelsReady(cloud, blob.id);

    expect((await curlUpload(upload, `${FIXTURES}truncated.jpg`)).status).toBe(200);
    const published = await subscription.next();
    subscription.close();

    expect(published.status).toBe('REJECTED');
    expect(published.labels).toBeNull();
    expect(published.error).toMatchObject({ code: 'InvalidImageFormatException', retryable: false });
    expect((await getBlob(cloud, blob.id))!.error).toEqual(published.error);
    const webhook = await signedWebhookFor(blob.id);
    expect(webhook).toMatchObject({ blobId: blob.id, status: 'REJECTED', labels: null });
    expect(webhook.error).toEqual(published.error);
  });

  it('rejects bytes that are not an image without labelling them', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const subscription = await subscribeLabelsReady(cloud, blob.id);

    const headers = JSON.parse(upload.headers) as Record<string, string>;
    expect((await putBytes(upload.url, headers, Buffer.from('definitely not a picture'))).status).toBe(200);
    const published = await subscription.next();
    subscription.close();

    expect(published.status).toBe('REJECTED');
    expect(published.error!.retryable).toBe(false);
    expect(published.error!.code).toMatch(/\S/);
  });

  it('refuses an upload URL whose signature was tampered with, as S3 does', async () => {
    const { upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const tampered = upload.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);

    const response = await putBytes(tampered, JSON.parse(upload.headers) as Record<string, string>, await fixture('horse.png'));

    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a body of another size than the contentLength signed into the URL', async () => {
    const horse = await fixture('horse.png');
    const { upload } = (await createBlob(cloud, { contentType: 'image/png', contentLength: horse.length + 10 })).data!.createBlob;

    const response = await putBytes(upload.url, { 'content-type': 'image/png' }, horse);

    expect(response.status).toBe(403);
    expect(response.body).toMatch(/<Code>(SignatureDoesNotMatch|AccessDenied)<\/Code>/);
  });

  it('refuses an upload with another content type than the one signed', async () => {
    const { upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;

    const response = await putBytes(upload.url, { 'content-type': 'image/jpeg' }, await fixture('horse.png'));

    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it.each([
    ['an unsupported content type', { contentType: 'image/gif' }, 'contentType'],
    ['a content length over 15 MB', { contentType: 'image/png', contentLength: 15 * 1024 * 1024 + 1 }, 'contentLength'],
    ['a callback URL that is not http(s)', { contentType: 'image/png', callbackUrl: 'ftp://example.com/hook' }, 'callbackUrl'],
    ['a minConfidence over 100', { contentType: 'image/png', minConfidence: 101 }, 'minConfidence'],
    ['a maxLabels of 0', { contentType: 'image/png', maxLabels: 0 }, 'maxLabels'],
  ])('answers createBlob with %s by a ValidationError and writes nothing', async (_case, input, field) => {
    const before = await graphql<{ blobs: { items: Array<{ id: string }> } }>(cloud, '{ blobs(limit: 100) { items { id } } }');

    const result = await createBlob(cloud, input);

    expect(result.data).toBeNull();
    expect(result.errors![0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field } });
    const after = await graphql<{ blobs: { items: Array<{ id: string }> } }>(cloud, '{ blobs(limit: 100) { items { id } } }');
    expect(after.data!.blobs.items).toEqual(before.data!.blobs.items);
  });

  it('answers a retried create with the same idempotency key with the first blob', async () => {
    const input = { contentType: 'image/png', idempotencyKey: `retry-${Date.now()}` };

    const first = (await createBlob(cloud, input)).data!.createBlob;
    const again = (await createBlob(cloud, input)).data!.createBlob;
    const conflicting = await createBlob(cloud, { ...input, contentType: 'image/jpeg' });

    expect(again.blob.id).toBe(first.blob.id);
    expect(again.upload.expiresAt).toBe(first.upload.expiresAt);
    expect(conflicting.errors![0].errorType).toBe('IdempotencyConflict');
  });

  it('deletes a blob with its upload, and answers null for it afterwards', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const subscription = await subscribeLabelsReady(cloud, blob.id);
    await curlUpload(upload, `${FIXTURES}horse.png`);
    await subscription.next();
    subscription.close();

    const deleted = await graphql<{ deleteBlob: { id: string } | null }>(cloud, 'mutation D($id: ID!) { deleteBlob(id: $id) { id } }', { id: blob.id });
    const again = await graphql<{ deleteBlob: { id: string } | null }>(cloud, 'mutation D($id: ID!) { deleteBlob(id: $id) { id } }', { id: blob.id });

    expect(deleted.data!.deleteBlob).toEqual({ id: blob.id });
    expect(again.data!.deleteBlob).toBeNull();
    expect(await getBlob(cloud, blob.id)).toBeNull();
  });

  it('tells the subscriber and the webhook receiver of a blob deleted before its upload that it is gone', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png', callbackUrl: receiver.url })).data!.createBlob;
    const subscription = await subscribeLabelsReady(cloud, blob.id);

    await graphql(cloud, 'mutation D($id: ID!) { deleteBlob(id: $id) { id } }', { id: blob.id });
    const last = await subscription.next();
    subscription.close();
    const webhook = await signedWebhookFor(blob.id);

    expect(last).toMatchObject({ id: blob.id, status: 'DELETED', labels: null, error: { code: 'BlobDeleted', retryable: false } });
    expect(webhook).toEqual({ blobId: blob.id, status: 'DELETED', labels: null, error: expect.objectContaining({ code: 'BlobDeleted' }) });
    // The URL of a deleted blob uploads nothing that is processed: the object has no record.
    expect((await curlUpload(upload, `${FIXTURES}horse.png`)).status).toBe(200);
    await cloud.uploadsIdle();
    expect(await getBlob(cloud, blob.id)).toBeNull();
  });

  it('refuses a second upload to a used upload URL with 412, keeping the labelled image', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    const subscription = await subscribeLabelsReady(cloud, blob.id);
    await curlUpload(upload, `${FIXTURES}horse.png`);
    const labelled = await subscription.next();
    subscription.close();

    const again = await curlUpload(upload, `${FIXTURES}chelsea.png`);

    expect(again.status).toBe(412);
    expect(again.body).toContain('<Code>PreconditionFailed</Code>');
    expect((await getBlob(cloud, blob.id))!.labels).toEqual(labelled.labels);
  });

  it('refuses the IAM-only publish mutation to a signed-in user', async () => {
    const result = await graphql(cloud, 'mutation P($input: BlobResultInput!) { publishBlobResult(input: $input) { id } }', {
      input: {
        id: 'forged',
        owner: 'forged',
        status: 'LABELLED',
        minConfidence: 55,
        maxLabels: 20,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        uploadExpiresAt: '2026-01-01T00:15:00.000Z',
      },
    });

    expect(result.errors![0].errorType).toBe('Unauthorized');
  });
});
