import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY,
  base64Json,
  base64UrlJson,
  LABELS_READY,
  postSigned,
  postWithApiKey,
  PUBLISH_BLOB_RESULT,
  RealtimeClient,
  signedHeaders,
  startTestServer,
  type TestServer,
} from './support/clients.ts';

function resultInput(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    owner: 'user-1',
    status: 'LABELLED',
    contentType: 'image/jpeg',
    size: 2048,
    minConfidence: 55,
    maxLabels: 20,
    labels: [{ name: 'Dog', confidence: 88.5, parents: ['Animal'], aliases: [], categories: [], instances: [] }],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:05.000Z',
    uploadExpiresAt: '2025-01-01T00:15:00.000Z',
    labelledAt: '2025-01-01T00:00:05.000Z',
    ...overrides,
  };
}

describe('local AppSync realtime endpoint', () => {
  let t: TestServer;
  const clients: RealtimeClient[] = [];
  let host: string;

  const apiKeyHeader = (): Record<string, string> => ({ host, 'x-api-key': API_KEY });

  /** Query-parameter style: ?header=<base64 JSON>&payload=e30= */
  async function connectWithQuery(header: Record<string, string> = apiKeyHeader()): Promise<RealtimeClient> {
    const url = `${t.server.realtimeUrl}?header=${encodeURIComponent(base64Json(header))}&payload=e30=`;
    const client = await RealtimeClient.connect(url, ['graphql-ws']);
    clients.push(client);
    return client;
  }

  /** Subprotocol style, as aws-amplify v6 sends it: ['graphql-ws', 'header-<base64url JSON>'] */
  async function connectWithSubprotocol(header: Record<string, string> = apiKeyHeader()): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(t.server.realtimeUrl, ['graphql-ws', `header-${base64UrlJson(header)}`]);
    clients.push(client);
    return client;
  }

  async function init(client: RealtimeClient): Promise<void> {
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
  }

  function start(client: RealtimeClient, id: string, blobId: string, authorization: Record<string, string> = apiKeyHeader()): void {
    client.send({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query: LABELS_READY, variables: { id: blobId } }),
        extensions: { authorization },
      },
    });
  }

  async function subscribe(client: RealtimeClient, id: string, blobId: string): Promise<void> {
    start(client, id, blobId);
    const ack = await client.next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));
    expect(ack).toEqual({ type: 'start_ack', id });
  }

  async function publish(blobId: string, overrides: Record<string, unknown> = {}): Promise<void> {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: resultInput(blobId, overrides) });
    expect(res.json.errors).toBeUndefined();
  }

  beforeAll(async () => {
    t = await startTestServer({ keepAliveIntervalMs: 200, connectionInitTimeoutMs: 500 });
    host = new URL(t.server.graphqlUrl).host;
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await t.server.close();
  });

  it('acknowledges connection_init with connectionTimeoutMs, then sends keep-alives', async () => {
    const client = await connectWithQuery();

    client.send({ type: 'connection_init' });

    expect(await client.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    expect(await client.next()).toEqual({ type: 'ka' });
    expect(await client.next(undefined, 2000)).toEqual({ type: 'ka' });
  });

  it('chooses the graphql-ws subprotocol', async () => {
    const client = await connectWithSubprotocol();

    expect(client.socket.protocol).toBe('graphql-ws');
  });

  it.each([
    ['query-parameter style', 'query'],
    ['header- subprotocol style', 'subprotocol'],
  ])('delivers a published result to a subscriber connected in the %s', async (_name, style) => {
    const client = style === 'query' ? await connectWithQuery() : await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'sub-1', `blob-${style}`);

    await publish(`blob-${style}`);

    expect(await client.next((m) => m.type === 'data')).toEqual({
      type: 'data',
      id: 'sub-1',
      payload: {
        data: {
          labelsReady: { id: `blob-${style}`, status: 'LABELLED', labels: [{ name: 'Dog', confidence: 88.5 }] },
        },
      },
    });
  });

  it('gives the subscription resolver its arguments and the caller, and registers its filter', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    t.runtime.subscriptions.length = 0;

    await subscribe(client, 'sub-args', 'blob-args');

    expect(t.runtime.subscriptions[0]).toMatchObject({
      typeName: 'Subscription',
      fieldName: 'labelsReady',
      arguments: { id: 'blob-args' },
      identity: null,
      info: { selectionSetList: ['id', 'status', 'labels', 'labels/name', 'labels/confidence'] },
    });
  });

  it('sends each of two subscribers only the result for its own blob', async () => {
    const first = await connectWithQuery();
    const second = await connectWithSubprotocol();
    await Promise.all([init(first), init(second)]);
    await subscribe(first, 'a', 'blob-a');
    await subscribe(second, 'b', 'blob-b');

    await publish('blob-a');
    await publish('blob-b');

    const toFirst = await first.next((m) => m.type === 'data');
    const toSecond = await second.next((m) => m.type === 'data');
    expect(toFirst.payload?.data).toMatchObject({ labelsReady: { id: 'blob-a' } });
    expect(toSecond.payload?.data).toMatchObject({ labelsReady: { id: 'blob-b' } });
    // Messages on a socket arrive in order: once `complete` is in, any wrong delivery would be too.
    first.send({ type: 'stop', id: 'a' });
    second.send({ type: 'stop', id: 'b' });
    await first.next((m) => m.type === 'complete');
    await second.next((m) => m.type === 'complete');
    expect(first.pending('data')).toEqual([]);
    expect(second.pending('data')).toEqual([]);
  });

  it('renders the result through each watcher\'s own selection when several watch the same blob', async () => {
    const [wide, alike, narrow] = await Promise.all([connectWithQuery(), connectWithQuery(), connectWithSubprotocol()]);
    await Promise.all([init(wide), init(alike), init(narrow)]);
    await subscribe(wide, 'wide', 'blob-shared');
    await subscribe(alike, 'alike', 'blob-shared');
    narrow.send({
      id: 'narrow',
      type: 'start',
      payload: {
        data: JSON.stringify({ query: 'subscription N($id: ID!) { labelsReady(id: $id) { status } }', variables: { id: 'blob-shared' } }),
        extensions: { authorization: apiKeyHeader() },
      },
    });
    await narrow.next((m) => m.id === 'narrow' && m.type === 'start_ack');

    await publish('blob-shared');

    const [toWide, toAlike, toNarrow] = await Promise.all([wide, alike, narrow].map((c) => c.next((m) => m.type === 'data')));
    expect(toWide).toMatchObject({ id: 'wide', payload: { data: { labelsReady: { id: 'blob-shared', status: 'LABELLED' } } } });
    expect(toAlike).toEqual({ ...toWide, id: 'alike' });
    expect(toNarrow).toEqual({ type: 'data', id: 'narrow', payload: { data: { labelsReady: { status: 'LABELLED' } } } });
  });

  it('applies the subscription arguments as AppSync does even without an enhanced filter', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'args-only', 'blob-x');

    const delivered = await t.server.publish('publishBlobResult', { id: 'blob-y', status: 'LABELLED' });
    const deliveredToX = await t.server.publish('publishBlobResult', { id: 'blob-x', status: 'LABELLED' });

    expect(delivered).toBe(0);
    expect(deliveredToX).toBe(1);
  });

  it('drops a result larger than the 240 KB AppSync delivers to a subscriber, as AppSync does, and delivers the next one', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'too-large', 'blob-large');
    const label = (i: number) => ({ name: `${'x'.repeat(250)}-${i}`, confidence: 50 });

    const dropped = await t.server.publish('publishBlobResult', {
      id: 'blob-large',
      status: 'LABELLED',
      labels: Array.from({ length: 1000 }, (_, i) => label(i)),
    });
    const delivered = await t.server.publish('publishBlobResult', { id: 'blob-large', status: 'LABELLED', labels: [label(0)] });

    expect(dropped).toBe(0);
    expect(delivered).toBe(1);
    const message = await client.next((m) => m.id === 'too-large' && m.type === 'data');
    expect(message).toEqual({
      type: 'data',
      id: 'too-large',
      payload: { data: { labelsReady: { id: 'blob-large', status: 'LABELLED', labels: [label(0)] } } },
    });
  });

  it('sends null for fields the mutation did not select', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'narrow', 'blob-narrow');

    const res = await postSigned(
      t.server.graphqlUrl,
      'mutation P($input: BlobResultInput!) { publishBlobResult(input: $input) { id status } }',
      { input: resultInput('blob-narrow') },
    );
    expect(res.json.errors).toBeUndefined();

    const data = await client.next((m) => m.type === 'data');
    expect(data.payload?.data).toEqual({ labelsReady: { id: 'blob-narrow', status: 'LABELLED', labels: null } });
  });

  it('answers stop with complete and delivers nothing afterwards', async () => {
    const client = await connectWithQuery();
    await init(client);
    await subscribe(client, 'stop-me', 'blob-stop');

    client.send({ type: 'stop', id: 'stop-me' });

    expect(await client.next((m) => m.type === 'complete')).toEqual({ type: 'complete', id: 'stop-me' });
    expect(await t.server.publish('publishBlobResult', { id: 'blob-stop', status: 'LABELLED' })).toBe(0);
  });

  it('completes a subscription that a mutation invalidates (extensions.invalidateSubscriptions)', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'doomed', 'invalidate-me');
    await subscribe(client, 'kept', 'blob-kept');

    const res = await postWithApiKey(t.server.graphqlUrl, 'mutation { deleteBlob(id: "invalidate-me") { id } }');

    expect(res.headers['x-blob-deleted']).toBe('invalidate-me');
    expect(await client.next((m) => m.type === 'complete')).toEqual({ type: 'complete', id: 'doomed' });
    expect(await t.server.publish('publishBlobResult', { id: 'invalidate-me' })).toBe(0);
    expect(await t.server.publish('publishBlobResult', { id: 'blob-kept' })).toBe(1);
  });

  it('refuses a start with a wrong API key in its authorization, and does not register it', async () => {
    const client = await connectWithSubprotocol();
    await init(client);

    start(client, 'bad-key', 'blob-bad', { host, 'x-api-key': 'da2-wrong' });

    expect(await client.next((m) => m.id === 'bad-key')).toEqual({
      type: 'error',
      id: 'bad-key',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
    });
    expect(await t.server.publish('publishBlobResult', { id: 'blob-bad', status: 'LABELLED' })).toBe(0);
  });

  it('accepts a start authorized with SigV4 over the start data, as Amplify signs it for IAM', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    const data = JSON.stringify({ query: LABELS_READY, variables: { id: 'blob-iam' } });
    const authorization = await signedHeaders(t.server.graphqlUrl, data, { applyChecksum: false });

    client.send({ id: 'iam', type: 'start', payload: { data, extensions: { authorization } } });

    // The Subscription type admits IAM (a trusted back end may listen to its own blobs).
    expect(await client.next((m) => m.id === 'iam')).toEqual({ type: 'start_ack', id: 'iam' });
  });

  it('refuses a start whose SigV4 signature does not cover the data sent', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    const data = JSON.stringify({ query: LABELS_READY, variables: { id: 'blob-1' } });
    const authorization = await signedHeaders(t.server.graphqlUrl, data, { applyChecksum: false });

    client.send({
      id: 'forged',
      type: 'start',
      payload: { data: data.replace('blob-1', 'blob-2'), extensions: { authorization } },
    });

    expect(await client.next((m) => m.id === 'forged')).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'UnauthorizedException' }] },
    });
  });

  it('sends connection_error and closes when the handshake carries a wrong API key', async () => {
    const client = await connectWithSubprotocol({ host, 'x-api-key': 'da2-wrong' });

    client.send({ type: 'connection_init' });

    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: {
        errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }],
      },
    });
    await client.closed;
  });

  it("returns the subscription resolver's error and does not register the subscription", async () => {
    const client = await connectWithSubprotocol();
    await init(client);

    start(client, 'refused', 'refused');

    expect(await client.next((m) => m.id === 'refused')).toEqual({
      type: 'error',
      id: 'refused',
      payload: {
        errors: [{ data: null, errorType: 'NotFound', errorInfo: null, message: 'Subscriptions to this blob are refused' }],
      },
    });
    expect(await t.server.publish('publishBlobResult', { id: 'refused' })).toBe(0);
  });

  it('refuses a query sent over the realtime channel', async () => {
    const client = await connectWithSubprotocol();
    await init(client);

    client.send({
      id: 'q',
      type: 'start',
      payload: { data: JSON.stringify({ query: '{ blobs { nextToken } }' }), extensions: { authorization: apiKeyHeader() } },
    });

    expect(await client.next((m) => m.id === 'q')).toEqual({
      type: 'error',
      id: 'q',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'query not supported through the realtime channel' }] },
    });
  });

  it('returns validation errors for an invalid subscription document', async () => {
    const client = await connectWithSubprotocol();
    await init(client);

    client.send({
      id: 'v',
      type: 'start',
      payload: { data: JSON.stringify({ query: 'subscription { labelsReady(id: "x") { nope } }' }), extensions: { authorization: apiKeyHeader() } },
    });

    const error = await client.next((m) => m.id === 'v');
    expect(error.type).toBe('error');
    expect(error.payload?.errors?.[0].message).toBe("Validation error of type FieldUndefined: Field 'nope' in type 'Blob' is undefined");
  });

  it('refuses a second start with an id already in use', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'dup', 'blob-dup');

    start(client, 'dup', 'blob-dup');

    expect(await client.next((m) => m.id === 'dup')).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'DuplicatedOperationError' }] },
    });
  });

  it.each([
    ['text that is not JSON', 'hello', 'BadRequestException'],
    ['a message without a type', JSON.stringify({ id: '1' }), 'BadRequestException'],
    ['an unknown message type', JSON.stringify({ type: 'subscribe', id: '1' }), 'UnsupportedOperation'],
  ])('answers %s with an error message', async (_case, raw, errorType) => {
    const client = await connectWithSubprotocol();
    await init(client);

    client.send(raw);

    const error = await client.next((m) => m.type === 'error');
    expect(error.payload?.errors?.[0]).toMatchObject({ errorType });
  });

  it('closes a connection that never initialises', async () => {
    const client = await connectWithQuery();

    const closed = await client.closed;

    expect(closed.code).toBe(4408);
  });

  it('refuses a WebSocket upgrade that does not offer the graphql-ws subprotocol', async () => {
    await expect(RealtimeClient.connect(t.server.realtimeUrl, ['something-else'])).rejects.toThrow(/HTTP 400/);
  });

  it('does not fan out a mutation that failed', async () => {
    const client = await connectWithSubprotocol();
    await init(client);
    await subscribe(client, 'no-fanout', 'blob-nofan');

    const res = await postWithApiKey(t.server.graphqlUrl, 'mutation { redeliverCallback(id: "blob-nofan") { id } }');

    expect(res.json.errors).toMatchObject([{ errorType: 'NoCallback' }]);
    client.send({ type: 'stop', id: 'no-fanout' });
    await client.next((m) => m.type === 'complete');
    expect(client.pending('data')).toEqual([]);
  });
});
