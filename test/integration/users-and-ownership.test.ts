// Users and ownership through the whole local cloud, with real tokens from its user pool: each operation sees only
// the caller's blobs, tokens are checked as AppSync checks them, the upload quota holds under concurrency, and a
// request is bounded in the resolvers it may run.
import { join } from 'node:path';
import { generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';
import { loadOrCreateKeys } from '../../local/cognito/keys.ts';
import {
  BLOB,
  withBlobFields,
  createBlob,
  curlUpload,
  FIXTURES,
  getBlob,
  graphql,
  removeDataDir,
  startTestCloud,
  subscribeLabelsReady,
} from './support/local-service.ts';
import { signUp, type TestUser } from './support/users.ts';

const LIST = `query List($owner: ID) { blobs(limit: 100, owner: $owner) { items { id } } }`;

describe('users and ownership in the local cloud', () => {
  let cloud: LocalCloud;
  let alice: TestUser;
  let bob: TestUser;
  let blobId: string;

  beforeAll(async () => {
    cloud = await startTestCloud(undefined, { uploadQuotaPerDay: 30 });
    [alice, bob] = await Promise.all([signUp(cloud), signUp(cloud)]);
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png', callbackUrl: 'http://127.0.0.1:9/hook' }, alice)).data!.createBlob;
    blobId = blob.id;
    const subscription = await subscribeLabelsReady(cloud, blob.id, alice);
    await curlUpload(upload, `${FIXTURES}horse.png`);
    await subscription.next();
    subscription.close();
  });

  afterAll(async () => {
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  describe("another user's blob, for every operation", () => {
    it('reads as null, exactly as an id that does not exist', async () => {
      const theirs = await graphql(cloud, `query Q($id: ID!) { blob(id: $id) { id } }`, { id: blobId }, bob);
      const unknown = await graphql(cloud, `query Q($id: ID!) { blob(id: $id) { id } }`, { id: '01NOSUCHBLOB0000000000000' }, bob);

      expect(theirs).toEqual(unknown);
      expect(theirs.data).toEqual({ blob: null });
    });

    it('is never listed, and its owner cannot be named by anyone but an admin', async () => {
      const listed = await graphql<{ blobs: { items: Array<{ id: string }> } }>(cloud, LIST, {}, bob);
      const named = await graphql(cloud, LIST, { owner: alice.sub }, bob);

      expect(listed.data!.blobs.items).toEqual([]);
      expect(named.errors?.map((error) => error.errorType)).toEqual(['Unauthorized']);
    });

    it('cannot be deleted: null, and its owner still reads it afterwards', async () => {
      const deleted = await graphql(cloud, `mutation D($id: ID!) { deleteBlob(id: $id) { id } }`, { id: blobId }, bob);

      expect(deleted).toMatchObject({ data: { deleteBlob: null } });
      expect(deleted.errors).toBeUndefined();
      expect((await getBlob(cloud, blobId, alice))?.status).toBe('LABELLED');
    });

    it('cannot be redelivered: NotFound, as an unknown id', async () => {
      const theirs = await graphql(cloud, `mutation R($id: ID!) { redeliverCallback(id: $id) { id } }`, { id: blobId }, bob);
      const unknown = await graphql(cloud, `mutation R($id: ID!) { redeliverCallback(id: $id) { id } }`, { id: '01NOSUCHBLOB0000000000000' }, bob);

      expect(theirs.errors?.map((error) => error.errorType)).toEqual(['NotFound']);
      expect(theirs.errors?.map((error) => error.errorType)).toEqual(unknown.errors?.map((error) => error.errorType));
    });

    it('cannot be subscribed to, exactly as an id that does not exist', async () => {
      const theirs = await subscribeLabelsReady(cloud, blobId, bob).then(() => 'subscribed', (error: Error) => error.message);
      const unknown = await subscribeLabelsReady(cloud, '01NOSUCHBLOB0000000000000', bob).then(() => 'subscribed', (error: Error) => error.message);

      expect(theirs).toMatch(/subscription refused.*Unauthorized/);
      expect(theirs.replace(blobId, 'ID')).toBe(unknown.replace('01NOSUCHBLOB0000000000000', 'ID'));
    });

    it("cannot be given a forged result: publishBlobResult refuses a signed-in user, and the owner's subscriber never hears it", async () => {
      const { blob } = (await createBlob(cloud, { contentType: 'image/png' }, alice)).data!.createBlob;
      const subscription = await subscribeLabelsReady(cloud, blob.id, alice);
      const forgedInput = {
        id: blob.id, owner: alice.sub, status: 'LABELLED', minConfidence: 55, maxLabels: 20,
        labels: [{ name: 'Forged', confidence: 99, parents: [], aliases: [], categories: [], instances: [] }],
        createdAt: blob.createdAt, updatedAt: blob.updatedAt, uploadExpiresAt: blob.uploadExpiresAt,
      };

      const forged = await graphql(cloud, `mutation P($input: BlobResultInput!) { publishBlobResult(input: $input) { id } }`, { input: forgedInput }, bob);
      // The next event on the subscription is the real one that follows: the owner's deletion.
      await graphql(cloud, `mutation D($id: ID!) { deleteBlob(id: $id) { id } }`, { id: blob.id }, alice);
      const heard = await subscription.next();
      subscription.close();

      expect(forged.errors?.map((error) => error.errorType)).toEqual(['Unauthorized']);
      expect(forged.data).toEqual({ publishBlobResult: null });
      expect(heard.status).toBe('DELETED');
    });

    it("shows nothing of it in the owner's own list either way: the owner sees exactly their blob", async () => {
      const listed = await graphql<{ blobs: { items: Array<{ id: string }> } }>(cloud, LIST, {}, alice);

      expect(listed.data!.blobs.items).toEqual([{ id: blobId }]);
    });
  });

  describe('tokens, checked as AppSync checks them', () => {
    const QUERY = `{ blobs { items { id } } }`;
    let poolKeys: Awaited<ReturnType<typeof loadOrCreateKeys>>;

    beforeAll(async () => {
      poolKeys = await loadOrCreateKeys(join(cloud.dataDir, 'cognito'));
    });

    /** Alice's ID token, re-signed with the pool's own key after `change`: only what the change breaks is wrong. */
    async function forged(change: (claims: Record<string, unknown>) => Record<string, unknown>, key: CryptoKey = poolKeys.privateKey): Promise<string> {
      const claims = change({ ...decodeJwt(alice.idToken) });
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(alice.idToken).kid! }).sign(key);
    }

    it('accepts the ID token and the access token', async () => {
      expect((await graphql(cloud, QUERY, {}, { authorization: alice.idToken })).errors).toBeUndefined();
      expect((await graphql(cloud, QUERY, {}, { authorization: alice.accessToken })).errors).toBeUndefined();
      expect(await forged((claims) => claims)).toBeTruthy();
    });

    it.each<[string, () => Promise<string | null>]>([
      ['no token', async () => null],
      ['an expired token', () => forged((claims) => ({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }))],
      ['a token of another issuer', () => forged((claims) => ({ ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }))],
      ['a token of another client', () => forged((claims) => ({ ...claims, aud: 'someotherclient000000000' }))],
      ['a token that is neither an ID nor an access token', () => forged((claims) => ({ ...claims, token_use: 'refresh' }))],
      ['a token signed by another key', async () => forged((claims) => claims, (await generateKeyPair('RS256')).privateKey)],
      ['a token with alg none', async () => {
        const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodeJwt(alice.idToken))}.`;
      }],
      ['a tampered signature', async () => {
        const [header, payload, signature] = alice.idToken.split('.');
        return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      }],
      ['a tampered payload (another sub)', async () => {
        const [header, , signature] = alice.idToken.split('.');
        const payload = Buffer.from(JSON.stringify({ ...decodeJwt(alice.idToken), sub: bob.sub })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      }],
      ['a token with a Bearer prefix', async () => `Bearer ${alice.idToken}`],
    ])('refuses %s with UnauthorizedException (401)', async (_case, token) => {
      const value = await token();

      const result = await graphql(cloud, QUERY, {}, value === null ? 'anonymous' : { authorization: value });

      expect(result.status).toBe(401);
      expect(result.errors?.map((error) => error.errorType)).toEqual(['UnauthorizedException']);
    });

    it('refuses a subscription with a forged token', async () => {
      const expired = await forged((claims) => ({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }));

      await expect(subscribeLabelsReady(cloud, blobId, { authorization: expired })).rejects.toThrow(/UnauthorizedException/);
    });
  });

  describe('the upload quota', () => {
    it('lets 50 concurrent creates at the edge create exactly what is left, then answers QuotaExceeded with the reset time', async () => {
      const carol = await signUp(cloud);
      await Promise.all(Array.from({ length: 25 }, () => createBlob(cloud, { contentType: 'image/png' }, carol)));

      const results = await Promise.all(Array.from({ length: 50 }, () => createBlob(cloud, { contentType: 'image/png' }, carol)));

      const refused = results.filter((result) => result.errors?.[0]?.errorType === 'QuotaExceeded');
      expect(results.filter((result) => !result.errors)).toHaveLength(5);
      expect(refused).toHaveLength(45);
      expect(refused[0].errors![0].errorInfo).toEqual({ limit: 30, resetsAt: expect.stringMatching(/T00:00:00\.000Z$/) });
      const listed = await graphql<{ blobs: { items: unknown[] } }>(cloud, LIST, {}, carol);
      expect(listed.data!.blobs.items).toHaveLength(30);
    });
  });

  describe('request bounds', () => {
    it('refuses a mutation with 10,001 aliased fields before running any of them', async () => {
      const dave = await signUp(cloud);
      const { blob } = (await createBlob(cloud, { contentType: 'image/png' }, dave)).data!.createBlob;
      const aliases = Array.from({ length: 10_001 }, (_, index) => `d${index}: deleteBlob(id: "${blob.id}") { id }`).join(' ');

      const result = await graphql(cloud, `mutation { ${aliases} }`, {}, dave);

      expect(result.errors?.[0]?.errorType).toBe('ResolverExecutionLimitReached');
      expect((await getBlob(cloud, blob.id, dave))?.id).toBe(blob.id);
    });

    it('answers a query selecting every field well within its depth limit', async () => {
      const result = await graphql(cloud, withBlobFields(`query Q($id: ID!) { blob(id: $id) { ${BLOB} } }`), { id: blobId }, alice);

      expect(result.errors).toBeUndefined();
    });
  });
});
