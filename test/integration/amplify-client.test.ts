// An AppSync client nobody here wrote — aws-amplify v6, unmodified, in its own process — against the
// whole local cloud over TLS: it subscribes to labelsReady for a real blob and receives the labels.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';
import { AMPLIFY_SUBSCRIBER, ChildReports } from '../local/appsync/support/amplify-child.ts';
import { ROOT } from '../local/appsync/support/clients.ts';
import { createBlob, curlUpload, FIXTURES, removeDataDir, startTestCloud } from './support/local-service.ts';

describe('an unmodified aws-amplify v6 client against the local cloud', () => {
  let cloud: LocalCloud;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    cloud = await startTestCloud();
  });

  afterAll(async () => {
    child?.kill();
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('subscribes over wss to labelsReady and receives the labels of the uploaded photo', async () => {
    const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png' })).data!.createBlob;
    child = spawn(process.execPath, ['--import', 'tsx', AMPLIFY_SUBSCRIBER], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: cloud.certificatePath,
        APPSYNC_GRAPHQL_URL: cloud.httpsGraphqlUrl,
        APPSYNC_API_KEY: cloud.apiKey,
        BLOB_ID: blob.id,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reports = new ChildReports(child);
    await reports.next('ready', 30_000);

    expect((await curlUpload(upload, `${FIXTURES}chelsea.png`)).status).toBe(200);
    const data = (await reports.next('data', 60_000)).detail as { labelsReady: { id: string; status: string; labels: Array<{ name: string }> } };

    expect(data.labelsReady.id).toBe(blob.id);
    expect(data.labelsReady.status).toBe('LABELLED');
    expect(data.labelsReady.labels.map((l) => l.name)).toContain('Cat');
  });
});
