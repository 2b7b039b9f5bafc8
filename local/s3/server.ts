// Local S3: s3rver stores the objects (on disk, in this process); in front of it, the only endpoint
// clients see checks what s3rver does not: SigV4 signatures (header-signed SDK calls and presigned
// URLs, with their expiry and signed headers), the declared body hashes, and the bucket's CORS
// rule for browser uploads. Accepted requests go to s3rver's request handler untouched, body
// streaming through. Objects created under the notification prefix raise S3's ObjectCreated event,
// sent to the notification's destination (the upload queue), as S3 sends it to SQS.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import { accessControl, type AccessControl } from '../iam/access.ts';
import type { Logger } from '../log.ts';
import { s3Access, s3AccessDeniedMessage } from './access.ts';
import { errorXml, s3Error, S3ReadError, type S3ErrorSpec } from './errors.ts';
import type { S3Event } from 'aws-lambda';
import { nextSequencer, objectCreatedEvent, type ObjectCreatedEventName, type S3EventDestination } from './events.ts';
import { verifySigV4 } from './sigv4.ts';
import { makeStoreAtomic, type BodyExpectation } from './store.ts';
import { uploadSizeRefusal } from './upload-size.ts';
import { listen, urlHost } from '../net.ts';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAgeSeconds: number;
}

/** The rule infra/constructs/upload-bucket.ts puts on the bucket: browsers PUT with presigned URLs. */
export const UPLOAD_CORS_RULE: CorsRule = {
  allowedOrigins: ['*'],
  allowedMethods: ['PUT'],
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3600,
};

export interface ObjectCreatedNotification {
  /** Only keys starting with this raise events (the bucket notification's prefix filter). */
  prefix: string;
  /** The notification's id, as S3 puts it in `s3.configurationId`. */
  configurationId: string;
  /** Where the events go (the upload queue). */
  send: S3EventDestination;
}

export interface S3ServerOptions {
  /** Objects live in `<dataDir>/s3/buckets`. */
  dataDir: string;
  host: string;
  /** 0 takes a free port. */
  port: number;
  bucket: string;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Who may sign, and what each signer may do; default: the credentials alone, allowed everything. */
  access?: AccessControl;
  cors?: CorsRule;
  notification?: ObjectCreatedNotification;
  logger: Logger;
}

export interface LocalS3 {
  endpoint: string;
  port: number;
  bucket: string;
  /**
   * An object's bytes, straight from the store: for a local service that reads an object on a caller's behalf once
   * its own front has checked the caller's s3:GetObject (the local Rekognition). Rejects with NoSuchKey or
   * NoSuchBucket as GetObject would; the store keeps one version of each key, as the HTTP side serves it.
   */
  readObject(bucket: string, key: string): Promise<Uint8Array>;
  /** Resolves when every event raised so far has reached the notification's destination. */
  eventsIdle(): Promise<void>;
  /** Waits for the events being sent now. */
  stopEvents(): Promise<void>;
  close(): Promise<void>;
}

interface RequestContext {
  requestId: string;
  hostId: string;
  sourceIp: string;
  principalId: string;
  completesMultipartUpload: boolean;
}

const CORS_REFUSED = s3Error(403, 'CORSResponse',
  "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");

function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '*') {
    return true;
  }
  const regex = new RegExp('^' + pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return regex.test(value);
}

function sourceIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The object key of a path-style URL (`/bucket/key`), decoded; null for bucket-level requests. */
function objectKeyOf(url: string): string | null {
  const path = url.split('?')[0]!;
  const slash = path.indexOf('/', 1);
  if (slash < 0 || slash === path.length - 1) {
    return null;
  }
  try {
    return decodeURIComponent(path.slice(slash + 1));
  } catch {
    return null;
  }
}

