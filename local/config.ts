// Settings of the offline local cloud: ports, data directory, names, local credentials and secrets.
// Every value has a default; environment variables override the defaults and command-line flags
// override both (docs/local-cloud.md lists them all).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../domain/blob.ts';
import { consumerOf, FUNCTIONS } from '../functions/manifest.ts';
import { DEFAULT_PROCESSING_LEASE_SECONDS } from '../functions/queue/upload-queue.ts';
import { AMPLIFY_OUTPUTS_FILE } from '../infra/amplify-outputs.ts';
import type { LogFormat } from './log.ts';

/**
 * The shortest processing lease: the upload consumer's timeout. A live attempt then never outlives its lease, so it
 * is never taken over (functions/queue/upload-queue.ts), as AWS ensures by refusing a queue whose visibility timeout
 * is shorter than its consumer's timeout.
 */
export const MIN_PROCESSING_LEASE_SECONDS = FUNCTIONS[consumerOf('uploadQueue')].timeoutSeconds;

export interface LocalCloudPorts {
  /** GraphQL over HTTP (and the realtime WebSocket beside it, and the demo page at `/`). */
  graphql: number;
  /** The same over HTTPS / WSS with a self-signed certificate (Amplify insists on wss://). */
  graphqlHttps: number;
  /** The Cognito user pool (AWS JSON 1.1) and its issuer's JWKS. */
  cognito: number;
  s3: number;
  dynamodb: number;
  rekognition: number;
  /** The upload queue (AWS JSON 1.0, as the SDK's SQS client speaks it). */
  sqs: number;
}

export const DEFAULT_PORTS: Readonly<LocalCloudPorts> = {
  graphql: 20002,
  graphqlHttps: 20003,
  cognito: 4571,
  s3: 4569,
  dynamodb: 4567,
  rekognition: 4570,
  sqs: 4572,
};

/** Ports 0 everywhere: each server takes a free port (tests). */
export const FREE_PORTS: Readonly<LocalCloudPorts> = { graphql: 0, graphqlHttps: 0, cognito: 0, s3: 0, dynamodb: 0, rekognition: 0, sqs: 0 };

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.data';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_STAGE = 'local';
export const LOCAL_TABLE_NAME = 'image-labels-local-blobs';
export const LOCAL_BUCKET_NAME = 'image-labels-local-uploads';
export const LOCAL_UPLOAD_QUEUE_NAME = 'image-labels-local-uploads';
export const LOCAL_DEAD_LETTER_QUEUE_NAME = 'image-labels-local-upload-dead-letters';
/** The local API's id, in the ARNs of its fields (a function's appsync:GraphQL permission names one). */
export const LOCAL_API_ID = 'imagelabelslocal';
/** The name a Secrets Manager secret would have: the local cloud hands the functions the value itself. */
export const LOCAL_WEBHOOK_SECRET_NAME = 'image-labels-local-webhook-AbCdEf';
export const DEFAULT_TTL_SWEEP_SECONDS = 30;

/**
 * The account's own key pair: the developer's, and the local cloud's for its plumbing (allowed everything, as an
 * administrator is). Each function signs with a key of its own instead (local/iam/roles.ts), limited to its manifest
 * entry. Well known and not secret: anything on this machine may use it, nothing else can reach it (the servers listen
 * on 127.0.0.1 by default).
 */
export const LOCAL_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } = {
  accessKeyId: 'LOCALCLOUDACCESSKEY',
  secretAccessKey: 'LOCALCLOUDSECRETKEY',
};

/** A fresh copy for an SDK client: the SDK writes bookkeeping into the credentials object it is given. */
export function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { ...LOCAL_CREDENTIALS };
}

/** Generated on first start and kept in the data directory, so clients and tokens keep working across restarts. */
export interface LocalSecrets {
  /** The user pool's id, `<region>_<9 characters>` as Cognito makes them. */
  userPoolId: string;
  /** Its app client's id (a public client: no secret). */
  userPoolClientId: string;
  /** Standard Webhooks signing secret (`whsec_<base64>`) for callbacks. */
  webhookSecret: string;
  /** The seed of the functions' secret keys (local/iam/roles.ts). */
  lambdaKeySeed: string;
}

const SECRETS_FILE = 'local-cloud.json';

