import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, graphqlBody, IAM, post, postSigned, ROOT } from './support/clients.ts';
import { createNotesRuntime, type NotesRuntime } from './support/notes-runtime.ts';
import { hmacSigned, OTHER_CLIENT_ID, startTestUserPool, unsigned, withPayload, type TestUserPool } from './support/user-pool.ts';
import { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from '../../../local/appsync/server.ts';

const SCHEMA = `${ROOT}test/local/appsync/support/auth-schema.graphql`;
const PREAMBLE = `${ROOT}graphql/aws-appsync.graphql`;

const NOT_AUTHORIZED = 'You are not authorized to make this call.';
const UNPARSEABLE = 'Unable to parse JWT token.';
const EXPIRED = 'Token has expired.';
const NO_HEADER = 'Valid authorization header not provided.';

async function startNotesServer(pool: TestUserPool, overrides: Partial<AppSyncServerOptions> = {}) {
  const runtime = createNotesRuntime();
  const server = await startAppSyncServer({
    schemaPath: SCHEMA,
    preamblePath: PREAMBLE,
    runtime,
    defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
    additionalAuthModes: ['AWS_IAM', 'API_KEY'],
    apiKeys: [API_KEY],
    iam: IAM,
    userPool: pool.config,
    ...overrides,
  });
  return { server, runtime };
}

function withToken(url: string, query: string, token: string, variables: Record<string, unknown> = {}) {
  return post(url, graphqlBody(query, variables), { 'content-type': 'application/json', authorization: token });
}

describe('local AppSync with Cognito user pools as the default mode', () => {
  let pool: TestUserPool;
  let server: AppSyncServer;
  let runtime: NotesRuntime;

  beforeAll(async () => {
    pool = await startTestUserPool();
    ({ server, runtime } = await startNotesServer(pool));
  });

  afterAll(async () => {
    await server.close();
    await pool.close();
  });

  beforeEach(() => {
    runtime.invocations.length = 0;
  });

  it('accepts an ID token sent raw in Authorization, as Amplify sends it', async () => {
    const res = await withToken(server.graphqlUrl, '{ note(id: "n1") { id text } }', await pool.idToken());

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { note: { id: 'n1', text: 'text of n1' } } });
  });

  it('accepts an access token of an accepted app client', async () => {
    const res = await withToken(server.graphqlUrl, '{ note(id: "n1") { id } }', await pool.accessToken());

    expect(res.json).toEqual({ data: { note: { id: 'n1' } } });
  });

  it('gives the resolver the caller identity as AppSync fills it', async () => {
    const token = await pool.idToken({ username: 'bob', sub: 'sub-bob', groups: ['Admins'] });

    await withToken(server.graphqlUrl, '{ note(id: "n1") { id } }', token);

    const identity = runtime.invocations[0].identity;
    expect(identity).toEqual({
      sub: 'sub-bob',
      issuer: pool.issuer,
      username: 'bob',
      claims: expect.objectContaining({ sub: 'sub-bob', 'cognito:username': 'bob', 'cognito:groups': ['Admins'], token_use: 'id', iss: pool.issuer }),
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['Admins'],
    });
  });

  it('reads the username of an access token from its username claim, and groups as null when there are none', async () => {
    await withToken(server.graphqlUrl, '{ note(id: "n1") { id } }', await pool.accessToken({ username: 'carol' }));

    expect(runtime.invocations[0].identity).toMatchObject({ username: 'carol', groups: null });
  });

  describe('refuses with UnauthorizedException (401) and runs nothing', () => {
    const cases: Array<[string, (p: TestUserPool) => Promise<string | undefined>, string]> = [
      ['no token at all', async () => undefined, NO_HEADER],
      ['an expired token', (p) => p.idToken({ expiresIn: -60 }), EXPIRED],
      ['a token of another issuer', (p) => p.idToken({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }), NOT_AUTHORIZED],
      ['an ID token of another app client', (p) => p.idToken({ clientId: OTHER_CLIENT_ID }), NOT_AUTHORIZED],
      ['an access token of another app client', (p) => p.accessToken({ clientId: OTHER_CLIENT_ID }), NOT_AUTHORIZED],
      ['an unsigned token (alg none)', async (p) => unsigned(await p.idToken()), UNPARSEABLE],
      ['a token signed with HMAC (HS256) instead of the pool key', async (p) => hmacSigned(await p.idToken()), NOT_AUTHORIZED],
      ['a token whose claims were changed after signing', async (p) => withPayload(await p.idToken(), { 'cognito:groups': ['Admins'] }), NOT_AUTHORIZED],
      ['a token signed with a key the pool does not publish', (p) => p.idToken({ unpublishedKey: true }), NOT_AUTHORIZED],
      ['a token that is neither an ID nor an access token', (p) => p.idToken({ claims: { token_use: 'refresh' } }), NOT_AUTHORIZED],
      ['a token with no token_use', (p) => p.idToken({ claims: { token_use: undefined } }), NOT_AUTHORIZED],
      ['a token behind "Bearer "', async (p) => `Bearer ${await p.idToken()}`, UNPARSEABLE],
      ['garbage', async () => 'not-a-jwt', UNPARSEABLE],
      ['an empty Authorization header', async () => '', UNPARSEABLE],
    ];

    it.each(cases)('%s', async (_name, token, message) => {
      const authorization = await token(pool);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;

      const res = await post(server.graphqlUrl, graphqlBody('{ note(id: "n1") { id } }'), headers);

      expect(res.status).toBe(401);
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
      expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message }] });
      expect(runtime.invocations).toHaveLength(0);
    });
  });

  describe('field-level authorization', () => {
    const unauthorized = (field: string, type = 'Query') => ({
      path: [field],
      data: null,
      errorType: 'Unauthorized',
      errorInfo: null,
      locations: [{ line: 1, column: 3, sourceName: null }],
      message: `Not Authorized to access ${field} on type ${type}`,
    });

    it('lets a member of a listed Cognito group read a group-restricted field', async () => {
      const res = await withToken(server.graphqlUrl, '{ adminNote { id } }', await pool.idToken({ groups: ['Auditors'] }));

      expect(res.json).toEqual({ data: { adminNote: { id: 'adminNote' } } });
    });

    it('refuses a group-restricted field to a user in no listed group, without invoking its resolver', async () => {
      const res = await withToken(server.graphqlUrl, '{ adminNote { id } }', await pool.idToken({ groups: ['Readers'] }));

      expect(res.json).toEqual({ data: { adminNote: null }, errors: [unauthorized('adminNote')] });
      expect(runtime.invocations).toHaveLength(0);
    });

    it('applies @aws_auth(cognito_groups) like @aws_cognito_user_pools', async () => {
      const member = await withToken(server.graphqlUrl, '{ legacyAdminNote { id } }', await pool.idToken({ groups: ['Admins'] }));
      const stranger = await withToken(server.graphqlUrl, '{ legacyAdminNote { id } }', await pool.idToken());

      expect(member.json).toEqual({ data: { legacyAdminNote: { id: 'legacyAdminNote' } } });
      expect(stranger.json).toEqual({ data: { legacyAdminNote: null }, errors: [unauthorized('legacyAdminNote')] });
    });

    it('nulls a group-restricted field inside an allowed type for a user outside the group', async () => {
      const res = await withToken(server.graphqlUrl, '{ note(id: "n1") { id secret } }', await pool.idToken());

      expect(res.json.data).toEqual({ note: { id: 'n1', secret: null } });
      expect(res.json.errors).toMatchObject([{ path: ['note', 'secret'], errorType: 'Unauthorized', message: 'Not Authorized to access secret on type Note' }]);
    });

    it('admits only the default mode to a field without directives', async () => {
      const byKey = await post(server.graphqlUrl, graphqlBody('{ note(id: "n1") { id } }'), { 'content-type': 'application/json', 'x-api-key': API_KEY });
      const byIam = await postSigned(server.graphqlUrl, '{ note(id: "n1") { id } }');

      expect(byKey.json).toEqual({ data: { note: null }, errors: [unauthorized('note')] });
      expect(byIam.json).toEqual({ data: { note: null }, errors: [unauthorized('note')] });
    });

    it('refuses a user pool caller a field only IAM may read', async () => {
      const res = await withToken(server.graphqlUrl, '{ iamNote { id } }', await pool.idToken({ groups: ['Admins'] }));

      expect(res.json).toEqual({ data: { iamNote: null }, errors: [unauthorized('iamNote')] });
    });
  });

  describe('mode selection', () => {
    it('takes a SigV4 Authorization as IAM, with the IAM identity', async () => {
      const res = await postSigned(server.graphqlUrl, '{ iamNote { id } }');

      expect(res.json).toEqual({ data: { iamNote: { id: 'iamNote' } } });
      expect(runtime.invocations[0].identity).toMatchObject({ accountId: IAM.accountId, username: IAM.accessKeyId });
    });

    it('takes x-api-key as the API key mode, with a null identity', async () => {
      const res = await post(server.graphqlUrl, graphqlBody('{ shared(id: "s1") { id } }'), { 'content-type': 'application/json', 'x-api-key': API_KEY });

      expect(res.json).toEqual({ data: { shared: { id: 's1' } } });
      expect(runtime.invocations[0].identity).toBeNull();
    });

    it('refuses a wrong API key even when a valid token rides along', async () => {
      const res = await post(server.graphqlUrl, graphqlBody('{ shared(id: "s1") { id } }'), {
        'content-type': 'application/json',
        'x-api-key': 'da2-wrong',
        authorization: await pool.idToken(),
      });

      expect(res.status).toBe(401);
      expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: NOT_AUTHORIZED }] });
    });

    it('refuses a mode the API does not enable', async () => {
      const other = await startNotesServer(pool, { additionalAuthModes: [], apiKeys: [API_KEY] });
      try {
        const byKey = await post(other.server.graphqlUrl, graphqlBody('{ shared(id: "s1") { id } }'), { 'content-type': 'application/json', 'x-api-key': API_KEY });
        const byIam = await postSigned(other.server.graphqlUrl, '{ shared(id: "s1") { id } }');

        expect(byKey.status).toBe(401);
        expect(byIam.status).toBe(401);
        expect(other.runtime.invocations).toHaveLength(0);
      } finally {
        await other.server.close();
      }
    });

    it('refuses a JWT when the API has no user pool mode', async () => {
      const other = await startNotesServer(pool, { defaultAuthMode: 'API_KEY', additionalAuthModes: ['AWS_IAM'], userPool: undefined });
      try {
        const res = await withToken(other.server.graphqlUrl, '{ shared(id: "s1") { id } }', await pool.idToken());

        expect(res.status).toBe(401);
        expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: NO_HEADER }] });
      } finally {
        await other.server.close();
      }
    });

    it('refuses to start with a mode it cannot serve or lacks the settings for', async () => {
      await expect(startNotesServer(pool, { defaultAuthMode: 'OPENID_CONNECT' })).rejects.toThrow(/OPENID_CONNECT is not supported/);
      await expect(startNotesServer(pool, { userPool: undefined })).rejects.toThrow(/needs the userPool option/);
    });
  });

  it('fetches the JWKS once, and again when a token names a key it has not seen (a rotation)', async () => {
    const rotating = await startTestUserPool();
    const other = await startNotesServer(rotating);
    try {
      const first = await withToken(other.server.graphqlUrl, '{ note(id: "n1") { id } }', await rotating.idToken());
      await withToken(other.server.graphqlUrl, '{ note(id: "n1") { id } }', await rotating.idToken());
      const beforeRotation = rotating.jwksRequests();
      await rotating.rotateKey();
      const rotated = await withToken(other.server.graphqlUrl, '{ note(id: "n1") { id } }', await rotating.idToken());

      expect(first.status).toBe(200);
      expect(beforeRotation).toBe(1);
      expect(rotated.json).toEqual({ data: { note: { id: 'n1' } } });
      expect(rotating.jwksRequests()).toBe(2);
    } finally {
      await other.server.close();
      await rotating.close();
    }
  });
});
