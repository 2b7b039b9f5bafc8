// The actions an app calls without AWS credentials (Amplify's signUp, signIn, fetchAuthSession, signOut,
// fetchUserAttributes): each reads its request with Cognito's bounds and answers Cognito's response shape.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { CognitoError, invalidParameter, notAuthorized } from './errors.ts';
import {
  attributeList, optionalString, requiredString, stringMap, type AttributeInput, type JsonObject, type MapBounds,
} from './input.ts';
import { passwordPolicyViolation } from './password-policy.ts';
import {
  authorizeAccessToken, refreshTokens, requireClient, signInUser, simulatedIdentity, userAttributes,
  type AttributeType, type AuthenticationResult, type Pool,
} from './pool.ts';
import {
  computeVerifier, createPasswordVerifier, createServerEphemeral, N, padHex, parseClientPublic, passwordClaimSignature,
  serverSessionKey, userPoolName,
} from './srp.ts';
import { formatSrpTimestamp, parseSrpTimestamp, TIMESTAMP_FORMAT_MESSAGE } from './srp-timestamp.ts';
import type { UserRecord } from './directory.ts';
import type { PendingChallenge } from './srp-challenges.ts';

const CLIENT_ID = { max: 128, pattern: /^[\w+]+$/ };
const USERNAME = { max: 128 };
// No leading or trailing white space; the rest is the policy's business.
const PASSWORD = { max: 256, pattern: /^\S+(?:.*\S+)?$/s };
const TOKEN = { max: 8192, pattern: /^[A-Za-z0-9\-_=.]+$/ };
const PARAMETERS: MapBounds = { maxEntries: 20, maxKeyLength: 64, maxValueLength: 8192 };
const CLIENT_METADATA: MapBounds = { maxEntries: 50, maxKeyLength: 128, maxValueLength: 2048 };
const MAX_SIGN_UP_ATTRIBUTES = 25;

/** A PASSWORD_VERIFIER TIMESTAMP further than this from the server's clock is refused. */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60 * 1000;

/** Standard attributes a user may give at sign-up; `email` is the username itself. */
const WRITABLE_ATTRIBUTES = new Set([
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'locale', 'zoneinfo', 'picture', 'website',
  'profile', 'gender', 'birthdate',
]);
const SERVER_ONLY_ATTRIBUTES = new Set(['sub', 'email_verified', 'cognito:username', 'cognito:user_status']);

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Fields Amplify and the SDK add to client requests that the local pool reads for bounds only. */
function checkClientExtras(body: JsonObject): void {
  stringMap(body, 'ClientMetadata', CLIENT_METADATA);
}

