// The offline local cloud: DynamoDB, S3, SQS, Rekognition, AppSync and the Lambda handlers on one machine.
// The handlers and resolver bundles are the ones the cloud runs; only endpoints, credentials and
// names differ, and they reach the handlers the way Lambda configures them: environment variables.
import { randomUUID, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSEvent } from 'aws-lambda';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../domain/blob.ts';
import {
  DEFAULT_PROCESSING_LEASE_SECONDS,
  DEFAULT_REKOGNITION_TPS,
  maxConcurrencyFor,
  UPLOAD_QUEUE,
  visibilityTimeoutSeconds,
} from '../functions/commons/upload-queue.ts';
import { AMPLIFY_OUTPUTS_FILE, amplifyOutputs, type AmplifyOutputs } from '../infra/amplify-outputs.ts';
import { apiEnvironment } from '../resolvers/lib/api-environment.ts';
import { startAppSyncServer, type AppSyncServer } from './appsync/server.ts';
import { createResolverRuntime } from './appsync/runtime/index.ts';
import { GRAPHIQL_PATH, graphiqlVendorFiles, redirectToGraphiql } from './appsync/graphiql.ts';
import { serveFiles, serveStatic } from './appsync/static-files.ts';
import { generateSelfSignedCertificate, type TlsMaterial } from './appsync/tls.ts';
import {
  DEFAULT_HOST,
  DEFAULT_LABELLER_WORKERS,
  DEFAULT_PORTS,
  DEFAULT_TTL_SWEEP_SECONDS,
  LOCAL_ACCOUNT_ID,
  LOCAL_BUCKET_NAME,
  LOCAL_CREDENTIALS,
  LOCAL_DEAD_LETTER_QUEUE_NAME,
  LOCAL_REGION,
  LOCAL_STAGE,
  LOCAL_TABLE_NAME,
  LOCAL_UPLOAD_QUEUE_NAME,
  loadOrCreateSecrets,
  localCredentials,
  type LocalCloudPorts,
} from './config.ts';
import { startCognitoServer, type CognitoServer } from './cognito/server.ts';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb/server.ts';
import { createLogStream, type Logger, type LogStream } from './log.ts';
import { createLabeller } from './rekognition/labeller.ts';
import { type RateLimiter, tokenBucket } from './rekognition/rate-limit.ts';
import { startRekognitionServer, type RekognitionServer } from './rekognition/server.ts';
import { startS3Server, type LocalS3 } from './s3/server.ts';
import { startEventSourceMapping } from './sqs/event-source.ts';
import { LocalQueue } from './sqs/queue.ts';
import { startSqsServer, type LocalSqs } from './sqs/server.ts';
import { urlHost } from './net.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
const BUNDLES_DIR = join(REPO_ROOT, 'dist', 'resolvers');
const SCHEMA_PATH = join(REPO_ROOT, 'schema.graphql');
const PREAMBLE_PATH = join(REPO_ROOT, 'local', 'appsync', 'aws-preamble.graphql');
/** The demo page, served at `/` beside /graphql (same origin: the page needs no CORS for the API). */
const WEB_ROOT = join(REPO_ROOT, 'web');
/** The client package's build, which the page imports (web/api.js → ../client/dist/index.js). */
const CLIENT_DIST = join(REPO_ROOT, 'client', 'dist');
const CLIENT_PREFIX = '/client/dist/';

/** AppSync's request limits as the stack sets them by default (infra/config.ts); introspection stays on locally. */
const LOCAL_API_LIMITS = { queryDepthLimit: 10, resolverCountLimit: 100, introspectionConfig: 'ENABLED' as const };

/**
 * The page's client configuration at /amplify_outputs.json (same origin as the page): the page signs in with the
 * user pool it names and calls the API it names.
 */
function serveClientConfig(req: IncomingMessage, res: ServerResponse, outputs: AmplifyOutputs | undefined): boolean {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== `/${AMPLIFY_OUTPUTS_FILE}` || !outputs || (req.method !== 'GET' && req.method !== 'HEAD')) {
    return false;
  }
  const body = JSON.stringify(outputs);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/** The local cloud's client configuration: Amplify's, plus the TLS certificate to trust for data.url. */
export type LocalAmplifyOutputs = AmplifyOutputs & { custom: { userPoolEndpoint: string; tlsCertificate: string } };

