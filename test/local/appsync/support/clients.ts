// Test clients for the local AppSync: a raw HTTP poster (so tests control every header, signed or not),
// a SigV4 signer built on @smithy/signature-v4, and a WebSocket client that waits for messages with a bound.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import WebSocket from 'ws';
import type { FakeRuntime } from './fake-runtime.ts';
import { createFakeRuntime } from './fake-runtime.ts';
import { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from '../../../../local/appsync/server.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const API_KEY = 'da2-localtestkey0000000000';
export const IAM = {
  accessKeyId: 'AKIALOCALTEST0000001',
  secretAccessKey: 'local-secret-access-key-for-tests',
  accountId: '123456789012',
  region: 'us-east-1',
};

export interface TestServer {
  server: AppSyncServer;
  runtime: FakeRuntime;
}

/**
 * The product's schema with API_KEY wherever it says AMAZON_COGNITO_USER_POOLS: the server tests exercise the API
 * key and IAM paths of the local AppSync with the real types and fields (the user pool path has its own tests,
 * user-pool-auth.test.ts, with tokens of a test issuer).
 */
export function apiKeySchemaPath(): string {
  const path = join(tmpdir(), `image-labels-api-key-schema-${process.pid}.graphql`);
  if (!existsSync(path)) {
    writeFileSync(path, readFileSync(`${ROOT}schema.graphql`, 'utf8').replaceAll('@aws_cognito_user_pools', '@aws_api_key'));
  }
  return path;
}

export async function startTestServer(overrides: Partial<AppSyncServerOptions> = {}): Promise<TestServer> {
  const runtime = createFakeRuntime();
  const server = await startAppSyncServer({
    schemaPath: apiKeySchemaPath(),
    preamblePath: `${ROOT}graphql/aws-appsync.graphql`,
    runtime,
    apiKeys: [API_KEY],
    iam: IAM,
    port: 0,
    ...overrides,
  });
  return { server, runtime };
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // Tests inspect arbitrary JSON shapes.
  json: Record<string, unknown>;
}

export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { method?: string; ca?: string } = {},
): Promise<HttpResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: options.method ?? 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, ca: options.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function graphqlBody(query: string, variables: Record<string, unknown> = {}, operationName?: string): string {
  return JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) });
}

export function postWithApiKey(url: string, query: string, variables: Record<string, unknown> = {}): Promise<HttpResponse> {
  return post(url, graphqlBody(query, variables), { 'content-type': 'application/json', 'x-api-key': API_KEY });
}

export interface SignOptions {
  secretAccessKey?: string;
  accessKeyId?: string;
  sessionToken?: string;
  signingDate?: Date;
  path?: string;
  extraHeaders?: Record<string, string>;
  region?: string;
  /** Send x-amz-content-sha256 (the SDK's default); Amplify's signer does not. */
  applyChecksum?: boolean;
}

/** Signs a POST of `body` to `url` as an AWS SDK would (service appsync); returns the headers to send. */
export async function signedHeaders(url: string, body: string, options: SignOptions = {}): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? IAM.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? IAM.secretAccessKey,
      sessionToken: options.sessionToken,
    },
    region: options.region ?? IAM.region,
    service: 'appsync',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: options.path ?? target.pathname,
      query: {},
      headers: { host: target.host, 'content-type': 'application/json', ...options.extraHeaders },
      body,
    },
    { signingDate: options.signingDate },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k, String(v)]));
}

export async function postSigned(url: string, query: string, variables: Record<string, unknown> = {}, options: SignOptions = {}): Promise<HttpResponse> {
  const body = graphqlBody(query, variables);
  return post(url, body, await signedHeaders(url, body, options));
}

// Messages of AppSync's realtime protocol, as the tests read them.
export interface RealtimeMessage {
  type: string;
  id?: string;
  payload?: Record<string, unknown> & {
    data?: Record<string, unknown> | null;
    errors?: Array<Record<string, unknown>>;
    connectionTimeoutMs?: number;
  };
}

export class RealtimeClient {
  private readonly received: RealtimeMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as RealtimeMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  static connect(url: string, protocols: string[], options: { ca?: string } = {}): Promise<RealtimeClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, { ca: options.ca });
      const client = new RealtimeClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the first not-yet-taken message that matches, waiting up to `timeoutMs` for it. */
  async next(predicate: (m: RealtimeMessage) => boolean = () => true, timeoutMs = 5000): Promise<RealtimeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(predicate);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no matching realtime message within ${timeoutMs} ms; received: ${JSON.stringify(this.received)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages of a type received so far and not taken. */
  pending(type: string): RealtimeMessage[] {
    return this.received.filter((m) => m.type === type);
  }

  close(): void {
    this.socket.close();
  }
}

export function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

export function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export const LABELS_READY = /* GraphQL */ `
  subscription LabelsReady($id: ID!) {
    labelsReady(id: $id) {
      id
      status
      labels { name confidence }
    }
  }
`;

/** What the functions send to publish a result (graphql/publish-blob-result.graphql). */
export { PUBLISH_BLOB_RESULT } from '../../../../generated/documents.ts';
