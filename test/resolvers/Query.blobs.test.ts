import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobConnection, CreateBlobPayload } from '../../generated/graphql.ts';
import { ADMIN, ALICE, BOB, startHarness, T0, type Harness } from './support/harness.ts';
import type { Identity } from '../../local/appsync/runtime/types.ts';
import { ALICE_SUB } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Creates `count` blobs one second apart as `identity` and returns their ids, oldest first. */
async function createBlobs(count: number, identity: Identity = ALICE): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    h.clock.now = T0 + i * 1000;
    const { data } = await h.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png', idempotencyKey: `key-${i}` } }, identity);
    ids.push((data as CreateBlobPayload).blob.id);
  }
  return ids;
}

const blobs = async (args: { limit?: number; nextToken?: string | null; owner?: string }, identity: Identity = ALICE) =>
  h.resolve('Query', 'blobs', args, identity);

describe('blobs', () => {
  it('lists blobs newest first, page by page, without duplicates or gaps', async () => {
    const ids = await createBlobs(7);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let nextToken: string | null = null;
    do {
      const { data, errors } = await blobs({ limit: 3, nextToken });
      expect(errors).toEqual([]);
      const page = data as BlobConnection;
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((b) => b.id));
      nextToken = page.nextToken;
    } while (nextToken);

    expect(seen).toEqual([...ids].reverse());
    expect(pageSizes.slice(0, 3)).toEqual([3, 3, 1]);
  });

  it('returns 20 blobs when no limit is given', async () => {
    await createBlobs(21);

    const { data } = await blobs({});

    expect((data as BlobConnection).items).toHaveLength(20);
    expect((data as BlobConnection).nextToken).toEqual(expect.any(String));
  });

  it('never lists idempotency records', async () => {
    await createBlobs(2);

    const { data } = await blobs({ limit: 100 });

    expect((data as BlobConnection).items.map((b) => b.id)).not.toContainEqual(expect.stringContaining('idempotency#'));
    expect((data as BlobConnection).items).toHaveLength(2);
  });

  it.each([0, 101, -5])('refuses limit %d with a ValidationError', async (limit) => {
    const { data, errors } = await blobs({ limit });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'limit' } })]);
  });

  it('refuses a nextToken it did not issue with a ValidationError', async () => {
    const { data, errors } = await blobs({ nextToken: 'bm90LWEtdG9rZW4=' });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } })]);
  });

  it("refuses another owner's nextToken with a ValidationError, showing none of that owner's blobs", async () => {
    await createBlobs(4, ALICE);
    await createBlobs(2, BOB);
    const alicesToken = ((await blobs({ limit: 1 })).data as BlobConnection).nextToken;

    const { data, errors } = await blobs({ limit: 100, nextToken: alicesToken }, BOB);

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } })]);
  });

  it('refuses a nextToken of another table or index, as one it did not issue', async () => {
    await createBlobs(2);
    const token = ((await blobs({ limit: 1 })).data as BlobConnection).nextToken!;
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    const ofTable = Buffer.from(JSON.stringify({ ...decoded, i: null }), 'utf8').toString('base64');

    const { data, errors } = await blobs({ nextToken: ofTable });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } })]);
  });

  it("lists only the caller's own blobs", async () => {
    const alices = await createBlobs(3, ALICE);
    const bobs = await createBlobs(2, BOB);

    const forAlice = (await blobs({ limit: 100 })).data as BlobConnection;
    const forBob = (await blobs({ limit: 100 }, BOB)).data as BlobConnection;

    expect(forAlice.items.map((b) => b.id)).toEqual([...alices].reverse());
    expect(forBob.items.map((b) => b.id)).toEqual([...bobs].reverse());
  });

  it("refuses another owner's list to anyone but an admin, and shows it to an admin", async () => {
    const alices = await createBlobs(2, ALICE);

    const refused = await blobs({ owner: ALICE_SUB }, BOB);
    const allowed = (await blobs({ owner: ALICE_SUB }, ADMIN)).data as BlobConnection;

    expect(refused).toEqual({ data: null, errors: [expect.objectContaining({ errorType: 'Unauthorized', errorInfo: { field: 'owner' } })] });
    expect(allowed.items.map((b) => b.id)).toEqual([...alices].reverse());
  });

  it('answers an empty page for an owner with no blobs, reading nothing else', async () => {
    const { data, errors } = await blobs({});

    expect(errors).toEqual([]);
    expect(data).toEqual({ items: [], nextToken: null });
  });

  it("leaves out a blob deleted between the index read and the page read, and never another user's", async () => {
    const [first, second] = await createBlobs(2);
    await h.resolve('Mutation', 'deleteBlob', { id: first });

    const page = (await blobs({})).data as BlobConnection;

    expect(page.items.map((b) => b.id)).toEqual([second]);
  });
});
