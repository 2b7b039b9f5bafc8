import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import type { AnnounceDeletionRequest } from '../../domain/lambda-payloads.ts';
import type { Blob, CreateBlobPayload } from '../../generated/graphql.ts';
import { ADMIN, BOB, startHarness, type Harness } from './support/harness.ts';
import { unmarshalled } from './support/items.ts';
import { labelledRecord, storeRecord } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const create = async () => ((await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png' } })).data as CreateBlobPayload).blob;
const blobRecords = async () => unmarshalled<BlobRecord>(await h.table.scanAll()).filter((item) => item.entity === 'Blob');

describe('deleteBlob', () => {
  it('deletes the uploaded object and the record, and returns the deleted blob', async () => {
    const created = await create();

    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: created.id });

    expect(errors).toEqual([]);
    expect(data).toEqual(created);
    expect(h.lambdaEvents['delete-object']).toEqual([{ id: created.id }]);
    expect(await blobRecords()).toEqual([]);
    expect((await h.resolve('Query', 'blob', { id: created.id })).data).toBeNull();
  });

  it('returns null for an unknown id', async () => {
    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: 'no-such-blob' });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
  });

  it("answers another user's blob as an unknown id and leaves it, its object and its owner's view untouched", async () => {
    const created = await create();

    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: created.id }, BOB);

    expect(data).toBeNull();
    expect(errors).toEqual([]);
    expect(h.lambdaEvents['delete-object']).toEqual([]);
    expect((await h.resolve('Query', 'blob', { id: created.id })).data).toEqual(created);
  });

  it('lets an admin read but not delete the blob of another user', async () => {
    const created = await create();

    const { data } = await h.resolve('Mutation', 'deleteBlob', { id: created.id }, ADMIN);

    expect(data).toBeNull();
    expect(await blobRecords()).toHaveLength(1);
  });

  it.each([[''], ['idempotency#k'], ['../other-stage/x']])('answers null for %j, an id no blob can have, without touching S3', async (id) => {
    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
    expect(h.lambdaEvents['delete-object']).toEqual([]);
  });

  it('keeps the record when the object cannot be deleted', async () => {
    const created = await create();
    h.lambdas['delete-object'] = async () => {
      throw new Error('S3 unavailable');
    };

    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: created.id });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'InternalError' })]);
    expect(await blobRecords()).toHaveLength(1);
  });

  it.each(['PENDING_UPLOAD', 'PROCESSING'] as const)(
    'announces the deletion of a %s blob in the background, with the record as it was',
    async (status) => {
      const record = labelledRecord({ status, labels: undefined, labelledAt: undefined, callback: undefined, uploadExpiresAt: '2026-03-01T12:15:00.000Z' });
      await storeRecord(h, record);

      const { data } = await h.resolve('Mutation', 'deleteBlob', { id: record.id });

      expect((data as Blob).status).toBe(status);
      const [announced] = h.lambdaEvents['announce-deletion'] as AnnounceDeletionRequest[];
      expect(announced.record).toMatchObject({ id: record.id, owner: record.owner, status });
    },
  );

  it.each(['LABELLED', 'FAILED', 'REJECTED'] as const)('announces nothing for a %s blob, whose result was already sent', async (status) => {
    await storeRecord(h, labelledRecord({ status }));

    await h.resolve('Mutation', 'deleteBlob', { id: 'blob-1' });

    expect(h.lambdaEvents['announce-deletion']).toEqual([]);
    expect(await blobRecords()).toEqual([]);
  });
});
