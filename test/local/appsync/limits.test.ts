import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, apiKeySchemaPath, graphqlBody, LABELS_READY, post, postWithApiKey, RealtimeClient, base64Json, ROOT, startTestServer, type TestServer } from './support/clients.ts';
import { blobRecord, createFakeRuntime } from './support/fake-runtime.ts';
import { createNotesRuntime } from './support/notes-runtime.ts';
import { recordingLogger } from './support/recording-logger.ts';
import type { FieldInvocation, ResolverRuntime } from '../../../local/appsync/runtime/types.ts';
import { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from '../../../local/appsync/server.ts';

const RESOLVER_LIMIT = {
  path: null,
  data: null,
  errorType: 'ResolverExecutionLimitReached',
  errorInfo: null,
  locations: null,
  message: 'Resolver invocation limit reached.',
};

function aliases(count: number, field: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => field(i)).join('\n');
}

/** A runtime whose resolvers all wait for `release()`; `entered` resolves when the first one is called. */
function gatedRuntime(): { runtime: ResolverRuntime; calls: FieldInvocation[]; entered: Promise<void>; release: () => void } {
  const base = createFakeRuntime();
  const calls: FieldInvocation[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let enter!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const runtime: ResolverRuntime = {
    hasResolver: base.hasResolver,
    subscribe: base.subscribe,
    async resolveField(invocation) {
      calls.push(invocation);
      enter();
      await gate;
      return base.resolveField(invocation);
    },
  };
  return { runtime, calls, entered, release };
}

const servers: AppSyncServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function track(started: Promise<TestServer>): Promise<TestServer> {
  const t = await started;
  servers.push(t.server);
  return t;
}

async function startWith(runtime: ResolverRuntime, overrides: Partial<AppSyncServerOptions> = {}, schema?: string): Promise<AppSyncServer> {
  const server = await startAppSyncServer({
    schemaPath: schema === undefined ? apiKeySchemaPath() : `${ROOT}${schema}`,
    preamblePath: `${ROOT}graphql/aws-appsync.graphql`,
    runtime,
    apiKeys: [API_KEY],
    ...overrides,
  });
  servers.push(server);
  return server;
}

describe('resolverCountLimit', () => {
  it('refuses a mutation of 10,001 root fields before invoking any resolver', async () => {
    const t = await track(startTestServer());
    const mutation = `mutation {\n${aliases(10_001, (i) => `d${i}: deleteBlob(id: "x") { id }`)}\n}`;

    const res = await postWithApiKey(t.server.graphqlUrl, mutation);

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: null, errors: [RESOLVER_LIMIT] });
    expect(t.runtime.invocations).toHaveLength(0);
  });

  it('runs as many root resolvers as the limit allows, and refuses one more', async () => {
    const t = await track(startTestServer({ limits: { resolverCountLimit: 3 } }));

    const three = await postWithApiKey(t.server.graphqlUrl, `{ ${aliases(3, (i) => `b${i}: blob(id: "${i}") { id }`)} }`);
    const runAfterThree = t.runtime.invocations.length;
    const four = await postWithApiKey(t.server.graphqlUrl, `{ ${aliases(4, (i) => `b${i}: blob(id: "${i}") { id }`)} }`);

    expect(three.json).toEqual({ data: { b0: null, b1: null, b2: null } });
    expect(runAfterThree).toBe(3);
    expect(four.json).toEqual({ data: null, errors: [RESOLVER_LIMIT] });
    expect(t.runtime.invocations).toHaveLength(3);
  });

  it('fails the fields whose resolvers come past the limit during execution, without invoking them', async () => {
    const runtime = createNotesRuntime();
    const server = await startWith(runtime, { defaultAuthMode: 'API_KEY', limits: { resolverCountLimit: 2 } }, 'test/local/appsync/support/auth-schema.graphql');

    const res = await postWithApiKey(server.graphqlUrl, '{ a: shared(id: "1") { id text } b: shared(id: "2") { id text } }');

    expect(res.json.data).toEqual({ a: { id: '1', text: null }, b: { id: '2', text: null } });
    expect(res.json.errors).toMatchObject([
      { path: ['a', 'text'], errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached.' },
      { path: ['b', 'text'], errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached.' },
    ]);
    expect(runtime.invocations.map((i) => `${i.typeName}.${i.fieldName}`)).toEqual(['Query.shared', 'Query.shared']);
  });

  it('refuses a limit outside AppSync range at start', async () => {
    await expect(startTestServer({ limits: { resolverCountLimit: 10_001 } })).rejects.toThrow(/resolverCountLimit/);
    await expect(startTestServer({ limits: { queryDepthLimit: 76 } })).rejects.toThrow(/queryDepthLimit/);
  });
});

describe('queryDepthLimit', () => {
  it('nulls fields deeper than the limit with an error, up to the nearest nullable field', async () => {
    const t = await track(startTestServer({ limits: { queryDepthLimit: 2 } }));
    t.runtime.blobs.set('b1', blobRecord('b1'));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ blob(id: "b1") { id labels { name } } }');

    expect(res.json.data).toEqual({ blob: { id: 'b1', labels: null } });
    expect(res.json.errors).toMatchObject([
      { path: ['blob', 'labels', 0, 'name'], errorType: 'QueryDepthLimitExceeded', message: 'Query depth limit of 2 exceeded.' },
    ]);
  });

  it('leaves a query within the limit alone', async () => {
    const t = await track(startTestServer({ limits: { queryDepthLimit: 3 } }));
    t.runtime.blobs.set('b1', blobRecord('b1'));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ blob(id: "b1") { labels { name } } }');

    expect(res.json).toEqual({ data: { blob: { labels: [{ name: 'Cat' }] } } });
  });
});

