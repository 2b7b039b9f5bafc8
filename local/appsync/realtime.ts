// AppSync's realtime WebSocket protocol (subprotocol `graphql-ws`), at /graphql/realtime and /graphql:
//   handshake auth: `?header=<base64 JSON>&payload=e30=` or the `header-<base64url JSON>` subprotocol (aws-amplify v6)
//   connection_init → connection_ack {connectionTimeoutMs}; then `ka` at once and periodically
//   start {id, payload: {data, extensions: {authorization}}} → start_ack, or error (not registered)
//   data {id, payload: {data}} per matching mutation; stop → complete
// Authorization of `start` follows the HTTP rules: the authorization object is the request's headers,
// signed (SigV4) over POST /graphql with the `data` string as body; the handshake's over POST /graphql/connect.
// A user pool token (raw JWT in `Authorization`) that expires while a subscription is registered ends that
// subscription with an `error` (UnauthorizedException "Token has expired."); the connection stays open.
// Limits: a message larger than maxRealtimeMessageBytes closes the connection (1009, before it is buffered);
// at most maxSubscriptionsPerConnection subscriptions per connection; a `data` payload over the same size is dropped,
// as AppSync drops it (local/appsync/subscriptions.ts), with a warning in the log.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getArgumentValues,
  getOperationAST,
  type DocumentNode,
  type GraphQLObjectType,
} from 'graphql';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  authenticate,
  fieldRules,
  IAM_PERMISSION_DENIED,
  iamDenies,
  isAuthorized,
  NOT_AUTHORIZED,
  TOKEN_EXPIRED,
  unauthorizedFieldMessage,
  type AuthConfig,
  type Authentication,
  type Caller,
} from './auth.ts';
import {
  toLocations,
  type GraphQLResponseBody,
  type ResponseError,
} from './errors.ts';
import { coerceVariables } from './variables.ts';
import { sourceIpOf } from './graphql-endpoint.ts';
import type { AppSyncLimits } from './limits.ts';
import type { DocumentCache } from './documents.ts';
import type { AppSyncLogger } from './logger.ts';
import type { AppSyncError, FieldInvocation, ResolverRuntime } from './runtime/types.ts';
import type { AppSyncSchema } from './schema.ts';
import { fragmentsOf, rootFields, selectionSetGraphQL, selectionSetList } from './selection.ts';
import type { SubscriptionRegistry } from './subscriptions.ts';

export const GRAPHQL_WS_PROTOCOL = 'graphql-ws';
export const CONNECTION_TIMEOUT_MS = 300_000;
/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RealtimeOptions {
  appSchema: AppSyncSchema;
  auth: AuthConfig;
  limits: AppSyncLimits;
  /** Parsed and validated documents by query text (shared with the HTTP endpoint). */
  documents: DocumentCache;
  runtime: ResolverRuntime;
  registry: SubscriptionRegistry;
  graphqlPath: string;
  logger: AppSyncLogger;
  /** Interval between `ka` messages (AppSync sends one about every minute). */
  keepAliveIntervalMs: number;
  /** A connection that neither sends connection_init nor start within this time is closed. */
  connectionInitTimeoutMs: number;
}

type ServerMessage =
  | { type: 'connection_ack'; payload: { connectionTimeoutMs: number } }
  | { type: 'connection_error'; payload: { errors: ResponseError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'data'; id: string; payload: GraphQLResponseBody }
  | { type: 'error'; id?: string; payload: { errors: ResponseError[] } }
  | { type: 'complete'; id: string };

interface Connection {
  id: string;
  socket: WebSocket;
  handshake: Authentication;
  handshakeHeaders: Record<string, string>;
  sourceIp: string | null;
  started: boolean;
  pending: Set<string>;
  active: Set<string>;
  /** Expiry timers of subscriptions registered with an expiring token, by subscription id. */
  expiries: Map<string, NodeJS.Timeout>;
  /** Aborted when the connection closes: a subscription resolver still running stops. */
  closed: AbortController;
  keepAlive?: NodeJS.Timeout;
  initTimeout?: NodeJS.Timeout;
}

interface HandshakeAuth {
  headers: Record<string, string>;
  body: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringHeaders(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') headers[name.toLowerCase()] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') headers[name.toLowerCase()] = String(v);
  }
  return headers;
}

