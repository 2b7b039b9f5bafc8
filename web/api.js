// @ts-check
// The image-labelling API from a browser: GraphQL over HTTP, AppSync's realtime WebSocket for labelsReady, and the
// PUT to the presigned upload URL. Every GraphQL request and the realtime connection carry the user pool ID token
// as `Authorization`; a token the API refuses (HTTP 401, or an UnauthorizedException on the socket) is refreshed
// once and the request sent again.
import { ApiError, errorMessage } from './errors.js';
import { BLOB_FIELDS } from './generated/documents.js';

const SUBSCRIBE_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 300_000;

// Every Blob field (graphql/blob-fields.graphql): the processing function publishes them all, so a subscriber may
// select them all. Each document below spreads the fragment and carries its text.
const BLOB = '...BlobFields';
/** @param {string} document */
const withBlobFields = (document) => `${document}\n${BLOB_FIELDS}`;

/** @type {Operation<{ createBlob: { blob: ApiBlob, upload: Upload } }>} */
export const CREATE_BLOB = {
  query: withBlobFields(`mutation CreateBlob($input: CreateBlobInput!) {
    createBlob(input: $input) {
      blob { ${BLOB} }
      upload { url method headers expiresAt }
    }
  }`),
};
/** @type {Operation<{ labelsReady: ApiBlob | null }>} */
export const LABELS_READY = { query: withBlobFields(`subscription LabelsReady($id: ID!) { labelsReady(id: $id) { ${BLOB} } }`) };
/** @type {Operation<{ blob: ApiBlob | null }>} */
export const GET_BLOB = { query: withBlobFields(`query Blob($id: ID!) { blob(id: $id) { ${BLOB} } }`) };
/** @type {Operation<{ blobs: { items: ApiBlob[], nextToken: string | null } }>} */
export const LIST_BLOBS = { query: withBlobFields(`query Blobs($limit: Int) { blobs(limit: $limit) { items { ${BLOB} } nextToken } }`) };
/** @type {Operation<{ deleteBlob: { id: string, status: string } | null }>} */
export const DELETE_BLOB = { query: `mutation DeleteBlob($id: ID!) { deleteBlob(id: $id) { id status } }` };
/** @type {Operation<{ redeliverCallback: ApiBlob | null }>} */
export const REDELIVER_CALLBACK = {
  query: withBlobFields(`mutation RedeliverCallback($id: ID!) { redeliverCallback(id: $id) { ${BLOB} } }`),
};

/**
 * @typedef {{ left: number, top: number, width: number, height: number }} BoundingBox
 * @typedef {{ confidence: number, boundingBox: BoundingBox }} LabelInstance
 * @typedef {{ name: string, confidence: number, parents: string[], aliases: string[], categories: string[],
 *   instances: LabelInstance[] }} Label
 * @typedef {{ code: string, message: string, retryable: boolean }} BlobError
 * @typedef {{ url: string, status: string, attempts: number, lastAttemptAt: string | null, lastError: string | null,
 *   deliveredAt: string | null }} Callback
 * @typedef {{ id: string, status: string, contentType: string | null, size: number | null,
 *   minConfidence: number, maxLabels: number, labels: Label[] | null, error: BlobError | null,
 *   callback: Callback | null, createdAt: string, updatedAt: string, uploadExpiresAt: string,
 *   labelledAt: string | null }} ApiBlob
 * @typedef {{ url: string, method: string, headers: string | Record<string, string>, expiresAt: string }} Upload
 * @typedef {{ idToken(): Promise<string>, refreshAfterUnauthorized(): Promise<string> }} TokenSource
 * @typedef {{ graphqlUrl: string, realtimeUrl: string, auth: TokenSource }} Connection
 * @typedef {{ connectionTimeoutMs?: number, errors?: GraphQLError[] }} RealtimePayload
 * @typedef {{ message: string, errorType?: string, errorInfo?: unknown }} GraphQLError
 */
/**
 * A GraphQL document and, as a type only, the shape of its `data`.
 * @template T
 * @typedef {{ query: string, data?: T }} Operation
 */
