// A stand-in Cognito user pool for the tests: RS256 keys made with jose, a JWKS served on loopback the way
// Cognito publishes it (<issuer>/.well-known/jwks.json), and tokens minted with the claims Cognito puts in them.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import type { UserPoolConfig } from '../../../../local/appsync/user-pool-auth.ts';
import { closeServer, listen } from '../../../../local/net.ts';

export const USER_POOL_ID = 'us-east-1_LocalTest';
export const CLIENT_ID = 'localtestclient0000000000a';
export const OTHER_CLIENT_ID = 'othertestclient000000000b';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface TokenOptions {
  username?: string;
  sub?: string;
  groups?: string[];
  /** Seconds from now; negative for an expired token. Default 3600. */
  expiresIn?: number;
  issuer?: string;
  clientId?: string;
  /** Claims added or replaced after the defaults. */
  claims?: Record<string, unknown>;
  /** Sign with a key the JWKS does not publish. */
  unpublishedKey?: boolean;
}

export interface TestUserPool {
  config: UserPoolConfig;
  issuer: string;
  /** How many times the JWKS was fetched. */
  jwksRequests(): number;
  idToken(options?: TokenOptions): Promise<string>;
  accessToken(options?: TokenOptions): Promise<string>;
  /** Publishes a new signing key and signs new tokens with it (the old key stays published). */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startTestUserPool(): Promise<TestUserPool> {
  const published: SigningKey[] = [await newKey()];
  const unpublished = await newKey();
  let signing = published[0];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== `/${USER_POOL_ID}/.well-known/jwks.json`) {
      res.writeHead(404).end();
      return;
    }
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  const port = await listen(server, 0, '127.0.0.1');
  const issuer = `http://127.0.0.1:${port}/${USER_POOL_ID}`;

  async function mint(tokenUse: 'id' | 'access', options: TokenOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const username = options.username ?? 'alice';
    const clientId = options.clientId ?? CLIENT_ID;
    const common: JWTPayload = {
      sub: options.sub ?? '7d8ca528-4931-4254-9273-ea5ee853f271',
      iss: options.issuer ?? issuer,
      token_use: tokenUse,
      auth_time: now,
      iat: now,
      exp: now + (options.expiresIn ?? 3600),
      jti: randomUUID(),
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      ...(options.groups ? { 'cognito:groups': options.groups } : {}),
    };
    const payload: JWTPayload =
      tokenUse === 'id'
        ? { ...common, aud: clientId, 'cognito:username': username, email: `${username}@example.com`, email_verified: true }
        : { ...common, client_id: clientId, username, scope: 'aws.cognito.signin.user.admin', version: 2 };
    const key = options.unpublishedKey ? unpublished : signing;
    return new SignJWT({ ...payload, ...options.claims }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  }

  return {
    config: { userPoolId: USER_POOL_ID, issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientIds: [CLIENT_ID] },
    issuer,
    jwksRequests: () => requests,
    idToken: (options = {}) => mint('id', options),
    accessToken: (options = {}) => mint('access', options),
    async rotateKey() {
      signing = await newKey();
      published.push(signing);
    },
    close: () => closeServer(server),
  };
}

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The token's signature replaced: the header and payload say what the signer never signed. */
export function withPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${base64Url({ ...claims, ...changes })}.${signature}`;
}

/** An unsigned token (`alg: none`) with the claims of `token`. */
export function unsigned(token: string): string {
  const [, payload] = token.split('.');
  return `${base64Url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
}

/** The claims of `token` signed with HS256 and a shared secret, as an attacker who knows no private key could. */
export function hmacSigned(token: string): Promise<string> {
  const [, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
}
