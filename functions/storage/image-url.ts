// The presigned GET URL of a blob's uploaded image (Blob.imageUrl), for the owner to see the image again.
// Short-lived, and served with the blob's declared image type and `inline`, so a browser shows it and runs nothing.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ACCEPTED_CONTENT_TYPES } from '../../domain/blob.ts';
import type { PresignImageRequest, PresignImageResult } from '../../domain/lambda-payloads.ts';
import { DomainError } from '../commons/errors.ts';
import { isBlobId, objectKey } from './object-key.ts';

export const IMAGE_URL_SECONDS = 300;

export interface ImageUrlSettings {
  bucketName: string;
  stage: string;
}

export async function presignImage(
  s3: S3Client,
  settings: ImageUrlSettings,
  request: PresignImageRequest,
  now: Date = new Date(),
): Promise<PresignImageResult> {
  if (!isBlobId(request.id)) {
    throw new DomainError('ValidationError', 'id must be a blob id');
  }
  if (!ACCEPTED_CONTENT_TYPES.includes(request.contentType)) {
    throw new DomainError('ValidationError', `contentType must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`);
  }
  const command = new GetObjectCommand({
    Bucket: settings.bucketName,
    Key: objectKey(settings.stage, request.id),
    ResponseContentType: request.contentType,
    ResponseContentDisposition: 'inline',
    ResponseCacheControl: `private, max-age=${IMAGE_URL_SECONDS}`,
  });
  const url = await getSignedUrl(s3, command, { signingDate: now, expiresIn: IMAGE_URL_SECONDS });
  return { url, expiresAt: new Date(now.getTime() + IMAGE_URL_SECONDS * 1000).toISOString() };
}
