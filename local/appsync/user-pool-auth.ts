// AMAZON_COGNITO_USER_POOLS: verifies the raw JWT of an `Authorization` header as AppSync does (RS256 against the
// pool's JWKS, issuer, expiry, token_use id or access, the app client in `aud` or `client_id`), and builds the
// caller's ctx.identity from its claims. Verification is aws-jwt-verify's; the JWKS is fetched from `jwksUri`,
// cached, and fetched again when a token names a key the cache lacks (a key rotation). Tokens that verified are
// kept until their expiry (never past it), so that a client's every request does not pay for an RS256 check.
import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError, JwtParseError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { LruCache } from './lru.ts';
import type { CognitoIdentity } from './runtime/types.ts';

export interface UserPoolConfig {
  userPoolId: string;
  /** The `iss` of the pool's tokens, e.g. `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  issuer: string;
  /** Where the pool publishes its signing keys (`<issuer>/.well-known/jwks.json`). */
  jwksUri: string;
  /** App clients whose tokens are accepted (AppSync's appIdClientRegex, as a list); empty accepts any client of the pool. */
  clientIds: string[];
}

/** Why a token was refused; each maps to one of AppSync's messages. */
export type JwtRefusal = 'UNPARSEABLE' | 'EXPIRED' | 'NOT_AUTHORIZED';

export type JwtVerification =
  | { ok: true; claims: Record<string, unknown>; expiresAt: number }
  | { ok: false; refusal: JwtRefusal };

export interface UserPoolVerifier {
  readonly config: UserPoolConfig;
  verify(token: string): Promise<JwtVerification>;
}

export interface VerifierOptions {
  /** The clock expiry is checked against (epoch ms). Default Date.now. */
  now?: () => number;
  /** Verified tokens kept. Default 10,000 (a few MB of token text at most). */
  maxCachedTokens?: number;
}

const JWKS_FETCH_TIMEOUT_MS = 5000;

/** aws-jwt-verify fetches over `https` only; the local pool serves its JWKS over plain http on loopback. */
const httpOrHttpsFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
    if (response.status !== 200) throw new Error(`JWKS fetch from ${uri} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

function tokenUseAndClient(payload: JwtPayload, clientIds: readonly string[]): void {
  const tokenUse = payload.token_use;
  if (tokenUse !== 'id' && tokenUse !== 'access') throw new Error('token_use is neither id nor access');
  if (clientIds.length === 0) return;
  // An ID token names its client in `aud`, an access token in `client_id`.
  const client = tokenUse === 'id' ? payload.aud : payload.client_id;
  const clients = Array.isArray(client) ? client : [client];
  if (!clients.some((c) => typeof c === 'string' && clientIds.includes(c))) throw new Error('token of another app client');
}

/** Verified tokens: their claims (as JSON, so that each request gets its own copy) and their expiry. */
interface VerifiedToken {
  claimsJson: string;
  expiresAt: number;
}

export function createUserPoolVerifier(config: UserPoolConfig, options: VerifierOptions = {}): UserPoolVerifier {
  const now = options.now ?? (() => Date.now());
  const verified = new LruCache<string, VerifiedToken>({
    maxEntries: options.maxCachedTokens ?? 10_000,
    maxWeight: 32 * 1024 * 1024,
    weigh: (token) => token.length,
  });
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => tokenUseAndClient(payload, config.clientIds),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpOrHttpsFetcher }) },
  );
  return {
    config,
    async verify(token) {
      const known = verified.get(token);
      if (known && now() < known.expiresAt) {
        return { ok: true, claims: JSON.parse(known.claimsJson) as Record<string, unknown>, expiresAt: known.expiresAt };
      }
      // Expired (or never seen): verified in full, which answers the refusal as before.
      verified.delete(token);
      let alg: unknown;
      try {
        alg = decomposeUnverifiedJwt(token).header.alg;
      } catch {
        return { ok: false, refusal: 'UNPARSEABLE' };
      }
      // RS256 only, as Cognito signs: `none`, HMAC and other algorithms never reach key selection.
      if (alg !== 'RS256') return { ok: false, refusal: 'NOT_AUTHORIZED' };
      try {
        const payload = await verifier.verify(token);
        const expiresAt = (payload.exp ?? 0) * 1000;
        verified.set(token, { claimsJson: JSON.stringify(payload), expiresAt });
        return { ok: true, claims: { ...payload }, expiresAt };
      } catch (error) {
        if (error instanceof JwtExpiredError) return { ok: false, refusal: 'EXPIRED' };
        if (error instanceof JwtParseError) return { ok: false, refusal: 'UNPARSEABLE' };
        return { ok: false, refusal: 'NOT_AUTHORIZED' };
      }
    },
  };
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}

/** ctx.identity of a user pool caller, as AppSync fills it. */
export function cognitoIdentity(claims: Record<string, unknown>, sourceIp: string | null): CognitoIdentity {
  const groups = claims['cognito:groups'];
  return {
    sub: stringClaim(claims, 'sub') ?? '',
    issuer: stringClaim(claims, 'iss') ?? '',
    // ID tokens carry `cognito:username`, access tokens `username`.
    username: stringClaim(claims, 'cognito:username') ?? stringClaim(claims, 'username') ?? '',
    claims,
    sourceIp: sourceIp ? [sourceIp] : [],
    defaultAuthStrategy: 'ALLOW',
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : null,
  };
}
