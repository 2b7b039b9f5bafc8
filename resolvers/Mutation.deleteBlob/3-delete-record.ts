import { runtime, type DynamoDBDeleteItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { BLOB_ENTITY, toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { DeleteBlobContext } from '../lib/delete-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { nowIso } from '../lib/time.ts';

/** Conditional on the owner: a blob record of this caller, and nothing else, is deleted. */
export function request(ctx: DeleteBlobContext): DynamoDBDeleteItemRequest {
  if (!ctx.stash.record) {
    return runtime.earlyReturn(null);
  }
  return ddb.remove<BlobRecord>({
    key: { id: ctx.args.id },
    condition: { entity: { eq: BLOB_ENTITY }, owner: { eq: ctx.stash.owner } },
  });
}

/** A concurrent delete got there first: this call found no blob after all. */
export function response(ctx: DeleteBlobContext<BlobRecord | null>): null {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    return null;
  }
  raiseDataSourceError(ctx.error);
  const deleted = ctx.result as BlobRecord;
  ctx.stash.deletedRecord = deleted;
  ctx.stash.deleted = toBlob(deleted, nowIso()) ?? undefined;
  return null;
}
