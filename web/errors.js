// @ts-check
// The page's failures as typed values, and what each tells the user to do. No DOM: tests run it in Node.
import { ImageLabelsError } from '../client/dist/index.js';

/**
 * A failure with a stable type, from the user pool, GraphQL, the realtime socket, the upload, or the blob itself.
 */
export class ApiError extends Error {
  /**
   * @param {string} source where it failed: Config, Cognito, Session, GraphQL, Realtime, Upload, Blob, Page
   * @param {string} type stable type: Cognito's exception name, errorType, S3 error code or BlobError code
   * @param {string} message
   * @param {{ details?: string[], info?: unknown }} [extra] details to list; `errorInfo` of a GraphQL error
   */
  constructor(source, type, message, extra = {}) {
    super(message);
    this.name = 'ApiError';
    this.source = source;
    this.type = type;
    this.details = extra.details ?? [];
    this.info = extra.info ?? null;
  }
}

/**
 * Any failure as the page shows it: the client package's errors keep their source, code and errorInfo.
 * @param {unknown} error
 * @returns {ApiError}
 */
export function toApiError(error) {
  if (error instanceof ApiError) return error;
  if (error instanceof ImageLabelsError) {
    return new ApiError(error.source, error.code, error.message, { details: [...error.details], info: error.info });
  }
  if (error instanceof Error && error.name === 'AbortError') return new ApiError('Page', 'Cancelled', 'Cancelled');
  return new ApiError('Page', 'Error', errorMessage(error));
}

/** @param {unknown} error */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {unknown} error */
export function describe(error) {
  const apiError = toApiError(error);
  return apiError.type === 'Error' ? apiError.message : `${apiError.type}: ${apiError.message}`;
}

/** @param {unknown} error */
export function isUnauthorized(error) {
  const apiError = toApiError(error);
  return apiError.type === 'UnauthorizedException' || apiError.type === 'Unauthorized';
}

/**
 * The lines an error card shows under the message: the error's own details, then what to do about it.
 * @param {ApiError} error
 * @param {{ now?: number, passwordRules?: string }} [context]
 * @returns {string[]}
 */
export function errorDetails(error, context = {}) {
  const now = context.now ?? Date.now();
  const info = isRecord(error.info) ? error.info : {};
  const lines = [...error.details];
  if (typeof info.field === 'string') lines.push(`field: ${info.field}`);
  switch (error.type) {
    case 'QuotaExceeded': {
      if (typeof info.limit === 'number') lines.push(`Limit: ${info.limit} uploads per day.`);
      const resetsAt = typeof info.resetsAt === 'string' ? Date.parse(info.resetsAt) : Number.NaN;
      lines.push(Number.isNaN(resetsAt)
        ? 'The quota resets at the start of the next day (UTC).'
        : `The quota resets at ${new Date(resetsAt).toLocaleString()} (in ${formatDuration(resetsAt - now)}).`);
      break;
    }
    case 'TooManyRequests': {
      const seconds = typeof info.retryAfterSeconds === 'number' ? info.retryAfterSeconds : null;
      lines.push(seconds === null ? 'Try again in a minute.' : `Try again in ${formatDuration(seconds * 1000)}.`);
      break;
    }
    case 'UnauthorizedException':
      lines.push('Your sign-in is no longer accepted: sign in again.');
      break;
    case 'Unauthorized':
      lines.push('Not allowed for the signed-in user: sign in again, as the user it belongs to.');
      break;
    case 'BlobDeleted':
      lines.push('The blob was deleted before it was labelled; nothing more will come for it.');
      break;
    case 'PreconditionFailed':
      lines.push('This upload URL was used already: upload the image again to create a new blob.');
      break;
    case 'UnsupportedContentType':
      lines.push('Only JPEG and PNG images can be labelled: nothing was uploaded.');
      break;
    case 'ImageTooLarge':
      lines.push('Images of at most 15 MB can be labelled: nothing was uploaded.');
      break;
    case 'NetworkError':
      lines.push('Check the connection, then retry.');
      break;
    case 'UsernameExistsException':
      lines.push('Sign in with this email instead, or sign up with another one.');
      break;
    case 'InvalidPasswordException':
      if (context.passwordRules) lines.push(context.passwordRules);
      break;
    case 'NotAuthorizedException':
      lines.push('Check the email and the password.');
      break;
    case 'UserNotConfirmedException':
      lines.push('Enter the confirmation code the user pool sent to your email, or ask for a new one.');
      break;
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      lines.push('Check the code, or ask for a new one.');
      break;
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      lines.push('The user pool is limiting attempts: wait a little and try again.');
      break;
    default:
      break;
  }
  return lines;
}

/** @param {number} ms */
export function formatDuration(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
export function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
