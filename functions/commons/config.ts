// Configuration of the Lambda functions: read from the environment and validated once, at module load.
// Each handler names the settings it cannot work without; everything else has a default.
// A bad or missing value stops the function at start-up with one message that lists every problem.
// SDK endpoints are not here: the SDK reads AWS_ENDPOINT_URL_S3 / _DYNAMODB / _REKOGNITION / _SQS and AWS_REGION itself.
import { DEFAULT_PROCESSING_LEASE_SECONDS, UPLOAD_QUEUE } from '../queue/upload-queue.ts';

export type LogLevelName = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

/** Where the Standard Webhooks signing secret comes from. */
export type WebhookSecretSource = { kind: 'value'; secret: string } | { kind: 'secretsManager'; arn: string };

export interface Config {
  /** Prefix of the object keys: `{stage}/{id}`. */
  stage: string;
  tableName: string;
  bucketName: string;
  appsyncGraphqlUrl: string;
  /** AWS_REGION (set by Lambda): the SigV4 signing region of the GraphQL endpoint. */
  region: string;
  webhookSecret: WebhookSecretSource;
  /** Local cloud only: allows http:// callback URLs and loopback targets (still no other private range). */
  callbackAllowHttpLoopback: boolean;
  callbackMaxAttempts: number;
  callbackTimeoutMs: number;
  s3ForcePathStyle: boolean;
  /** A PROCESSING record older than this may be taken over by another attempt. */
  processingLeaseSeconds: number;
  /** The queue of S3 upload events (process-upload hands messages back to it for a later attempt). */
  uploadQueueUrl: string;
  /** The queue's maxReceiveCount: on that receive a failing dependency ends the blob FAILED. */
  uploadQueueMaxReceiveCount: number;
  /** Sockets each AWS SDK client may open (one process running many invocations at once needs more than one). */
  sdkMaxSockets: number;
  logLevel: LogLevelName;
}

/** Settings without a sensible default: a handler lists the ones it needs. */
export type RequiredSetting = 'tableName' | 'bucketName' | 'appsyncGraphqlUrl' | 'region' | 'webhookSecret' | 'uploadQueueUrl';

/** The configuration a handler sees: what it required is guaranteed present. */
export type ConfigFor<K extends RequiredSetting> = Omit<Config, RequiredSetting> & Pick<Config, K>;

export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid Lambda configuration (environment variables):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const VARIABLE_OF: Record<RequiredSetting, string> = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  appsyncGraphqlUrl: 'APPSYNC_GRAPHQL_URL',
  region: 'AWS_REGION',
  webhookSecret: 'WEBHOOK_SECRET or WEBHOOK_SECRET_ARN',
  uploadQueueUrl: 'UPLOAD_QUEUE_URL',
};

const PURPOSE_OF: Record<RequiredSetting, string> = {
  tableName: 'the DynamoDB table of blobs',
  bucketName: 'the S3 bucket of uploads',
  appsyncGraphqlUrl: 'the GraphQL endpoint the results are published to',
  region: 'the AWS region (the Lambda runtime sets it)',
  webhookSecret: 'the Standard Webhooks signing secret, whsec_<base64>, or the ARN of a Secrets Manager secret holding it',
  uploadQueueUrl: 'the SQS queue of upload events',
};