/** The handler the upload queue's event source mapping invokes. */
const UPLOAD_HANDLER = 'process-upload';
/** The SenderId of the messages S3 writes to the queue. */
const S3_SENDER_ID = 'AIDALOCALS3NOTIFICATIONS';

/** Lambda timeouts as infra/constructs/functions.ts deploys them; handlers read them through the context. */
const TIMEOUTS_SECONDS: Record<string, number> = {
  'presign-upload': 10,
  'delete-object': 10,
  'deliver-callback': 30,
  'process-upload': 60,
};

export interface LocalCloudOptions {
  /** Where everything persists (DynamoDB, S3 objects, queued events, API key, secrets, certificate). */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Missing ports take the defaults of `npm start`; 0 takes a free port. */
  ports?: Partial<LocalCloudPorts>;
  /** Image model workers. Default 1. */
  labellerWorkers?: number;
  /** Only warnings and errors (tests). */
  quiet?: boolean;
  /** The stream every component logs to; default: a new one on stdout. */
  logStream?: LogStream;
  /** Seconds between TTL sweeps of the table. Default 30. */
  ttlSweepSeconds?: number;
  /** Uploads each owner may create per UTC day. Default 500, as the stack. */
  uploadQuotaPerDay?: number;
  /** Write the client configuration (amplify_outputs.json) here; none is written when absent. */
  amplifyOutputsPath?: string;
  /**
   * DetectLabels calls per second before the local Rekognition throttles, as the account quota does; the upload
   * queue's maximum concurrency follows it as the stack's follows `-c rekognitionTps`. Default: unlimited (and the
   * concurrency the stack deploys by default).
   */
  rekognitionTps?: number;
  /** After this, a blob left PROCESSING is taken over (PROCESSING_LEASE_SECONDS). Default 120. */
  processingLeaseSeconds?: number;
}

