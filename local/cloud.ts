// The offline local cloud: DynamoDB, S3, SQS, Rekognition, AppSync and the Lambda handlers on one machine.
// The handlers and resolver bundles are the ones the cloud runs, started from the same manifests (functions/manifest.ts,
// resolvers/manifest.ts); only endpoints, credentials and names differ, and they reach each handler the way Lambda
// configures it: the environment of its own instance (local/lambda/). Every service checks who signed a request and
// refuses what the signer's manifest entry does not allow, as IAM would (local/iam/).
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQSEvent } from 'aws-lambda';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../domain/blob.ts';
import { environmentFor, LOG_LEVELS, type SettingValues } from '../functions/commons/config.ts';
import { consumerOf, FUNCTIONS, functionsGranted, QUEUE_TRIGGER_ACTIONS, type FunctionSpec } from '../functions/manifest.ts';
import { dataSources as DATA_SOURCES, resolvers as RESOLVERS, type DataSourceName, type DataSourceSpec } from '../resolvers/manifest.ts';
import {
  DEFAULT_PROCESSING_LEASE_SECONDS,
  DEFAULT_REKOGNITION_TPS,
  maxConcurrencyFor,
  UPLOAD_QUEUE,
  visibilityTimeoutSeconds,
} from '../functions/queue/upload-queue.ts';
import { AMPLIFY_OUTPUTS_FILE, amplifyOutputs, type AmplifyOutputs } from '../infra/amplify-outputs.ts';
import { apiEnvironment, publisherEnvironment } from '../resolvers/lib/api-environment.ts';
import { iamOwner } from '../resolvers/lib/caller.ts';
import { startAppSyncServer, type AppSyncServer } from './appsync/server.ts';
import { createResolverRuntime } from './appsync/runtime/index.ts';
import { GRAPHIQL_PATH, graphiqlVendorFiles, redirectToGraphiql } from './appsync/graphiql.ts';
import { serveFiles, serveStatic } from './appsync/static-files.ts';
import { generateSelfSignedCertificate, type TlsMaterial } from './appsync/tls.ts';
import {
  DEFAULT_HOST,
  DEFAULT_PORTS,
  DEFAULT_TTL_SWEEP_SECONDS,
  LOCAL_ACCOUNT_ID,
  LOCAL_API_ID,
  LOCAL_BUCKET_NAME,
  LOCAL_CREDENTIALS,
  LOCAL_DEAD_LETTER_QUEUE_NAME,
  LOCAL_REGION,
  LOCAL_STAGE,
  LOCAL_TABLE_NAME,
  LOCAL_UPLOAD_QUEUE_NAME,
  LOCAL_WEBHOOK_SECRET_NAME,
  loadOrCreateSecrets,
  localCredentials,
  type LocalCloudPorts,
} from './config.ts';
import { startCognitoServer, type CognitoServer } from './cognito/server.ts';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb/server.ts';
import { accessControl, type AccessControl, type KeyPair } from './iam/access.ts';
import { startAwsJsonFront } from './iam/aws-json-front.ts';
import { rekognitionRule } from './iam/rekognition-rules.ts';
import { dataSourceRoles, functionRoles, localResourceArns } from './iam/roles.ts';
import { startLocalLambda, type LocalFunction, type LocalLambda } from './lambda/service.ts';
import { createLogStream, type Logger, type LogStream } from './log.ts';
import { createLabeller } from './rekognition/labeller.ts';
import { defaultWorkerCount } from './rekognition/worker-count.ts';
import { type RateLimiter, tokenBucket } from './rekognition/rate-limit.ts';
import { startRekognitionServer } from './rekognition/server.ts';
import { startS3Server, type LocalS3 } from './s3/server.ts';
import { startEventSourceMapping } from './sqs/event-source.ts';
import { LocalQueue } from './sqs/queue.ts';
import { startSqsServer, type LocalSqs } from './sqs/server.ts';
import { urlHost } from './net.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
/** What Lambda's Node.js runtime reports itself as (AWS_EXECUTION_ENV), as the stack deploys the functions. */
const EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
const BUNDLES_DIR = join(REPO_ROOT, 'dist', 'resolvers');
const SCHEMA_PATH = join(REPO_ROOT, 'schema.graphql');
const PREAMBLE_PATH = join(REPO_ROOT, 'graphql', 'aws-appsync.graphql');
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

