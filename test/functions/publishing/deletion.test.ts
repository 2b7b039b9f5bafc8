import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../../domain/blob.ts';
import type { Blob } from '../../../generated/graphql.ts';
import { callbackDeliverer } from '../../../functions/webhooks/delivery.ts';
import { announceDeletion, BLOB_DELETED, deletedBlob, detachedAttempts } from '../../../functions/publishing/deletion.ts';
import { PublishError } from '../../../functions/commons/errors.ts';
import { createLogger } from '../../../functions/commons/logger.ts';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.ts';
import { FakeClock } from '../support/fake-clock.ts';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const silent = createLogger('SILENT');
// The webhook's timestamp is checked against the real clock when verified.
const NOW = new Date();

function processing(overrides: Partial<BlobRecord> = {}): BlobRecord {
  return {
    id: '01JDELETEDTEST000000000000',
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'PROCESSING',
    contentType: 'image/png',
    size: 4096,
    minConfidence: 55,
    maxLabels: 20,
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:01:00.000Z',
    uploadExpiresAt: '2026-03-01T12:15:00.000Z',
    processingStartedAt: '2026-03-01T12:01:00.000Z',
    ...overrides,
  };
}

describe('deletedBlob', () => {
  it('is the blob as its subscribers last see it: DELETED, no labels, the BlobDeleted error', () => {
    expect(deletedBlob(processing(), NOW)).toMatchObject({
      id: '01JDELETEDTEST000000000000',
      owner: 'owner-sub-1',
      status: 'DELETED',
      labels: null,
      error: { code: 'BlobDeleted', retryable: false },
      updatedAt: NOW.toISOString(),
    });
  });
});

describe('announceDeletion', () => {
  let receiver: CallbackReceiver;
  let published: Blob[];
  const clock = new FakeClock(NOW.getTime());

  beforeEach(async () => {
    receiver = await startCallbackReceiver();
    published = [];
  });
  afterEach(() => receiver.close());

  function announce(record: BlobRecord, publish: (blob: Blob) => Promise<Blob> = async (blob) => (published.push(blob), blob)) {
    const settings = { callbackMaxAttempts: 5, callbackTimeoutMs: 1000, callbackAllowHttpLoopback: true };
    const deliver = callbackDeliverer(settings, detachedAttempts(record), async () => SECRET, clock, { random: () => 0.5 });
    return announceDeletion(record, { publisher: { publishBlob: publish }, deliver, now: () => NOW, log: silent });
  }

  it('publishes DELETED to labelsReady and sends a signed DELETED webhook', async () => {
    receiver.script({ status: 204 });
    const record = processing({ callback: { url: receiver.url, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null } });

    await announce(record);

    expect(published).toEqual([expect.objectContaining({ id: record.id, status: 'DELETED', error: BLOB_DELETED })]);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const verified = new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
    expect(verified).toEqual({ blobId: record.id, status: 'DELETED', labels: null, error: BLOB_DELETED });
  });

  it('retries the webhook although there is no record left to count attempts on', async () => {
    receiver.script({ status: 503 }, { status: 503 }, { status: 200 });
    const record = processing({ callback: { url: receiver.url, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null } });

    await announce(record);

    expect(receiver.received).toHaveLength(3);
  });

  it('sends no webhook for a blob without a callback URL', async () => {
    await announce(processing());

    expect(published).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);
  });

  it('still sends the webhook when publishing fails', async () => {
    receiver.script({ status: 200 });
    const record = processing({ callback: { url: receiver.url, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null } });

    await announce(record, () => Promise.reject(new PublishError('publishBlobResult failed with HTTP 500', 500)));

    expect(receiver.received).toHaveLength(1);
  });
});