describe('introspectionConfig', () => {
  it('refuses __schema and __type with a validation error when DISABLED', async () => {
    const t = await track(startTestServer({ limits: { introspectionConfig: 'DISABLED' } }));

    const schema = await postWithApiKey(t.server.graphqlUrl, '{ __schema { queryType { name } } }');
    const type = await postWithApiKey(t.server.graphqlUrl, '{ __type(name: "Blob") { name } }');

    expect(schema.json).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field '__schema' in type 'Query' is undefined",
        },
      ],
    });
    expect(type.json.errors).toMatchObject([{ message: "Validation error of type FieldUndefined: Field '__type' in type 'Query' is undefined" }]);
  });

  it('still answers __typename when DISABLED', async () => {
    const t = await track(startTestServer({ limits: { introspectionConfig: 'DISABLED' } }));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ __typename }');

    expect(res.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers introspection by default', async () => {
    const t = await track(startTestServer());

    const res = await postWithApiKey(t.server.graphqlUrl, '{ __schema { queryType { name } } }');

    expect(res.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('request size and parse cost', () => {
  it('refuses a document of 100,000 aliases at parse, invoking nothing', async () => {
    const t = await track(startTestServer());
    const query = `{\n${aliases(100_000, (i) => `a${i}: blob(id: "x") { id }`)}\n}`;

    const res = await postWithApiKey(t.server.graphqlUrl, query);

    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
    expect(t.runtime.invocations).toHaveLength(0);
  });

  it('refuses a body over maxRequestBytes with 413', async () => {
    const t = await track(startTestServer({ limits: { maxRequestBytes: 1024 } }));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ blob(id: "x") { id } }', { padding: 'p'.repeat(2048) });

    expect(res.status).toBe(413);
    expect(res.json).toEqual({ errors: [{ errorType: 'PayloadTooLargeException', message: 'Request body is too large.' }] });
  });
});

describe('stopping work', () => {
  const TWO_DELETES = 'mutation { d0: deleteBlob(id: "x") { id } d1: deleteBlob(id: "y") { id } }';

  it('answers ExecutionTimeout when the execution time runs out, and runs no further resolver', async () => {
    const gated = gatedRuntime();
    const logger = recordingLogger();
    const server = await startWith(gated.runtime, { logger, limits: { executionTimeoutMs: 100 } });

    const res = await postWithApiKey(server.graphqlUrl, TWO_DELETES);
    gated.release();
    await logger.waitFor('stopped operation settled');

    expect(res.json).toEqual({
      data: null,
      errors: [{ path: null, data: null, errorType: 'ExecutionTimeout', errorInfo: null, locations: null, message: 'Execution timed out.' }],
    });
    expect(gated.calls.map((c) => c.arguments.id)).toEqual(['x']);
  });

  it('stops invoking resolvers once the HTTP client hangs up', async () => {
    const gated = gatedRuntime();
    const logger = recordingLogger();
    const server = await startWith(gated.runtime, { logger });
    const body = graphqlBody(TWO_DELETES);
    const req = httpRequest(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'content-length': String(Buffer.byteLength(body)) },
    });
    req.on('error', () => undefined);
    req.end(body);

    await gated.entered;
    req.destroy();
    await logger.waitFor('client went away; operation stopped');
    gated.release();
    await logger.waitFor('stopped operation settled');

    expect(gated.calls).toHaveLength(1);
    expect(gated.calls[0].signal?.aborted).toBe(true);
  });
});

