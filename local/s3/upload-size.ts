// S3's bounds on the size of one upload: a PUT that writes an object or a part must say its length
// (411 MissingContentLength, rather than a chunked body of any size) and may carry at most 5 GiB (EntityTooLarge).
// The length is read from the header before any byte of the body: nothing is stored for a refused upload.
import { s3Error, type S3ErrorSpec } from './errors.ts';

/** The largest object (or part) one PUT may create. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** The refusal S3 answers for this request's declared length, or null when the length is acceptable. */
export function uploadSizeRefusal(method: string, writesObject: boolean, contentLength: string | undefined): S3ErrorSpec | null {
  if (method !== 'PUT' || !writesObject) {
    return null;
  }
  if (contentLength === undefined || !/^[0-9]+$/.test(contentLength)) {
    return s3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  if (Number(contentLength) > MAX_PUT_BYTES) {
    return s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: contentLength,
      MaxSizeAllowed: String(MAX_PUT_BYTES),
    });
  }
  return null;
}