const LOG_LEVELS: readonly LogLevelName[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/** Reads and checks the environment; throws ConfigError listing every missing or invalid variable. */
export function loadConfig<K extends RequiredSetting>(env: Environment, required: readonly K[]): ConfigFor<K> {
  const problems: string[] = [];
  const read = new Reader(env, problems);

  const stage = read.text('STAGE', 'dev', /^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - or _ (it prefixes object keys)');
  const tableName = read.optionalText('TABLE_NAME');
  const bucketName = read.optionalText('BUCKET_NAME');
  const appsyncGraphqlUrl = read.optionalUrl('APPSYNC_GRAPHQL_URL');
  const region = read.text('AWS_REGION', '', /^[a-z0-9-]{2,32}$/, 'an AWS region such as eu-west-1') || undefined;
  const webhookSecret = read.webhookSecret();
  const config = {
    stage,
    tableName,
    bucketName,
    appsyncGraphqlUrl,
    region,
    webhookSecret,
    callbackAllowHttpLoopback: read.flag('CALLBACK_ALLOW_HTTP_LOOPBACK'),
    callbackMaxAttempts: read.integer('CALLBACK_MAX_ATTEMPTS', 5, 1, 20),
    callbackTimeoutMs: read.integer('CALLBACK_TIMEOUT_MS', 5000, 100, 60_000),
    s3ForcePathStyle: read.flag('S3_FORCE_PATH_STYLE'),
    processingLeaseSeconds: read.integer('PROCESSING_LEASE_SECONDS', DEFAULT_PROCESSING_LEASE_SECONDS, 10, 900),
    uploadQueueUrl: read.optionalUrl('UPLOAD_QUEUE_URL'),
    uploadQueueMaxReceiveCount: read.integer('UPLOAD_QUEUE_MAX_RECEIVE_COUNT', UPLOAD_QUEUE.maxReceiveCount, 1, 1000),
    // The SDK's own default: a Lambda instance runs one invocation at a time.
    sdkMaxSockets: read.integer('SDK_MAX_SOCKETS', 50, 1, 10_000),
    logLevel: read.logLevel('LOG_LEVEL', 'INFO'),
  };

  for (const setting of required) {
    if (config[setting] === undefined && !read.reported(VARIABLE_OF[setting])) {
      problems.push(`${VARIABLE_OF[setting]} is missing: ${PURPOSE_OF[setting]}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  // Every required setting was checked above; the optional ones stay possibly undefined in the type.
  return config as ConfigFor<K>;
}

class Reader {
  private readonly invalid = new Set<string>();

  constructor(
    private readonly env: Environment,
    private readonly problems: string[],
  ) {}

  reported(name: string): boolean {
    return this.invalid.has(name);
  }

  private value(name: string): string | undefined {
    const raw = this.env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  }

  private problem(name: string, message: string): void {
    this.invalid.add(name);
    this.problems.push(`${name} ${message}`);
  }

  text(name: string, fallback: string, pattern: RegExp, expected: string): string {
    const raw = this.value(name);
    if (raw === undefined) {
      return fallback;
    }
    if (!pattern.test(raw)) {
      this.problem(name, `must be ${expected}, got ${JSON.stringify(raw)}`);
    }
    return raw;
  }

  optionalText(name: string): string | undefined {
    return this.value(name);
  }

  optionalUrl(name: string): string | undefined {
    const raw = this.value(name);
    if (raw === undefined) {
      return undefined;
    }
    if (!URL.canParse(raw) || !['http:', 'https:'].includes(new URL(raw).protocol)) {
      this.problem(name, `must be an http(s) URL, got ${JSON.stringify(raw)}`);
    }
    return raw;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.value(name);
    if (raw === undefined) {
      return fallback;
    }
    const parsed = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problem(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return parsed;
  }

  flag(name: string): boolean {
    const raw = this.value(name)?.toLowerCase();
    if (raw === undefined || raw === 'false') {
      return false;
    }
    if (raw === 'true') {
      return true;
    }
    this.problem(name, `must be "true" or "false", got ${JSON.stringify(this.env[name])}`);
    return false;
  }

  logLevel(name: string, fallback: LogLevelName): LogLevelName {
    const raw = this.value(name)?.toUpperCase();
    if (raw === undefined) {
      return fallback;
    }
    const level = LOG_LEVELS.find((candidate) => candidate === raw);
    if (level === undefined) {
      this.problem(name, `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(this.env[name])}`);
      return fallback;
    }
    return level;
  }

  webhookSecret(): WebhookSecretSource | undefined {
    const secret = this.value('WEBHOOK_SECRET');
    const arn = this.value('WEBHOOK_SECRET_ARN');
    const names = 'WEBHOOK_SECRET or WEBHOOK_SECRET_ARN';
    if (secret !== undefined && arn !== undefined) {
      this.invalid.add(names);
      this.problems.push('WEBHOOK_SECRET and WEBHOOK_SECRET_ARN are both set: set only one');
      return undefined;
    }
    if (secret !== undefined) {
      if (!isWebhookSecret(secret)) {
        this.invalid.add(names);
        // Never echo a secret, even a malformed one.
        this.problems.push('WEBHOOK_SECRET must be whsec_ followed by base64 (at least 16 bytes); the value given is not');
        return undefined;
      }
      return { kind: 'value', secret };
    }
    if (arn !== undefined) {
      if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)) {
        this.invalid.add(names);
        this.problems.push(`WEBHOOK_SECRET_ARN must be a Secrets Manager secret ARN, got ${JSON.stringify(arn)}`);
        return undefined;
      }
      return { kind: 'secretsManager', arn };
    }
    return undefined;
  }
}

/** `whsec_` + standard base64 of at least 16 bytes, as Standard Webhooks secrets are written. */
export function isWebhookSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!match || match[1].length % 4 !== 0) {
    return false;
  }
  return Buffer.from(match[1], 'base64').length >= 16;
}
