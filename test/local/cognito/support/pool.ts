// A local user pool on a free port in a fresh data directory, and clients for it: raw AWS JSON calls (so tests
// control every member and header), SigV4-signed calls for the admin actions, and an SRP sign-in made with
// Amplify's own client-side SRP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LogFields, Logger } from '../../../../local/log.ts';
import { startCognitoServer, type CognitoServer } from '../../../../local/cognito/server.ts';
import { amplifyBigInteger, amplifySrp } from './amplify-srp.ts';

export const REGION = 'us-east-1';
export const USER_POOL_ID = 'us-east-1_LocalPool1';
export const POOL_NAME = 'LocalPool1';
export const CLIENT_ID = 'localclient0000000000000001';
export const CREDENTIALS = { accessKeyId: 'LOCALCOGNITOTESTKEY', secretAccessKey: 'local-cognito-test-secret' };
export const PASSWORD = 'Correct-Horse-9';

export interface LogLine {
  level: string;
  message: string;
  fields: LogFields;
}

/** A logger that keeps what it is told, so tests can check what is (never) logged. */
export function recordingLogger(lines: LogLine[] = [], component = 'cognito'): Logger {
  const at = (level: string) => (message: string, fields: LogFields = {}) => {
    lines.push({ level, message, fields });
  };
  return {
    component,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name: string) => recordingLogger(lines, `${component}:${name}`),
  };
}

export interface TestPool {
  server: CognitoServer;
  dataDir: string;
  logs: LogLine[];
  /** Stops the server; the data directory stays (for restarts) until `remove`. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export interface TestPoolOptions {
  dataDir?: string;
  /** Default 0 (a free port). The issuer names the port: a restart keeps tokens valid on the same one. */
  port?: number;
  clock?: () => Date;
}

export async function startTestPool(options: TestPoolOptions = {}): Promise<TestPool> {
  const dataDir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'cognito-'));
  const logs: LogLine[] = [];
  const server = await startCognitoServer({
    dataDir,
    host: '127.0.0.1',
    port: options.port ?? 0,
    region: REGION,
    userPoolId: USER_POOL_ID,
    clientId: CLIENT_ID,
    credentials: CREDENTIALS,
    logger: recordingLogger(logs),
    clock: options.clock,
  });
  return {
    server,
    dataDir,
    logs,
    stop: () => server.close(),
    remove: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: string;
}

export interface Attribute {
  Name: string;
  Value: string;
}

export interface ListedUser {
  Username: string;
  Attributes: Attribute[];
  UserStatus: string;
  Enabled: boolean;
  UserCreateDate: number;
}

/** The members of the responses (and errors) tests read. */
export interface ReplyBody {
  __type?: string;
  message?: string;
  UserSub?: string;
  UserConfirmed?: boolean;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: Tokens;
  Username?: string;
  UserAttributes?: Attribute[];
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: number;
  Users?: ListedUser[];
  PaginationToken?: string;
  Groups?: Array<{ GroupName: string; UserPoolId: string }>;
  [member: string]: unknown;
}

export interface Reply {
  status: number;
  headers: Headers;
  json: ReplyBody;
}

export async function call(endpoint: string, action: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as ReplyBody) : {} };
}

/** The call as the AWS SDK or CLI makes it: signed with SigV4 for cognito-idp. */
export async function signedCall(
  endpoint: string,
  action: string,
  body: unknown,
  credentials: { accessKeyId: string; secretAccessKey: string } = CREDENTIALS,
  options: { region?: string; signingDate?: Date; tamperBody?: (signedBody: string) => string } = {},
): Promise<Reply> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const signer = new SignatureV4({ credentials, region: options.region ?? REGION, service: 'cognito-idp', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: payload,
  }, { signingDate: options.signingDate });
  const { host: _host, ...headers } = signed.headers;
  return call(endpoint, action, options.tamperBody ? options.tamperBody(payload) : payload, headers);
}

export function signUp(endpoint: string, email: string, password = PASSWORD, extra: Record<string, unknown> = {}): Promise<Reply> {
  return call(endpoint, 'SignUp', { ClientId: CLIENT_ID, Username: email, Password: password, ...extra });
}

export interface SrpSignInOptions {
  /** Replaces Amplify's timestamp (what is signed and sent). */
  timestamp?: string;
  /** Changes the answer after it is computed. */
  tamper?: (responses: Record<string, string>) => void;
}

/** InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge PASSWORD_VERIFIER, computed by Amplify's SRP code. */
export async function srpSignIn(endpoint: string, username: string, password: string, options: SrpSignInOptions = {}): Promise<{ challenge: Reply; answer: Reply }> {
  const helper = await amplifySrp.getAuthenticationHelper(POOL_NAME);
  const challenge = await call(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: CLIENT_ID,
    AuthParameters: { USERNAME: username, SRP_A: helper.A.toString(16) },
  });
  if (challenge.status !== 200) return { challenge, answer: challenge };
  const parameters = challenge.json.ChallengeParameters ?? {};
  const userId = parameters.USER_ID_FOR_SRP;
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: userId,
    password,
    serverBValue: amplifyBigInteger(parameters.SRP_B),
    salt: amplifyBigInteger(parameters.SALT),
  });
  const dateNow = options.timestamp ?? amplifySrp.getNowString();
  const responses: Record<string, string> = {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
    TIMESTAMP: dateNow,
    PASSWORD_CLAIM_SIGNATURE: amplifySrp.getSignatureString({ userPoolName: POOL_NAME, username: userId, challengeParameters: parameters, dateNow, hkdf }),
  };
  options.tamper?.(responses);
  const answer = await call(endpoint, 'RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: CLIENT_ID, ChallengeResponses: responses });
  return { challenge, answer };
}

export function passwordSignIn(endpoint: string, username: string, password: string): Promise<Reply> {
  return call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: username, PASSWORD: password } });
}

/** The tokens of a successful sign-in or refresh, or a failure that says what came back instead. */
export function tokensOf(reply: Reply): Tokens {
  if (!reply.json.AuthenticationResult) throw new Error(`no tokens: ${reply.status} ${JSON.stringify(reply.json)}`);
  return reply.json.AuthenticationResult;
}
