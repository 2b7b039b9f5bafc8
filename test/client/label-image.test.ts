// The client package as an app uses it (`@image-labels/client`, resolved through its exports to the Node build)
// against the local cloud, configured from its amplify_outputs.json: the HTTPS endpoint with its self-signed
// certificate, user pool tokens or IAM. The realtime connection goes through a TCP proxy the tests cut.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configFromAmplifyOutputs,
  createClient,
  isQuotaExceeded,
  userPoolAuth,
  type ApiConfig,
  type ImageLabelsClient,
  type LabelImageProgress,
} from '@image-labels/client';
import { iamAuth } from '@image-labels/client/iam';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';
import { signUp } from '../integration/support/users.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const FIXTURES = new URL('../fixtures/images/', import.meta.url);
const UPLOAD_QUOTA_PER_DAY = 5;
const RESULT_TIMEOUT_MS = 60_000;

let dataDir: string;
let cloud: LocalCloud;
let config: ApiConfig;
let proxy: TcpProxy;
let chelsea: Buffer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'client-'));
  cloud = await startLocalCloud({ dataDir, ports: FREE_PORTS, quiet: true, uploadQuotaPerDay: UPLOAD_QUOTA_PER_DAY });
  config = configFromAmplifyOutputs(JSON.parse(JSON.stringify(cloud.amplifyOutputs)));
  const https = new URL(config.graphqlUrl);
  proxy = await startTcpProxy(https.hostname, Number(https.port));
  chelsea = await readFile(new URL('chelsea.png', FIXTURES));
});

afterAll(async () => {
  await proxy?.close();
  await cloud?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A client of a new user, whose realtime connection goes through the proxy. */
async function newUserClient(options: { getToken?: (forceRefresh: boolean, idToken: string) => string } = {}): Promise<ImageLabelsClient> {
  const user = await signUp(cloud);
  const realtime = new URL(config.realtimeUrl);
  realtime.port = String(proxy.port);
  return createClient({
    ...config,
    realtimeUrl: realtime.href,
    auth: userPoolAuth(({ forceRefresh }) => options.getToken?.(forceRefresh, user.idToken) ?? user.idToken),
  });
}

function recorder() {
  const events: LabelImageProgress[] = [];
  return { events, onProgress: (progress: LabelImageProgress) => events.push(progress) };
}

describe('labelImage', () => {
  it('labels a photo over HTTPS, reporting each phase and the bytes uploaded', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();
    const { events, onProgress } = recorder();

    const blob = await client.labelImage(chelsea, { onProgress, minConfidence: 30, maxLabels: 5 });

    expect(blob).toMatchObject({ status: 'LABELLED', contentType: 'image/png', size: chelsea.length, minConfidence: 30, maxLabels: 5 });
    expect(blob.labels?.map((label) => label.name)).toContain('Cat');
    const phases = events.map((event) => event.phase).filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['creating', 'subscribing', 'uploading', 'processing', 'done']);
    const uploaded = events.flatMap((event) => (event.phase === 'uploading' ? [event.loaded] : []));
    expect(uploaded[0]).toBe(0);
    expect(uploaded.at(-1)).toBe(chelsea.length);
    expect(uploaded).toEqual([...uploaded].sort((a, b) => a - b));
  });

  it('still returns the result when the realtime socket is killed before it and cannot come back', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();
    const { events, onProgress } = recorder();
    let killed = false;

    const blob = await client.labelImage(chelsea, {
      onProgress(progress) {
        onProgress(progress);
        // Subscribed, nothing uploaded yet: the result cannot have been published.
        if (progress.phase === 'uploading' && !killed) {
          killed = true;
          proxy.refusing = true;
          proxy.killAll();
        }
      },
    }).finally(() => {
      proxy.refusing = false;
    });

    expect(killed).toBe(true);
    expect(blob.status).toBe('LABELLED');
    expect(events.some((event) => event.phase === 'reconnecting')).toBe(true);
  });

  it('reconnects a dropped socket and gets the result through it, without waiting for a poll', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();
    const acceptedBefore = proxy.accepted;
    let killed = false;

    const blob = await client.labelImage(chelsea, {
      // Reads of blob(id) only when the socket comes back.
      poll: { initialMs: 10 * 60_000, maxMs: 10 * 60_000 },
      reconnect: { initialMs: 50, maxMs: 200 },
      onProgress(progress) {
        if (progress.phase === 'uploading' && !killed) {
          killed = true;
          proxy.killAll();
        }
      },
    });

    expect(blob.status).toBe('LABELLED');
    expect(proxy.accepted - acceptedBefore).toBeGreaterThanOrEqual(2);
  });

  it('subscribes in the background when the realtime endpoint cannot be reached at first, and gets the result through it', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();
    const acceptedBefore = proxy.accepted;
    const { events, onProgress } = recorder();
    proxy.refusing = true;

    const blob = await client.labelImage(chelsea, {
      poll: { initialMs: 10 * 60_000, maxMs: 10 * 60_000 },
      reconnect: { initialMs: 50, maxMs: 200 },
      onProgress(progress) {
        onProgress(progress);
        if (progress.phase === 'reconnecting') proxy.refusing = false;
      },
    }).finally(() => {
      proxy.refusing = false;
    });

    expect(blob.status).toBe('LABELLED');
    expect(events.find((event) => event.phase === 'reconnecting')).toMatchObject({ error: { code: 'NetworkError' } });
    expect(proxy.accepted - acceptedBefore).toBeGreaterThanOrEqual(1);
  });

  it('cancels on the signal during the upload and deletes the blob it created', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();
    const controller = new AbortController();
    let blobId = '';

    const labelling = client.labelImage(chelsea, {
      signal: controller.signal,
      onProgress(progress) {
        if (progress.phase === 'uploading') {
          blobId = progress.blob.id;
          controller.abort();
        }
      },
    });

    await expect(labelling).rejects.toMatchObject({ name: 'AbortError' });
    expect(await client.getBlob(blobId)).toBeNull();
  });

  it('returns a corrupt JPEG REJECTED with its error code', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = await newUserClient();

    const blob = await client.labelImage(await readFile(new URL('truncated.jpg', FIXTURES)));

    expect(blob).toMatchObject({ status: 'REJECTED', labels: null, error: { code: 'InvalidImageFormatException', retryable: false } });
    expect(await client.getImageUrl(blob.id)).toBeNull();
  });

  it('refuses a GIF before creating anything', async () => {
    const client = await newUserClient();

    const labelling = client.labelImage(new Blob([new TextEncoder().encode('GIF89a\x01\x00\x01\x00')], { type: 'image/gif' }));

    await expect(labelling).rejects.toMatchObject({ source: 'Input', code: 'UnsupportedContentType' });
    expect((await client.listBlobs()).items).toEqual([]);
  });
});

