// Two users of an unmodified aws-amplify v6 client, configured from the amplify_outputs.json the local cloud wrote
// (plus the user pool endpoint override), sign up and sign in with Amplify's default flow (SRP). A labels a photo
// through the whole local cloud; B can neither read, list, delete, redeliver nor subscribe to A's blob.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';
import { AmplifyUser } from './support/amplify-driver.ts';
import { curlUpload, FIXTURES, removeDataDir, startTestCloud } from './support/local-service.ts';

const CREATE = `mutation Create($input: CreateBlobInput!) {
  createBlob(input: $input) { blob { id owner status } upload { url method headers expiresAt } }
}`;
const READ = 'query Read($id: ID!) { blob(id: $id) { id status labels { name } } }';
const LIST = 'query List { blobs(limit: 100) { items { id } } }';
const SUBSCRIBE = 'subscription Ready($id: ID!) { labelsReady(id: $id) { id owner status labels { name } } }';

describe('two users of an unmodified aws-amplify v6 client against the local cloud', () => {
  let cloud: LocalCloud;
  let alice: AmplifyUser;
  let bob: AmplifyUser;
  let aliceSub: string;

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-amplify-'));
    cloud = await startTestCloud(dataDir, { amplifyOutputsPath: join(dataDir, 'amplify_outputs.json') });
    alice = new AmplifyUser(cloud);
    bob = new AmplifyUser(cloud);
  });

  afterAll(async () => {
    alice?.close();
    bob?.close();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('signs both up and in with the default SRP flow', async () => {
    for (const user of [alice, bob]) {
      expect((await user.next('signed-up')).detail).toEqual({ isSignUpComplete: true });
      const signedIn = (await user.next('signed-in')).detail as { isSignedIn: boolean; sub: string; userId: string };
      expect(signedIn.isSignedIn).toBe(true);
      expect(signedIn.sub).toBe(signedIn.userId);
      if (user === alice) aliceSub = signedIn.sub;
    }
  });

  it("labels A's photo end to end, and keeps it from B whatever B tries", async () => {
    // A creates a blob, subscribes, uploads, and hears the labels.
    const created = await alice.graphql(CREATE, { input: { contentType: 'image/png', callbackUrl: 'http://127.0.0.1:9/hook' } });
    const { blob, upload } = (created.data as { createBlob: { blob: { id: string; owner: string }; upload: { url: string; method: string; headers: string; expiresAt: string } } }).createBlob;
    expect(blob.owner).toBe(aliceSub);
    alice.send({ op: 'subscribe', tag: 'a', query: SUBSCRIBE, variables: { id: blob.id } });
    await alice.next('connection', undefined, 30_000);
    // B's subscription to A's blob is refused at subscribe time.
    bob.send({ op: 'subscribe', tag: 'b', query: SUBSCRIBE, variables: { id: blob.id } });
    const refused = await bob.next('subscription-error', 'b', 30_000);
    expect(JSON.stringify(refused.detail)).toMatch(/Unauthorized|Not Authorized/);

    expect((await curlUpload(upload, `${FIXTURES}chelsea.png`)).status).toBe(200);
    const event = (await alice.next('data', 'a', 60_000)).detail as { labelsReady: { id: string; owner: string; status: string; labels: Array<{ name: string }> } };
    expect(event.labelsReady).toMatchObject({ id: blob.id, owner: aliceSub, status: 'LABELLED' });
    expect(event.labelsReady.labels.map((label) => label.name)).toContain('Cat');

    // B: reading, listing, deleting and redelivering A's blob all behave as for a blob that does not exist.
    expect((await bob.graphql(READ, { id: blob.id })).data).toEqual({ blob: null });
    expect((await bob.graphql(LIST)).data).toEqual({ blobs: { items: [] } });
    expect((await bob.graphql('mutation D($id: ID!) { deleteBlob(id: $id) { id } }', { id: blob.id })).data).toEqual({ deleteBlob: null });
    const redelivered = await bob.graphql('mutation R($id: ID!) { redeliverCallback(id: $id) { id } }', { id: blob.id });
    expect(redelivered.errors?.map((error) => error.errorType)).toEqual(['NotFound']);
    expect(bob.seen('data', 'b')).toEqual([]);

    // A still reads and lists it.
    expect((await alice.graphql(READ, { id: blob.id })).data).toMatchObject({ blob: { id: blob.id, status: 'LABELLED' } });
    expect((await alice.graphql(LIST)).data).toEqual({ blobs: { items: [{ id: blob.id }] } });
  });

  it('signs out', async () => {
    alice.send({ op: 'signOut', tag: 'out' });

    expect((await alice.next('signed-out', 'out')).event).toBe('signed-out');
  });
});