/**
 * A message of AppSync's realtime protocol (connection_ack, ka, start_ack, data, error, complete).
 * @template T
 * @typedef {{ type: string, id?: string, payload?: RealtimePayload & { data?: T } }} RealtimeMessage
 */

/**
 * POSTs one GraphQL operation with the ID token; returns `data` or throws the response's first typed error.
 * @template T
 * @param {Connection} connection
 * @param {Operation<T>} operation
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<T>}
 */
export async function graphql(connection, operation, variables = {}) {
  let answer = await post(connection, await connection.auth.idToken(), operation, variables);
  if (answer.response.status === 401) {
    answer = await post(connection, await connection.auth.refreshAfterUnauthorized(), operation, variables);
  }
  const { response, body } = answer;
  if (body?.errors?.length) throw graphqlError(body.errors);
  if (!response.ok || !body?.data) {
    throw new ApiError('GraphQL', `HTTP ${response.status}`, response.statusText || 'Unexpected response');
  }
  return body.data;
}

/**
 * @template T
 * @param {Connection} connection @param {string} idToken @param {Operation<T>} operation
 * @param {Record<string, unknown>} variables
 */
async function post(connection, idToken, operation, variables) {
  let response;
  try {
    response = await fetch(connection.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idToken },
      body: JSON.stringify({ query: operation.query, variables }),
      credentials: 'omit',
    });
  } catch (cause) {
    throw new ApiError('GraphQL', 'NetworkError', `Cannot reach ${connection.graphqlUrl}: ${errorMessage(cause)}`);
  }
  /** @type {{ data?: T | null, errors?: GraphQLError[] } | null} */
  const body = await response.json().catch(() => null);
  return { response, body };
}

/** @param {GraphQLError[]} errors */
function graphqlError(errors) {
  const [first, ...rest] = errors;
  const details = rest.map((other) => `${other.errorType ?? 'Error'}: ${other.message}`);
  return new ApiError('GraphQL', first.errorType ?? 'Error', first.message, { details, info: first.errorInfo });
}

/**
 * Starts one subscription on AppSync's realtime WebSocket and resolves once the server acknowledged it
 * (`start_ack`), so that nothing published afterwards is missed; `onData` then receives each `data` payload and
 * `onError` a failure of the subscription or of the connection. A refused token is refreshed once. Returns a
 * function that stops and closes.
 * @template T
 * @param {Connection} connection
 * @param {Operation<T>} operation
 * @param {Record<string, unknown>} variables
 * @param {{ onData: (data: T) => void, onError: (error: ApiError) => void }} handlers
 * @returns {Promise<() => void>}
 */
export async function subscribe(connection, operation, variables, handlers) {
  try {
    return await openSubscription(connection, await connection.auth.idToken(), operation, variables, handlers);
  } catch (error) {
    if (!(error instanceof ApiError) || error.type !== 'UnauthorizedException') throw error;
    const fresh = await connection.auth.refreshAfterUnauthorized();
    return openSubscription(connection, fresh, operation, variables, handlers);
  }
}

/**
 * The `host` + `Authorization` object AppSync expects in the connection URL and in every `start` message.
 * @param {Connection} connection @param {string} idToken
 */
function authorization(connection, idToken) {
  return { host: new URL(connection.graphqlUrl).host, Authorization: idToken };
}

/**
 * @template T
 * @param {Connection} connection
 * @param {string} idToken
 * @param {Operation<T>} operation
 * @param {Record<string, unknown>} variables
 * @param {{ onData: (data: T) => void, onError: (error: ApiError) => void }} handlers
 * @returns {Promise<() => void>}
 */
