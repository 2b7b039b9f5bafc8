// Validation of CreateBlobInput. Nothing is written before this passes.
import { util } from '@aws-appsync/utils';
import {
  ACCEPTED_CONTENT_TYPES,
  DEFAULT_MAX_LABELS,
  DEFAULT_MIN_CONFIDENCE,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_MAX_LABELS,
  MAX_UPLOAD_BYTES,
} from '../../domain/blob.ts';
import type { CreateBlobInput } from '../../generated/graphql.ts';
import { validationError } from './errors.ts';

/** The input with defaults applied; the fingerprint of an idempotent create is taken from it. */
export interface CreateRequest {
  contentType: string;
  contentLength: number | null;
  callbackUrl: string | null;
  minConfidence: number;
  maxLabels: number;
  idempotencyKey: string | null;
}

const MAX_URL_LENGTH = 2048;
/** host[:port], with the host a DNS name, an IPv4 address or a bracketed IPv6 address (Java regex syntax). */
const AUTHORITY_PATTERN = '([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?';
const IDEMPOTENCY_KEY_PATTERN = `[A-Za-z0-9_.:-]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}`;

function isNumberBetween(value: number, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max;
}

/** An absolute http(s) URL without credentials. Whether its address is public is checked after DNS, by the callback function. */
export function isAcceptableCallbackUrl(url: string): boolean {
  const lower = url.toLowerCase();
  const scheme = lower.startsWith('https://') ? 'https://' : lower.startsWith('http://') ? 'http://' : null;
  if (!scheme || url.length > MAX_URL_LENGTH || !util.matches('\\S+', url)) {
    return false;
  }
  const authority = url.slice(scheme.length).split('/')[0].split('?')[0].split('#')[0];
  return util.matches(AUTHORITY_PATTERN, authority);
}

export function validateCreateInput(input: CreateBlobInput): CreateRequest {
  if (!ACCEPTED_CONTENT_TYPES.includes(input.contentType)) {
    validationError(`contentType must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`, 'contentType');
  }
  const contentLength = input.contentLength ?? null;
  if (contentLength !== null && !isNumberBetween(contentLength, 1, MAX_UPLOAD_BYTES)) {
    validationError(`contentLength must be between 1 and ${MAX_UPLOAD_BYTES} bytes`, 'contentLength');
  }
  const callbackUrl = input.callbackUrl ?? null;
  if (callbackUrl !== null && !isAcceptableCallbackUrl(callbackUrl)) {
    validationError('callbackUrl must be an absolute http(s) URL without credentials', 'callbackUrl');
  }
  const minConfidence = input.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (!isNumberBetween(minConfidence, 0, 100)) {
    validationError('minConfidence must be between 0 and 100', 'minConfidence');
  }
  const maxLabels = input.maxLabels ?? DEFAULT_MAX_LABELS;
  if (!isNumberBetween(maxLabels, 1, MAX_MAX_LABELS)) {
    validationError(`maxLabels must be between 1 and ${MAX_MAX_LABELS}`, 'maxLabels');
  }
  const idempotencyKey = input.idempotencyKey ?? null;
  if (idempotencyKey !== null && !util.matches(IDEMPOTENCY_KEY_PATTERN, idempotencyKey)) {
    validationError(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters of A-Z a-z 0-9 _ . : -`, 'idempotencyKey');
  }
  return { contentType: input.contentType, contentLength, callbackUrl, minConfidence, maxLabels, idempotencyKey };
}

/** What makes two creates with the same idempotency key the same request. */
export function fingerprintOf(request: CreateRequest): string {
  const { contentType, contentLength, callbackUrl, minConfidence, maxLabels } = request;
  return JSON.stringify({ contentType, contentLength, callbackUrl, minConfidence, maxLabels });
}