/** The SenderId of the messages S3 writes to the queue. */
const S3_SENDER_ID = 'AIDALOCALS3NOTIFICATIONS';

export interface LocalCloudOptions {
  /** Where everything persists (DynamoDB, S3 objects, queued events, API key, secrets, certificate). */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Missing ports take the defaults of `npm start`; 0 takes a free port. */
  ports?: Partial<LocalCloudPorts>;
  /** Image model workers. Default: one per core, as memory allows (rekognition/worker-count.ts). */
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
  /** The functions to run: default functions/manifest.ts (a test takes a permission away to see it refused). */
  functions?: Readonly<Record<string, FunctionSpec>>;
  /** The API's data sources: default resolvers/manifest.ts (a test takes a permission away to see it refused). */
  dataSources?: Readonly<Record<DataSourceName, DataSourceSpec>>;
  /** Tests only (`npm start` sets none): where requests wait for a test, so that it can order a race. */
  holds?: LocalCloudHolds;
}

/**
 * Points where a request of the local cloud waits until the test's promise settles, so that a test makes an
 * interleaving happen instead of hoping for it under load. Nothing of the product sees them.
 */
export interface LocalCloudHolds {
  /** A DetectLabels call on an image in S3, let through by the quota, before Rekognition reads the object. */
  detectLabels?: (image: { bucket: string; key: string }) => Promise<void>;
  /** A function AppSync invoked (a Lambda data source), once it has returned and before AppSync gets its answer. */
  appsyncInvokeAnswer?: (functionName: string) => Promise<void>;
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
  /** The account's own key pair for SigV4 (IAM callers, S3, ...): allowed everything. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The key pair a function signs with: allowed what its manifest entry declares, no more. */
  functionCredentials(name: string): KeyPair;
  /** The environment a function's instances run with. */
  functionEnvironment(name: string): Record<string, string>;
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
  const functions = options.functions ?? FUNCTIONS;
  const dataSources = options.dataSources ?? DATA_SOURCES;

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

    // Who may do what: the account's own key everything, each function what its manifest entry declares.
    const arns = localResourceArns({
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      bucket: LOCAL_BUCKET_NAME,
      stage: LOCAL_STAGE,
      table: LOCAL_TABLE_NAME,
      uploadQueue: LOCAL_UPLOAD_QUEUE_NAME,
      apiId: LOCAL_API_ID,
      webhookSecretName: LOCAL_WEBHOOK_SECRET_NAME,
    });
    const roles = functionRoles(functions, arns, { accountId: LOCAL_ACCOUNT_ID, stage: LOCAL_STAGE, keySeed: secrets.lambdaKeySeed });
    const apiRoles = dataSourceRoles(dataSources, arns, { accountId: LOCAL_ACCOUNT_ID, stage: LOCAL_STAGE, keySeed: secrets.lambdaKeySeed });
    const access: AccessControl = accessControl({
      accountId: LOCAL_ACCOUNT_ID,
      administrator: LOCAL_CREDENTIALS,
      roles: [...roles.values(), ...apiRoles.values()],
    });
    // Lambda refuses to create an event source mapping whose function's role may not consume the queue.
    const uploadConsumerName = consumerOf('uploadQueue');
    const consumerKey = roles.get(uploadConsumerName)!.credentials.accessKeyId;
    const missing = QUEUE_TRIGGER_ACTIONS.filter((action) => !access.decide(consumerKey, action, arns.uploadQueue).allowed);
    if (missing.length > 0) {
      throw new Error(
        `InvalidParameterValueException: The provided execution role does not have permissions to call ${missing.map((action) => action.slice(4)).join(', ')} ` +
          `on SQS (the event source mapping of ${uploadConsumerName}; functions/manifest.ts)`,
      );
    }
    // The Lambda service starts once every endpoint is known (the GraphQL URL included); an invocation that comes
    // earlier waits for it. Each function's instance starts on its first invocation.
    let lambdaStarted!: (service: LocalLambda) => void;
    const lambdaService = new Promise<LocalLambda>((resolvePromise) => {
      lambdaStarted = resolvePromise;
    });
    const running: { lambda?: LocalLambda } = {};
    const invoke = (name: string) => async (event: unknown): Promise<unknown> => (await lambdaService).invoke(name, event);
    const invokeFromAppSync = (name: string) => async (event: unknown): Promise<unknown> => {
      const answer = await invoke(name)(event);
      await options.holds?.appsyncInvokeAnswer?.(name);
      return answer;
    };