function openSubscription(connection, idToken, operation, variables, handlers) {
  const auth = authorization(connection, idToken);
  const url = new URL(connection.realtimeUrl);
  url.searchParams.set('header', base64Json(auth));
  url.searchParams.set('payload', base64Json({}));
  const id = crypto.randomUUID();

  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-ws');
    let acknowledged = false;
    let closed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let keepAliveTimer;
    const startTimer = setTimeout(
      () => fail(new ApiError('Realtime', 'Timeout', `No start_ack within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`)),
      SUBSCRIBE_TIMEOUT_MS,
    );

    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(startTimer);
      clearTimeout(keepAliveTimer);
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop', id }));
      socket.close(1000);
    };
    /** @param {ApiError} error */
    const fail = (error) => {
      if (closed) return;
      close();
      if (acknowledged) handlers.onError(error);
      else reject(error);
    };
    /** @param {number} timeoutMs */
    const expectKeepAlive = (timeoutMs) => {
      clearTimeout(keepAliveTimer);
      keepAliveTimer = setTimeout(
        () => fail(new ApiError('Realtime', 'ConnectionTimeout', 'The server stopped sending keep-alive messages')),
        timeoutMs,
      );
    };
    let connectionTimeoutMs = DEFAULT_CONNECTION_TIMEOUT_MS;

    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('error', () => fail(new ApiError('Realtime', 'NetworkError', `Cannot connect to ${url.origin}${url.pathname}`)));
    socket.addEventListener('close', (event) => {
      if (!closed) fail(new ApiError('Realtime', 'ConnectionClosed', `The connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`));
    });
    socket.addEventListener('message', (event) => {
      /** @type {RealtimeMessage<T>} */
      const message = JSON.parse(String(event.data));
      switch (message.type) {
        case 'connection_ack':
          connectionTimeoutMs = message.payload?.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
          expectKeepAlive(connectionTimeoutMs);
          socket.send(JSON.stringify({
            id,
            type: 'start',
            payload: { data: JSON.stringify({ query: operation.query, variables }), extensions: { authorization: auth } },
          }));
          break;
        case 'ka':
          expectKeepAlive(connectionTimeoutMs);
          break;
        case 'start_ack':
          if (message.id !== id) break;
          acknowledged = true;
          clearTimeout(startTimer);
          resolve(close);
          break;
        case 'data':
          if (message.id === id && message.payload?.data) handlers.onData(message.payload.data);
          break;
        case 'connection_error':
        case 'error':
          if (message.id === undefined || message.id === id) fail(realtimeError(message.payload));
          break;
        case 'complete':
          if (message.id === id) close();
          break;
        default:
          break;
      }
    });
  });
}

/** AppSync's handshake parameters: base64 of UTF-8 JSON (btoa alone takes Latin-1 only). @param {unknown} value */
function base64Json(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes));
}

/** @param {{ errors?: GraphQLError[] } | undefined} payload */
function realtimeError(payload) {
  const errors = payload?.errors ?? [];
  if (!errors.length) return new ApiError('Realtime', 'Error', 'The subscription was refused');
  const error = graphqlError(errors);
  error.source = 'Realtime';
  return error;
}

/**
 * PUTs the file to the presigned URL with every header createBlob returned (they are signed into the URL, e.g.
 * Content-Type and `If-None-Match: *`), reporting progress (0..1). XMLHttpRequest, not fetch, because only it
 * reports upload progress. Aborting `signal` abandons the upload.
 * @param {Upload} upload
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
export function uploadFile(upload, file, onProgress, signal) {
  /** @type {Record<string, unknown>} */
  const headers = typeof upload.headers === 'string' ? JSON.parse(upload.headers) : upload.headers;
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(headers ?? {})) {
      // The browser sends the body's real length itself, and refuses to let a page set it.
      if (name.toLowerCase() === 'content-length') continue;
      request.setRequestHeader(name, String(value));
    }
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(storageError(request.status, request.responseText));
      }
    });
    request.addEventListener('error', () => reject(new ApiError(
      'Upload', 'NetworkError', 'The upload did not reach storage (network failure, or the storage endpoint does not allow this origin)',
    )));
    request.addEventListener('abort', () => reject(new ApiError('Upload', 'Aborted', 'The upload was abandoned')));
    if (signal.aborted) {
      reject(new ApiError('Upload', 'Aborted', 'The upload was abandoned'));
      return;
    }
    signal.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

/**
 * S3 answers errors as XML: `<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>`.
 * @param {number} status
 * @param {string} text
 */
function storageError(status, text) {
  const xml = new DOMParser().parseFromString(text || '<Error/>', 'application/xml');
  const code = xml.querySelector('Error > Code')?.textContent;
  const message = xml.querySelector('Error > Message')?.textContent;
  return new ApiError('Upload', code || `HTTP ${status}`, message || `Storage answered HTTP ${status}`);
}
