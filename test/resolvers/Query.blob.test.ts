import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Blob, CreateBlobPayload } from '../../generated/graphql.ts';
import { ADMIN, BOB, iamIdentity, startHarness, T0, type Harness } from './support/harness.ts';

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

  it.each([
    ['an empty id', ''],
    ['an id of 3,000 characters, longer than a DynamoDB key may be', 'x'.repeat(3000)],
    ['the id of a quota counter', 'quota#alice#2026-03-01'],
  ])(
    'answers null for %s, which no blob can have, as for an unknown id (no error from the table)',
    async (_case, id) => {
      const { data, errors } = await h.resolve('Query', 'blob', { id });

      expect(data).toBeNull();
      expect(errors).toEqual([]);
    },
  );

  it("answers another user's blob exactly as an unknown id", async () => {
    const created = await createBlob();

    const theirs = await h.resolve('Query', 'blob', { id: created.id }, BOB);
    const unknown = await h.resolve('Query', 'blob', { id: 'no-such-blob' }, BOB);

    expect(theirs).toEqual(unknown);
    expect(theirs).toEqual({ data: null, errors: [] });
  });

  it('lets a member of admins read any blob', async () => {
    const created = await createBlob();

    const { data } = await h.resolve('Query', 'blob', { id: created.id }, ADMIN);

    expect(data).toEqual(created);
  });

  it('lets a trusted back end (IAM) read only what it created, as the role and not the session', async () => {
    const session = (name: string) => iamIdentity(`arn:aws:sts::123456789012:assumed-role/uploader/${name}`);
    const created = ((await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png' } }, session('a'))).data as CreateBlobPayload).blob;

    expect(created.owner).toBe('arn:aws:sts::123456789012:assumed-role/uploader');
    expect((await h.resolve('Query', 'blob', { id: created.id }, session('b'))).data).toEqual(created);
    expect((await h.resolve('Query', 'blob', { id: created.id })).data).toBeNull();
  });

  it('refuses a caller with no identity (an API key) with Unauthorized', async () => {
    const created = await createBlob();

    const { data, errors } = await h.resolve('Query', 'blob', { id: created.id }, null);

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });
});
