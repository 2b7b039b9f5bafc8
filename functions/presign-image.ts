// Lambda data source of Blob.imageUrl: a short-lived download URL of the blob's image, for its owner (the resolver
// decides who and when). Event: the AppSync `Invoke` payload, a PresignImageRequest. Result: PresignImageResult.
import type { Context } from 'aws-lambda';
import type { PresignImageRequest, PresignImageResult } from '../domain/lambda-payloads.ts';
import { createS3Client } from './commons/clients.ts';
import { loadConfig } from './commons/config.ts';
import { FUNCTIONS } from './manifest.ts';
import { blobLogger, invocationLogger, logger } from './commons/logger.ts';
import { presignImage } from './storage/image-url.ts';

const config = loadConfig(process.env, FUNCTIONS['presign-image'].settings);
logger.setLogLevel(config.logLevel);
const s3 = createS3Client({ forcePathStyle: config.s3ForcePathStyle });

export const handler = async (event: PresignImageRequest, context: Context): Promise<PresignImageResult> => {
  const log = blobLogger(invocationLogger(context), event.id);
  const result = await presignImage(s3, config, event);
  // Never the URL itself: it grants the download until it expires.
  log.info('Image URL signed', { expiresAt: result.expiresAt });
  return result;
};
