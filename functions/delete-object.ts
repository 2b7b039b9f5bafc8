// Lambda data source of deleteBlob's 1st step: removes the blob's uploaded object. Idempotent: S3 answers
// DeleteObject the same way whether or not the object exists.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import type { DeleteObjectRequest, DeleteObjectResult } from '../domain/lambda-payloads.ts';
import { createS3Client } from './commons/clients.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { DomainError, fromAwsError } from './commons/errors.ts';
import { blobLogger, invocationLogger, logger } from './commons/logger.ts';
import { isBlobId, objectKey } from './storage/object-key.ts';

const config = loadConfig(process.env, FUNCTIONS['delete-object'].settings);
logger.setLogLevel(config.logLevel);
const s3 = createS3Client({ forcePathStyle: config.s3ForcePathStyle });

export const handler = async (event: DeleteObjectRequest, context: Context): Promise<DeleteObjectResult> => {
  if (!isBlobId(event.id)) {
    throw new DomainError('ValidationError', 'id must be a blob id');
  }
  const log = blobLogger(invocationLogger(context), event.id);
  const key = objectKey(config.stage, event.id);
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: key }));
  } catch (error) {
    const failure = fromAwsError('S3', error);
    log.error('Deleting the upload failed', { error: failure });
    throw failure;
  }
  log.info('Upload deleted', { objectKey: key });
  return { objectKey: key };
};
