// Node's transport: node:http(s) for GraphQL and the upload (sending the body in chunks, so that progress is the
// bytes written), and `ws` for the realtime connection. `tlsCertificate` is trusted beside the usual roots (the
// local cloud's self-signed endpoint).
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { WebSocket } from 'ws';
import { ImageLabelsError, messageOf, type ErrorSource } from './errors.js';
import type { HttpResponse, PutRequest, Transport, WebSocketLike } from './transport.js';

const CHUNK_BYTES = 64 * 1024;

export interface NodeTransportOptions {
  /** PEM of a certificate to trust beside Node's roots. */
  tlsCertificate?: string | null;
}

function readBody(response: IncomingMessage): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    response.on('error', reject);
  });
}

async function* chunksOf(body: Blob | Uint8Array): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let offset = 0; offset < body.byteLength; offset += CHUNK_BYTES) yield body.subarray(offset, offset + CHUNK_BYTES);
    return;
  }
  for (let offset = 0; offset < body.size; offset += CHUNK_BYTES) {
    yield new Uint8Array(await body.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
  }
}

export function nodeTransport(options: NodeTransportOptions = {}): Transport {
  const ca = options.tlsCertificate ? [...rootCertificates, options.tlsCertificate] : undefined;

  /** Sends one request; `write` sends the body. Resolves with the whole answer. */
  function send(
    source: ErrorSource,
    url: string,
    init: RequestOptions,
    write: (request: ReturnType<typeof httpRequest>) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const target = new URL(url);
      const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = make(target, { ...init, ...(ca && target.protocol === 'https:' ? { ca } : {}) });
      const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      request.on('response', (response) => readBody(response).then(resolve, reject).finally(done));
      request.on('error', (cause) => {
        done();
        if (signal?.aborted) reject(signal.reason);
        else reject(new ImageLabelsError(source, 'NetworkError', `Cannot reach ${target.origin}: ${messageOf(cause)}`, { cause }));
      });
      write(request).catch((cause: unknown) => request.destroy(cause instanceof Error ? cause : new Error(String(cause))));
    });
  }

  return {
    post(url, headers, body, signal) {
      const bytes = Buffer.from(body, 'utf8');
      return send('GraphQL', url, { method: 'POST', headers: { ...headers, 'content-length': String(bytes.byteLength) } },
        async (request) => {
          request.end(bytes);
        }, signal);
    },
    put(put: PutRequest) {
      const headers = { ...put.headers };
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-length') delete headers[name];
      headers['Content-Length'] = String(put.size);
      return send('Upload', put.url, { method: put.method, headers }, async (request) => {
        let sent = 0;
        put.onProgress(0, put.size);
        for await (const chunk of chunksOf(put.body)) {
          await new Promise<void>((written, failed) => request.write(chunk, (error) => (error ? failed(error) : written())));
          sent += chunk.byteLength;
          put.onProgress(sent, put.size);
        }
        request.end();
      }, put.signal);
    },
    webSocket(url, protocol) {
      return new WebSocket(url, protocol, ca ? { ca } : {}) as unknown as WebSocketLike;
    },
  };
}
