// Recognises the image formats Rekognition reads from their first bytes (magic numbers), whatever the upload claimed.

export type ImageContentType = 'image/jpeg' | 'image/png';

/** How many leading bytes detectImageType needs: a processing function reads only these from S3. */
export const MAGIC_BYTES_LENGTH = 16;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function detectImageType(bytes: Uint8Array): ImageContentType | null {
  if (startsWith(bytes, PNG_MAGIC)) {
    return 'image/png';
  }
  if (startsWith(bytes, JPEG_MAGIC)) {
    return 'image/jpeg';
  }
  return null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}
