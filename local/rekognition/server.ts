import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CONTENT_TYPE, parseDetectLabelsRequest, parseJsonBody, ProtocolError, TARGET_PREFIX, toErrorReply,
  type ImageSource,
} from './aws-json.ts';
import { RekognitionError } from './errors.ts';
import { MAX_IMAGE_BYTES } from './limits.ts';
import type { Logger } from '../log.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { DetectLabelsInput, Labeller } from './types.ts';

export interface RekognitionServerOptions {
  port?: number;
  host?: string;
  labeller: Labeller;
  getObject: (bucket: string, key: string, version?: string) => Promise<Uint8Array>;
  /** The account's DetectLabels quota: calls beyond it answer ProvisionedThroughputExceededException. None: unlimited. */
  limiter?: RateLimiter;
  /** One info line per labelled image: its S3 object and the labeller's time (queue and inference). */
  logger?: Logger;
  /** Tests only: awaited before an image in S3 is read, so that a test can change the object in between. */
  beforeImageRead?: (image: { bucket: string; key: string }) => Promise<void>;
}

export interface RekognitionServer { url: string; close(): Promise<void> }

// Base64 of the largest image plus room for the rest of the JSON.
const MAX_BODY_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

/**
 * A Rekognition endpoint on this machine: point an unmodified RekognitionClient at `url`
 * (`endpoint` setting, any static credentials) and call DetectLabels. Signatures are not
 * checked. With a `limiter`, calls over the quota are throttled as Rekognition throttles them.
 * Closing the server leaves the labeller to its owner.
 */
export async function startRekognitionServer(options: RekognitionServerOptions): Promise<RekognitionServer> {
  const server = createServer((req, res) => {
    handle(req, options).then(
      (body) => send(res, 200, body),
      (error: unknown) => {
        const reply = toErrorReply(error);
        if (reply.status >= 500) console.error('rekognition endpoint:', error);
        send(res, reply.status, reply.body, reply.type);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

async function handle(req: IncomingMessage, options: RekognitionServerOptions): Promise<unknown> {
  if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
    throw new ProtocolError('UnknownOperationException', 'Only POST / is served', 404);
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target !== `${TARGET_PREFIX}DetectLabels`) {
    throw new ProtocolError('UnknownOperationException', `Operation ${target || '(none)'} is not supported by the local Rekognition`);
  }
  if (options.limiter && !options.limiter.tryAcquire()) {
    // Rekognition's answer to a call over the account's TPS quota (HTTP 400, the SDK retries it as throttling).
    throw new RekognitionError('ProvisionedThroughputExceededException',
      'The number of requests exceeded your throughput limit. If you want to increase this limit, contact Amazon Rekognition.');
  }
  const request = parseDetectLabelsRequest(parseJsonBody(await readBody(req)));
  if (request.image.kind === 's3') {
    await options.beforeImageRead?.({ bucket: request.image.bucket, key: request.image.key });
  }
  const bytes = await loadImage(request.image, options.getObject);
  const started = performance.now();
  const response = await options.labeller.detectLabels({
    bytes, minConfidence: request.minConfidence, maxLabels: request.maxLabels,
    features: request.features as DetectLabelsInput['features'], settings: request.settings as DetectLabelsInput['settings'],
  });
  options.logger?.info('labels detected', {
    s3Object: request.image.kind === 's3' ? `${request.image.bucket}/${request.image.key}` : null,
    imageBytes: bytes.length,
    labelMs: Math.round((performance.now() - started) * 10) / 10,
  });
  return response;
}

async function loadImage(image: ImageSource, getObject: RekognitionServerOptions['getObject']): Promise<Uint8Array> {
  if (image.kind === 'bytes') return image.bytes;
  try {
    return await getObject(image.bucket, image.key, image.version);
  } catch {
    throw new RekognitionError('InvalidS3ObjectException',
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new RekognitionError('ImageTooLargeException', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}