/** Decodes base64 or base64url JSON (both alphabets, with or without padding). */
function decodeJson(encoded: string): unknown {
  try {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function handshakeAuth(req: IncomingMessage, url: URL): HandshakeAuth | null {
  const subprotocol = offeredProtocols(req).find((p) => p.startsWith('header-'));
  const encoded = url.searchParams.get('header') ?? subprotocol?.slice('header-'.length);
  if (!encoded) return null;
  const headers = stringHeaders(decodeJson(encoded));
  if (!headers) return null;
  const payload = url.searchParams.get('payload');
  const body = payload ? Buffer.from(payload, 'base64').toString('utf8') : '{}';
  return { headers, body };
}

function errorOf(errorType: string, message: string): ResponseError {
  return { errorType, message };
}

function appSyncErrorOut(error: AppSyncError): ResponseError {
  return {
    ...(error.path ? { path: error.path } : {}),
    data: error.data ?? null,
    errorType: error.errorType,
    errorInfo: error.errorInfo ?? null,
    ...(error.locations ? { locations: toLocations(error.locations) } : {}),
    message: error.message,
  };
}

interface ParsedStart {
  document: DocumentNode;
  /** Validation errors (none when valid). */
  invalid: ResponseError[];
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

export class RealtimeServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly paths: Set<string>;


  constructor(private readonly options: RealtimeOptions) {
    this.paths = new Set([`${options.graphqlPath}/realtime`, options.graphqlPath]);
    this.wss = new WebSocketServer({
      noServer: true,
      // ws refuses a larger frame or message from its header, before buffering it, and closes with 1009.
      maxPayload: options.limits.maxRealtimeMessageBytes,
      handleProtocols: (protocols) => (protocols.has(GRAPHQL_WS_PROTOCOL) ? GRAPHQL_WS_PROTOCOL : false),
    });
  }

  /** Takes over an HTTP upgrade when it is for the realtime path; returns false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.paths.has(url.pathname)) return false;
    if (!offeredProtocols(req).includes(GRAPHQL_WS_PROTOCOL)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    void this.authenticateHandshake(req, url).then(
      ({ handshake, headers }) => {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, handshake, headers));
      },
      (error: unknown) => {
        this.options.logger.error('realtime handshake failed', { error: String(error) });
        socket.destroy();
      },
    );
    return true;
  }

  private async authenticateHandshake(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ handshake: Authentication; headers: Record<string, string> }> {
    const auth = handshakeAuth(req, url);
    if (!auth) return { handshake: { ok: false, message: NOT_AUTHORIZED }, headers: {} };
    const handshake = await authenticate(
      this.options.auth,
      { method: 'POST', path: `${this.options.graphqlPath}/connect`, headers: auth.headers, body: auth.body },
      sourceIpOf(req),
    );
    return { handshake, headers: auth.headers };
  }

  private accept(socket: WebSocket, req: IncomingMessage, handshake: Authentication, headers: Record<string, string>): void {
    const connection: Connection = {
      id: randomUUID(),
      socket,
      handshake,
      handshakeHeaders: headers,
      sourceIp: sourceIpOf(req),
      started: false,
      pending: new Set(),
      active: new Set(),
      expiries: new Map(),
      closed: new AbortController(),
    };
    this.connections.set(connection.id, connection);
    connection.initTimeout = setTimeout(() => {
      if (!connection.started) socket.close(4408, 'Connection initialisation timeout');
    }, this.options.connectionInitTimeoutMs);
    socket.on('message', (data, isBinary) => {
      void this.onMessage(connection, data, isBinary).catch((error: unknown) => {
        this.options.logger.error('realtime message failed', {
          error: error instanceof Error ? error.stack : String(error),
        });
      });
    });
    socket.on('close', () => this.drop(connection));
    socket.on('error', (error) => {
      this.options.logger.warn('realtime connection error', { connectionId: connection.id, error: error.message });
      this.drop(connection);
    });
    this.options.logger.info('realtime connection opened', { connectionId: connection.id, authorized: handshake.ok });
  }

  private drop(connection: Connection): void {
    if (!this.connections.delete(connection.id)) return;
    clearInterval(connection.keepAlive);
    clearTimeout(connection.initTimeout);
    for (const timer of connection.expiries.values()) clearTimeout(timer);
    connection.expiries.clear();
    connection.closed.abort();
    this.options.registry.removeConnection(connection.id);
    this.options.logger.info('realtime connection closed', { connectionId: connection.id });
  }

  private send(connection: Connection, message: ServerMessage): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  }

  /** Refuses the connection as AppSync does when its handshake credentials are bad. */
  private refuse(connection: Connection, message: string): void {
    this.send(connection, {
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
    });
    connection.socket.close(1000, 'Unauthorized');
  }

  private begin(connection: Connection): void {
    if (connection.started) return;
    connection.started = true;
    clearTimeout(connection.initTimeout);
    this.send(connection, { type: 'ka' });
    connection.keepAlive = setInterval(() => this.send(connection, { type: 'ka' }), this.options.keepAliveIntervalMs);
  }

  private async onMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    if (!isRecord(message) || typeof message.type !== 'string') {
      this.send(connection, {
        type: 'error',
        payload: { errors: [errorOf('BadRequestException', 'Message is not a JSON object with a "type".')] },
      });
      return;
    }
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : undefined;
    switch (message.type) {
      case 'connection_init':
        if (!connection.handshake.ok) return this.refuse(connection, connection.handshake.message);
        this.send(connection, { type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
        this.begin(connection);
        return;
      case 'start':
        if (!connection.handshake.ok) return this.refuse(connection, connection.handshake.message);
        this.begin(connection);
        if (!id) {
          this.send(connection, {
            type: 'error',
            payload: { errors: [errorOf('BadRequestException', 'A start message needs an "id".')] },
          });
          return;
        }
        return this.start(connection, id, message.payload);
      case 'stop':
        if (!id) {
          this.send(connection, {
            type: 'error',
            payload: { errors: [errorOf('BadRequestException', 'A stop message needs an "id".')] },
          });
          return;
        }
        connection.pending.delete(id);
        connection.active.delete(id);
        clearTimeout(connection.expiries.get(id));
        connection.expiries.delete(id);
        this.options.registry.remove(connection.id, id);
        this.send(connection, { type: 'complete', id });
        return;
      case 'ka':
        return;
      default:
        this.send(connection, {
          type: 'error',
          ...(id ? { id } : {}),
          payload: { errors: [errorOf('UnsupportedOperation', `${message.type} not supported through the realtime channel`)] },
        });
    }
  }

  /** Refuses a pending start (unless the client stopped it meanwhile: it already got `complete`). */
  private fail(connection: Connection, id: string, errors: ResponseError[]): void {
    if (!connection.pending.delete(id)) return;
    this.send(connection, { type: 'error', id, payload: { errors } });
  }

  private parseStart(payload: Record<string, unknown>): ParsedStart | ResponseError {
    if (typeof payload.data !== 'string') return errorOf('BadRequestException', 'Unable to parse GraphQL query.');
    let data: unknown;
    try {
      data = JSON.parse(payload.data);
    } catch {
      data = undefined;
    }
    if (!isRecord(data) || typeof data.query !== 'string') {
      return errorOf('BadRequestException', 'Unable to parse GraphQL query.');
    }
    const prepared = this.options.documents.prepare(data.query);
    if (!prepared) return errorOf('BadRequestException', 'Unable to parse GraphQL query.');
    const variables = isRecord(data.variables) ? data.variables : {};
    const operationName = typeof data.operationName === 'string' && data.operationName !== '' ? data.operationName : null;
    return { document: prepared.document, invalid: prepared.errors, query: data.query, variables, operationName };
  }

  private async start(connection: Connection, id: string, rawPayload: unknown): Promise<void> {
    const { appSchema, auth, registry, runtime, graphqlPath } = this.options;
    if (connection.pending.has(id) || connection.active.has(id)) {
      this.send(connection, {
        type: 'error',
        id,
        payload: { errors: [errorOf('DuplicatedOperationError', `Duplicated operation with id ${id}`)] },
      });
      return;
    }
    const { maxSubscriptionsPerConnection } = this.options.limits;
    if (connection.pending.size + connection.active.size >= maxSubscriptionsPerConnection) {
      this.send(connection, {
        type: 'error',
        id,
        payload: {
          errors: [errorOf('MaxSubscriptionsReachedError', `Max number of ${maxSubscriptionsPerConnection} subscriptions reached`)],
        },
      });
      return;
    }
    connection.pending.add(id);
    const payload = isRecord(rawPayload) ? rawPayload : {};
    const extensions = isRecord(payload.extensions) ? payload.extensions : {};
    const authorization = stringHeaders(extensions.authorization);
    if (!authorization) return this.fail(connection, id, [errorOf('UnauthorizedException', NOT_AUTHORIZED)]);
    const authentication = await authenticate(
      auth,
      { method: 'POST', path: graphqlPath, headers: authorization, body: typeof payload.data === 'string' ? payload.data : '' },
      connection.sourceIp,
    );
    if (!authentication.ok) return this.fail(connection, id, [errorOf('UnauthorizedException', authentication.message)]);

    const parsed = this.parseStart(payload);
    if (!('document' in parsed)) return this.fail(connection, id, [parsed]);
    if (parsed.invalid.length > 0) return this.fail(connection, id, parsed.invalid);
    const operation = getOperationAST(parsed.document, parsed.operationName);
    if (!operation || operation.operation !== 'subscription') {
      const kind = operation?.operation ?? 'unknown';
      return this.fail(connection, id, [errorOf('UnsupportedOperation', `${kind} not supported through the realtime channel`)]);
    }
    const coerced = coerceVariables(appSchema.schema, operation.variableDefinitions ?? [], parsed.variables);
    if ('errors' in coerced) return this.fail(connection, id, coerced.errors);

    const subscriptionType = appSchema.schema.getSubscriptionType() as GraphQLObjectType;
    const fragments = fragmentsOf(parsed.document);
    const [fieldNode] = rootFields(operation.selectionSet, fragments);
    const field = subscriptionType.getFields()[fieldNode.name.value];
    const caller: Caller = authentication.caller;
    if (iamDenies(auth, caller, subscriptionType.name, [field.name])) {
      return this.fail(connection, id, [errorOf('UnauthorizedException', IAM_PERMISSION_DENIED)]);
    }
    if (!isAuthorized(fieldRules(subscriptionType, field, appSchema.defaultAuthMode), caller)) {
      return this.fail(connection, id, [
        {
          path: [fieldNode.alias?.value ?? field.name],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: toLocations(fieldNode.loc ? [{ line: fieldNode.loc.startToken.line, column: fieldNode.loc.startToken.column }] : undefined),
          message: unauthorizedFieldMessage(field.name, subscriptionType.name),
        },
      ]);
    }
    const args = getArgumentValues(field, fieldNode, coerced.coerced);
    const headers = { ...connection.handshakeHeaders, ...authorization };
    const invocation: FieldInvocation = {
      typeName: subscriptionType.name,
      fieldName: field.name,
      arguments: args,
      source: null,
      identity: caller.identity,
      request: { headers, domainName: null },
      signal: connection.closed.signal,
      info: {
        fieldName: field.name,
        parentTypeName: subscriptionType.name,
        variables: coerced.coerced,
        selectionSetList: selectionSetList([fieldNode], fragments),
        selectionSetGraphQL: selectionSetGraphQL([fieldNode]),
      },
    };
    let resolution;
    try {
      resolution = await runtime.subscribe(invocation);
    } catch (error) {
      this.options.logger.error('subscription resolver failed', {
        field: field.name,
        error: error instanceof Error ? error.stack : String(error),
      });
      return this.fail(connection, id, [errorOf('InternalFailure', 'An internal failure occurred.')]);
    }
    if (resolution.errors.length > 0) return this.fail(connection, id, resolution.errors.map(appSyncErrorOut));
    if (!connection.pending.delete(id) || !this.connections.has(connection.id)) return; // stopped or closed meanwhile

    const filterArguments = Object.fromEntries(
      Object.entries(args).filter(([, value]) => value !== null && value !== undefined),
    );
    registry.add({
      connectionId: connection.id,
      id,
      fieldName: field.name,
      arguments: filterArguments,
      filter: resolution.filter,
      invalidationFilter: resolution.invalidationFilter ?? null,
      document: parsed.document,
      operationName: parsed.operationName,
      variables: parsed.variables,
      caller,
      headers,
      send: (message) => this.send(connection, message),
      invalidated: () => {
        connection.active.delete(id);
        this.send(connection, { type: 'complete', id });
      },
    });
    connection.active.add(id);
    if (caller.expiresAt !== undefined) this.expireAt(connection, id, caller.expiresAt);
    this.send(connection, { type: 'start_ack', id });
    this.options.logger.info('subscription started', { connectionId: connection.id, subscriptionId: id, field: field.name });
  }

  /** Ends subscription `id` when its token expires, as AppSync does: an `error` for it, the connection kept. */
  private expireAt(connection: Connection, id: string, expiresAt: number): void {
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (Date.now() < expiresAt) return this.expireAt(connection, id, expiresAt);
      connection.expiries.delete(id);
      if (!connection.active.delete(id)) return;
      this.options.registry.remove(connection.id, id);
      this.send(connection, { type: 'error', id, payload: { errors: [errorOf('UnauthorizedException', TOKEN_EXPIRED)] } });
      this.options.logger.info('subscription token expired', { connectionId: connection.id, subscriptionId: id });
    }, delay);
    timer.unref();
    connection.expiries.set(id, timer);
  }

  async close(): Promise<void> {
    for (const connection of [...this.connections.values()]) {
      connection.socket.terminate();
      this.drop(connection);
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
