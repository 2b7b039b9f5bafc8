// Deployment settings, read once from CDK context (`-c key=value` or cdk.json) and validated.
// Context values given on the command line arrive as strings; cdk.json may hold real JSON values.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../domain/blob.ts';
import { DEFAULT_REKOGNITION_TPS } from '../functions/queue/upload-queue.ts';

export interface StackConfig {
  /** Names the stack and its resources, and prefixes the S3 object keys (`{stage}/{id}`). */
  stage: string;
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
  /** Whether the API answers introspection queries; off for prod unless set. */
  introspection: boolean;
  /** An AWS WAF web ACL with a rate-based rule in front of the API; on for prod unless set. */
  waf: boolean;
  /** Requests one IP address may make in 5 minutes before WAF blocks it (10..2,000,000,000). */
  wafRateLimit: number;
  /** AppSync and Lambda tracing with X-Ray. */
  xray: boolean;
  /** Retention of the AppSync and Lambda log groups. */
  logRetention: RetentionDays;
  /** LOG_LEVEL of the functions. */
  logLevel: string;
  /** RETAIN for prod (data outlives the stack), DESTROY for every other stage. */
  removalPolicy: RemovalPolicy;
  /** DetectLabels transactions per second the account may use: sizes the upload queue's consumer concurrency. */
  rekognitionTps: number;
}

export const PRODUCTION_STAGE = 'prod';

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

export function readStackConfig(node: Node): StackConfig {
  const stage = text(node, 'stage') ?? 'dev';
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`context "stage" must match ${STAGE_PATTERN} (it names resources and S3 keys), got "${stage}"`);
  }
  const logLevel = (text(node, 'logLevel') ?? 'INFO').toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`context "logLevel" must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  return {
    stage,
    allowedOrigins: list(node, 'allowedOrigins') ?? ['*'],
    objectExpirationDays: integer(node, 'objectExpirationDays', 30, 1, 3650),
    uploadQuotaPerDay: integer(node, 'uploadQuotaPerDay', DEFAULT_UPLOAD_QUOTA_PER_DAY, 1, 1_000_000),
    queryDepthLimit: integer(node, 'queryDepthLimit', 10, 1, 75),
    resolverCountLimit: integer(node, 'resolverCountLimit', 100, 1, 10_000),
    introspection: flag(node, 'introspection', stage !== PRODUCTION_STAGE),
    waf: flag(node, 'waf', stage === PRODUCTION_STAGE),
    wafRateLimit: integer(node, 'wafRateLimit', 2000, 10, 2_000_000_000),
    xray: flag(node, 'xray', false),
    logRetention: retention(integer(node, 'logRetentionDays', 30, 1, 3653)),
    logLevel,
    removalPolicy: stage === PRODUCTION_STAGE ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    rekognitionTps: integer(node, 'rekognitionTps', DEFAULT_REKOGNITION_TPS, 1, 10_000),
  };
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`context "${key}" must be a single value, got ${JSON.stringify(value)}`);
  }
  return String(value).trim();
}

function list(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  const items = Array.isArray(value) ? value.map(String) : text(node, key)?.split(',');
  const cleaned = items?.map((item) => item.trim()).filter((item) => item.length > 0);
  return cleaned && cleaned.length > 0 ? cleaned : undefined;
}

function integer(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw = text(node, key);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`context "${key}" must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const raw = text(node, key);
  if (raw === undefined) {
    return fallback;
  }
  if (raw !== 'true' && raw !== 'false') {
    throw new Error(`context "${key}" must be true or false, got "${raw}"`);
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
