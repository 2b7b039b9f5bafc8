// startLocalCloud as a whole: every service on free ports, wired by configuration only.
// (The product's end-to-end behaviour — subscriptions, webhooks — is tested with the handlers and AppSync.)
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';
import { SETTINGS, type SettingName } from '../../functions/commons/config.ts';
import { FUNCTION_NAMES, FUNCTIONS } from '../../functions/manifest.ts';
import { signIn, signUp, type TestUser } from '../integration/support/users.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'images');

interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; errorType?: string }>;
}

let user: TestUser;

async function graphql<T>(cloud: LocalCloud, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(cloud.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: user.idToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

interface Created {
  createBlob: { blob: { id: string; status: string }; upload: { url: string; method: string; headers: string } };
}

interface Read {
  blob: { id: string; status: string; size: number | null; error: { code: string } | null; labels: Array<{ name: string }> | null } | null;
}

const CREATE = `mutation Create($input: CreateBlobInput!) {
  createBlob(input: $input) { blob { id status } upload { url method headers } }
}`;
const READ = 'query Read($id: ID!) { blob(id: $id) { id status size error { code } labels { name } } }';

describe('local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  const environmentBefore = { ...process.env };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-cloud-'));
    cloud = await startLocalCloud({ dataDir, ports: FREE_PORTS, quiet: true, amplifyOutputsPath: join(dataDir, 'amplify_outputs.json') });
    user = await signUp(cloud);
  });

  afterAll(async () => {
    await cloud?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers GraphQL for a user of the user pool kept in the data directory, and serves the demo page beside it', async () => {
    // Act
    const stored = JSON.parse(await readFile(join(dataDir, 'local-cloud.json'), 'utf8')) as { userPoolId: string; userPoolClientId: string };
    const response = await graphql<{ blobs: { items: unknown[] } }>(cloud, '{ blobs { items { id } } }');
    const anonymous = await fetch(cloud.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ blobs { items { id } } }"}' });
    const page = await fetch(cloud.demoPageUrl);

    // Assert
    expect(cloud.userPool).toMatchObject({ id: stored.userPoolId, clientId: stored.userPoolClientId });
    expect(response).toEqual({ data: { blobs: { items: [] } } });
    expect(anonymous.status).toBe(401);
    expect(cloud.demoPageUrl).toBe(new URL('/', cloud.graphqlUrl).href);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('gives a token to npm run token, from the user pool amplify_outputs.json names, that the API accepts', async () => {
    // Act
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--config', join(dataDir, 'amplify_outputs.json'), ...args], {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
      });
    const signedUp = await run(['--email', 'token-script@example.com', '--password', 'Script-Pass-1', '--signup']);
    const again = await run(['--email', 'token-script@example.com', '--password', 'Script-Pass-1', '--access']);
    const wrong = await run(['--email', 'token-script@example.com', '--password', 'Wrong-Pass-1']).catch((error: { code: number; stderr: string }) => error);

    // Assert
    const token = signedUp.stdout.trim();
    const answer = await fetch(cloud.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: '{"query":"{ blobs { items { id } } }"}' });
    expect(answer.status).toBe(200);
    expect(signedUp.stderr).toBe('');
    expect(again.stdout.trim().split('.')).toHaveLength(3);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('NotAuthorizedException') });
  });

  it('writes amplify_outputs.json and serves the same beside the demo page', async () => {
    // Act
    const written = JSON.parse(await readFile(join(dataDir, 'amplify_outputs.json'), 'utf8')) as unknown;
    const served = await fetch(new URL('/amplify_outputs.json', cloud.graphqlUrl));

    // Assert
    expect(written).toEqual(cloud.amplifyOutputs);
    expect(await served.json()).toEqual(written);
    expect(cloud.amplifyOutputs).toMatchObject({
      auth: { aws_region: cloud.region, user_pool_id: cloud.userPool.id, user_pool_client_id: cloud.userPool.clientId },
      data: { url: cloud.httpsGraphqlUrl, default_authorization_type: 'AMAZON_COGNITO_USER_POOLS', authorization_types: ['AWS_IAM'] },
      custom: { userPoolEndpoint: cloud.userPool.endpoint, tlsCertificate: await readFile(cloud.certificatePath, 'utf8') },
    });
  });

  it('serves the client package the page imports, and GraphiQL with its files from npm packages', async () => {
    const client = await fetch(new URL('/client/dist/index.js', cloud.graphqlUrl));
    const redirect = await fetch(new URL('/graphiql', cloud.graphqlUrl), { redirect: 'manual' });
    const graphiql = await fetch(cloud.graphiqlUrl);
    const html = await graphiql.text();
    const scripts = [...html.matchAll(/src="\.\/(vendor\/[^"]+)"/g)].map((match) => new URL(match[1], cloud.graphiqlUrl));
    const vendor = await Promise.all(scripts.map((url) => fetch(url)));

    expect(client.status).toBe(200);
    expect(await client.text()).toContain('export function createClient');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/graphiql/');
    expect(graphiql.status).toBe(200);
    expect(scripts.map((url) => url.pathname)).toEqual([
      '/graphiql/vendor/react.production.min.js',
      '/graphiql/vendor/react-dom.production.min.js',
      '/graphiql/vendor/graphiql.min.js',
    ]);
    expect(vendor.map((response) => response.status)).toEqual([200, 200, 200]);
  });

  it('takes an upload from createBlob through S3\'s event to the processing function', async () => {
    // Arrange
    const image = await readFile(join(FIXTURES, 'truncated.jpg'));
    const created = await graphql<Created>(cloud, CREATE, { input: { contentType: 'image/jpeg', contentLength: image.length } });
    const { blob, upload } = created.data!.createBlob;

    // Act
    const put = await fetch(upload.url, { method: upload.method, headers: JSON.parse(upload.headers) as Record<string, string>, body: image });
    await cloud.uploadsIdle();
    const read = await graphql<Read>(cloud, READ, { id: blob.id });

    // Assert
    expect(put.status).toBe(200);
    expect(new URL(upload.url).origin).toBe(cloud.s3Endpoint);
    expect(read.data?.blob).toMatchObject({ id: blob.id, status: 'REJECTED', size: image.length, error: { code: 'InvalidImageFormatException' } });
  });

  it('runs each function with the settings its manifest entry declares, its own key and nothing of the others', () => {
    // Arrange
    const runtime = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EXECUTION_ENV',
      'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_REKOGNITION', 'AWS_ENDPOINT_URL_SQS',
      'POWERTOOLS_SERVICE_NAME', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];

    for (const name of FUNCTION_NAMES) {
      // Act
      const environment = cloud.functionEnvironment(name);

      // Assert
      const declared = FUNCTIONS[name].settings.flatMap((setting: SettingName) => SETTINGS[setting].variables);
      expect(Object.keys(environment).filter((variable) => !runtime.includes(variable) && !declared.includes(variable))).toEqual([]);
      expect(environment).toMatchObject({ AWS_ACCESS_KEY_ID: cloud.functionCredentials(name).accessKeyId, POWERTOOLS_SERVICE_NAME: name });
      expect(environment.AWS_ACCESS_KEY_ID).not.toBe(cloud.credentials.accessKeyId);
    }
    expect(cloud.functionEnvironment('presign-upload')).not.toHaveProperty('TABLE_NAME');
    expect(cloud.functionEnvironment('deliver-callback')).toHaveProperty('TABLE_NAME', cloud.table);
  });

  it('keeps blobs, objects, users and the webhook secret across a restart, and leaves the process environment alone', async () => {
    // Arrange
    const image = await readFile(join(FIXTURES, 'chelsea.png'));
    const created = await graphql<Created>(cloud, CREATE, { input: { contentType: 'image/png' } });
    const { blob, upload } = created.data!.createBlob;
    await fetch(upload.url, { method: upload.method, headers: JSON.parse(upload.headers) as Record<string, string>, body: image });
    await cloud.uploadsIdle();
    const before = await graphql<Read>(cloud, READ, { id: blob.id });
    const { userPool, webhookSecret } = cloud;

    // Act
    await cloud.close();
    const environmentBetween = { ...process.env };
    cloud = await startLocalCloud({ dataDir, ports: FREE_PORTS, quiet: true });
    user = await signIn(cloud, user.email);
    const after = await graphql<Read>(cloud, READ, { id: blob.id });
    const s3 = new S3Client({
      endpoint: cloud.s3Endpoint, region: cloud.region, credentials: { ...cloud.credentials }, forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: cloud.bucket, Key: `${cloud.stage}/${blob.id}` }));
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    s3.destroy();

    // Assert
    expect(before.data?.blob?.status).toBe('LABELLED');
    expect(after.data?.blob).toEqual(before.data?.blob);
    expect(stored).toEqual(image);
    expect({ pool: cloud.userPool.id, client: cloud.userPool.clientId, webhookSecret: cloud.webhookSecret }).toEqual({
      pool: userPool.id,
      client: userPool.clientId,
      webhookSecret,
    });
    const configured = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_REKOGNITION', 'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'TABLE_NAME', 'BUCKET_NAME', 'STAGE', 'APPSYNC_GRAPHQL_URL', 'WEBHOOK_SECRET',
      'S3_FORCE_PATH_STYLE', 'CALLBACK_ALLOW_HTTP_LOOPBACK', 'LOG_LEVEL'];
    const pick = (env: NodeJS.ProcessEnv) => Object.fromEntries(configured.map((name) => [name, env[name]]));
    expect(pick(environmentBetween)).toEqual(pick(environmentBefore));
  });
});
