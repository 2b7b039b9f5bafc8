import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call, CLIENT_ID, PASSWORD, passwordSignIn, signedCall, signUp, srpSignIn, startTestPool, tokensOf, USER_POOL_ID,
  type TestPool, type Tokens,
} from './support/pool.ts';

let pool: TestPool;
let endpoint: string;
let sub: string;
/** The pool's clock runs this far ahead of the test's. */
let clockOffsetMs = 0;

// aws-jwt-verify fetches JWKS over https only; the local issuer is http, so the fetch is ours, the verifying theirs.
const jwksCache = new SimpleJwksCache({
  fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
});

function verifiers() {
  const { issuer, jwksUri } = pool.server;
  return {
    id: JwtVerifier.create({ issuer, jwksUri, audience: CLIENT_ID, customJwtCheck: ({ payload }) => { if (payload.token_use !== 'id') throw new Error('not an ID token'); } }, { jwksCache }),
    access: JwtVerifier.create({
      issuer, jwksUri, audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access' || payload.client_id !== CLIENT_ID) throw new Error('not an access token of this client');
      },
    }, { jwksCache }),
  };
}

async function signIn(): Promise<Tokens> {
  return tokensOf((await srpSignIn(endpoint, 'alice@example.com', PASSWORD)).answer);
}

beforeAll(async () => {
  pool = await startTestPool({ clock: () => new Date(Date.now() + clockOffsetMs) });
  endpoint = pool.server.endpoint;
  sub = String((await signUp(endpoint, 'alice@example.com', PASSWORD, { UserAttributes: [{ Name: 'name', Value: 'Alice' }] })).json.UserSub);
});

afterAll(() => pool.remove());

