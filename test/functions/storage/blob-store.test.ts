import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../../domain/blob.ts';
import { BlobStore } from '../../../functions/storage/blob-store.ts';
import { type LocalTable, startLocalTable } from '../support/local-dynamodb.ts';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);
const LEASE_SECONDS = 120;

let counter = 0;

function pendingBlob(overrides: Partial<BlobRecord> = {}): BlobRecord {
  counter += 1;
  return {
    id: `01JSTORETEST${String(counter).padStart(14, '0')}`,
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'PENDING_UPLOAD',
    contentType: 'image/jpeg',
    minConfidence: 55,
    maxLabels: 20,
    createdAt: '2026-03-01T11:59:00.000Z',
    updatedAt: '2026-03-01T11:59:00.000Z',
    uploadExpiresAt: '2026-03-01T12:14:00.000Z',
    expiresAt: 1_772_452_740,
    ...overrides,
  };
}

describe('BlobStore against a DynamoDB engine', () => {
  let table: LocalTable;
  let store: BlobStore;

  beforeAll(async () => {
    table = await startLocalTable();
    store = new BlobStore(table.doc, table.tableName);
  });

  afterAll(async () => {
    await table.close();
  });

  async function put(record: BlobRecord | Record<string, unknown>): Promise<void> {
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: record }));
  }

  let blob: BlobRecord;
  beforeEach(async () => {
    blob = pendingBlob();
    await put(blob);
  });

  describe('startProcessing', () => {
    it('moves a pending upload to PROCESSING, takes a lease and drops the TTL', async () => {
      const result = await store.startProcessing(blob.id, T0, LEASE_SECONDS);

      expect(result).toMatchObject({ started: true, lease: T0.toISOString(), tookOver: false });
      const stored = await store.get(blob.id);
      expect(stored).toMatchObject({ status: 'PROCESSING', processingStartedAt: T0.toISOString(), updatedAt: T0.toISOString() });
      expect(stored).not.toHaveProperty('expiresAt');
    });

    it('refuses a second start while the lease holds (a duplicate S3 event), telling who holds it since when', async () => {
      await store.startProcessing(blob.id, T0, LEASE_SECONDS);

      const duplicate = await store.startProcessing(blob.id, seconds(5), LEASE_SECONDS);

      expect(duplicate).toMatchObject({ started: false, current: { status: 'PROCESSING', processingStartedAt: T0.toISOString() } });
    });

    it('lets a later attempt take over once the lease has passed', async () => {
      await store.startProcessing(blob.id, T0, LEASE_SECONDS);

      const takeover = await store.startProcessing(blob.id, seconds(LEASE_SECONDS + 1), LEASE_SECONDS);

      expect(takeover).toMatchObject({ started: true, tookOver: true, lease: seconds(LEASE_SECONDS + 1).toISOString() });
    });

    it('never moves a final blob back', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      await store.markLabelled(blob.id, lease, { labels: [], size: 10, now: seconds(1) });

      const replay = await store.startProcessing(blob.id, seconds(3600), LEASE_SECONDS);

      expect(replay.started).toBe(false);
      expect((await store.get(blob.id))?.status).toBe('LABELLED');
    });

    it('does nothing for a blob that does not exist', async () => {
      await expect(store.startProcessing('01JNOSUCHBLOB0000000000000', T0, LEASE_SECONDS)).resolves.toEqual({
        started: false,
        current: null,
      });
    });

    it('ignores records that are not blobs (idempotency keys share the table)', async () => {
      await put({ id: 'idempotency#key-1', blobId: blob.id, fingerprint: 'f', expiresAt: 1 });

      await expect(store.startProcessing('idempotency#key-1', T0, LEASE_SECONDS)).resolves.toMatchObject({ started: false });
      await expect(store.get('idempotency#key-1')).resolves.toBeNull();
    });
  });

  describe('announcement', () => {
    it('is pending from the final transition until the attempt marks it done', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };

      const labelled = await store.markLabelled(blob.id, lease, { labels: [], size: 1, now: seconds(2) });
      await store.finishAnnouncing(blob.id, labelled.announcingSince!);

      expect(labelled.announcingSince).toBe(seconds(2).toISOString());
      expect(await store.get(blob.id)).not.toHaveProperty('announcingSince');
    });

    it('is taken over only once the announcing attempt’s lease has passed', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      await store.markLabelled(blob.id, lease, { labels: [], size: 1, now: seconds(1) });

      const early = await store.claimAnnouncement(blob.id, seconds(30), LEASE_SECONDS);
      const late = await store.claimAnnouncement(blob.id, seconds(LEASE_SECONDS + 2), LEASE_SECONDS);
      const again = await store.claimAnnouncement(blob.id, seconds(LEASE_SECONDS + 3), LEASE_SECONDS);

      expect(early).toMatchObject({ claimed: false, current: { status: 'LABELLED', announcingSince: seconds(1).toISOString() } });
      expect(late).toMatchObject({ claimed: true, since: seconds(LEASE_SECONDS + 2).toISOString(), record: { status: 'LABELLED' } });
      expect(again.claimed).toBe(false);
    });

    it('cannot be taken over once it is done', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      const labelled = await store.markLabelled(blob.id, lease, { labels: [], size: 1, now: seconds(1) });
      await store.finishAnnouncing(blob.id, labelled.announcingSince!);

      const claim = await store.claimAnnouncement(blob.id, seconds(3600), LEASE_SECONDS);

      expect(claim).toMatchObject({ claimed: false, current: { status: 'LABELLED' } });
    });
  });

  describe('final transitions', () => {
    it('labels a blob under its lease, with labels, size and labelledAt', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      const labels = [{ name: 'Cat', confidence: 99, parents: ['Animal'], aliases: [], categories: [], instances: [] }];

      const labelled = await store.markLabelled(blob.id, lease, { labels, size: 4096, now: seconds(2) });

      expect(labelled).toMatchObject({ status: 'LABELLED', labels, size: 4096, labelledAt: seconds(2).toISOString() });
      expect(labelled).not.toHaveProperty('processingStartedAt');
    });

    it.each(['markRejected', 'markFailed'] as const)('%s records the error', async (transition) => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      const error = { code: 'InvalidImageFormatException', message: 'bad', retryable: false };

      const finished = await store[transition](blob.id, lease, { error, size: 400, now: seconds(1) });

      expect(finished).toMatchObject({ status: transition === 'markRejected' ? 'REJECTED' : 'FAILED', error, size: 400 });
      expect(finished).not.toHaveProperty('labelledAt');
    });

    it('refuses a transition from an attempt whose lease was taken over', async () => {
      const first = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      await store.startProcessing(blob.id, seconds(LEASE_SECONDS + 1), LEASE_SECONDS);

      const late = store.markLabelled(blob.id, first.lease, { labels: [], size: 1, now: seconds(LEASE_SECONDS + 2) });

      await expect(late).rejects.toMatchObject({ code: 'StaleRecord' });
    });

    it('refuses to finish a blob twice', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };
      await store.markLabelled(blob.id, lease, { labels: [], size: 1, now: seconds(1) });

      const again = store.markFailed(blob.id, lease, { error: { code: 'X', message: 'x', retryable: true }, now: seconds(2) });

      await expect(again).rejects.toMatchObject({ code: 'StaleRecord' });
      expect((await store.get(blob.id))?.status).toBe('LABELLED');
    });

    it('releases a lease so that a retry can start at once', async () => {
      const { lease } = (await store.startProcessing(blob.id, T0, LEASE_SECONDS)) as { lease: string };

      await store.releaseLease(blob.id, lease, seconds(1));
      const retry = await store.startProcessing(blob.id, seconds(2), LEASE_SECONDS);

      expect(retry).toMatchObject({ started: true, tookOver: true });
    });
  });

  describe('recordCallbackAttempt', () => {
    async function labelledWithCallback(): Promise<BlobRecord> {
      const record = pendingBlob({
        status: 'LABELLED',
        labels: [],
        callback: { url: 'https://hooks.example.com/x', status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null },
      });
      await put(record);
      return record;
    }

    it('counts attempts and records the last error', async () => {
      const record = await labelledWithCallback();

      await store.recordCallbackAttempt(record.id, { status: 'PENDING', at: seconds(1), error: 'HTTP 500' });
      const updated = await store.recordCallbackAttempt(record.id, { status: 'FAILED', at: seconds(2), error: 'HTTP 503' });

      expect(updated.callback).toMatchObject({ status: 'FAILED', attempts: 2, lastAttemptAt: seconds(2).toISOString(), lastError: 'HTTP 503' });
    });

    it('marks a delivery with its time and clears the last error', async () => {
      const record = await labelledWithCallback();
      await store.recordCallbackAttempt(record.id, { status: 'PENDING', at: seconds(1), error: 'HTTP 500' });

      const delivered = await store.recordCallbackAttempt(record.id, { status: 'DELIVERED', at: seconds(3) });

      expect(delivered.callback).toMatchObject({ status: 'DELIVERED', attempts: 2, deliveredAt: seconds(3).toISOString() });
      expect(delivered.callback).not.toHaveProperty('lastError');
      expect(delivered.status).toBe('LABELLED');
    });

    it('refuses a blob that is not final', async () => {
      const attempt = store.recordCallbackAttempt(blob.id, { status: 'DELIVERED', at: seconds(1) });

      await expect(attempt).rejects.toMatchObject({ code: 'StaleRecord' });
    });
  });
});