function randomText(alphabet: string, length: number): string {
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function newUserPoolId(): string {
  return `${LOCAL_REGION}_${randomText('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 9)}`;
}

function newUserPoolClientId(): string {
  return randomText('abcdefghijklmnopqrstuvwxyz0123456789', 26);
}

function newWebhookSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Reads `<dataDir>/local-cloud.json`, creating it (mode 0600) on first use. Values a data directory of an earlier
 * version lacks (the user pool's ids) are generated and saved; what is there is kept.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets & { created: boolean }> {
  const file = join(dataDir, SECRETS_FILE);
  let stored: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${file} is not a local cloud secrets file (expected a JSON object); move it away to start afresh`);
    }
    stored = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  const webhookSecret = text(stored?.webhookSecret);
  if (webhookSecret !== undefined && !webhookSecret.startsWith('whsec_')) {
    throw new Error(`${file} holds a webhookSecret that is not whsec_…; move the file away to start afresh`);
  }
  const secrets: LocalSecrets = {
    userPoolId: text(stored?.userPoolId) ?? newUserPoolId(),
    userPoolClientId: text(stored?.userPoolClientId) ?? newUserPoolClientId(),
    webhookSecret: webhookSecret ?? newWebhookSecret(),
    lambdaKeySeed: text(stored?.lambdaKeySeed) ?? randomBytes(32).toString('base64url'),
  };
  const complete = stored !== null && (Object.keys(secrets) as Array<keyof LocalSecrets>).every((key) => secrets[key] === stored[key]);
  if (!complete) {
    await mkdir(dataDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ ...stored, ...secrets }, null, 2) + '\n', { mode: 0o600 });
    await rename(temporary, file);
  }
  return { ...secrets, created: stored === null };
}

/** Everything `npm start` needs to know, after defaults, environment and flags. */
export interface StartSettings {
  dataDir: string;
  host: string;
  ports: LocalCloudPorts;
  /** Uploads each owner may create per UTC day (the API's UPLOAD_QUOTA_PER_DAY). */
  uploadQuotaPerDay: number;
  /** Where the client configuration (amplify_outputs.json) is written. */
  amplifyOutputsPath: string;
  /** Image model workers; undefined: one per core, as memory allows. */
  labellerWorkers: number | undefined;
  ttlSweepSeconds: number;
  /** DetectLabels calls per second the local Rekognition accepts; undefined: unlimited. */
  rekognitionTps: number | undefined;
  processingLeaseSeconds: number;
  logFormat: LogFormat | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export type StartCommand = { kind: 'start'; settings: StartSettings } | { kind: 'help'; text: string };

export const USAGE = `Usage: npm start -- [options]

Runs the whole service offline: GraphQL (AppSync), S3, DynamoDB, Rekognition and the Lambda handlers.

Options (environment variable in brackets):
  --data-dir <dir>          where data persists between restarts [DATA_DIR] (default .data)
  --host <address>          address every server listens on [HOST] (default 127.0.0.1)
  --port <n>                GraphQL over HTTP, realtime and the demo page [PORT] (default 20002)
  --https-port <n>          GraphQL over HTTPS/WSS, self-signed [HTTPS_PORT] (default 20003)
  --cognito-port <n>        Cognito user pool endpoint and JWKS [COGNITO_PORT] (default 4571)
  --s3-port <n>             S3 endpoint [S3_PORT] (default 4569)
  --dynamodb-port <n>       DynamoDB endpoint [DYNAMODB_PORT] (default 4567)
  --rekognition-port <n>    Rekognition endpoint [REKOGNITION_PORT] (default 4570)
  --sqs-port <n>            SQS endpoint of the upload queue [SQS_PORT] (default 4572)
  --labeller-workers <n>    image model workers [LABELLER_WORKERS] (default: one per core, as memory allows)
  --upload-quota <n>        uploads each user may create per UTC day [UPLOAD_QUOTA_PER_DAY] (default 500)
  --amplify-outputs <file>  where the client configuration is written [AMPLIFY_OUTPUTS] (default amplify_outputs.json)
  --ttl-sweep-seconds <n>   how often expired DynamoDB items are deleted [TTL_SWEEP_SECONDS] (default 30)
  --rekognition-tps <n>     DetectLabels calls per second before Rekognition throttles, as the account
                            quota does; also sizes the queue's consumers [REKOGNITION_TPS] (default unlimited)
  --processing-lease-seconds <n>
                            after this, a blob left PROCESSING is taken over; at least process-upload's
                            timeout [PROCESSING_LEASE_SECONDS] (default ${DEFAULT_PROCESSING_LEASE_SECONDS}, minimum ${MIN_PROCESSING_LEASE_SECONDS})
  --log-format <f>          pretty or json [LOG_FORMAT] (default: pretty on a terminal, json otherwise)
  --log-level <l>           debug, info, warn or error [LOCAL_LOG_LEVEL] (default info)
  -h, --help                this text
`;

function integerSetting(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function optionalIntegerSetting(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : integerSetting(name, raw, min, min, max);
}

/** Parses command-line flags (argv without node and the script) over environment variables. */
export function parseStartCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'https-port': { type: 'string' },
      'cognito-port': { type: 'string' },
      'upload-quota': { type: 'string' },
      'amplify-outputs': { type: 'string' },
      's3-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'rekognition-port': { type: 'string' },
      'sqs-port': { type: 'string' },
      'rekognition-tps': { type: 'string' },
      'processing-lease-seconds': { type: 'string' },
      'labeller-workers': { type: 'string' },
      'ttl-sweep-seconds': { type: 'string' },
      'log-format': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    return { kind: 'help', text: USAGE };
  }
  const port = (flag: string | undefined, variable: string, fallback: number) =>
    integerSetting(flag !== undefined ? `--${variable.toLowerCase().replace(/_/g, '-')}` : variable, flag ?? env[variable], fallback, 0, 65535);

  const logFormat = values['log-format'] ?? env.LOG_FORMAT;
  if (logFormat !== undefined && logFormat !== 'pretty' && logFormat !== 'json') {
    throw new Error(`log format must be pretty or json, got "${logFormat}"`);
  }
  const logLevel = (values['log-level'] ?? env.LOCAL_LOG_LEVEL ?? 'info').toLowerCase();
  if (logLevel !== 'debug' && logLevel !== 'info' && logLevel !== 'warn' && logLevel !== 'error') {
    throw new Error(`log level must be debug, info, warn or error, got "${logLevel}"`);
  }
  return {
    kind: 'start',
    settings: {
      dataDir: resolve(values['data-dir'] ?? env.DATA_DIR ?? DEFAULT_DATA_DIR),
      host: values.host ?? env.HOST ?? DEFAULT_HOST,
      ports: {
        graphql: port(values.port, 'PORT', DEFAULT_PORTS.graphql),
        graphqlHttps: port(values['https-port'], 'HTTPS_PORT', DEFAULT_PORTS.graphqlHttps),
        cognito: port(values['cognito-port'], 'COGNITO_PORT', DEFAULT_PORTS.cognito),
        s3: port(values['s3-port'], 'S3_PORT', DEFAULT_PORTS.s3),
        dynamodb: port(values['dynamodb-port'], 'DYNAMODB_PORT', DEFAULT_PORTS.dynamodb),
        rekognition: port(values['rekognition-port'], 'REKOGNITION_PORT', DEFAULT_PORTS.rekognition),
        sqs: port(values['sqs-port'], 'SQS_PORT', DEFAULT_PORTS.sqs),
      },
      uploadQuotaPerDay: integerSetting('upload quota', values['upload-quota'] ?? env.UPLOAD_QUOTA_PER_DAY, DEFAULT_UPLOAD_QUOTA_PER_DAY, 1, 1_000_000),
      amplifyOutputsPath: resolve(values['amplify-outputs'] ?? env.AMPLIFY_OUTPUTS ?? AMPLIFY_OUTPUTS_FILE),
      labellerWorkers: optionalIntegerSetting('labeller workers', values['labeller-workers'] ?? env.LABELLER_WORKERS, 1, 16),
      ttlSweepSeconds: integerSetting('TTL sweep seconds', values['ttl-sweep-seconds'] ?? env.TTL_SWEEP_SECONDS, DEFAULT_TTL_SWEEP_SECONDS, 1, 86_400),
      rekognitionTps: optionalIntegerSetting('Rekognition TPS', values['rekognition-tps'] ?? env.REKOGNITION_TPS, 1, 10_000),
      processingLeaseSeconds: integerSetting('processing lease seconds', values['processing-lease-seconds'] ?? env.PROCESSING_LEASE_SECONDS, DEFAULT_PROCESSING_LEASE_SECONDS, MIN_PROCESSING_LEASE_SECONDS, 900),
      logFormat,
      logLevel,
    },
  };
}
