// Every failure the client reports: one class with a stable `code`, where it happened (`source`) and, for the
// API's typed errors, their `errorInfo` as `info`.

export type ErrorSource = 'Input' | 'Config' | 'Auth' | 'GraphQL' | 'Realtime' | 'Upload' | 'Blob';

/** Codes worth retrying as they are (the network, throttling, the server being busy). */
const RETRYABLE_CODES = new Set([
  'NetworkError',
  'Timeout',
  'ConnectionClosed',
  'TooManyRequests',
  'ThrottlingException',
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
]);

export class ImageLabelsError extends Error {
  override readonly name = 'ImageLabelsError';
  /** The API's errorType, S3's error code, the blob's error code, or one of the client's own. */
  readonly code: string;
  readonly source: ErrorSource;
  /** The GraphQL error's `errorInfo` (QuotaExceeded: limit, resetsAt; TooManyRequests: retryAfterSeconds). */
  readonly info: Readonly<Record<string, unknown>> | null;
  /** More errors of the same response, as `code: message`. */
  readonly details: readonly string[];

  constructor(
    source: ErrorSource,
    code: string,
    message: string,
    extra: { info?: Record<string, unknown> | null; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.source = source;
    this.code = code;
    this.info = extra.info ?? null;
    this.details = extra.details ?? [];
  }

  /** Whether the same call may succeed if made again later. */
  get retryable(): boolean {
    return RETRYABLE_CODES.has(this.code) || /^HTTP 5\d\d$/.test(this.code);
  }
}

/** createBlob past the caller's daily upload quota. */
export interface QuotaExceededInfo {
  limit: number;
  /** When the quota resets (ISO 8601). */
  resetsAt: string;
}

/** redeliverCallback sooner than the API allows. */
export interface TooManyRequestsInfo {
  retryAfterSeconds: number;
}

export function isQuotaExceeded(error: unknown): error is ImageLabelsError & { info: QuotaExceededInfo } {
  return error instanceof ImageLabelsError && error.code === 'QuotaExceeded' &&
    typeof error.info?.limit === 'number' && typeof error.info?.resetsAt === 'string';
}

export function isTooManyRequests(error: unknown): error is ImageLabelsError & { info: TooManyRequestsInfo } {
  return error instanceof ImageLabelsError && error.code === 'TooManyRequests' &&
    typeof error.info?.retryAfterSeconds === 'number';
}

/** The API refused the caller's credentials (a missing, expired or forged token; a wrong key or signature). */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ImageLabelsError && (error.code === 'UnauthorizedException' || error.code === 'Unauthorized');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