describe('the tokens', () => {
  it('serves the issuer\'s JWKS and OpenID configuration under <endpoint>/<userPoolId>', async () => {
    expect(pool.server.issuer).toBe(`${endpoint}/${USER_POOL_ID}`);
    const configuration = await (await fetch(`${pool.server.issuer}/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    expect(configuration).toMatchObject({ issuer: pool.server.issuer, jwks_uri: pool.server.jwksUri });
    const jwks = await (await fetch(pool.server.jwksUri)).json() as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toEqual([{ alg: 'RS256', e: 'AQAB', kid: expect.any(String), kty: 'RSA', n: expect.any(String), use: 'sig' }]);
  });

  it('issues an ID token with Cognito\'s claims, signed RS256 with the served key', async () => {
    const tokens = await signIn();
    const claims = await verifiers().id.verify(tokens.IdToken);
    expect(decodeProtectedHeader(tokens.IdToken)).toEqual({ alg: 'RS256', kid: expect.any(String) });
    expect(Object.keys(claims).sort()).toEqual([
      'aud', 'auth_time', 'cognito:username', 'email', 'email_verified', 'event_id', 'exp', 'iat', 'iss', 'jti', 'name',
      'origin_jti', 'sub', 'token_use',
    ]);
    expect(claims).toMatchObject({
      sub, 'cognito:username': sub, aud: CLIENT_ID, email: 'alice@example.com', email_verified: true, name: 'Alice',
      token_use: 'id', iss: pool.server.issuer,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('issues an access token with Cognito\'s claims and scope', async () => {
    const tokens = await signIn();
    const claims = await verifiers().access.verify(tokens.AccessToken);
    expect(Object.keys(claims).sort()).toEqual([
      'auth_time', 'client_id', 'event_id', 'exp', 'iat', 'iss', 'jti', 'origin_jti', 'scope', 'sub', 'token_use', 'username',
    ]);
    expect(claims).toMatchObject({ sub, username: sub, client_id: CLIENT_ID, scope: 'aws.cognito.signin.user.admin', token_use: 'access' });
    expect(claims.origin_jti).toBe(decodeJwt(tokens.IdToken).origin_jti);
  });

  it('is refused by the verifier when signed by another key', async () => {
    const other = await generateKeyPair('RS256');
    const { kid } = decodeProtectedHeader((await signIn()).IdToken);
    const forged = await new SignJWT({ ...decodeJwt((await signIn()).IdToken) }).setProtectedHeader({ alg: 'RS256', kid }).sign(other.privateKey);
    await expect(verifiers().id.verify(forged)).rejects.toThrow(/signature/i);
  });
});

describe('refreshing', () => {
  it.each([
    ['GetTokensFromRefreshToken', (token: string) => ({ ClientId: CLIENT_ID, RefreshToken: token })],
    ['InitiateAuth', (token: string) => ({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: token } })],
    ['InitiateAuth', (token: string) => ({ AuthFlow: 'REFRESH_TOKEN', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: token } })],
  ])('issues new tokens of the same session with %s, and no new refresh token', async (action, request) => {
    const first = await signIn();
    const refreshed = tokensOf(await call(endpoint, action, request(first.RefreshToken!)));
    expect(refreshed.RefreshToken).toBeUndefined();
    const before = decodeJwt(first.AccessToken);
    const after = await verifiers().access.verify(refreshed.AccessToken);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
  });

  it('refuses a refresh token it never issued', async () => {
    const reply = await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: 'not-a-refresh-token' });
    expect(reply.json).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  });

  it('puts the groups the user is in into tokens issued after a change', async () => {
    const tokens = await signIn();
    expect(decodeJwt(tokens.AccessToken)['cognito:groups']).toBeUndefined();
    await signedCall(endpoint, 'AdminAddUserToGroup', { UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'admins' });
    const refreshed = tokensOf(await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: tokens.RefreshToken }));
    expect(decodeJwt(refreshed.AccessToken)['cognito:groups']).toEqual(['admins']);
    expect(decodeJwt(refreshed.IdToken)['cognito:groups']).toEqual(['admins']);
    await signedCall(endpoint, 'AdminRemoveUserFromGroup', { UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'admins' });
    const after = tokensOf(await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: tokens.RefreshToken }));
    expect(decodeJwt(after.IdToken)['cognito:groups']).toBeUndefined();
  });
});

describe('GetUser', () => {
  it('answers the user\'s username and attributes for a valid access token', async () => {
    const reply = await call(endpoint, 'GetUser', { AccessToken: (await signIn()).AccessToken });
    expect(reply.json).toEqual({
      Username: sub,
      UserAttributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Alice' },
        { Name: 'email', Value: 'alice@example.com' },
      ],
    });
  });

  it('refuses an ID token, a token signed by another key, and an expired token', async () => {
    const tokens = await signIn();
    expect((await call(endpoint, 'GetUser', { AccessToken: tokens.IdToken })).json).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...decodeJwt(tokens.AccessToken) })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(tokens.AccessToken).kid })
      .sign(other.privateKey);
    expect((await call(endpoint, 'GetUser', { AccessToken: forged })).json).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    clockOffsetMs = 2 * 3600 * 1000;
    try {
      expect((await call(endpoint, 'GetUser', { AccessToken: tokens.AccessToken })).json).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has expired' });
    } finally {
      clockOffsetMs = 0;
    }
  });
});

describe('revocation', () => {
  it('RevokeToken ends the refresh token and the access tokens issued from it, and no other session', async () => {
    const revoked = await signIn();
    const other = tokensOf(await passwordSignIn(endpoint, 'alice@example.com', PASSWORD));
    const refreshedBefore = tokensOf(await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: revoked.RefreshToken }));

    const reply = await call(endpoint, 'RevokeToken', { ClientId: CLIENT_ID, Token: revoked.RefreshToken });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({});

    expect((await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: revoked.RefreshToken })).json)
      .toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    for (const token of [revoked.AccessToken, refreshedBefore.AccessToken]) {
      expect((await call(endpoint, 'GetUser', { AccessToken: token })).json).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    }
    expect((await call(endpoint, 'GetUser', { AccessToken: other.AccessToken })).status).toBe(200);
  });

  it('RevokeToken refuses an access token: only refresh tokens are revoked', async () => {
    const reply = await call(endpoint, 'RevokeToken', { ClientId: CLIENT_ID, Token: (await signIn()).AccessToken });
    expect(reply.json.__type).toBe('UnsupportedTokenTypeException');
  });

  it('GlobalSignOut ends every session of the user', async () => {
    const first = await signIn();
    const second = tokensOf(await passwordSignIn(endpoint, 'alice@example.com', PASSWORD));
    expect((await call(endpoint, 'GlobalSignOut', { AccessToken: first.AccessToken })).json).toEqual({});
    for (const tokens of [first, second]) {
      expect((await call(endpoint, 'GetUser', { AccessToken: tokens.AccessToken })).json).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
      expect((await call(endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: tokens.RefreshToken })).json.message).toBe('Refresh Token has been revoked');
    }
    expect((await call(endpoint, 'GlobalSignOut', { AccessToken: first.AccessToken })).json.message).toBe('Access Token has been revoked');
    // Signing in again starts a new session.
    expect((await call(endpoint, 'GetUser', { AccessToken: (await signIn()).AccessToken })).status).toBe(200);
  });
});
