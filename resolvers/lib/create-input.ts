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
import { callbackUrlProblem } from './callback-url.ts';
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

const IDEMPOTENCY_KEY_PATTERN = `[A-Za-z0-9_.:-]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}`;

function isNumberBetween(value: number, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max;
}

/** `allowHttpLoopback`: the API's CALLBACK_ALLOW_HTTP_LOOPBACK (true only in the local cloud). */
export function validateCreateInput(input: CreateBlobInput, allowHttpLoopback: boolean): CreateRequest {
  if (!ACCEPTED_CONTENT_TYPES.includes(input.contentType)) {
    validationError(`contentType must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`, 'contentType');
  }
  const contentLength = input.contentLength ?? null;
  if (contentLength !== null && !isNumberBetween(contentLength, 1, MAX_UPLOAD_BYTES)) {
    validationError(`contentLength must be between 1 and ${MAX_UPLOAD_BYTES} bytes`, 'contentLength');
  }
  const callbackUrl = input.callbackUrl ?? null;
  const callbackProblem = callbackUrl === null ? null : callbackUrlProblem(callbackUrl, allowHttpLoopback);
  if (callbackProblem !== null) {
    validationError(callbackProblem, 'callbackUrl');
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
