import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Blob, CreateBlobPayload } from '../../generated/graphql.ts';
import { startHarness, T0, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const createBlob = async (idempotencyKey?: string) =>
  ((await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png', idempotencyKey } })).data as CreateBlobPayload).blob;

describe('blob', () => {
  it('returns the stored blob', async () => {
    const created = await createBlob();

    const { data, errors } = await h.resolve('Query', 'blob', { id: created.id });

    expect(errors).toEqual([]);
    expect(data).toEqual(created);
  });

  it('reads a pending upload as EXPIRED once its upload URL has expired', async () => {
    const created = await createBlob();
    h.clock.now = T0 + 15 * 60 * 1000 + 1;

    const { data } = await h.resolve('Query', 'blob', { id: created.id });

    expect((data as Blob).status).toBe('EXPIRED');
  });

  it('still reads PENDING_UPLOAD at the last millisecond of the upload window', async () => {
    const created = await createBlob();
    h.clock.now = T0 + 15 * 60 * 1000;

    const { data } = await h.resolve('Query', 'blob', { id: created.id });

    expect((data as Blob).status).toBe('PENDING_UPLOAD');
  });

  it('returns null for an unknown id', async () => {
    const { data, errors } = await h.resolve('Query', 'blob', { id: 'no-such-blob' });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
  });

  it('returns null for the id of a record that is not a blob', async () => {
    await createBlob('key-1');

    const { data, errors } = await h.resolve('Query', 'blob', { id: 'idempotency#key-1' });

    expect(data).toBeNull();
    expect(errors).toEqual([]);
  });
});
