// The browser's transport: fetch for GraphQL, XMLHttpRequest for the upload (only it reports upload progress;
// fetch is used where there is none, e.g. in a worker), and the browser's WebSocket.
import { ImageLabelsError, messageOf } from './errors.js';
import type { HttpResponse, PutRequest, Transport, WebSocketLike } from './transport.js';

function networkError(url: string, cause: unknown): ImageLabelsError {
  return new ImageLabelsError('GraphQL', 'NetworkError', `Cannot reach ${new URL(url).origin}: ${messageOf(cause)}`, { cause });
}

async function post(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<HttpResponse> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal, credentials: 'omit' });
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw networkError(url, cause);
  }
  return { status: response.status, text: await response.text() };
}

function xhrPut(request: PutRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) {
      // The browser sends the body's length itself and refuses to let a page set it.
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) request.onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => resolve({ status: xhr.status, text: xhr.responseText }));
    xhr.addEventListener('error', () => reject(new ImageLabelsError('Upload', 'NetworkError',
      'The upload did not reach storage (network failure, or the storage endpoint does not allow this origin)')));
    const onAbort = () => xhr.abort();
    xhr.addEventListener('abort', () => reject(request.signal?.reason ?? new DOMException('Aborted', 'AbortError')));
    xhr.addEventListener('loadend', () => request.signal?.removeEventListener('abort', onAbort));
    if (request.signal?.aborted) {
      reject(request.signal.reason);
      return;
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(request.body as XMLHttpRequestBodyInit);
  });
}

async function fetchPut(request: PutRequest): Promise<HttpResponse> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
  let response: Response;
  try {
    response = await fetch(request.url, { method: request.method, headers, body: request.body as BodyInit, signal: request.signal });
  } catch (cause) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw new ImageLabelsError('Upload', 'NetworkError', `The upload did not reach storage: ${messageOf(cause)}`, { cause });
  }
  request.onProgress(request.size, request.size);
  return { status: response.status, text: await response.text() };
}

export function browserTransport(): Transport {
  return {
    post,
    put: (request) => (typeof XMLHttpRequest === 'function' ? xhrPut(request) : fetchPut(request)),
    webSocket(url, protocol) {
      if (typeof WebSocket !== 'function') {
        throw new ImageLabelsError('Config', 'NoWebSocket', 'This platform has no WebSocket: give the client a transport');
      }
      return new WebSocket(url, protocol) as unknown as WebSocketLike;
    },
  };
}
