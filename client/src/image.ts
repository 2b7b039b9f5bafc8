// What the client checks before anything is uploaded: the API takes JPEG and PNG (by their bytes) of at most 15 MB.
import { ImageLabelsError } from './errors.js';

/** The API's limit (15 MB): createBlob refuses a larger contentLength and the processing function a larger object. */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;

export type ImageContentType = 'image/jpeg' | 'image/png';

/** An image in any of the forms browsers and Node hold bytes in (a File is a Blob; a Node Buffer a Uint8Array). */
export type ImageInput = Blob | ArrayBuffer | ArrayBufferView;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The type the first bytes say, or null for anything but JPEG and PNG. */
export function sniffContentType(head: Uint8Array): ImageContentType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, index) => head[index] === byte)) return 'image/png';
  return null;
}

export interface CheckedImage {
  body: Blob | Uint8Array;
  size: number;
  contentType: ImageContentType;
}

function asBytes(view: ArrayBuffer | ArrayBufferView): Uint8Array {
  return view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Refuses, before any request, what the API would refuse after the upload: an empty file, one over 15 MB, one whose
 * bytes are not JPEG or PNG (whatever its name or declared type says).
 */
export async function checkImage(image: ImageInput, maxBytes = MAX_IMAGE_BYTES): Promise<CheckedImage> {
  const body = typeof Blob !== 'undefined' && image instanceof Blob ? image : asBytes(image as ArrayBuffer | ArrayBufferView);
  const size = body instanceof Uint8Array ? body.byteLength : body.size;
  if (size === 0) throw new ImageLabelsError('Input', 'EmptyImage', 'The image is empty');
  if (size > maxBytes) {
    throw new ImageLabelsError('Input', 'ImageTooLarge', `The image is ${size} bytes; the API takes at most ${maxBytes}`, {
      info: { size, maxBytes },
    });
  }
  const head = body instanceof Uint8Array ? body.subarray(0, 8) : new Uint8Array(await body.slice(0, 8).arrayBuffer());
  const contentType = sniffContentType(head);
  if (!contentType) {
    const declared = body instanceof Uint8Array ? '' : body.type;
    throw new ImageLabelsError('Input', 'UnsupportedContentType',
      `Only JPEG and PNG images can be labelled${declared ? ` (this is ${declared})` : ''}`, { info: { declared: declared || null } });
  }
  return { body, size, contentType };
}
