// The local Cognito user pool: an HTTP endpoint speaking the user pools API (AWS JSON 1.1, `POST /` with
// `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`), open to browsers on other origins (CORS),
// and the issuer's discovery documents: `/<userPoolId>/.well-known/jwks.json` and `openid-configuration`.
// Point Amplify at it with `Auth.Cognito.userPoolEndpoint`, and the AWS CLI or SDK with `--endpoint-url`.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { closeServer, listen, urlHost } from '../net.ts';
import type { Logger } from '../log.ts';
import { ACTIONS, actionName } from './actions.ts';
import { UserDirectory } from './directory.ts';
import { CognitoError, toErrorReply } from './errors.ts';
import { parseJsonObject } from './input.ts';
import { loadOrCreateKeys } from './keys.ts';
import { POOL_GROUPS, type Pool } from './pool.ts';
import { requireSignature } from './sigv4.ts';
import { PendingChallenges } from './srp-challenges.ts';
import { SignInLockout } from './sign-in-lockout.ts';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** The largest request body read; Cognito's own requests are a few kilobytes. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface CognitoServerOptions {
  /** Users, group memberships, refresh sessions and keys live in `<dataDir>/cognito/`. */
  dataDir: string;
  host: string;
  /** 0 takes a free port. */
  port: number;
  region: string;
  /** `<region>_<name>`: Amplify reads the region from it, SRP the name. */
  userPoolId: string;
  /** The one app client (no secret). */
  clientId: string;
  /** What the IAM-authorized actions (Admin*, ListUsers) must be signed with. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  logger: Logger;
  /** The pool's clock. Default: the system's. */
  clock?: () => Date;
}

export interface CognitoServer {
  /** `http://<host>:<port>`: Amplify's `userPoolEndpoint`, the CLI's `--endpoint-url`. */
  endpoint: string;
  /** `<endpoint>/<userPoolId>`: the tokens' `iss`. */
  issuer: string;
  /** `<issuer>/.well-known/jwks.json` */
  jwksUri: string;
  port: number;
  userPoolId: string;
  clientId: string;
  close(): Promise<void>;
}

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

// What Cognito exposes to browsers, so that Amplify can read the error type of a refused request.
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';

function checkOptions(options: CognitoServerOptions): void {
  if (!USER_POOL_ID.test(options.userPoolId) || !options.userPoolId.startsWith(`${options.region}_`)) {
    throw new Error(`userPoolId must read <region>_<letters and digits> with region ${options.region}, got "${options.userPoolId}"`);
  }
  if (!CLIENT_ID.test(options.clientId)) throw new Error(`clientId must be 1 to 128 letters, digits, _ or +, got "${options.clientId}"`);
}

class BodyTooLarge extends CognitoError {
  constructor() {
    super('InvalidParameterException', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function corsHeaders(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
  const requested = String(req.headers['access-control-request-headers'] ?? '').slice(0, 2048);
  if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(204).end();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export async function startCognitoServer(options: CognitoServerOptions): Promise<CognitoServer> {
  checkOptions(options);
  const { logger, userPoolId } = options;
  const clock = options.clock ?? (() => new Date());
  const directoryPath = join(options.dataDir, 'cognito');
  const keys = await loadOrCreateKeys(directoryPath);
  if (keys.created) logger.info('signing key created', { kid: keys.kid });
  const directory = await UserDirectory.open(directoryPath, userPoolId, POOL_GROUPS, clock().getTime());

  const server = createServer();
  const port = await listen(server, options.port, options.host);
  const endpoint = `http://${urlHost(options.host)}:${port}`;
  const issuer = `${endpoint}/${userPoolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const pool: Pool = {
    config: { userPoolId, clientId: options.clientId, region: options.region, issuer },
    directory,
    keys,
    challenges: new PendingChallenges(),
    lockout: new SignInLockout(),
    now: clock,
  };
  const discovery = {
    issuer,
    jwks_uri: jwksUri,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    claims_supported: ['sub', 'email', 'email_verified', 'cognito:username', 'cognito:groups'],
  };
  const documents = new Map<string, unknown>([
    [`/${userPoolId}/.well-known/jwks.json`, { keys: [keys.publicJwk] }],
    [`/${userPoolId}/.well-known/openid-configuration`, discovery],
  ]);

  async function dispatch(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<string> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && documents.has(path)) {
      sendJson(res, 200, documents.get(path), { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
      return `GET ${path}`;
    }
    if (req.method !== 'POST' || path !== '/') {
      sendJson(res, 404, { __type: 'UnknownOperationException', message: `No ${req.method} ${path} here: actions are POST / with X-Amz-Target` }, { 'x-amzn-errortype': 'UnknownOperationException' });
      return `${req.method} ${path}`;
    }
    const target = req.headers['x-amz-target'];
    const name = actionName(typeof target === 'string' ? target : undefined);
    if (name === null) {
      throw new CognitoError('UnknownOperationException', `X-Amz-Target must name an action of AWSCognitoIdentityProviderService, got "${String(target ?? '').slice(0, 100)}"`);
    }
    const action = ACTIONS.get(name);
    if (!action) throw new CognitoError('UnsupportedOperationException', `The local user pool does not emulate ${name}`);
    const text = await readBody(req);
    if (action.signed) {
      await requireSignature({ method: 'POST', url: req.url ?? '/', headers: req.headers, body: text }, options.credentials, options.region, clock());
    }
    const result = await action.run(pool, parseJsonObject(text));
    sendJson(res, 200, result, { 'x-amzn-requestid': requestId });
    return name;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const requestId = randomUUID();
    if (req.method === 'OPTIONS') {
      preflight(req, res);
      return;
    }
    corsHeaders(req, res);
    dispatch(req, res, requestId).then(
      (what) => logger[what.startsWith('GET ') ? 'debug' : 'info'](what, { status: res.statusCode, ms: Date.now() - started, requestId }),
      (error: unknown) => {
        const reply = toErrorReply(error);
        const action = actionName(String(req.headers['x-amz-target'] ?? '')) ?? `${req.method} ${req.url}`;
        // Tokens and passwords are never logged: only the action and the error's name and message.
        if (reply.status >= 500) logger.error(`${action} failed`, { requestId, error });
        else logger.info(`${action} refused`, { errorType: reply.type, message: reply.body.message, requestId });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, reply.status, reply.body, {
          'x-amzn-errortype': reply.type,
          'x-amzn-requestid': requestId,
          // The rest of an oversized body is not read: the connection cannot carry another request.
          ...(error instanceof BodyTooLarge ? { connection: 'close' } : {}),
        });
      },
    );
  });

  logger.info('user pool ready', { endpoint, userPoolId, clientId: options.clientId, users: directory.users().length });
  return {
    endpoint,
    issuer,
    jwksUri,
    port,
    userPoolId,
    clientId: options.clientId,
    async close() {
      await closeServer(server);
      // A request cut off by the close may still be writing: let it land.
      await directory.idle();
    },
  };
}
