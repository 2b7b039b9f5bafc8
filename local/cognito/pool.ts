// The user pool every action works on: its settings, users, keys and pending SRP challenges, and the steps
// actions share (check the app client, start a session and issue tokens, accept an access token).
import { createHmac, randomUUID } from 'node:crypto';
import { emailKey, hashToken, type RefreshSession, type UserDirectory, type UserRecord } from './directory.ts';
import { CognitoError, notAuthorized } from './errors.ts';
import type { PoolKeys } from './keys.ts';
import type { PendingChallenges } from './srp-challenges.ts';
import type { SignInLockout } from './sign-in-lockout.ts';
import {
  accessTokenClaims, idTokenClaims, newRefreshToken, REFRESH_TOKEN_VALIDITY_SECONDS, signToken, TOKEN_VALIDITY_SECONDS,
  verifyAccessToken, type AccessTokenClaims,
} from './tokens.ts';

/** The pool has one group, as the cloud's does. */
export const POOL_GROUPS = ['admins'] as const;

export interface PoolConfig {
  userPoolId: string;
  clientId: string;
  region: string;
  /** `http://<host>:<port>/<userPoolId>`: the tokens' `iss`. */
  issuer: string;
}

export interface Pool {
  config: PoolConfig;
  directory: UserDirectory;
  keys: PoolKeys;
  challenges: PendingChallenges;
  /** Failed password sign-ins per user, and the lockouts they cause. */
  lockout: SignInLockout;
  now(): Date;
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  IdToken: string;
  RefreshToken?: string;
  TokenType: 'Bearer';
}

export interface AttributeType {
  Name: string;
  Value: string;
}

export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function requireClient(pool: Pool, clientId: string): void {
  if (clientId !== pool.config.clientId) {
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
}

export function requirePool(pool: Pool, userPoolId: string): void {
  if (userPoolId !== pool.config.userPoolId) {
    throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
  }
}

/** ID and access tokens for a session; a refresh token only when the session is new. */
export async function tokensFor(pool: Pool, user: UserRecord, session: RefreshSession, refreshToken?: string): Promise<AuthenticationResult> {
  const context = { issuer: pool.config.issuer, user, session, now: seconds(pool.now()) };
  const [AccessToken, IdToken] = await Promise.all([
    signToken(accessTokenClaims(context), pool.keys),
    signToken(idTokenClaims(context), pool.keys),
  ]);
  return { AccessToken, ExpiresIn: TOKEN_VALIDITY_SECONDS, IdToken, ...(refreshToken ? { RefreshToken: refreshToken } : {}), TokenType: 'Bearer' };
}

/** A successful sign-in: a new refresh-token session and the first tokens of it. */
export async function signInUser(pool: Pool, user: UserRecord): Promise<AuthenticationResult> {
  const now = pool.now();
  const refreshToken = newRefreshToken();
  const session: RefreshSession = {
    tokenHash: hashToken(refreshToken),
    originJti: randomUUID(),
    eventId: randomUUID(),
    sub: user.sub,
    clientId: pool.config.clientId,
    authTime: seconds(now),
    issuedAt: now.getTime(),
    expiresAt: now.getTime() + REFRESH_TOKEN_VALIDITY_SECONDS * 1000,
    revokedAt: null,
  };
  await pool.directory.addSession(session, now.getTime());
  return tokensFor(pool, user, session, refreshToken);
}

/** New ID and access tokens from a refresh token (no new refresh token: rotation is off, as on a new app client). */
export async function refreshTokens(pool: Pool, refreshToken: string): Promise<AuthenticationResult> {
  const session = pool.directory.sessionByToken(refreshToken);
  if (!session || session.clientId !== pool.config.clientId) throw notAuthorized('Invalid Refresh Token');
  if (session.revokedAt !== null) throw notAuthorized('Refresh Token has been revoked');
  if (session.expiresAt <= pool.now().getTime()) throw notAuthorized('Refresh Token has expired');
  const user = pool.directory.findUser(session.sub);
  if (!user || !user.enabled) throw notAuthorized('Refresh Token has been revoked');
  return tokensFor(pool, user, session);
}

export interface AuthorizedUser {
  user: UserRecord;
  claims: AccessTokenClaims;
}

/** The user an access token speaks for, refused as Cognito refuses it when expired, forged or revoked. */
export async function authorizeAccessToken(pool: Pool, accessToken: string): Promise<AuthorizedUser> {
  const claims = await verifyAccessToken(accessToken, pool.keys, pool.config.issuer, pool.now());
  const session = pool.directory.sessionByOrigin(claims.origin_jti);
  // A session we no longer hold was pushed out by newer ones: its tokens are no longer honoured.
  if (!session || session.revokedAt !== null) throw notAuthorized('Access Token has been revoked');
  const user = pool.directory.findUser(claims.username);
  if (!user || user.sub !== claims.sub) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  return { user, claims };
}

/** The attributes as GetUser / AdminGetUser list them. */
export function userAttributes(user: UserRecord): AttributeType[] {
  return [
    { Name: 'sub', Value: user.sub },
    { Name: 'email_verified', Value: String(user.emailVerified) },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    { Name: 'email', Value: user.email },
  ];
}

/**
 * What the SRP challenge shows for a username nobody has: the same salt and the same UUID-shaped id for the
 * same name every time (and across restarts), so the answer does not tell an unknown user from a known one.
 */
export function simulatedIdentity(pool: Pool, username: string): { userId: string; salt: string } {
  const derive = (label: string) => createHmac('sha256', pool.keys.poolSecret).update(`${label}\0${emailKey(username)}`).digest();
  const bytes = derive('user-id').subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { userId, salt: derive('salt').subarray(0, 16).toString('hex') };
}
