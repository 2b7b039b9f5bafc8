// Domain errors, and the one place where AWS SDK errors (S3, DynamoDB, Rekognition) become them.
// Two kinds of error live here:
//  - DomainError: thrown by the functions; `code` is stable and doubles as the error's `name`, which the Lambda
//    runtime reports as `errorType`. `retryable` says whether running the same thing again may succeed.
//  - BlobError values: what a blob records when its image cannot be labelled (schema type BlobError).
import type { BlobError, BlobStatus } from '../../generated/graphql.ts';

export type DomainErrorCode =
  /** Input that the resolvers should have refused (a bug upstream, or a direct invocation). */
  | 'ValidationError'
  /** redeliverCallback: no such blob. */
  | 'NotFound'
  /** redeliverCallback: the blob has no callbackUrl. */
  | 'NoCallback'
  /** redeliverCallback: the blob is not in a final state yet. */
  | 'NotReady'
  /** A conditional write found the record in another state than expected (duplicate event, lost lease, deleted). */
  | 'StaleRecord'
  /** The callback URL is not allowed (scheme, or an address that is private, loopback, link-local, ...). */
  | 'CallbackTargetRefused'
  /** The publishBlobResult mutation failed (HTTP error or GraphQL errors). */
  | 'PublishFailed'
  /** An AWS dependency failed in a way that may pass (throttling, 5xx, network). */
  | 'DependencyUnavailable'
  /** A queue message handed back to be received again later (a partial batch failure, not a fault). */
  | 'RetryLater'
  /** Anything else: a bug or an unexpected answer. */
  | 'InternalError';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly retryable: boolean;

  constructor(code: DomainErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    // The Lambda runtime reports `name` as the invocation's errorType.
    this.name = code;
  }

  /** What the Lambda runtime puts in the error response's `errorType`. */
  get errorType(): DomainErrorCode {
    return this.code;
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** GraphQL errors (or an HTTP failure) answered to the publishBlobResult mutation. */
export class PublishError extends DomainError {
  readonly status: number;
  readonly graphqlErrors: ReadonlyArray<{ message: string; errorType?: string }>;

  constructor(message: string, status: number, graphqlErrors: ReadonlyArray<{ message: string; errorType?: string }> = []) {
    super('PublishFailed', message, { retryable: status === 0 || status === 429 || status >= 500 });
    this.status = status;
    this.graphqlErrors = graphqlErrors;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Blob errors: the reasons an upload ends REJECTED or FAILED.

/** The final state and recorded error of an image that could not be labelled. */
export interface ImageOutcome {
  status: Extract<BlobStatus, 'REJECTED' | 'FAILED'>;
  error: BlobError;
}

export const imageProblems = {
  tooLarge(size: number, limit: number): ImageOutcome {
    return rejected('ImageTooLarge', `The object is ${size} bytes; images are limited to ${limit} bytes`);
  },
  empty(): ImageOutcome {
    return rejected('UnsupportedContentType', 'The object is empty: expected a JPEG or PNG image');
  },
  notAnImage(): ImageOutcome {
    return rejected('UnsupportedContentType', 'The object is not a JPEG or PNG image (its first bytes say otherwise)');
  },
  contentTypeMismatch(declared: string, detected: string): ImageOutcome {
    return rejected('ContentTypeMismatch', `The blob was created as ${declared} but the object is ${detected}`);
  },
  /**
   * The object stayed gone while its blob went on existing, until the last receive the queue allows: not a verdict on
   * the image (it was never read), so FAILED rather than REJECTED, and not worth a retry (there is nothing to read).
   */
  objectMissing(): ImageOutcome {
    return { status: 'FAILED', error: { code: 'ObjectNotFound', message: 'The uploaded object is gone', retryable: false } };
  },
};

function rejected(code: string, message: string): ImageOutcome {
  return { status: 'REJECTED', error: { code, message, retryable: false } };
}

/** Rekognition exceptions that mean "this image cannot be labelled": the blob is REJECTED, retrying is pointless. */
const REKOGNITION_IMAGE_PROBLEMS = new Set([
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidParameterException',
  'InvalidS3ObjectException',
]);

/**
 * Maps a DetectLabels failure to the state the blob records. The code is Rekognition's exception name, so clients
 * see what Rekognition said; image problems → REJECTED, everything else (throttling, 5xx, network, unknown) → FAILED,
 * retryable. Throttling, 5xx and network failures are recorded only once the upload's retries are exhausted
 * (classifyRekognitionError).
 */
export function rekognitionOutcome(error: unknown): ImageOutcome {
  const name = sdkErrorName(error);
  const message = error instanceof Error && error.message ? error.message : 'Rekognition did not answer';
  if (name !== undefined && REKOGNITION_IMAGE_PROBLEMS.has(name)) {
    return { status: 'REJECTED', error: { code: name, message, retryable: false } };
  }
  const code = name !== undefined && isServiceError(error) ? name : 'RekognitionUnavailable';
  return { status: 'FAILED', error: { code, message, retryable: true } };
}

export type RekognitionFailure =
  /** The blob's final state: the image cannot be labelled, or Rekognition refuses for good (e.g. access denied). */
  | { kind: 'final'; outcome: ImageOutcome }
  /** Worth another attempt later (throttling, 5xx, network): the upload is handed back to the queue. */
  | { kind: 'transient'; error: TransientDependencyError }
  /**
   * Rekognition could not read the S3 object (InvalidS3ObjectException). Either it is gone (deleteBlob deletes the
   * object before the record: a deletion may be under way) or it is there and unreadable to Rekognition; only S3 can
   * tell which. `outcome` is what the blob records in the second case.
   */
  | { kind: 'objectUnreadable'; outcome: ImageOutcome };

/** Rekognition's answer when it cannot get the S3 object it was asked about. */
const REKOGNITION_OBJECT_UNREADABLE = 'InvalidS3ObjectException';

export function classifyRekognitionError(error: unknown): RekognitionFailure {
  const outcome = rekognitionOutcome(error);
  if (sdkErrorName(error) === REKOGNITION_OBJECT_UNREADABLE) {
    return { kind: 'objectUnreadable', outcome };
  }
  if (outcome.status === 'FAILED' && isTransientAwsError(error)) {
    const name = sdkErrorName(error) ?? 'Error';
    return { kind: 'transient', error: new TransientDependencyError(`Rekognition unavailable: ${name}: ${outcome.error.message}`, outcome, error) };
  }
  return { kind: 'final', outcome };
}

/**
 * A dependency failed in a way that may pass (throttling, 5xx, network). `outcome` is what the blob records if it
 * never passes: when the last attempt the queue allows meets it too.
 */
export class TransientDependencyError extends DomainError {
  readonly outcome: ImageOutcome;

  constructor(message: string, outcome: ImageOutcome, cause: unknown) {
    super('DependencyUnavailable', message, { retryable: true, cause });
    this.outcome = outcome;
  }
}

/** What a blob records when the last attempt still failed with `error` (retryable: the upload may be tried again). */
export function outcomeAfterRetries(error: DomainError): ImageOutcome {
  if (error instanceof TransientDependencyError) {
    return error.outcome;
  }
  return { status: 'FAILED', error: { code: error.code, message: error.message, retryable: true } };
}

// ---------------------------------------------------------------------------------------------------------------
// S3 and DynamoDB

export type S3ReadFailure =
  /** The object is not there: deleted after its upload (a deletion may be under way). Not a verdict on the image. */
  | { kind: 'missing' }
  /** Worth another attempt later (throttling, 5xx, network). */
  | { kind: 'transient'; error: TransientDependencyError }
  /** A failure that another attempt would repeat (e.g. AccessDenied): the blob ends FAILED with S3's code. */
  | { kind: 'permanent'; outcome: ImageOutcome };

export function classifyS3ReadError(error: unknown): S3ReadFailure {
  const name = sdkErrorName(error);
  if (name === 'NotFound' || name === 'NoSuchKey' || httpStatusOf(error) === 404) {
    return { kind: 'missing' };
  }
  if (isTransientAwsError(error)) {
    return { kind: 'transient', error: dependencyUnavailable('S3', error) };
  }
  const message = error instanceof Error ? error.message : 'S3 refused to read the object';
  return { kind: 'permanent', outcome: { status: 'FAILED', error: { code: name ?? 'S3Error', message, retryable: true } } };
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return sdkErrorName(error) === 'ConditionalCheckFailedException';
}

/** Any other SDK failure: transient ones become DependencyUnavailable (retryable), the rest InternalError. */
export function fromAwsError(service: string, error: unknown): DomainError {
  if (error instanceof DomainError) {
    return error;
  }
  if (isTransientAwsError(error)) {
    return dependencyUnavailable(service, error);
  }
  const name = sdkErrorName(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new DomainError('InternalError', `${service} failed: ${name}: ${message}`, { cause: error });
}

function dependencyUnavailable(service: string, error: unknown): TransientDependencyError {
  const name = sdkErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const outcome: ImageOutcome = {
    status: 'FAILED',
    error: { code: name ?? `${service}Unavailable`, message: `${service}: ${message}`, retryable: true },
  };
  return new TransientDependencyError(`${service} unavailable: ${name ?? 'Error'}: ${message}`, outcome, error);
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
]);

const TRANSIENT_NAMES = new Set([
  'InternalServerError',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Throttling, 5xx, timeouts and network failures: the same call may succeed later. */
export function isTransientAwsError(error: unknown): boolean {
  const name = sdkErrorName(error);
  if (name !== undefined && (THROTTLING_NAMES.has(name) || TRANSIENT_NAMES.has(name))) {
    return true;
  }
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429)) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** An answer from the service (an SDK ServiceException), as opposed to a network or client-side failure. */
function isServiceError(error: unknown): boolean {
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  return fault === 'client' || fault === 'server' || httpStatusOf(error) !== undefined;
}

function sdkErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}
