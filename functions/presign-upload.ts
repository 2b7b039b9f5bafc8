// Lambda data source of createBlob's 4th step: the presigned PUT URL of a blob's upload.
// Event: the AppSync `Invoke` payload, a PresignUploadRequest. Result: PresignUploadResult.
import type { Context } from 'aws-lambda';
import type { PresignUploadRequest, PresignUploadResult } from '../domain/lambda-payloads.ts';
import { createS3Client } from './commons/clients.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { blobLogger, invocationLogger, logger } from './commons/logger.ts';
import { presignUpload } from './storage/upload-url.ts';

const config = loadConfig(process.env, FUNCTIONS['presign-upload'].settings);
logger.setLogLevel(config.logLevel);
const s3 = createS3Client({ forcePathStyle: config.s3ForcePathStyle });

export const handler = async (event: PresignUploadRequest, context: Context): Promise<PresignUploadResult> => {
  const log = blobLogger(invocationLogger(context), event.id);
  const result = await presignUpload(s3, config, event);
  // Never the URL itself: it grants the upload until it expires.
  log.info('Upload URL signed', { expiresAt: result.expiresAt, signedHeaders: Object.keys(result.headers) });
  return result;
};
