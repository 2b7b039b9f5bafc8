import { util } from '@aws-appsync/utils';

/** The shape of ids the functions accept (functions/commons/object-key.ts): nothing else can be a blob. */
const BLOB_ID_PATTERN = '[A-Za-z0-9_-]{1,128}';

export function isBlobId(id: string): boolean {
  return util.matches(BLOB_ID_PATTERN, id);
}
