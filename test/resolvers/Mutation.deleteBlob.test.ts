import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateBlobPayload } from '../../generated/graphql.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe('deleteBlob', () => {
  it('deletes the uploaded object and the record, and returns the deleted blob', async () => {
    const created = ((await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png' } })).data as CreateBlobPayload).blob;

    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: created.id });

    expect(errors).toEqual([]);
    expect(data).toEqual(created);
    expect(h.lambdaEvents['delete-object']).toEqual([{ id: created.id }]);
    expect(await h.table.scanAll()).toEqual([]);
    expect((await h.resolve('Query', 'blob', { id: created.id })).data).toBeNull();
  });

  it('returns null for an unknown id', async () => {
    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: 'no-such-blob' });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
  });

  it('does not delete a record that is not a blob', async () => {
    await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png', idempotencyKey: 'k' } });

    const { data } = await h.resolve('Mutation', 'deleteBlob', { id: 'idempotency#k' });

    expect(data).toBeNull();
    expect(await h.table.scanAll()).toHaveLength(2);
  });

  it.each([[''], ['idempotency#k'], ['../other-stage/x']])('answers null for %j, an id no blob can have, without touching S3', async (id) => {
    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
    expect(h.lambdaEvents['delete-object'] ?? []).toEqual([]);
  });

  it('keeps the record when the object cannot be deleted', async () => {
    const created = ((await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png' } })).data as CreateBlobPayload).blob;
    h.lambdas['delete-object'] = async () => {
      throw new Error('S3 unavailable');
    };

    const { data, errors } = await h.resolve('Mutation', 'deleteBlob', { id: created.id });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'InternalError' })]);
    expect(await h.table.scanAll()).toHaveLength(1);
  });
});
