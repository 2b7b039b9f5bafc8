// The S3 key of a blob's upload: `{stage}/{id}`. Records store no key: every function derives it here.

import { BLOB_ID_PATTERN } from '../../domain/blob.ts';

const BLOB_ID = new RegExp(`^${BLOB_ID_PATTERN}$`);

export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

export function objectKey(stage: string, id: string): string {
  return `${stage}/${id}`;
}

/**
 * The blob id of an S3 event's object key, or null when the key is not a blob upload of this stage.
 * S3 event notifications URL-encode keys, with `+` for spaces.
 */
export function blobIdOfEventKey(stage: string, encodedKey: string): string | null {
  let key: string;
  try {
    key = decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    return null;
  }
  const prefix = `${stage}/`;
  if (!key.startsWith(prefix)) {
    return null;
  }
  const id = key.slice(prefix.length);
  return isBlobId(id) ? id : null;
}