    const dynamodbStart = startDynamoDb({
      dataDir,
      host,
      port: ports.dynamodb,
      tableName: LOCAL_TABLE_NAME,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials: localCredentials(),
      access,
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
      access,
      queues: [uploadQueue, deadLetterQueue],
      logger: logs.logger('sqs'),
    });
    // Each SDK client of an instance is shared by the invocations it runs side by side: as many sockets as invocations.
    const sdkMaxSockets = Math.max(50, maxConcurrency);
    const s3Start = startS3Server({
      dataDir,
      host,
      port: ports.s3,
      bucket: LOCAL_BUCKET_NAME,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials: LOCAL_CREDENTIALS,
      access,
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
    const labellerWorkers = options.labellerWorkers ?? defaultWorkerCount();
    const labeller = createLabeller({ workers: labellerWorkers });
    closers.push(() => labeller.close());
    // Rekognition answers on a loopback port of its own; clients reach it through a front that checks signatures
    // and permissions (the caller's rekognition:DetectLabels, and its s3:GetObject on an image in S3). Past the
    // front, the caller may read the object: Rekognition reads it from the store itself, as S3 would serve it (a
    // second signed HTTP request, signed with the cloud's own key, would check nothing more).
    const rekognitionStart = startRekognitionServer({
      host: '127.0.0.1',
      port: 0,
      labeller,
      limiter: quota,
      logger: logs.logger('rekognition'),
      getObject: async (bucket, key) => (await s3Start).readObject(bucket, key),
      beforeImageRead: options.holds?.detectLabels,
    }).then((server) =>
      startAwsJsonFront({
        host,
        port: ports.rekognition,
        region: LOCAL_REGION,
        service: 'rekognition',
        upstream: server.url,
        contentType: 'application/x-amz-json-1.1',
        access,
        authorize: rekognitionRule(access),
        logger: logs.logger('rekognition'),
      }).then(
        (front) => ({ server, front }),
        async (error: unknown) => {
          await server.close();
          throw error;
        },
      ));
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
        await rekognitionResult.value.front.close();
        await rekognitionResult.value.server.close();
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
    const rekognition = (rekognitionResult as PromiseFulfilledResult<Awaited<typeof rekognitionStart>>).value;
    const sqs = (sqsResult as PromiseFulfilledResult<LocalSqs>).value;
    const cognito = (cognitoResult as PromiseFulfilledResult<CognitoServer>).value;
    const { material, certificatePath } = (tlsResult as PromiseFulfilledResult<Awaited<typeof tlsStart>>).value;
    const rekognitionEndpoint = rekognition.front.endpoint;
    logs.logger('rekognition').info('DetectLabels ready', { endpoint: rekognitionEndpoint, workers: labellerWorkers });

    const runtime = createResolverRuntime({
      bundlesDir: BUNDLES_DIR,
      // Each DynamoDB data source calls the table as its role, inside the cloud as AppSync does (no HTTP, no signing).
      dynamodb: {
        tableName: LOCAL_TABLE_NAME,
        clientFor: (name) => dynamodb.requestsAs(apiRoles.get(name)!.credentials.accessKeyId),
      },
      manifest: { resolvers: RESOLVERS, dataSources },
      // The Lambda data sources: the functions AppSync invokes (resolvers/manifest.ts names which).
      lambdas: Object.fromEntries(
        Object.entries(functions).filter(([, spec]) => spec.trigger.kind === 'appsync').map(([name]) => [name, invokeFromAppSync(name)]),
      ),
      logger: logs.logger('resolver'),
      // The API's environment variables (ctx.env), as the stack sets them; http/loopback callbacks are allowed here only.
      environmentVariables: {
        ...apiEnvironment({
          blobsTableName: LOCAL_TABLE_NAME,
          uploadQuotaPerDay: options.uploadQuotaPerDay ?? DEFAULT_UPLOAD_QUOTA_PER_DAY,
          callbackAllowHttpLoopback: true,
        }),
        // The roles of the functions granted publishBlobResult, as the resolver reads a caller.
        ...publisherEnvironment(functionsGranted('Mutation.publishBlobResult', functions).map((name) => iamOwner(roles.get(name)!.arn))),
      },
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
      iam: { ...LOCAL_CREDENTIALS, accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, access, apiId: LOCAL_API_ID },
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
    // Closed after the API and the queue's consumer, before the services: the invocations they started finish first.
    closers.push(async () => running.lambda?.close());
    closers.push(() => appsync.close());
    // Before the S3 server closes: events being sent reach the queue.
    closers.push(() => s3.stopEvents());

    // What the stack's settings are here (each function gets those it declares), and what Lambda adds itself.
    const settings: SettingValues = {
      stage: LOCAL_STAGE,
      logLevel: LOG_LEVELS.find((level) => level === process.env.LOG_LEVEL?.toUpperCase()) ?? (options.quiet ? 'WARN' : 'INFO'),
      tableName: LOCAL_TABLE_NAME,
      bucketName: LOCAL_BUCKET_NAME,
      appsyncGraphqlUrl: appsync.graphqlUrl,
      // No Secrets Manager here: the functions get the value itself.
      webhookSecret: { kind: 'value', secret: secrets.webhookSecret },
      callbackAllowHttpLoopback: true,
      s3ForcePathStyle: true,
      uploadQueueUrl: sqs.queueUrl(LOCAL_UPLOAD_QUEUE_NAME),
      uploadQueueMaxReceiveCount: UPLOAD_QUEUE.maxReceiveCount,
      processingLeaseSeconds,
      sdkMaxSockets,
    };
    const endpoints = {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_REKOGNITION: rekognitionEndpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    };
    const localFunctions: LocalFunction[] = Object.entries(functions).map(([name, spec]) => {
      const functionName = `image-labels-${LOCAL_STAGE}-${name}`;
      const role = roles.get(name)!;
      return {
        name,
        handlerPath: join(FUNCTIONS_DIR, `${name}.ts`),
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
        environment: {
          ...environmentFor(name, spec.settings, settings, 'the local cloud'),
          ...endpoints,
          POWERTOOLS_SERVICE_NAME: name,
          AWS_REGION: LOCAL_REGION,
          AWS_DEFAULT_REGION: LOCAL_REGION,
          AWS_ACCESS_KEY_ID: role.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: role.credentials.secretAccessKey,
          AWS_EXECUTION_ENV: EXECUTION_ENV,
          AWS_LAMBDA_FUNCTION_NAME: functionName,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
          // A notice of the developer's own choosing about this Node.js version, not a setting of the function.
          ...(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED && {
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED,
          }),
        },
      };
    });
    const lambda = startLocalLambda({ functions: localFunctions, logs, logger: logs.logger('lambda') });
    running.lambda = lambda;
    lambdaStarted(lambda);
    // Lambda's event source mapping, as the stack configures it. Closed first: the invocations it runs finish
    // against live services; messages not received yet stay in the queue for the next start.
    const uploadConsumer = startEventSourceMapping({
      queue: uploadQueue,
      region: LOCAL_REGION,
      batchSize: UPLOAD_QUEUE.batchSize,
      maxConcurrency,
      functionTimeoutSeconds: functions[uploadConsumerName].timeoutSeconds,
      invoke: invoke(uploadConsumerName) as (event: SQSEvent) => Promise<unknown>,
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
      rekognitionEndpoint,
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
      functionCredentials: (name) => ({ ...roles.get(name)!.credentials }),
      functionEnvironment: (name) => lambda.environmentOf(name),
      certificatePath,
      ports: {
        graphql: boundPort(appsync.graphqlUrl),
        graphqlHttps: boundPort(httpsGraphqlUrl),
        cognito: cognito.port,
        s3: s3.port,
        dynamodb: dynamodb.port,
        rekognition: boundPort(rekognitionEndpoint),
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
