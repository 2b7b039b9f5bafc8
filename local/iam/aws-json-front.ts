// A front for a local service that speaks the AWS JSON protocol (POST /, the operation in X-Amz-Target) and checks
// nothing itself (dynalite, the local Rekognition): it verifies the SigV4 signature as the AWS endpoint does, asks
// the service's rules whether the signer's principal may do what the request asks, answers a refusal with the
// service's error, and passes every other request to the service unchanged, body and answer streaming through.
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifySigV4, type SigV4Failure } from '../appsync/sigv4-verify.ts';
import type { Logger } from '../log.ts';
import { closeServer, listen, urlHost } from '../net.ts';
import type { AccessControl } from './access.ts';

/** An error the front answers instead of the service. */
export interface Refusal {
  status: number;
  /** The error's name, as `__type` carries it (com.amazon.coral.service# is added when it has no namespace). */
  type: string;
  message: string;
}

export interface SignedRequest {
  accessKeyId: string;
  /** The X-Amz-Target header: `DynamoDB_20120810.GetItem`. */
  target: string;
  /** The parsed JSON body (an object, or null when it does not parse: the service answers that). */
  body: Record<string, unknown> | null;
}

export interface AwsJsonFrontOptions {
  host: string;
  /** 0 takes a free port. */
  port: number;
  region: string;
  /** The signing name of the service: `dynamodb`, `rekognition`. */
  service: string;
  /**
   * The service behind the front: http://127.0.0.1:<port>, or a function that answers a request without a socket
   * (dynalite's thread over its MessagePort: one loopback HTTP leg less for every request).
   */
  upstream: string | AwsJsonUpstream;
  /** `application/x-amz-json-1.0` or `-1.1`, as the service answers. */
  contentType: string;
  access: AccessControl;
  /** Null lets the request through; a refusal is answered as the service's error. */
  authorize(request: SignedRequest): Refusal | null;
  logger: Logger;
}

/** A service reached without HTTP: given the operation (X-Amz-Target) and the JSON body, it answers as over HTTP. */
export type AwsJsonUpstream = (target: string, body: string) => Promise<UpstreamAnswer>;

export interface UpstreamAnswer {
  status: number;
  /** Response headers the service sets (its request id, its checksum). */
  headers: Record<string, string>;
  body: string;
}

export interface AwsJsonFront {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

const SIGNATURE_REFUSALS: Record<SigV4Failure, { type: string; status: number }> = {
  MissingAuthorization: { type: 'MissingAuthenticationTokenException', status: 400 },
  IncompleteSignature: { type: 'IncompleteSignatureException', status: 400 },
  UnrecognizedClient: { type: 'UnrecognizedClientException', status: 400 },
  WrongScope: { type: 'InvalidSignatureException', status: 400 },
  SignatureExpired: { type: 'InvalidSignatureException', status: 400 },
  PayloadHashMismatch: { type: 'InvalidSignatureException', status: 400 },
  SignatureDoesNotMatch: { type: 'InvalidSignatureException', status: 400 },
};

export async function startAwsJsonFront(options: AwsJsonFrontOptions): Promise<AwsJsonFront> {
  const { logger } = options;
  // Parsed once: the HTTP upstream's address does not change between requests.
  const upstream = typeof options.upstream === 'function' ? options.upstream : new URL(options.upstream);

  function refuse(res: ServerResponse, refusal: Refusal): void {
    const type = refusal.type.includes('#') ? refusal.type : `com.amazon.coral.service#${refusal.type}`;
    const payload = JSON.stringify({ __type: type, message: refusal.message });
    res.writeHead(refusal.status, {
      'content-type': options.contentType,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': refusal.type.split('#').pop() ?? refusal.type,
    });
    res.end(payload);
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, target: string): void {
    if (typeof upstream === 'function') {
      upstream(target, body.toString('utf8')).then(
        (answer) => {
          res.writeHead(answer.status, {
            ...answer.headers,
            'content-type': options.contentType,
            'content-length': Buffer.byteLength(answer.body),
          });
          res.end(answer.body);
        },
        (error: unknown) => {
          logger.error('the service behind the front failed', { error });
          refuse(res, { status: 500, type: 'InternalServerError', message: 'Internal server error' });
        },
      );
      return;
    }
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.once('error', (error) => {
      logger.error('the service behind the front failed', { error });
      if (!res.headersSent) refuse(res, { status: 500, type: 'InternalServerError', message: 'Internal server error' });
      else res.destroy();
    });
    outgoing.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === null) {
      refuse(res, { status: 413, type: 'SerializationException', message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes` });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const verified = await verifySigV4(
      { method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body },
      { secrets: options.access.keyPairs(), region: options.region, service: options.service },
    );
    if (!verified.ok) {
      refuse(res, { ...SIGNATURE_REFUSALS[verified.reason], message: verified.message });
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const refusal = options.authorize({ accessKeyId: verified.accessKeyId, target, body: parseObject(body) });
    if (refusal) {
      logger.warn(`${target.split('.').pop() || req.method} refused`, { status: refusal.status, errorType: refusal.type, message: refusal.message });
      refuse(res, refusal);
      return;
    }
    forward(req, res, body, target);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { error });
      if (!res.headersSent) refuse(res, { status: 500, type: 'InternalServerError', message: 'Internal server error' });
    });
  });
  const port = await listen(server, options.port, options.host);
  return { endpoint: `http://${urlHost(options.host)}:${port}`, port, close: () => closeServer(server) };
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseObject(body: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
