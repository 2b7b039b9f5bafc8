import { RekognitionError } from './errors.ts';

/**
 * Rekognition's input limits. Bytes sent inline are capped at 5 MB by Rekognition, S3 objects
 * at 15 MB; the local service reads S3 objects, so it applies the larger one to both.
 */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
export const MIN_SIDE_PX = 80;
export const MAX_SIDE_PX = 10_000;
export const DEFAULT_MIN_CONFIDENCE = 55;

export type ImageFormat = 'jpeg' | 'png';

/** Rekognition reads JPEG and PNG only: recognise them by their signatures, not by a name. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

export interface ValidRequest { minConfidence: number; maxLabels: number | undefined; format: ImageFormat }

/** Checks everything that can be checked without decoding, so bad requests never queue. */
export function validateRequest(input: { bytes: Uint8Array; minConfidence?: number; maxLabels?: number }): ValidRequest {
  const { bytes, minConfidence = DEFAULT_MIN_CONFIDENCE, maxLabels } = input;
  if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 100) {
    throw new RekognitionError('InvalidParameterException', 'MinConfidence must be a number between 0 and 100');
  }
  if (maxLabels !== undefined && (!Number.isInteger(maxLabels) || maxLabels < 0)) {
    throw new RekognitionError('InvalidParameterException', 'MaxLabels must be a non-negative integer');
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new RekognitionError('InvalidParameterException', 'Image bytes are required');
  }
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new RekognitionError('ImageTooLargeException', `Image size ${bytes.length} bytes exceeds the allowed maximum of ${MAX_IMAGE_BYTES} bytes`);
  }
  const format = sniffImageFormat(bytes);
  if (!format) throw new RekognitionError('InvalidImageFormatException', 'Request has unsupported image format');
  return { minConfidence, maxLabels, format };
}

/** Rekognition refuses images too small to analyse and too large to be photographs. */
export function checkDimensions(width: number, height: number): void {
  if (Math.min(width, height) < MIN_SIDE_PX || Math.max(width, height) > MAX_SIDE_PX) {
    throw new RekognitionError('InvalidParameterException',
      `Image dimensions ${width}x${height} are outside the supported range: each side must be ${MIN_SIDE_PX} to ${MAX_SIDE_PX} pixels`);
  }
}
