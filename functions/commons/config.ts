// The settings of the Lambda functions: each one's environment variables, purpose and default, declared once.
// A function names the settings it reads in functions/manifest.ts; loadConfig reads and checks exactly those at
// module load (a setting it did not declare is not in the type it gets back), and the stack and the local cloud
// set exactly those variables (environmentFor). A bad or missing value stops the function at start-up with one
// message that lists every problem.
// SDK endpoints are not settings: the SDK reads AWS_ENDPOINT_URL_S3 / _DYNAMODB / _REKOGNITION / _SQS itself.
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

export type SettingName = keyof Config;

/** The values a deployment gives the settings it knows; the others keep their defaults. */
export type SettingValues = { [K in SettingName]?: Config[K] };

export type Environment = Readonly<Record<string, string | undefined>>;

export interface SettingSpec<T> {
  /** The environment variables that carry it (one, or alternatives). */
  variables: readonly string[];
  purpose: string;
  /** Without a default, a function that declares the setting cannot start without it. */
  required: boolean;
  /** Set by the Lambda runtime itself (AWS_REGION), never by the stack. */
  setByRuntime?: boolean;
  /** Reads the value; undefined when absent (a default applies, or it is missing). */
  read(reader: Reader): T | undefined;
  write(value: T): Record<string, string>;
}