describe('realtime limits', () => {
  async function connectWithKey(t: TestServer): Promise<RealtimeClient> {
    const header = { host: new URL(t.server.graphqlUrl).host, 'x-api-key': API_KEY };
    const client = await RealtimeClient.connect(`${t.server.realtimeUrl}?header=${encodeURIComponent(base64Json(header))}&payload=e30=`, ['graphql-ws']);
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    return client;
  }

  function start(client: RealtimeClient, t: TestServer, id: string): void {
    client.send({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query: LABELS_READY, variables: { id } }),
        extensions: { authorization: { host: new URL(t.server.graphqlUrl).host, 'x-api-key': API_KEY } },
      },
    });
  }

  it('closes a connection that sends a 1 MB message with 1009, and keeps serving others', async () => {
    const t = await track(startTestServer());
    const client = await connectWithKey(t);

    client.send(JSON.stringify({ type: 'start', id: 'big', payload: { data: 'x'.repeat(1024 * 1024) } }));

    expect((await client.closed).code).toBe(1009);
    const other = await connectWithKey(t);
    start(other, t, 'fine');
    expect(await other.next((m) => m.id === 'fine')).toEqual({ type: 'start_ack', id: 'fine' });
    other.close();
  });

  it('refuses a subscription past maxSubscriptionsPerConnection, and accepts one again after a stop', async () => {
    const t = await track(startTestServer({ limits: { maxSubscriptionsPerConnection: 2 } }));
    const client = await connectWithKey(t);
    start(client, t, 's1');
    start(client, t, 's2');
    await client.next((m) => m.id === 's1' && m.type === 'start_ack');
    await client.next((m) => m.id === 's2' && m.type === 'start_ack');

    start(client, t, 's3');
    const refused = await client.next((m) => m.id === 's3');
    client.send({ type: 'stop', id: 's1' });
    await client.next((m) => m.id === 's1' && m.type === 'complete');
    start(client, t, 's4');

    expect(refused).toEqual({
      type: 'error',
      id: 's3',
      payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 2 subscriptions reached' }] },
    });
    expect(await client.next((m) => m.id === 's4')).toEqual({ type: 'start_ack', id: 's4' });
    client.close();
  });
});

describe('body limit defaults', () => {
  it('accepts a request just under the default 5 MB', async () => {
    const t = await track(startTestServer());

    const res = await post(t.server.graphqlUrl, graphqlBody('{ blob(id: "x") { id } }', { padding: 'p'.repeat(4 * 1024 * 1024) }), {
      'content-type': 'application/json',
      'x-api-key': API_KEY,
    });

    expect(res.status).toBe(200);
  });
});
