// The presigned PUT URL of a blob's upload.
// Signed at `signedAt`, valid until `expiresAt` (both from the record), so a replayed createBlob gets the same URL.
// Content-Type is always signed and Content-Length when declared: S3 then refuses a body of another type or size.
// `If-None-Match: *` is signed too (an S3 conditional write): the URL creates the object once, and a second PUT
// with it, after the upload or after deleteBlob, gets 412 PreconditionFailed instead of replacing a labelled image.
// (The presigner leaves these headers out of X-Amz-SignedHeaders by default; `signableHeaders` puts them back.)
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ACCEPTED_CONTENT_TYPES, MAX_UPLOAD_BYTES } from '../../domain/blob.ts';
import type { PresignUploadRequest, PresignUploadResult } from '../../domain/lambda-payloads.ts';
import { DomainError } from '../commons/errors.ts';
import { isBlobId, objectKey } from './object-key.ts';

/** SigV4 presigned URLs live at most 7 days. */
const MAX_EXPIRES_IN_SECONDS = 604_800;

export interface UploadUrlSettings {
  bucketName: string;
  stage: string;
}

export async function presignUpload(
  s3: S3Client,
  settings: UploadUrlSettings,
  request: PresignUploadRequest,
): Promise<PresignUploadResult> {
  const { signedAt, expiresInSeconds } = validate(request);
  const contentLength = request.contentLength ?? undefined;
  const command = new PutObjectCommand({
    Bucket: settings.bucketName,
    Key: objectKey(settings.stage, request.id),
    ContentType: request.contentType,
    ContentLength: contentLength,
    IfNoneMatch: '*',
  });
  const signed = new Set(['content-type', 'if-none-match']);
  if (contentLength !== undefined) {
    signed.add('content-length');
  }
  const url = await getSignedUrl(s3, command, {
    signingDate: signedAt,
    expiresIn: expiresInSeconds,
    signableHeaders: signed,
  });
  const headers: Record<string, string> = { 'Content-Type': request.contentType, 'If-None-Match': '*' };
  if (contentLength !== undefined) {
    headers['Content-Length'] = String(contentLength);
  }
  return { url, method: 'PUT', headers, expiresAt: request.expiresAt };
}

function validate(request: PresignUploadRequest): { signedAt: Date; expiresInSeconds: number } {
  const problems: string[] = [];
  if (!isBlobId(request.id)) {
    problems.push('id must be a blob id');
  }
  if (!ACCEPTED_CONTENT_TYPES.includes(request.contentType)) {
    problems.push(`contentType must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`);
  }
  const length = request.contentLength;
  if (length !== undefined && length !== null && (!Number.isInteger(length) || length < 1 || length > MAX_UPLOAD_BYTES)) {
    problems.push(`contentLength must be an integer from 1 to ${MAX_UPLOAD_BYTES}`);
  }
  const signedAt = new Date(request.signedAt);
  const expiresAt = new Date(request.expiresAt);
  const expiresInSeconds = Math.round((expiresAt.getTime() - signedAt.getTime()) / 1000);
  if (Number.isNaN(signedAt.getTime()) || Number.isNaN(expiresAt.getTime())) {
    problems.push('signedAt and expiresAt must be ISO 8601 date-times');
  } else if (expiresInSeconds < 1 || expiresInSeconds > MAX_EXPIRES_IN_SECONDS) {
    problems.push(`expiresAt must be 1 s to 7 days after signedAt`);
  }
  if (problems.length > 0) {
    throw new DomainError('ValidationError', `Invalid presign request: ${problems.join('; ')}`);
  }
  return { signedAt, expiresInSeconds };
}