export interface LocalCloud {
  graphqlUrl: string;
  realtimeUrl: string;
  httpsGraphqlUrl: string;
  wssRealtimeUrl: string;
  /** The demo page (web/), served by the GraphQL server: it reads the client configuration from /amplify_outputs.json. */
  demoPageUrl: string;
  /** GraphiQL, beside the demo page and signed in the same way. */
  graphiqlUrl: string;
  /** The local Cognito user pool: where to sign up and sign in. */
  userPool: { id: string; clientId: string; endpoint: string; issuer: string };
  /** What a client needs (amplify_outputs.json, with custom.userPoolEndpoint and custom.tlsCertificate). */
  amplifyOutputs: LocalAmplifyOutputs;
  /** Where amplify_outputs.json was written, if it was. */
  amplifyOutputsPath?: string;
  s3Endpoint: string;
  rekognitionEndpoint: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** The queue S3 sends upload events to, and its dead-letter queue. */
  uploadQueueUrl: string;
  deadLetterQueueUrl: string;
  /** How many process-upload invocations may run at once (the event source mapping's maximum concurrency). */
  maxConcurrency: number;
  /** DetectLabels calls refused over the quota so far (`rekognitionTps`). */
  rekognitionThrottled(): number;
  webhookSecret: string;
  bucket: string;
  table: string;
  region: string;
  stage: string;
  /** The key pair the local cloud accepts for SigV4 (IAM callers, S3, ...). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** PEM of the self-signed certificate of the HTTPS/WSS endpoint, to trust it (NODE_EXTRA_CA_CERTS). */
  certificatePath: string;
  /** The ports actually bound. */
  ports: LocalCloudPorts;
  dataDir: string;
  /** Resolves when every upload event raised so far has left the queue (processed, or dead-lettered). */
  uploadsIdle(): Promise<void>;
  /** Stops every server; the data stays in dataDir. */
  close(): Promise<void>;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Each cloud imports its own copy of the handler modules: they read the environment when loaded. */
let cloudInstances = 0;
/** The handlers' configuration is process.env: one cloud at a time per process. */
let running = false;

function lambdaContext(name: string, invocationId: string): Context {
  const functionName = `image-labels-${LOCAL_STAGE}-${name}`;
  const deadline = Date.now() + (TIMEOUTS_SECONDS[name] ?? 10) * 1000;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: name === UPLOAD_HANDLER ? '512' : '256',
    awsRequestId: invocationId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${invocationId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** The Lambda functions: one handler file each, functions/<name>.ts. */
async function handlerNames(): Promise<string[]> {
  return (await readdir(FUNCTIONS_DIR))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
}

/** Imports every handler file as a fresh module instance (they read process.env when loaded). */
async function importHandlers(names: readonly string[], instance: number): Promise<Map<string, Handler>> {
  const handlers = new Map<string, Handler>();
  await Promise.all(names.map(async (name) => {
    const url = `${pathToFileURL(join(FUNCTIONS_DIR, `${name}.ts`)).href}?cloud=${instance}`;
    const module = (await import(/* @vite-ignore */ url)) as { handler?: Handler };
    if (typeof module.handler !== 'function') {
      throw new Error(`functions/${name}.ts does not export a handler`);
    }
    handlers.set(name, module.handler);
  }));
  return handlers;
}

/** Reuses the certificate kept in the data directory while it has a day left, so it is trusted once. */
async function tlsMaterial(dataDir: string, logger: Logger): Promise<{ material: TlsMaterial; certificatePath: string }> {
  const dir = join(dataDir, 'tls');
  const certificatePath = join(dir, 'localhost-cert.pem');
  const keyPath = join(dir, 'localhost-key.pem');
  try {
    const [cert, key] = await Promise.all([readFile(certificatePath, 'utf8'), readFile(keyPath, 'utf8')]);
    if (new Date(new X509Certificate(cert).validTo).getTime() > Date.now() + 24 * 3600 * 1000) {
      return { material: { cert, key }, certificatePath };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.warn('replacing an unreadable TLS certificate', { error });
    }
  }
  const material = await generateSelfSignedCertificate();
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, material.key, { mode: 0o600 });
  await writeFile(certificatePath, material.cert);
  logger.info('generated a self-signed certificate', { certificatePath });
  return { material, certificatePath };
}

/** Sets process.env for the handlers; returns the undo. */
function configureEnvironment(values: Record<string, string | undefined>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(values)) {
    previous.set(name, process.env[name]);
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  };
}

/** At most one line a second while calls are throttled, instead of one per call; returns the stop. */
function reportThrottling(quota: RateLimiter, tps: number, logger: Logger): () => Promise<void> {
  let reported = 0;
  const timer = setInterval(() => {
    if (quota.refused > reported) {
      logger.info('DetectLabels calls throttled', { lastSecond: quota.refused - reported, total: quota.refused, quotaPerSecond: tps });
      reported = quota.refused;
    }
  }, 1000);
  timer.unref();
  return async () => clearInterval(timer);
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? DEFAULT_HOST;
  const ports: LocalCloudPorts = { ...DEFAULT_PORTS, ...options.ports };
  const logs = options.logStream ?? createLogStream({ level: options.quiet ? 'warn' : 'info' });
  const log = logs.logger('local');
  if (running) {
    throw new Error('a local cloud is already running in this process (the handlers read process.env): close it first');
  }
  running = true;
  const instance = ++cloudInstances;

  // Everything started so far, closed in reverse order if a later step fails.
  const closers: Array<() => Promise<void>> = [];
  let closed = false;
  const closeAll = async () => {
    if (closed) {
      return;
    }
    closed = true;
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => log.error('shutdown step failed', { error }));
    }
    running = false;
  };

  try {
    if (!existsSync(BUNDLES_DIR)) {
      throw new Error(`no resolver bundles in ${BUNDLES_DIR}: run \`npm run build\` first (npm start does)`);
    }
    await mkdir(dataDir, { recursive: true });
    const secrets = await loadOrCreateSecrets(dataDir);
    if (secrets.created) {
      log.info('generated a user pool and a webhook secret', { file: join(dataDir, 'local-cloud.json') });
    }

    const functionNames = await handlerNames();
    // Handlers arrive last (they need every endpoint, the GraphQL URL included); S3 events and
    // resolvers that come earlier wait for them.
    let handlersLoaded!: (handlers: Map<string, Handler>) => void;
    let handlersFailed!: (error: unknown) => void;
    const handlers = new Promise<Map<string, Handler>>((resolvePromise, reject) => {
      handlersLoaded = resolvePromise;
      handlersFailed = reject;
    });
    handlers.catch(() => undefined);
    const invoke = (name: string) => async (event: unknown): Promise<unknown> => {
      const handler = (await handlers).get(name);
      if (!handler) {
        throw new Error(`no handler functions/${name}.ts`);
      }
      const invocationId = randomUUID();
      // Each invocation gets its own copy of the event, as it would over the wire.
      const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
      return logs.runAs(`lambda:${name}`, () => handler(payload, lambdaContext(name, invocationId)));
    };

    const dynamodbStart = startDynamoDb({
      dataDir,
      host,
      port: ports.dynamodb,
      tableName: LOCAL_TABLE_NAME,
      region: LOCAL_REGION,
      credentials: localCredentials(),
      ttlSweepSeconds: options.ttlSweepSeconds ?? DEFAULT_TTL_SWEEP_SECONDS,
      logger: logs.logger('dynamodb'),
    });
    // The upload queue and its dead-letter queue, as infra/constructs/upload-queue.ts declares them.
    const processingLeaseSeconds = options.processingLeaseSeconds ?? DEFAULT_PROCESSING_LEASE_SECONDS;
    const maxConcurrency = maxConcurrencyFor(options.rekognitionTps ?? DEFAULT_REKOGNITION_TPS);
    const queueDirectory = (name: string) => join(dataDir, 'sqs', name);
    const deadLetterQueue = await LocalQueue.open({
      name: LOCAL_DEAD_LETTER_QUEUE_NAME,
      directory: queueDirectory(LOCAL_DEAD_LETTER_QUEUE_NAME),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      visibilityTimeoutSeconds: 30,
    });
    const uploadQueue = await LocalQueue.open({
      name: LOCAL_UPLOAD_QUEUE_NAME,
      directory: queueDirectory(LOCAL_UPLOAD_QUEUE_NAME),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(processingLeaseSeconds),
      redrive: { deadLetterQueue, maxReceiveCount: UPLOAD_QUEUE.maxReceiveCount },
    });
    const sqsStart = startSqsServer({
      host,
      port: ports.sqs,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials: LOCAL_CREDENTIALS,
      queues: [uploadQueue, deadLetterQueue],
      logger: logs.logger('sqs'),
    });
    // Each SDK client is shared by every invocation running in this process: as many sockets as invocations.
    const sdkMaxSockets = Math.max(50, maxConcurrency);
    const s3Start = startS3Server({
      dataDir,
      host,
      port: ports.s3,
      bucket: LOCAL_BUCKET_NAME,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials: LOCAL_CREDENTIALS,
      notification: {
        prefix: `${LOCAL_STAGE}/`,
        configurationId: 'ProcessUpload',
        // As S3 writes to SQS: the event is the message body.
        send: async (event) => {
          await uploadQueue.send(JSON.stringify(event), { senderId: S3_SENDER_ID });
        },
      },
      logger: logs.logger('s3'),
    });
    const quota = options.rekognitionTps === undefined ? undefined : tokenBucket(options.rekognitionTps);
    if (quota) {
      closers.push(reportThrottling(quota, options.rekognitionTps!, logs.logger('rekognition')));
    }
    const labeller = createLabeller({ workers: options.labellerWorkers ?? DEFAULT_LABELLER_WORKERS });
    closers.push(() => labeller.close());
    // Rekognition reads S3Object images from the local S3, through the SDK like any client.
    let objectReader: S3Client | undefined;
    const rekognitionStart = startRekognitionServer({
      host,
      port: ports.rekognition,
      labeller,
      limiter: quota,
      getObject: async (bucket, key, version) => {
        const s3 = await s3Start;
        objectReader ??= new S3Client({
          endpoint: s3.endpoint,
          region: LOCAL_REGION,
          credentials: localCredentials(),
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          requestHandler: { httpAgent: { maxSockets: sdkMaxSockets } },
        });
        const object = await objectReader.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }));
        return object.Body!.transformToByteArray();
      },
    });
    const tlsStart = tlsMaterial(dataDir, log);
    const cognitoStart = startCognitoServer({
      dataDir,
      host,
      port: ports.cognito,
      region: LOCAL_REGION,
      userPoolId: secrets.userPoolId,
      clientId: secrets.userPoolClientId,
      credentials: localCredentials(),
      logger: logs.logger('cognito'),
    });

    const started = await Promise.allSettled([dynamodbStart, s3Start, rekognitionStart, tlsStart, sqsStart, cognitoStart]);
    const [dynamodbResult, s3Result, rekognitionResult, tlsResult, sqsResult, cognitoResult] = started;
    if (sqsResult.status === 'fulfilled') {
      closers.push(() => sqsResult.value.close());
    }
    if (cognitoResult.status === 'fulfilled') {
      closers.push(() => cognitoResult.value.close());
    }
    if (rekognitionResult.status === 'fulfilled') {
      closers.push(async () => {
        await rekognitionResult.value.close();
        objectReader?.destroy();
      });
    }
    if (dynamodbResult.status === 'fulfilled') {
      closers.push(() => dynamodbResult.value.close());
    }
    if (s3Result.status === 'fulfilled') {
      closers.push(() => s3Result.value.close());
    }
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
    const dynamodb = (dynamodbResult as PromiseFulfilledResult<LocalDynamoDb>).value;
    const s3 = (s3Result as PromiseFulfilledResult<LocalS3>).value;
    const rekognition = (rekognitionResult as PromiseFulfilledResult<RekognitionServer>).value;
    const sqs = (sqsResult as PromiseFulfilledResult<LocalSqs>).value;
    const cognito = (cognitoResult as PromiseFulfilledResult<CognitoServer>).value;
    const { material, certificatePath } = (tlsResult as PromiseFulfilledResult<Awaited<typeof tlsStart>>).value;
    logs.logger('rekognition').info('DetectLabels ready', { endpoint: rekognition.url, workers: options.labellerWorkers ?? DEFAULT_LABELLER_WORKERS });

    const runtime = createResolverRuntime({
      bundlesDir: BUNDLES_DIR,
      dynamodb: { client: dynamodb.client, tableName: LOCAL_TABLE_NAME },
      lambdas: Object.fromEntries(functionNames.map((name) => [name, invoke(name)])),
      logger: logs.logger('resolver'),
      // The API's environment variables (ctx.env), as the stack sets them; http/loopback callbacks are allowed here only.
      environmentVariables: apiEnvironment({
        blobsTableName: LOCAL_TABLE_NAME,
        uploadQuotaPerDay: options.uploadQuotaPerDay ?? DEFAULT_UPLOAD_QUOTA_PER_DAY,
        callbackAllowHttpLoopback: true,
      }),
    });
    // Known once the servers listen; the page's config route reads it then.
    const clientConfig: { outputs?: AmplifyOutputs } = {};
    const graphiqlFiles = graphiqlVendorFiles();
    const appsync: AppSyncServer = await startAppSyncServer({
      schemaPath: SCHEMA_PATH,
      preamblePath: PREAMBLE_PATH,
      runtime,
      // As the stack: user pool tokens by default, IAM (SigV4) beside it, no API key.
      defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
      additionalAuthModes: ['AWS_IAM'],
      userPool: { userPoolId: cognito.userPoolId, issuer: cognito.issuer, jwksUri: cognito.jwksUri, clientIds: [cognito.clientId] },
      iam: { ...LOCAL_CREDENTIALS, accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION },
      limits: LOCAL_API_LIMITS,
      host,
      port: ports.graphql,
      tls: material,
      httpsPort: ports.graphqlHttps,
      logger: logs.logger('appsync'),
      serveOther: (req, res) =>
        serveClientConfig(req, res, clientConfig.outputs) ||
        redirectToGraphiql(req, res) ||
        serveFiles(graphiqlFiles, req, res) ||
        serveStatic(CLIENT_DIST, req, res, CLIENT_PREFIX) ||
        serveStatic(WEB_ROOT, req, res),
    });
    closers.push(() => appsync.close());
    // Before the S3 server closes: events being sent reach the queue.
    closers.push(() => s3.stopEvents());

    const restoreEnvironment = configureEnvironment({
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_REKOGNITION: rekognition.url,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      UPLOAD_QUEUE_URL: sqs.queueUrl(LOCAL_UPLOAD_QUEUE_NAME),
      UPLOAD_QUEUE_MAX_RECEIVE_COUNT: String(UPLOAD_QUEUE.maxReceiveCount),
      PROCESSING_LEASE_SECONDS: String(processingLeaseSeconds),
      SDK_MAX_SOCKETS: String(sdkMaxSockets),
      STAGE: LOCAL_STAGE,
      TABLE_NAME: LOCAL_TABLE_NAME,
      BUCKET_NAME: LOCAL_BUCKET_NAME,
      APPSYNC_GRAPHQL_URL: appsync.graphqlUrl,
      WEBHOOK_SECRET: secrets.webhookSecret,
      WEBHOOK_SECRET_ARN: undefined,
      S3_FORCE_PATH_STYLE: 'true',
      CALLBACK_ALLOW_HTTP_LOOPBACK: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? (options.quiet ? 'WARN' : 'INFO'),
    });
    closers.unshift(async () => restoreEnvironment());
    // Imported once GraphQL answers: the main thread's CPU goes to the servers first.
    try {
      handlersLoaded(await importHandlers(functionNames, instance));
    } catch (error) {
      handlersFailed(error);
      throw error;
    }
    // Lambda's event source mapping, as the stack configures it. Closed first: the invocations it runs finish
    // against live services; messages not received yet stay in the queue for the next start.
    const uploadConsumer = startEventSourceMapping({
      queue: uploadQueue,
      region: LOCAL_REGION,
      batchSize: UPLOAD_QUEUE.batchSize,
      maxConcurrency,
      invoke: invoke(UPLOAD_HANDLER) as (event: SQSEvent) => Promise<unknown>,
      logger: logs.logger('sqs'),
    });
    closers.push(() => uploadConsumer.close());
    logs.logger('sqs').info('upload queue consumed', {
      maxConcurrency,
      batchSize: UPLOAD_QUEUE.batchSize,
      visibilityTimeoutSeconds: uploadQueue.visibilityTimeoutSeconds,
      maxReceiveCount: UPLOAD_QUEUE.maxReceiveCount,
      rekognitionTps: options.rekognitionTps ?? 'unlimited',
    });

    const boundPort = (url: string | undefined) => Number(new URL(url ?? 'http://x:0').port);
    const httpsGraphqlUrl = appsync.httpsGraphqlUrl ?? '';
    // Amplify derives wss:// from the GraphQL URL and insists on it: clients get the TLS endpoint.
    const base = amplifyOutputs({
      region: LOCAL_REGION,
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.clientId,
      graphqlUrl: httpsGraphqlUrl || appsync.graphqlUrl,
      userPoolEndpoint: cognito.endpoint,
    });
    // The endpoint's certificate is self-signed: clients that can (Node, the CLI) trust it from here, as
    // NODE_EXTRA_CA_CERTS would (the client package reads custom.tlsCertificate).
    const outputs: LocalAmplifyOutputs = { ...base, custom: { userPoolEndpoint: cognito.endpoint, tlsCertificate: material.cert } };
    clientConfig.outputs = outputs;
    if (options.amplifyOutputsPath) {
      await writeFile(options.amplifyOutputsPath, `${JSON.stringify(outputs, null, 2)}\n`);
      log.info(`wrote ${AMPLIFY_OUTPUTS_FILE}`, { path: options.amplifyOutputsPath });
    }
    const cloud: LocalCloud = {
      graphqlUrl: appsync.graphqlUrl,
      realtimeUrl: appsync.realtimeUrl,
      httpsGraphqlUrl,
      wssRealtimeUrl: appsync.wssRealtimeUrl ?? '',
      demoPageUrl: new URL('/', appsync.graphqlUrl).href,
      graphiqlUrl: new URL(GRAPHIQL_PATH, appsync.graphqlUrl).href,
      userPool: { id: cognito.userPoolId, clientId: cognito.clientId, endpoint: cognito.endpoint, issuer: cognito.issuer },
      amplifyOutputs: outputs,
      amplifyOutputsPath: options.amplifyOutputsPath,
      s3Endpoint: s3.endpoint,
      rekognitionEndpoint: rekognition.url,
      dynamodbEndpoint: dynamodb.endpoint,
      sqsEndpoint: sqs.endpoint,
      uploadQueueUrl: sqs.queueUrl(LOCAL_UPLOAD_QUEUE_NAME),
      deadLetterQueueUrl: sqs.queueUrl(LOCAL_DEAD_LETTER_QUEUE_NAME),
      maxConcurrency,
      rekognitionThrottled: () => quota?.refused ?? 0,
      webhookSecret: secrets.webhookSecret,
      bucket: LOCAL_BUCKET_NAME,
      table: LOCAL_TABLE_NAME,
      region: LOCAL_REGION,
      stage: LOCAL_STAGE,
      credentials: localCredentials(),
      certificatePath,
      ports: {
        graphql: boundPort(appsync.graphqlUrl),
        graphqlHttps: boundPort(httpsGraphqlUrl),
        cognito: cognito.port,
        s3: s3.port,
        dynamodb: dynamodb.port,
        rekognition: boundPort(rekognition.url),
        sqs: sqs.port,
      },
      dataDir,
      uploadsIdle: async () => {
        await s3.eventsIdle();
        await uploadConsumer.idle();
      },
      close: closeAll,
    };
    log.info('local cloud ready', { graphqlUrl: cloud.graphqlUrl, dataDir, host: urlHost(host) });
    return cloud;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