function bucketOf(url: string): string {
  const segment = url.split('?')[0]!.split('/')[1] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function startS3Server(options: S3ServerOptions): Promise<LocalS3> {
  const { logger, bucket, credentials } = options;
  const access = options.access ?? accessControl({ accountId: options.accountId, administrator: credentials });
  const cors = options.cors ?? UPLOAD_CORS_RULE;
  const root = join(options.dataDir, 's3');
  const bucketsDir = join(root, 'buckets');
  await mkdir(bucketsDir, { recursive: true });

  const expectations = new WeakMap<object, BodyExpectation>();
  const requests = new AsyncLocalStorage<RequestContext>();

  const s3rver = new S3rver({ directory: bucketsDir, silent: true, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  makeStoreAtomic(s3rver, {
    temporaryDir: join(root, 'incoming'),
    expectationOf: (content) => (content && typeof content === 'object' ? expectations.get(content) : undefined),
  });
  // The front has verified the signature; s3rver still wants to know the keys.
  const account = new AWSAccount(options.accountId, 'local');
  for (const pair of access.keyPairs()) {
    account.createKeyPair(pair.accessKeyId, pair.secretAccessKey);
  }
  await s3rver.configureBuckets();
  s3rver.on('error', (error) => {
    if ((error.status ?? 500) >= 500) {
      logger.error('s3rver failed a request', { error });
    }
  });

  const publishes = new Set<Promise<void>>();
  const notification = options.notification;
  if (notification) {
    await sendLeftoverEvents(join(root, 'events', 'pending'), notification.send, logger);
    s3rver.on('event', (legacy) => {
      const record = legacy.Records[0];
      const context = requests.getStore();
      if (!record || !context || !record.eventName.startsWith('ObjectCreated:')) {
        return;
      }
      const key = record.s3.object.key;
      if (record.s3.bucket.name !== bucket || !key.startsWith(notification.prefix)) {
        return;
      }
      const eventName: ObjectCreatedEventName = record.eventName === 'ObjectCreated:Copy'
        ? 'ObjectCreated:Copy'
        : record.eventName === 'ObjectCreated:Post'
          ? (context.completesMultipartUpload ? 'ObjectCreated:CompleteMultipartUpload' : 'ObjectCreated:Post')
          : 'ObjectCreated:Put';
      const time = new Date();
      const sequencer = nextSequencer(time.getTime());
      const publishing = (async () => {
        // s3rver's copy event carries no ETag: read it from the stored object.
        let { size, eTag } = record.s3.object;
        if (eTag === undefined || size === undefined) {
          const metadata = await s3rver.store.getMetadata(bucket, key);
          eTag = String(metadata.etag).replace(/"/g, '');
          size = Number(metadata['content-length']);
        }
        await notification.send(objectCreatedEvent({
          eventName,
          bucket,
          key,
          size,
          eTag,
          region: options.region,
          time,
          sourceIp: context.sourceIp,
          principalId: context.principalId,
          bucketOwnerId: `A${options.accountId}`,
          requestId: context.requestId,
          hostId: context.hostId,
          configurationId: notification.configurationId,
          sequencer,
        }));
      })().catch((error: unknown) => logger.error('could not record an ObjectCreated event', { key, error }));
      // Registered before s3rver answers the upload: once a client has its response, eventsIdle() covers the event.
      publishes.add(publishing);
      void publishing.finally(() => publishes.delete(publishing));
    });
  }

  /** IAM's answer for the signer: null when its policies allow the request. */
  function authorize(accessKeyId: string, method: string, url: string): S3ErrorSpec | null {
    const asked = s3Access(method, bucketOf(url), objectKeyOf(url), new URLSearchParams(url.split('?')[1] ?? ''));
    const decision = access.decide(accessKeyId, asked.action, asked.resource);
    return decision.allowed ? null : s3Error(403, 'AccessDenied', s3AccessDeniedMessage(decision.principalArn, asked));
  }

  const handleStored = s3rver.callback();
  /** Keys with a conditional write in progress: S3 lets one win and answers the others 409. */
  const conditionalWrites = new Set<string>();

  /**
   * S3 conditional writes: a PUT (or CompleteMultipartUpload) with `If-None-Match: *` creates the object only if the
   * key has none. Returns the refusal to send, or null to go on (the key is then held until the response ends).
   */
  async function conditionalWriteRefusal(req: IncomingMessage, res: ServerResponse, method: string): Promise<S3ErrorSpec | null> {
    const condition = req.headers['if-none-match'];
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const writesObject = (method === 'PUT' && !query.has('uploadId')) || (method === 'POST' && query.has('uploadId'));
    if (condition === undefined || !writesObject || bucketOf(req.url ?? '/') !== bucket) {
      return null;
    }
    if (condition.trim() !== '*') {
      return s3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
    }
    const key = objectKeyOf(req.url ?? '/');
    if (key === null) {
      return null;
    }
    const lock = `${bucket}/${key}`;
    if (conditionalWrites.has(lock)) {
      return s3Error(409, 'ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress against this resource. Please try again.');
    }
    conditionalWrites.add(lock);
    res.once('close', () => conditionalWrites.delete(lock));
    if (await s3rver.store.existsObject(bucket, key)) {
      return s3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
    }
    return null;
  }

  function corsHeaders(res: ServerResponse, origin: string): void {
    res.setHeader('Access-Control-Allow-Origin', cors.allowedOrigins.includes('*') ? '*' : origin);
    res.setHeader('Access-Control-Allow-Methods', cors.allowedMethods.join(', '));
    if (cors.exposedHeaders.length > 0) {
      res.setHeader('Access-Control-Expose-Headers', cors.exposedHeaders.join(', '));
    }
    res.setHeader('Access-Control-Max-Age', String(cors.maxAgeSeconds));
    res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  }

  function corsAllows(origin: string, method: string): boolean {
    return cors.allowedOrigins.some((pattern) => wildcardMatch(pattern, origin)) &&
      cors.allowedMethods.includes(method.toUpperCase());
  }

  function send(req: IncomingMessage, res: ServerResponse, error: S3ErrorSpec, requestId: string, hostId: string): void {
    const body = req.method === 'HEAD' ? '' : errorXml(error, requestId, hostId);
    res.statusCode = error.status;
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  }

  function preflight(req: IncomingMessage, res: ServerResponse, requestId: string, hostId: string): void {
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    if (!origin) {
      send(req, res, s3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.'), requestId, hostId);
      return;
    }
    if (!method) {
      send(req, res, s3Error(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null'), requestId, hostId);
      return;
    }
    if (bucketOf(req.url ?? '/') !== bucket) {
      send(req, res, s3Error(403, 'CORSResponse', 'CORS is not enabled for this bucket.'), requestId, hostId);
      return;
    }
    const requested = (req.headers['access-control-request-headers'] ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
    const headersAllowed = requested.every((name) => cors.allowedHeaders.some((pattern) => wildcardMatch(pattern, name)));
    if (!corsAllows(origin, method) || !headersAllowed) {
      send(req, res, CORS_REFUSED, requestId, hostId);
      return;
    }
    corsHeaders(res, origin);
    if (requested.length > 0) {
      res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', 0);
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const hostId = randomBytes(48).toString('base64');
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', hostId);
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status === 403 ? 'warn' : status >= 400 || method === 'PUT' || method === 'POST' || method === 'DELETE' ? 'info' : 'debug';
      // Never the query: a presigned URL's signature is a credential.
      logger[level](`${method} ${path} ${status}`, { ms: Date.now() - started, requestId });
    });

    if (method === 'OPTIONS') {
      preflight(req, res, requestId, hostId);
      return;
    }
    const origin = req.headers.origin;
    if (origin && corsAllows(origin, method)) {
      corsHeaders(res, origin);
    }

    const verification = await verifySigV4(
      { method, url: req.url ?? '/', rawHeaders: req.rawHeaders },
      { region: options.region, secretFor: (id) => access.secretFor(id) },
    );
    if (!verification.ok) {
      if (expectsContinue) {
        // The client holds the body back until 100 Continue, which it will not get.
        res.setHeader('Connection', 'close');
      }
      send(req, res, verification.error, requestId, hostId);
      return;
    }
    const denial = authorize(verification.accessKeyId, method, req.url ?? '/');
    if (denial) {
      if (expectsContinue) {
        res.setHeader('Connection', 'close');
      }
      logger.warn(`${method} ${path} refused`, { message: denial.message });
      send(req, res, denial, requestId, hostId);
      return;
    }
    if (verification.payloadHash.startsWith('STREAMING-')) {
      send(req, res, s3Error(501, 'NotImplemented',
        'The local S3 does not decode aws-chunked bodies: sign the payload (SHA-256) or send UNSIGNED-PAYLOAD (requestChecksumCalculation: WHEN_REQUIRED).'), requestId, hostId);
      return;
    }
    const sizeRefusal = uploadSizeRefusal(method, objectKeyOf(req.url ?? '/') !== null, req.headers['content-length']);
    if (sizeRefusal) {
      // Whatever body follows is not read: the connection ends with the answer.
      res.setHeader('Connection', 'close');
      send(req, res, sizeRefusal, requestId, hostId);
      return;
    }
    const refusal = await conditionalWriteRefusal(req, res, method);
    if (refusal) {
      if (expectsContinue) {
        res.setHeader('Connection', 'close');
      }
      send(req, res, refusal, requestId, hostId);
      return;
    }
    const expectation: BodyExpectation = {};
    if (/^[0-9a-f]{64}$/i.test(verification.payloadHash)) {
      expectation.sha256 = verification.payloadHash;
    }
    const contentMd5 = req.headers['content-md5'];
    if (typeof contentMd5 === 'string') {
      expectation.md5 = contentMd5;
    }
    expectations.set(req, expectation);
    if (expectsContinue) {
      res.writeContinue();
    }
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    requests.run({
      requestId,
      hostId,
      sourceIp: sourceIpOf(req),
      principalId: `AWS:${verification.accessKeyId}`,
      completesMultipartUpload: method === 'POST' && query.has('uploadId'),
    }, () => handleStored(req, res));
  }

  const server = createServer();
  const dispatch = (expectsContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, expectsContinue).catch((error: unknown) => {
      logger.error('request failed', { method: req.method, error });
      if (!res.headersSent) {
        send(req, res, s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'), '0', '0');
      } else {
        res.destroy();
      }
    });
  };
  server.on('request', dispatch(false));
  server.on('checkContinue', dispatch(true));

  const port = await listen(server, options.port, options.host);
  const endpoint = `http://${urlHost(options.host)}:${port}`;
  logger.info('bucket ready', { bucket, endpoint });

  return {
    endpoint,
    port,
    bucket,
    async readObject(name, key) {
      const object = name === bucket ? await s3rver.store.getObject(bucket, key) : null;
      if (object === null) {
        throw new S3ReadError(name === bucket ? 'NoSuchKey' : 'NoSuchBucket', `${name}/${key}`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of object.content ?? []) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    eventsIdle: async () => {
      while (publishes.size > 0) {
        await Promise.all([...publishes]);
      }
    },
    async stopEvents() {
      await Promise.all([...publishes]);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests in progress get a moment to finish; idle keep-alive connections go now.
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(timer);
      await Promise.all([...publishes]);
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
    },
  };
}

/**
 * Earlier versions of the local cloud delivered events from an outbox in the data directory: events left there are
 * sent to the destination now, so that no upload of an old data directory is forgotten.
 */
async function sendLeftoverEvents(directory: string, send: S3EventDestination, logger: Logger): Promise<void> {
  const files = await readdir(directory).catch(() => [] as string[]);
  for (const file of files.filter((name) => name.endsWith('.json')).sort()) {
    try {
      await send(JSON.parse(await readFile(join(directory, file), 'utf8')) as S3Event);
      await unlink(join(directory, file));
    } catch (error) {
      logger.error('could not send an event left by an earlier version', { file, error });
    }
  }
  if (files.length > 0) {
    logger.info('sent the events an earlier version left pending', { count: files.length });
  }
}
