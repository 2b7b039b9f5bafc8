// Drives a running local cloud the way a client app does: GraphQL over HTTP, the realtime
// WebSocket, presigned uploads with plain HTTP, and a real webhook receiver.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local/cloud.ts';
import { FREE_PORTS } from '../../../local/config.ts';
import { BLOB_FIELDS } from '../../../generated/documents.ts';
import type { Blob, CreateBlobInput, CreateBlobPayload } from '../../../generated/graphql.ts';
import { base64Json, RealtimeClient } from '../../local/appsync/support/clients.ts';
import { defaultUser, type TestUser } from './users.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/images/', import.meta.url));

/** Every field of a blob, as the publisher selects them: `{ ...BlobFields }` in a document that ends withBlobFields. */
export const BLOB = '...BlobFields';

/** The document with the BlobFields fragment (graphql/blob-fields.graphql) it spreads. */
export function withBlobFields(document: string): string {
  return `${document}\n${BLOB_FIELDS}`;
}

/** What the helpers below need of a local cloud: in this process (LocalCloud) or a child process (its ready line). */
/** What the helpers below need of a cloud: an in-process LocalCloud, or one `npm start` runs (child-cloud.ts). */
export type CloudEndpoints = Pick<LocalCloud, 'graphqlUrl' | 'realtimeUrl' | 'region' | 'userPool'>;

export interface GraphQLError {
  message: string;
  errorType?: string;
  errorInfo?: Record<string, unknown> | null;
}

export interface GraphQLResponse<T> {
  status: number;
  data: T | null;
  errors?: GraphQLError[];
}

/** A local cloud on free ports (or `options.ports`, e.g. a previous run's, to restart it as it was). */
export async function startTestCloud(dataDir?: string, options: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'image-labels-it-')));
  return startLocalCloud({
    dataDir: dir,
    ports: FREE_PORTS,
    labellerWorkers: 1,
    quiet: true,
    ...options,
  });
}

export async function removeDataDir(cloud: LocalCloud): Promise<void> {
  await rm(cloud.dataDir, { recursive: true, force: true });
}

/** Who a request is from: a signed-in user (their ID token), a raw Authorization header, or nobody. */
export type Caller = TestUser | { authorization: string } | 'anonymous';

async function authorizationOf(cloud: CloudEndpoints, caller: Caller | undefined): Promise<string | undefined> {
  if (caller === 'anonymous') return undefined;
  if (caller === undefined) return (await defaultUser(cloud)).idToken;
  return 'authorization' in caller ? caller.authorization : caller.idToken;
}

/** A GraphQL request as `as` (default: the cloud's default user). */
export async function graphql<T>(
  cloud: CloudEndpoints,
  query: string,
  variables: Record<string, unknown> = {},
  as?: Caller,
): Promise<GraphQLResponse<T>> {
  const authorization = await authorizationOf(cloud, as);
  const response = await fetch(cloud.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLError[] };
  return { status: response.status, data: body.data ?? null, errors: body.errors };
}

export async function createBlob(cloud: CloudEndpoints, input: CreateBlobInput, as?: Caller): Promise<GraphQLResponse<{ createBlob: CreateBlobPayload }>> {
  return graphql<{ createBlob: CreateBlobPayload }>(
    cloud,
    withBlobFields(`mutation Create($input: CreateBlobInput!) {
      createBlob(input: $input) { blob { ${BLOB} } upload { url method headers expiresAt } }
    }`),
    { input },
    as,
  );
}

export async function getBlob(cloud: CloudEndpoints, id: string, as?: Caller): Promise<Blob | null> {
  const result = await graphql<{ blob: Blob | null }>(cloud, withBlobFields(`query Get($id: ID!) { blob(id: $id) { ${BLOB} } }`), { id }, as);
  if (result.errors) {
    throw new Error(`blob(${id}) failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data!.blob;
}

/** PUTs a fixture to a presigned URL with the headers createBlob asked for, as `curl -X PUT --upload-file` does. */
export async function curlUpload(upload: CreateBlobPayload['upload'], file: string): Promise<{ status: number; body: string }> {
  const headers = JSON.parse(upload.headers) as Record<string, string>;
  const args = ['-s', '-o', '-', '-w', '\n%{http_code}', '-X', upload.method, '--upload-file', file];
  for (const [name, value] of Object.entries(headers)) {
    args.push('-H', `${name}: ${value}`);
  }
  args.push(upload.url);
  const { stdout } = await promisify(execFile)('curl', args);
  const split = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(split + 1)), body: stdout.slice(0, split) };
}

export async function putBytes(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'PUT', headers, body: new Blob([new Uint8Array(body)]) });
  return { status: response.status, body: await response.text() };
}

export function fixture(name: string): Promise<Buffer> {
  return readFile(join(FIXTURES, name));
}

/** One labelsReady subscription on its own connection, ready once AppSync acknowledged the start. */
export interface LabelsReadySubscription {
  /** The next Blob delivered to this subscription. */
  next(timeoutMs?: number): Promise<Blob>;
  /** Blobs delivered and not yet taken. */
  pending(): number;
  close(): void;
}

/** Subscribes as `as` (default: the cloud's default user); a refused start throws with AppSync's errors. */
export async function subscribeLabelsReady(cloud: CloudEndpoints, id: string, as?: Caller): Promise<LabelsReadySubscription> {
  const host = new URL(cloud.graphqlUrl).host;
  const token = await authorizationOf(cloud, as);
  const authorization: Record<string, string> = token ? { host, Authorization: token } : { host };
  const url = `${cloud.realtimeUrl}?header=${encodeURIComponent(base64Json(authorization))}&payload=e30=`;
  const client = await RealtimeClient.connect(url, ['graphql-ws']);
  client.send({ type: 'connection_init' });
  const init = await client.next((m) => m.type === 'connection_ack' || m.type === 'connection_error');
  if (init.type === 'connection_error') {
    client.close();
    throw new Error(`connection refused: ${JSON.stringify(init.payload)}`);
  }
  client.send({
    type: 'start',
    id: 'labels',
    payload: {
      data: JSON.stringify({ query: withBlobFields(`subscription Ready($id: ID!) { labelsReady(id: $id) { ${BLOB} } }`), variables: { id } }),
      extensions: { authorization },
    },
  });
  const ack = await client.next((m) => m.type === 'start_ack' || m.type === 'error');
  if (ack.type === 'error') {
    client.close();
    throw new Error(`subscription refused: ${JSON.stringify(ack.payload)}`);
  }
  return {
    async next(timeoutMs = 60_000) {
      const message = await client.next((m) => m.type === 'data', timeoutMs);
      const data = message.payload?.data as { labelsReady: Blob } | undefined;
      if (!data) {
        throw new Error(`data message without data: ${JSON.stringify(message)}`);
      }
      return data.labelsReady;
    },
    pending: () => client.pending('data').length,
    close: () => client.close(),
  };
}
