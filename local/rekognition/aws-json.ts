import { RekognitionError } from './errors.ts';

/**
 * Rekognition's wire protocol (AWS JSON 1.1): POST /, the operation in X-Amz-Target, JSON in
 * and out. Errors are a 4xx/5xx with `__type` in the body and in `x-amzn-ErrorType`, which the
 * AWS SDK turns into its typed exception classes.
 */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'RekognitionService.';

export type ImageSource =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 's3'; bucket: string; key: string; version?: string };

export interface DetectLabelsRequest {
  image: ImageSource;
  minConfidence?: number;
  maxLabels?: number;
  /** Passed on as sent: the labeller validates them (request-options.ts). */
  features?: unknown;
  settings?: unknown;
}

/** An error of the protocol rather than of the labeller (unknown operation, bad JSON). */
export class ProtocolError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalNumber = (v: unknown, field: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new RekognitionError('InvalidParameterException', `${field} must be a number`);
  return v;
};

export function parseJsonBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = text.length === 0 ? {} : JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // fall through
  }
  throw new ProtocolError('SerializationException', 'The request body is not a JSON object');
}

/** Reads a DetectLabels request body as the SDK serialises it (Bytes are base64). */
export function parseDetectLabelsRequest(body: Record<string, unknown>): DetectLabelsRequest {
  const image = body.Image;
  const minConfidence = optionalNumber(body.MinConfidence, 'MinConfidence');
  const maxLabels = optionalNumber(body.MaxLabels, 'MaxLabels');
  const extra = { features: body.Features ?? undefined, settings: body.Settings ?? undefined };
  const hasBytes = isRecord(image) && image.Bytes !== undefined;
  const hasS3 = isRecord(image) && image.S3Object !== undefined;
  if (!isRecord(image) || hasBytes === hasS3) {
    throw new RekognitionError('InvalidParameterException', 'Requested image should either contain bytes or s3 object.');
  }
  if (hasBytes) {
    if (typeof image.Bytes !== 'string') throw new RekognitionError('InvalidParameterException', 'Image.Bytes must be base64');
    return { image: { kind: 'bytes', bytes: new Uint8Array(Buffer.from(image.Bytes, 'base64')) }, minConfidence, maxLabels, ...extra };
  }
  const s3 = image.S3Object;
  if (!isRecord(s3) || typeof s3.Bucket !== 'string' || typeof s3.Name !== 'string' || !s3.Bucket || !s3.Name) {
    throw new RekognitionError('InvalidParameterException', 'Image.S3Object needs Bucket and Name');
  }
  const version = typeof s3.Version === 'string' && s3.Version ? s3.Version : undefined;
  return { image: { kind: 's3', bucket: s3.Bucket, key: s3.Name, version }, minConfidence, maxLabels, ...extra };
}

export interface ErrorReply { status: number; type: string; body: { __type: string; message: string } }

/** How an error travels back to the client: names of our errors are Rekognition's own. */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof ProtocolError) return reply(error.status, error.type, error.message);
  if (error instanceof RekognitionError) {
    return reply(error.name === 'InternalServerError' ? 500 : 400, error.name, error.message);
  }
  return reply(500, 'InternalServerError', 'Internal server error');
}

function reply(status: number, type: string, message: string): ErrorReply {
  return { status, type, body: { __type: type, message } };
}
