// Deployment settings, read once from CDK context (`-c key=value` or cdk.json) and validated: a bad value stops the
// synthesis with one line that names the setting (infra/app.ts prints it, no stack trace). Context values given on
// the command line arrive as strings; cdk.json may hold real JSON values. Nothing is inferred from the stage's name:
// a stage keeps its data unless it is declared disposable.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../domain/blob.ts';
import type { LogLevelName } from '../functions/commons/config.ts';
import { DEFAULT_REKOGNITION_TPS } from '../functions/queue/upload-queue.ts';

export interface StackConfig {
  /** Names the stack and its resources, and prefixes the S3 object keys (`{stage}/{id}`). */
  stage: string;
  /**
   * A stage whose data may go with it (development, tests): deleting the stack deletes the bucket's objects, the
   * table, the user pool, the secret and the logs. Off unless declared: every other stage keeps its data.
   */
  disposable: boolean;
  /** Origins allowed to PUT to the upload bucket from a browser. */
  allowedOrigins: string[];
  /** Uploaded objects under `{stage}/` are deleted after this many days (labels stay in the table). */
  objectExpirationDays: number;
  /** Uploads each owner may create per UTC day (createBlob answers QuotaExceeded past it). */
  uploadQuotaPerDay: number;
  /** AppSync's queryDepthLimit: how deep a query may nest (1..75). */
  queryDepthLimit: number;
  /** AppSync's resolverCountLimit: resolvers one request may invoke (1..10,000). */
  resolverCountLimit: number;
  /** Whether the API answers introspection queries; on for disposable stages unless set. */
  introspection: boolean;
  /** An AWS WAF web ACL with a rate-based rule in front of the API; on unless the stage is disposable or it is set. */
  waf: boolean;
  /** Requests one IP address may make in 5 minutes before WAF blocks it (10..2,000,000,000). */
  wafRateLimit: number;
  /** AppSync and Lambda tracing with X-Ray. */
  xray: boolean;
  /** Retention of the log groups (AppSync, Lambda) and of the bucket's access logs. */
  logRetention: RetentionDays;
  /** LOG_LEVEL of the functions. */
  logLevel: StackLogLevel;
  /** RETAIN unless the stage is disposable (then DESTROY). */
  removalPolicy: RemovalPolicy;
  /** DetectLabels transactions per second the account may use: sizes the upload queue's consumer concurrency. */
  rekognitionTps: number;
}

/** A context value the stack cannot use; the message is one line that names the setting. */
export class StackConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`context "${setting}" ${problem}`);
    this.name = 'StackConfigError';
  }
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
export type StackLogLevel = Extract<LogLevelName, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'>;

const LOG_LEVELS: readonly StackLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
/** An origin as browsers send it, or S3 CORS's `*` (alone, or once in the host: `https://*.example.com`). */
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/** Every setting this file reads: any other plain word in the context is a typo, and refused. */
export const SETTING_NAMES = [
  'stage', 'disposable', 'allowedOrigins', 'objectExpirationDays', 'uploadQuotaPerDay', 'queryDepthLimit',
  'resolverCountLimit', 'introspection', 'waf', 'wafRateLimit', 'xray', 'logRetentionDays', 'logLevel', 'rekognitionTps',
] as const;

export function readStackConfig(node: Node): StackConfig {
  refuseUnknownSettings(node);
  const stage = text(node, 'stage') ?? 'dev';
  if (!STAGE_PATTERN.test(stage)) {
    throw new StackConfigError('stage', `must be 1 to 20 lower-case letters, digits or - starting with a letter (it names resources and S3 keys), got "${stage}"`);
  }
  const requestedLevel = (text(node, 'logLevel') ?? 'INFO').toUpperCase();
  const logLevel = LOG_LEVELS.find((level) => level === requestedLevel);
  if (logLevel === undefined) {
    throw new StackConfigError('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got "${requestedLevel}"`);
  }
  const disposable = flag(node, 'disposable', false);
  return {
    stage,
    disposable,
    allowedOrigins: origins(node, 'allowedOrigins') ?? ['*'],
    objectExpirationDays: integer(node, 'objectExpirationDays', 30, 1, 3650),
    uploadQuotaPerDay: integer(node, 'uploadQuotaPerDay', DEFAULT_UPLOAD_QUOTA_PER_DAY, 1, 1_000_000),
    queryDepthLimit: integer(node, 'queryDepthLimit', 10, 1, 75),
    resolverCountLimit: integer(node, 'resolverCountLimit', 100, 1, 10_000),
    introspection: flag(node, 'introspection', disposable),
    waf: flag(node, 'waf', !disposable),
    wafRateLimit: integer(node, 'wafRateLimit', 2000, 10, 2_000_000_000),
    xray: flag(node, 'xray', false),
    logRetention: retention(integer(node, 'logRetentionDays', 30, 1, 3653)),
    logLevel,
    removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    rekognitionTps: integer(node, 'rekognitionTps', DEFAULT_REKOGNITION_TPS, 1, 10_000),
  };
}

/** Plain words are this stack's settings; CDK's own keys have a `:`, an `@` or a `-` in them. */
function refuseUnknownSettings(node: Node): void {
  const known: readonly string[] = SETTING_NAMES;
  const context = node.getAllContext() as Record<string, unknown>;
  const unknown = Object.keys(context).find((key) => /^[A-Za-z][A-Za-z0-9]*$/.test(key) && !known.includes(key));
  if (unknown !== undefined) {
    throw new StackConfigError(unknown, `is not a setting of this stack (settings: ${SETTING_NAMES.join(', ')})`);
  }
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new StackConfigError(key, `must be a single value, got ${JSON.stringify(value)}`);
  }
  return String(value).trim();
}

function origins(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  const items = Array.isArray(value) ? value.map(String) : text(node, key)?.split(',');
  const cleaned = items?.map((item) => item.trim()).filter((item) => item.length > 0);
  const bad = cleaned?.find((origin) => origin !== '*' && !ORIGIN_PATTERN.test(origin));
  if (bad !== undefined) {
    throw new StackConfigError(key, `must list origins such as https://app.example.com (scheme://host[:port], no path) or *, got "${bad}"`);
  }
  return cleaned && cleaned.length > 0 ? cleaned : undefined;
}

function integer(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw = text(node, key);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StackConfigError(key, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const raw = text(node, key);
  if (raw === undefined) {
    return fallback;
  }
  if (raw !== 'true' && raw !== 'false') {
    throw new StackConfigError(key, `must be true or false, got "${raw}"`);
  }
  return raw === 'true';
}

/** CloudWatch Logs accepts a fixed set of retention periods: take the shortest one that keeps `days`. */
function retention(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((value): value is RetentionDays => typeof value === 'number' && value > 0)
    .sort((a, b) => a - b);
  return allowed.find((value) => value >= days) ?? RetentionDays.TEN_YEARS;
}