function requiredParameter(parameters: Map<string, string>, name: string): string {
  const value = parameters.get(name);
  if (value === undefined || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

function signUpAttributes(inputs: AttributeInput[], username: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const { name, value } of inputs) {
    if (SERVER_ONLY_ATTRIBUTES.has(name)) throw notAuthorized('A client attempted to write unauthorized attribute');
    if (name === 'email') {
      if (value.toLowerCase() !== username.toLowerCase()) throw invalidParameter('The email attribute must be the username of a pool whose users sign in with their email.');
      continue;
    }
    if (!WRITABLE_ATTRIBUTES.has(name)) {
      throw invalidParameter(`Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.\n`);
    }
    if (name in attributes) throw invalidParameter(`Duplicate attribute name: ${name}`);
    attributes[name] = value;
  }
  return attributes;
}

export async function signUp(pool: Pool, body: JsonObject): Promise<{ UserConfirmed: boolean; UserSub: string }> {
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  const username = requiredString(body, 'Username', USERNAME);
  const password = requiredString(body, 'Password', PASSWORD);
  const inputs = attributeList(body, 'UserAttributes', MAX_SIGN_UP_ATTRIBUTES);
  attributeList(body, 'ValidationData', MAX_SIGN_UP_ATTRIBUTES);
  checkClientExtras(body);
  requireClient(pool, clientId);
  if (!EMAIL.test(username)) throw invalidParameter('Username should be an email.');
  const attributes = signUpAttributes(inputs, username);
  const violation = passwordPolicyViolation(password);
  if (violation) throw new CognitoError('InvalidPasswordException', violation);
  if (pool.directory.findByEmail(username)) {
    throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
  }
  // The username is generated, as in a pool with UsernameAttributes [email]; it is also the sub and USER_ID_FOR_SRP.
  const sub = randomUUID();
  const now = pool.now().getTime();
  const user: UserRecord = {
    username: sub,
    sub,
    email: username,
    // Confirmed and verified at once, as a pre sign-up trigger answering autoConfirmUser and autoVerifyEmail would.
    emailVerified: true,
    attributes,
    status: 'CONFIRMED',
    enabled: true,
    ...createPasswordVerifier(userPoolName(pool.config.userPoolId), sub, password),
    groups: [],
    createdAt: now,
    updatedAt: now,
  };
  await pool.directory.addUser(user);
  return { UserConfirmed: true, UserSub: sub };
}

/** Every user is confirmed at sign-up: confirming again is refused as Cognito refuses it. */
export async function confirmSignUp(pool: Pool, body: JsonObject): Promise<never> {
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  const username = requiredString(body, 'Username', USERNAME);
  requiredString(body, 'ConfirmationCode', { max: 2048, pattern: /^\S+$/ });
  optionalString(body, 'Session', { min: 20, max: 2048 });
  checkClientExtras(body);
  requireClient(pool, clientId);
  const user = pool.directory.findUser(username);
  // For an unknown user, the answer a wrong code gets: nothing says the user does not exist.
  if (!user) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
}

export async function resendConfirmationCode(pool: Pool, body: JsonObject): Promise<never> {
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  requiredString(body, 'Username', USERNAME);
  checkClientExtras(body);
  requireClient(pool, clientId);
  throw invalidParameter('User is already confirmed.');
}

export interface InitiateAuthResponse {
  ChallengeName?: 'PASSWORD_VERIFIER';
  ChallengeParameters: Record<string, string>;
  AuthenticationResult?: AuthenticationResult;
}

const AUTH_FLOWS = [
  'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH',
];

export async function initiateAuth(pool: Pool, body: JsonObject): Promise<InitiateAuthResponse> {
  const flow = requiredString(body, 'AuthFlow', { max: 64 });
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  const parameters = stringMap(body, 'AuthParameters', PARAMETERS);
  checkClientExtras(body);
  if (!AUTH_FLOWS.includes(flow)) {
    throw invalidParameter(`1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`);
  }
  requireClient(pool, clientId);
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startSrp(pool, requiredParameter(parameters, 'USERNAME'), requiredParameter(parameters, 'SRP_A'));
    case 'USER_PASSWORD_AUTH':
      return {
        ChallengeParameters: {},
        AuthenticationResult: await passwordSignIn(pool, requiredParameter(parameters, 'USERNAME'), requiredParameter(parameters, 'PASSWORD')),
      };
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return { ChallengeParameters: {}, AuthenticationResult: await refreshTokens(pool, requiredParameter(parameters, 'REFRESH_TOKEN')) };
    case 'ADMIN_NO_SRP_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw invalidParameter('Auth flow not enabled for this client');
  }
}

function startSrp(pool: Pool, username: string, srpA: string): InitiateAuthResponse {
  const A = parseClientPublic(srpA);
  if (A === null) throw invalidParameter('SRP_A is not a valid SRP value.');
  const user = pool.directory.findUser(username);
  const identity = user ? { userId: user.username, salt: user.salt } : simulatedIdentity(pool, username);
  // An unknown user gets a challenge no password answers, shaped like a real one.
  const verifier = user ? user.verifier : (BigInt(`0x${randomBytes(384).toString('hex')}`) % N).toString(16);
  const { b, B } = createServerEphemeral(verifier);
  const secretBlock = pool.challenges.add({
    userId: identity.userId,
    userExists: user !== undefined,
    A,
    B,
    b,
    verifier,
    createdAt: pool.now().getTime(),
  });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: identity.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B.toString(16),
      USERNAME: identity.userId,
      USER_ID_FOR_SRP: identity.userId,
    },
  };
}

/** USER_PASSWORD_AUTH: the verifier is computed again from the password and compared; the same work for unknown users. */
async function passwordSignIn(pool: Pool, username: string, password: string): Promise<AuthenticationResult> {
  const user = pool.directory.findUser(username);
  const identity = user ? { userId: user.username, salt: user.salt } : simulatedIdentity(pool, username);
  const signedIn = underLockout(pool, identity.userId, pool.now().getTime(), () => {
    const computed = computeVerifier(userPoolName(pool.config.userPoolId), identity.userId, password, identity.salt);
    return user && user.enabled && sameHexNumber(computed, user.verifier) ? user : undefined;
  });
  return signInUser(pool, signedIn);
}

/**
 * One password proof under the sign-in lockout: refused while the user is locked out, a failure counted (and answered
 * as a wrong password), a success clearing the count.
 */
function underLockout(pool: Pool, userId: string, now: number, prove: () => UserRecord | undefined): UserRecord {
  pool.lockout.check(userId, now);
  const user = prove();
  if (!user) {
    pool.lockout.failed(userId, now);
    throw notAuthorized();
  }
  pool.lockout.succeeded(userId);
  return user;
}

