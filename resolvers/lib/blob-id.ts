import { util } from '@aws-appsync/utils';
import { BLOB_ID_PATTERN } from '../../domain/blob.ts';

/** The same rule the functions apply (functions/storage/object-key.ts): nothing else can be a blob. */
export function isBlobId(id: string): boolean {
  return util.matches(BLOB_ID_PATTERN, id);
}