describe('the other operations', () => {
  it("give the owner a short-lived URL of the labelled image's exact bytes, and nobody else", { timeout: RESULT_TIMEOUT_MS }, async () => {
    const owner = await newUserClient();
    const other = await newUserClient();
    const blob = await owner.labelImage(chelsea);

    const url = await owner.getImageUrl(blob.id);
    const download = await fetch(url!);

    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(chelsea)).toBe(true);
    expect(await other.getImageUrl(blob.id)).toBeNull();
  });

  it('list blobs newest first, page by page', async () => {
    const client = await newUserClient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await client.createBlob({ contentType: 'image/png' })).blob.id);

    const first = await client.listBlobs({ limit: 2 });
    const second = await client.listBlobs({ limit: 2, nextToken: first.nextToken });

    expect([...first.items, ...second.items].map((blob) => blob.id)).toEqual([...ids].reverse());
    expect(second.nextToken).toBeNull();
  });

  it('report QuotaExceeded with the limit and when it resets', async () => {
    const client = await newUserClient();
    for (let i = 0; i < UPLOAD_QUOTA_PER_DAY; i += 1) await client.createBlob({ contentType: 'image/png' });

    const refused = await client.createBlob({ contentType: 'image/png' }).catch((error: unknown) => error);

    expect(isQuotaExceeded(refused)).toBe(true);
    expect(refused).toMatchObject({ source: 'GraphQL', code: 'QuotaExceeded', info: { limit: UPLOAD_QUOTA_PER_DAY } });
  });

  it('ask for a fresh token once when the API refuses one, and send the request again', async () => {
    const asked: boolean[] = [];
    const client = await newUserClient({
      getToken(forceRefresh, idToken) {
        asked.push(forceRefresh);
        return forceRefresh ? idToken : `${idToken.slice(0, -4)}AAAA`;
      },
    });

    const page = await client.listBlobs();

    expect(page.items).toEqual([]);
    expect(asked).toEqual([false, true]);
  });

  it('label an image for a back end signing with IAM, realtime included', { timeout: RESULT_TIMEOUT_MS }, async () => {
    const client = createClient({ ...config, auth: iamAuth({ region: config.region, credentials: cloud.credentials }) });

    const blob = await client.labelImage(chelsea, { maxLabels: 3 });

    expect(blob.status).toBe('LABELLED');
    expect(blob.owner).toMatch(/^arn:aws:/);
  });
});