function sameHexNumber(a: string, b: string): boolean {
  const left = Buffer.from(padHex(BigInt(`0x${a}`)), 'hex');
  const right = Buffer.from(padHex(BigInt(`0x${b}`)), 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function respondToAuthChallenge(pool: Pool, body: JsonObject): Promise<InitiateAuthResponse> {
  const challengeName = requiredString(body, 'ChallengeName', { max: 64 });
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  const responses = stringMap(body, 'ChallengeResponses', PARAMETERS);
  optionalString(body, 'Session', { min: 20, max: 2048 });
  checkClientExtras(body);
  requireClient(pool, clientId);
  if (challengeName !== 'PASSWORD_VERIFIER') throw invalidParameter(`The local user pool issues no ${challengeName} challenge.`);
  const username = requiredParameter(responses, 'USERNAME');
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = parseSrpTimestamp(requiredParameter(responses, 'TIMESTAMP'));
  if (!timestamp) throw invalidParameter(TIMESTAMP_FORMAT_MESSAGE);

  const now = pool.now();
  const challenge = pool.challenges.take(secretBlock, now.getTime());
  if (!challenge) throw notAuthorized();
  const user = underLockout(pool, challenge.userId, now.getTime(), () => provenUser(pool, challenge, { username, secretBlock, signature, timestamp, now }));
  return { ChallengeParameters: {}, AuthenticationResult: await signInUser(pool, user) };
}

interface PasswordClaim {
  username: string;
  secretBlock: string;
  signature: string;
  timestamp: Date;
  now: Date;
}

/** The user whose password the PASSWORD_VERIFIER answer proves, or undefined when it proves nothing. */
function provenUser(pool: Pool, challenge: PendingChallenge, claim: PasswordClaim): UserRecord | undefined {
  if (!challenge.userExists || Math.abs(claim.now.getTime() - claim.timestamp.getTime()) > MAX_TIMESTAMP_SKEW_MS) return undefined;
  const user = pool.directory.findUser(claim.username);
  if (!user || user.username !== challenge.userId || !user.enabled) return undefined;

  const key = serverSessionKey({ A: challenge.A, B: challenge.B, b: challenge.b, verifierHex: challenge.verifier });
  if (!key) return undefined;
  // Signed over Cognito's own spelling of the instant: `Mar 04` or a wrong weekday does not verify.
  const expected = passwordClaimSignature({
    key,
    poolName: userPoolName(pool.config.userPoolId),
    userId: challenge.userId,
    secretBlock: claim.secretBlock,
    timestamp: formatSrpTimestamp(claim.timestamp),
  });
  const given = Buffer.from(claim.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
}

export async function getTokensFromRefreshToken(pool: Pool, body: JsonObject): Promise<{ AuthenticationResult: AuthenticationResult }> {
  const refreshToken = requiredString(body, 'RefreshToken', TOKEN);
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  optionalString(body, 'DeviceKey', { max: 55 });
  checkClientExtras(body);
  requireClient(pool, clientId);
  return { AuthenticationResult: await refreshTokens(pool, refreshToken) };
}

export async function getUser(pool: Pool, body: JsonObject): Promise<{ Username: string; UserAttributes: AttributeType[] }> {
  const { user } = await authorizeAccessToken(pool, requiredString(body, 'AccessToken', TOKEN));
  return { Username: user.username, UserAttributes: userAttributes(user) };
}

/** Revokes every refresh token of the user, and with them every access token they issued. */
export async function globalSignOut(pool: Pool, body: JsonObject): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(pool, requiredString(body, 'AccessToken', TOKEN));
  await pool.directory.revokeSessionsOf(user.sub, pool.now().getTime());
  return {};
}

/** Revokes one refresh token and the access tokens issued from it. An unknown token is no error (nothing to revoke). */
export async function revokeToken(pool: Pool, body: JsonObject): Promise<Record<string, never>> {
  const token = requiredString(body, 'Token', TOKEN);
  const clientId = requiredString(body, 'ClientId', CLIENT_ID);
  optionalString(body, 'ClientSecret', { max: 64 });
  requireClient(pool, clientId);
  // ID and access tokens are JWTs; only refresh tokens can be revoked.
  if (token.split('.').length === 3) throw new CognitoError('UnsupportedTokenTypeException', 'Unsupported token type');
  const session = pool.directory.sessionByToken(token);
  if (session && session.clientId === clientId) await pool.directory.revokeSession(session, pool.now().getTime());
  return {};
}