export const LOG_LEVELS: readonly LogLevelName[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

export const SETTINGS: { readonly [K in SettingName]: SettingSpec<Config[K]> } = {
  stage: text('STAGE', 'the prefix of object keys: {stage}/{id}', {
    fallback: 'dev',
    pattern: /^[A-Za-z0-9_-]{1,64}$/,
    expected: 'letters, digits, - or _ (it prefixes object keys)',
  }),
  tableName: text('TABLE_NAME', 'the DynamoDB table of blobs'),
  bucketName: text('BUCKET_NAME', 'the S3 bucket of uploads'),
  appsyncGraphqlUrl: url('APPSYNC_GRAPHQL_URL', 'the GraphQL endpoint the results are published to'),
  region: {
    ...text('AWS_REGION', 'the AWS region (the Lambda runtime sets it)', { pattern: /^[a-z0-9-]{2,32}$/, expected: 'an AWS region such as eu-west-1' }),
    setByRuntime: true,
  },
  webhookSecret: {
    variables: ['WEBHOOK_SECRET', 'WEBHOOK_SECRET_ARN'],
    purpose: 'the Standard Webhooks signing secret, whsec_<base64>, or the ARN of a Secrets Manager secret holding it',
    required: true,
    read: (reader) => reader.webhookSecret(),
    write: (source): Record<string, string> => (source.kind === 'value' ? { WEBHOOK_SECRET: source.secret } : { WEBHOOK_SECRET_ARN: source.arn }),
  },
  callbackAllowHttpLoopback: flag('CALLBACK_ALLOW_HTTP_LOOPBACK', 'allow http:// and loopback callback targets (local development only)'),
  callbackMaxAttempts: integer('CALLBACK_MAX_ATTEMPTS', 'webhook attempts per delivery', 5, 1, 20),
  callbackTimeoutMs: integer('CALLBACK_TIMEOUT_MS', 'milliseconds per webhook attempt', 5000, 100, 60_000),
  s3ForcePathStyle: flag('S3_FORCE_PATH_STYLE', 'path-style S3 URLs (the local S3)'),
  processingLeaseSeconds: integer(
    'PROCESSING_LEASE_SECONDS',
    'after this, a redelivered upload takes over a blob left in PROCESSING',
    DEFAULT_PROCESSING_LEASE_SECONDS,
    10,
    900,
  ),
  uploadQueueUrl: url('UPLOAD_QUEUE_URL', 'the SQS queue of upload events'),
  uploadQueueMaxReceiveCount: integer(
    'UPLOAD_QUEUE_MAX_RECEIVE_COUNT',
    "the upload queue's maxReceiveCount: on that receive a failing dependency ends the blob FAILED",
    UPLOAD_QUEUE.maxReceiveCount,
    1,
    1000,
  ),
  // The SDK's own default: a Lambda instance runs one invocation at a time.
  sdkMaxSockets: integer('SDK_MAX_SOCKETS', 'sockets per AWS SDK client', 50, 1, 10_000),
  logLevel: {
    variables: ['LOG_LEVEL'],
    purpose: 'the level of the function logs',
    required: false,
    read: (reader) => reader.logLevel('LOG_LEVEL') ?? 'INFO',
    write: (level) => ({ LOG_LEVEL: level }),
  },
};

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid Lambda configuration (environment variables):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The variables of a setting, as messages name them: `WEBHOOK_SECRET or WEBHOOK_SECRET_ARN`. */
export function variablesOf(name: SettingName): string {
  return SETTINGS[name].variables.join(' or ');
}

/**
 * Reads and checks the settings a function declared (functions/manifest.ts); throws ConfigError listing every
 * missing or invalid variable. The result holds those settings only.
 */
export function loadConfig<S extends SettingName>(env: Environment, settings: readonly S[]): Pick<Config, S> {
  const problems: string[] = [];
  const reader = new Reader(env, problems);
  const config: Partial<Config> = {};
  for (const name of new Set(settings)) {
    const spec: SettingSpec<Config[S]> = SETTINGS[name];
    const value = spec.read(reader);
    if (value === undefined && !spec.variables.some((variable) => reader.reported(variable))) {
      problems.push(`${variablesOf(name)} is missing: ${spec.purpose}`);
    }
    assign(config, name, value);
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  // Every declared setting was read above: present, or reported.
  return config as Pick<Config, S>;
}

/**
 * The environment variables of a function that declares `settings`, from the values a deployment knows. Settings
 * the Lambda runtime sets are left to it; one without a value keeps its default, and a required one without a value
 * is an error naming `who` (the stack or the local cloud) and the function.
 */
export function environmentFor(
  functionName: string,
  settings: readonly SettingName[],
  values: SettingValues,
  who: string,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of settings) {
    const spec: SettingSpec<unknown> = SETTINGS[name] as SettingSpec<unknown>;
    const value = values[name];
    if (spec.setByRuntime) {
      continue;
    }
    if (value === undefined) {
      if (spec.required) {
        throw new Error(`${functionName} declares the setting ${name} (${variablesOf(name)}), which ${who} gives no value`);
      }
      continue;
    }
    Object.assign(environment, spec.write(value));
  }
  return environment;
}

function assign<K extends SettingName>(config: Partial<Config>, name: K, value: Config[K] | undefined): void {
  if (value !== undefined) {
    config[name] = value;
  }
}

function text(variable: string, purpose: string, options: { fallback?: string; pattern?: RegExp; expected?: string } = {}): SettingSpec<string> {
  return {
    variables: [variable],
    purpose,
    required: options.fallback === undefined,
    read: (reader) => reader.text(variable, options.pattern, options.expected) ?? options.fallback,
    write: (value) => ({ [variable]: value }),
  };
}

function url(variable: string, purpose: string): SettingSpec<string> {
  return { variables: [variable], purpose, required: true, read: (reader) => reader.url(variable), write: (value) => ({ [variable]: value }) };
}

function integer(variable: string, purpose: string, fallback: number, min: number, max: number): SettingSpec<number> {
  return {
    variables: [variable],
    purpose,
    required: false,
    read: (reader) => reader.integer(variable, min, max) ?? fallback,
    write: (value) => ({ [variable]: String(value) }),
  };
}

function flag(variable: string, purpose: string): SettingSpec<boolean> {
  return {
    variables: [variable],
    purpose,
    required: false,
    read: (reader) => reader.flag(variable) ?? false,
    write: (value) => ({ [variable]: value ? 'true' : 'false' }),
  };
}

/** Reads variables, recording a problem for each invalid one (then answering undefined, or nothing usable). */
export class Reader {
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

  private problem(name: string, message: string): undefined {
    this.invalid.add(name);
    this.problems.push(`${name} ${message}`);
    return undefined;
  }

  text(name: string, pattern?: RegExp, expected?: string): string | undefined {
    const raw = this.value(name);
    if (raw !== undefined && pattern && !pattern.test(raw)) {
      return this.problem(name, `must be ${expected}, got ${JSON.stringify(raw)}`);
    }
    return raw;
  }

  url(name: string): string | undefined {
    const raw = this.value(name);
    if (raw !== undefined && (!URL.canParse(raw) || !['http:', 'https:'].includes(new URL(raw).protocol))) {
      return this.problem(name, `must be an http(s) URL, got ${JSON.stringify(raw)}`);
    }
    return raw;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.value(name);
    if (raw === undefined) {
      return undefined;
    }
    const parsed = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return this.problem(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return parsed;
  }

  flag(name: string): boolean | undefined {
    const raw = this.value(name)?.toLowerCase();
    if (raw === undefined || raw === 'true' || raw === 'false') {
      return raw === undefined ? undefined : raw === 'true';
    }
    return this.problem(name, `must be "true" or "false", got ${JSON.stringify(this.env[name])}`);
  }

  logLevel(name: string): LogLevelName | undefined {
    const raw = this.value(name)?.toUpperCase();
    const level = LOG_LEVELS.find((candidate) => candidate === raw);
    if (raw !== undefined && level === undefined) {
      return this.problem(name, `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(this.env[name])}`);
    }
    return level;
  }

  webhookSecret(): WebhookSecretSource | undefined {
    const secret = this.value('WEBHOOK_SECRET');
    const arn = this.value('WEBHOOK_SECRET_ARN');
    if (secret !== undefined && arn !== undefined) {
      return this.problem('WEBHOOK_SECRET', 'and WEBHOOK_SECRET_ARN are both set: set only one');
    }
    if (secret !== undefined) {
      // Never echo a secret, even a malformed one.
      return isWebhookSecret(secret)
        ? { kind: 'value', secret }
        : this.problem('WEBHOOK_SECRET', 'must be whsec_ followed by base64 (at least 16 bytes); the value given is not');
    }
    if (arn !== undefined) {
      return /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)
        ? { kind: 'secretsManager', arn }
        : this.problem('WEBHOOK_SECRET_ARN', `must be a Secrets Manager secret ARN, got ${JSON.stringify(arn)}`);
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
