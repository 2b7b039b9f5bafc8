import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, graphqlBody, post, PUBLISH_BLOB_RESULT, ROOT, signedHeaders, startTestServer, type TestServer } from './support/clients.ts';
import { AMPLIFY_SUBSCRIBER as SUBSCRIBER, ChildReports } from './support/amplify-child.ts';

describe('an unmodified aws-amplify v6 client against the local AppSync over TLS', () => {
  let t: TestServer;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'appsync-tls-'));
    t = await startTestServer({ tls: 'self-signed', certificatePath: join(dir, 'localhost.pem') });
  });

  afterAll(async () => {
    child?.kill();
    await t.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queries over https, subscribes over wss and receives the published result', async () => {
    const httpsUrl = t.server.httpsGraphqlUrl!;
    child = spawn(process.execPath, ['--import', 'tsx', SUBSCRIBER], {
      cwd: ROOT,
      env: {
        ...process.env,
        // The documented way to trust the generated certificate in Node.
        NODE_EXTRA_CA_CERTS: join(dir, 'localhost.pem'),
        APPSYNC_GRAPHQL_URL: httpsUrl,
        APPSYNC_API_KEY: API_KEY,
        BLOB_ID: 'blob-amplify',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reports = new ChildReports(child);

    expect((await reports.next('query', 30_000)).detail).toEqual({ blobs: { nextToken: null } });
    await reports.next('ready', 30_000);

    const body = graphqlBody(PUBLISH_BLOB_RESULT, {
      input: {
        id: 'blob-amplify',
        owner: 'user-1',
        status: 'LABELLED',
        minConfidence: 55,
        maxLabels: 20,
        labels: [{ name: 'Cat', confidence: 91, parents: [], aliases: [], categories: [], instances: [] }],
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:05.000Z',
        uploadExpiresAt: '2025-01-01T00:15:00.000Z',
      },
    });
    const published = await post(httpsUrl, body, await signedHeaders(httpsUrl, body), { ca: t.server.certificatePem });
    expect(published.json.errors).toBeUndefined();

    expect((await reports.next('data', 30_000)).detail).toEqual({
      labelsReady: { id: 'blob-amplify', status: 'LABELLED', labels: [{ name: 'Cat' }] },
    });
  });
});
