// The tokens a user pool issues: ID and access tokens as RS256 JWTs with Cognito's claims and the key id in
// the header, and opaque refresh tokens. Claims are built by pure functions; signing and verifying use jose.
import { randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { RefreshSession, UserRecord } from './directory.ts';
import { notAuthorized } from './errors.ts';
import { SIGNING_ALGORITHM, type PoolKeys } from './keys.ts';

/** Lifetimes of a new app client: ID and access tokens one hour, refresh tokens 30 days. */
export const TOKEN_VALIDITY_SECONDS = 3600;
export const REFRESH_TOKEN_VALIDITY_SECONDS = 30 * 24 * 3600;
export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

export interface CommonClaims {
  sub: string;
  'cognito:groups'?: string[];
  iss: string;
  origin_jti: string;
  event_id: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
}

export interface IdTokenClaims extends CommonClaims {
  token_use: 'id';
  email_verified: boolean;
  'cognito:username': string;
  aud: string;
  email: string;
  [attribute: string]: unknown;
}

export interface AccessTokenClaims extends CommonClaims {
  token_use: 'access';
  client_id: string;
  scope: string;
  username: string;
}

export interface TokenContext {
  issuer: string;
  user: UserRecord;
  session: RefreshSession;
  /** Seconds since the epoch. */
  now: number;
}

function commonClaims(context: TokenContext): CommonClaims {
  const { user, session, now } = context;
  return {
    sub: user.sub,
    // Cognito leaves the claim out, rather than empty, for a user in no group.
    ...(user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {}),
    iss: context.issuer,
    origin_jti: session.originJti,
    event_id: session.eventId,
    auth_time: session.authTime,
    exp: now + TOKEN_VALIDITY_SECONDS,
    iat: now,
    jti: randomUUID(),
  };
}

export function idTokenClaims(context: TokenContext): IdTokenClaims {
  const { user, session } = context;
  return {
    ...user.attributes,
    ...commonClaims(context),
    token_use: 'id',
    email_verified: user.emailVerified,
    'cognito:username': user.username,
    aud: session.clientId,
    email: user.email,
  };
}

export function accessTokenClaims(context: TokenContext): AccessTokenClaims {
  return {
    ...commonClaims(context),
    token_use: 'access',
    client_id: context.session.clientId,
    scope: ACCESS_TOKEN_SCOPE,
    username: context.user.username,
  };
}

export function signToken(claims: IdTokenClaims | AccessTokenClaims, keys: PoolKeys): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ kid: keys.kid, alg: SIGNING_ALGORITHM }).sign(keys.privateKey);
}

/** An opaque refresh token: 64 random bytes, base64url. Only its hash is kept. */
export function newRefreshToken(): string {
  return randomBytes(64).toString('base64url');
}

/**
 * The claims of an access token this pool signed, or the NotAuthorizedException Cognito answers for it.
 * Whether its session was revoked is the caller's question.
 */
export async function verifyAccessToken(token: string, keys: PoolKeys, issuer: string, now: Date): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer,
      algorithms: [SIGNING_ALGORITHM],
      currentDate: now,
      clockTolerance: 0,
    });
    if (payload.token_use !== 'access' || typeof payload.origin_jti !== 'string' || typeof payload.username !== 'string') {
      throw notAuthorized('Invalid Access Token');
    }
    return payload as unknown as AccessTokenClaims;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw notAuthorized('Access Token has expired');
    if (error instanceof joseErrors.JOSEError) throw notAuthorized('Invalid Access Token');
    throw error;
  }
}
