// One subscription on AppSync's realtime WebSocket (subprotocol graphql-ws): the handshake carries the
// authorization as base64 JSON in `header` and `{}` in `payload`; connection_init → connection_ack (with
// connectionTimeoutMs, the longest silence before the connection counts as dead) → start with the same
// authorization → start_ack. `openSubscription` resolves only at start_ack, so that anything published afterwards
// reaches the subscriber. After that, the end of the connection (dropped, timed out, closed by the server) is
// reported once through `onEnd`.
import type { AuthProvider } from './auth.js';
import { ImageLabelsError } from './errors.js';
import { graphqlError, type GraphQLErrorEntry } from './graphql.js';
import { WEBSOCKET_OPEN, type Transport, type WebSocketLike } from './transport.js';
import type { TypedDocument } from './typed-document.js';

const DEFAULT_CONNECTION_TIMEOUT_MS = 300_000;
/** AppSync's handshake headers for IAM (signed over POST <graphql>/connect with body {}). */
const CONNECT_HEADERS = {
  accept: 'application/json, text/javascript',
  'content-encoding': 'amz-1.0',
  'content-type': 'application/json; charset=UTF-8',
};
const START_HEADERS = { accept: 'application/json, text/javascript', 'content-type': 'application/json; charset=UTF-8' };

export interface RealtimeEndpoint {
  graphqlUrl: string;
  realtimeUrl: string;
  auth: AuthProvider;
  transport: Transport;
}

export interface SubscriptionHandlers<TResult> {
  onData(data: TResult): void;
  /** The subscription ended after start_ack without close() being called: the socket dropped or the server refused. */
  onEnd(error: ImageLabelsError): void;
}

export interface OpenSubscription {
  /** Stops the subscription and closes its connection; onEnd is not called. */
  close(): void;
}

interface RealtimeMessage {
  type: string;
  id?: string;
  payload?: { data?: unknown; errors?: GraphQLErrorEntry[]; connectionTimeoutMs?: number };
}

function base64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function realtimeError(payload: RealtimeMessage['payload']): ImageLabelsError {
  const errors = payload?.errors ?? [];
  return errors.length ? graphqlError(errors, 'Realtime') : new ImageLabelsError('Realtime', 'Error', 'The subscription was refused');
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

export async function openSubscription<TResult, TVariables>(
  endpoint: RealtimeEndpoint,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  handlers: SubscriptionHandlers<TResult>,
  options: { startTimeoutMs?: number; signal?: AbortSignal; operationName?: string } = {},
): Promise<OpenSubscription> {
  const host = new URL(endpoint.graphqlUrl).host;
  const data = JSON.stringify({ query: document, variables, ...(options.operationName ? { operationName: options.operationName } : {}) });
  const connectAuth = {
    host,
    ...(await endpoint.auth.authorize({ url: `${endpoint.graphqlUrl}/connect`, body: '{}', headers: CONNECT_HEADERS })),
  };
  const startAuth = { host, ...(await endpoint.auth.authorize({ url: endpoint.graphqlUrl, body: data, headers: START_HEADERS })) };
  const url = new URL(endpoint.realtimeUrl);
  url.searchParams.set('header', base64Json(connectAuth));
  url.searchParams.set('payload', base64Json({}));
  const id = randomId();
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const signal = options.signal;

  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = endpoint.transport.webSocket(url.href, 'graphql-ws');
    } catch (error) {
      reject(error);
      return;
    }
    let acknowledged = false;
    let finished = false;
    let keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
    let connectionTimeoutMs = DEFAULT_CONNECTION_TIMEOUT_MS;
    const startTimer = setTimeout(
      () => fail(new ImageLabelsError('Realtime', 'Timeout', `No start_ack within ${startTimeoutMs / 1000} s`)),
      startTimeoutMs,
    );
    const onAbort = () => fail(signal?.reason);

    const close = () => {
      if (finished) return;
      finished = true;
      clearTimeout(startTimer);
      clearTimeout(keepAliveTimer);
      signal?.removeEventListener('abort', onAbort);
      try {
        if (socket.readyState === WEBSOCKET_OPEN) socket.send(JSON.stringify({ type: 'stop', id }));
        socket.close(1000);
      } catch {
        // Closing a socket that is already gone.
      }
    };
    const fail = (error: unknown) => {
      if (finished) return;
      close();
      if (acknowledged) handlers.onEnd(error instanceof ImageLabelsError ? error : new ImageLabelsError('Realtime', 'ConnectionClosed', String(error)));
      else reject(error);
    };
    const expectKeepAlive = () => {
      clearTimeout(keepAliveTimer);
      keepAliveTimer = setTimeout(
        () => fail(new ImageLabelsError('Realtime', 'ConnectionTimeout', 'The server stopped sending keep-alive messages')),
        connectionTimeoutMs,
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('error', () => {
      fail(new ImageLabelsError('Realtime', 'NetworkError', `The realtime connection to ${url.origin} failed`));
    });
    socket.addEventListener('close', (event) => {
      fail(new ImageLabelsError('Realtime', 'ConnectionClosed',
        `The realtime connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`));
    });
    socket.addEventListener('message', (event) => {
      let message: RealtimeMessage;
      try {
        message = JSON.parse(String(event.data)) as RealtimeMessage;
      } catch {
        return;
      }
      switch (message.type) {
        case 'connection_ack':
          connectionTimeoutMs = message.payload?.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
          expectKeepAlive();
          socket.send(JSON.stringify({ id, type: 'start', payload: { data, extensions: { authorization: startAuth } } }));
          break;
        case 'ka':
          expectKeepAlive();
          break;
        case 'start_ack':
          if (message.id !== id) break;
          acknowledged = true;
          clearTimeout(startTimer);
          resolve({ close });
          break;
        case 'data':
          if (message.id === id && message.payload?.data) handlers.onData(message.payload.data as TResult);
          break;
        case 'connection_error':
        case 'error':
          if (message.id === undefined || message.id === id) fail(realtimeError(message.payload));
          break;
        case 'complete':
          if (message.id === id) fail(new ImageLabelsError('Realtime', 'Completed', 'The server ended the subscription'));
          break;
        default:
          break;
      }
    });
  });
}
