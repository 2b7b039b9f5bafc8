import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base64Json, base64UrlJson, IAM, RealtimeClient, ROOT } from './support/clients.ts';
import { createNotesRuntime, type NotesRuntime } from './support/notes-runtime.ts';
import { OTHER_CLIENT_ID, startTestUserPool, withPayload, type TestUserPool } from './support/user-pool.ts';
import { startAppSyncServer, type AppSyncServer } from '../../../local/appsync/server.ts';

const TOUCHED = 'subscription Touched($id: ID!) { touched(id: $id) { id } }';
const ADMIN_TOUCHED = 'subscription AdminTouched($id: ID!) { adminTouched(id: $id) { id } }';

describe('local AppSync realtime endpoint with Cognito user pools', () => {
  let pool: TestUserPool;
  let server: AppSyncServer;
  let runtime: NotesRuntime;
  let host: string;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    pool = await startTestUserPool();
    runtime = createNotesRuntime();
    server = await startAppSyncServer({
      schemaPath: `${ROOT}test/local/appsync/support/auth-schema.graphql`,
      preamblePath: `${ROOT}graphql/aws-appsync.graphql`,
      runtime,
      defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
      additionalAuthModes: ['AWS_IAM'],
      iam: IAM,
      userPool: pool.config,
    });
    host = new URL(server.graphqlUrl).host;
  });

  afterAll(async () => {
    await server.close();
    await pool.close();
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  async function connect(token: string, style: 'query' | 'subprotocol' = 'subprotocol'): Promise<RealtimeClient> {
    const header = { host, Authorization: token };
    const client =
      style === 'query'
        ? await RealtimeClient.connect(`${server.realtimeUrl}?header=${encodeURIComponent(base64Json(header))}&payload=e30=`, ['graphql-ws'])
        : await RealtimeClient.connect(server.realtimeUrl, ['graphql-ws', `header-${base64UrlJson(header)}`]);
    clients.push(client);
    return client;
  }

  async function connected(token: string): Promise<RealtimeClient> {
    const client = await connect(token);
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    return client;
  }

  function start(client: RealtimeClient, id: string, token: string, query = TOUCHED, noteId = 'n1'): void {
    client.send({
      id,
      type: 'start',
      payload: { data: JSON.stringify({ query, variables: { id: noteId } }), extensions: { authorization: { host, Authorization: token } } },
    });
  }

  const answerTo = (client: RealtimeClient, id: string) => client.next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));

  it.each(['query', 'subprotocol'] as const)('accepts a handshake carrying an ID token (%s style)', async (style) => {
    const client = await connect(await pool.idToken(), style);

    client.send({ type: 'connection_init' });

    expect(await client.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
  });

  it('subscribes with the token in the start message and gives the resolver the user pool identity', async () => {
    const token = await pool.idToken({ username: 'dora', groups: ['Readers'] });
    const client = await connected(token);
    runtime.subscriptions.length = 0;

    start(client, 'sub-1', token);

    expect(await answerTo(client, 'sub-1')).toEqual({ type: 'start_ack', id: 'sub-1' });
    expect(runtime.subscriptions[0].identity).toMatchObject({ username: 'dora', groups: ['Readers'], issuer: pool.issuer, defaultAuthStrategy: 'ALLOW' });
  });

  describe('refuses a handshake with connection_error and closes', () => {
    const cases: Array<[string, (p: TestUserPool) => Promise<string>, string]> = [
      ['an expired token', (p) => p.idToken({ expiresIn: -60 }), 'Token has expired.'],
      ['a token of another app client', (p) => p.idToken({ clientId: OTHER_CLIENT_ID }), 'You are not authorized to make this call.'],
      ['a tampered token', async (p) => withPayload(await p.idToken(), { sub: 'someone-else' }), 'You are not authorized to make this call.'],
      ['garbage', async () => 'garbage', 'Unable to parse JWT token.'],
    ];

    it.each(cases)('%s', async (_name, token, message) => {
      const client = await connect(await token(pool));

      client.send({ type: 'connection_init' });

      expect(await client.next()).toEqual({
        type: 'connection_error',
        payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
      });
      expect((await client.closed).code).toBe(1000);
    });
  });

  describe('refuses a start whose own token is bad, registering nothing', () => {
    const cases: Array<[string, (p: TestUserPool) => Promise<string>, string]> = [
      ['an expired token', (p) => p.idToken({ expiresIn: -60 }), 'Token has expired.'],
      ['a token of another issuer', (p) => p.idToken({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }), 'You are not authorized to make this call.'],
      ['a refresh-like token', (p) => p.idToken({ claims: { token_use: 'refresh' } }), 'You are not authorized to make this call.'],
      ['garbage', async () => 'x.y.z', 'Unable to parse JWT token.'],
    ];

    it.each(cases)('%s', async (_name, token, message) => {
      const client = await connected(await pool.idToken());
      runtime.subscriptions.length = 0;

      start(client, 'bad', await token(pool));

      expect(await answerTo(client, 'bad')).toEqual({ type: 'error', id: 'bad', payload: { errors: [{ errorType: 'UnauthorizedException', message }] } });
      expect(runtime.subscriptions).toHaveLength(0);
      expect(await server.publish('touch', { id: 'n1' })).toBe(0);
    });
  });

  it('admits a group-restricted subscription to a member of the group only', async () => {
    const admin = await pool.idToken({ groups: ['Admins'] });
    const reader = await pool.idToken({ groups: ['Readers'] });
    const client = await connected(admin);

    start(client, 'admin', admin, ADMIN_TOUCHED);
    start(client, 'reader', reader, ADMIN_TOUCHED);

    expect(await answerTo(client, 'admin')).toEqual({ type: 'start_ack', id: 'admin' });
    expect(await answerTo(client, 'reader')).toMatchObject({
      type: 'error',
      id: 'reader',
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access adminTouched on type Subscription' }] },
    });
  });

  it('ends a subscription whose token expires with an UnauthorizedException error, and keeps the connection', async () => {
    const shortLived = await pool.idToken({ expiresIn: 2 });
    const longLived = await pool.idToken();
    const client = await connected(longLived);
    start(client, 'short', shortLived, TOUCHED, 'n-expiring');
    start(client, 'long', longLived, TOUCHED, 'n-expiring');
    await answerTo(client, 'short');
    await answerTo(client, 'long');

    const expired = await client.next((m) => m.id === 'short' && m.type === 'error', 5000);

    expect(expired).toEqual({ type: 'error', id: 'short', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] } });
    expect(await server.publish('touch', { id: 'n-expiring' })).toBe(1);
    expect(await client.next((m) => m.type === 'data')).toMatchObject({ id: 'long', payload: { data: { touched: { id: 'n-expiring' } } } });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});
