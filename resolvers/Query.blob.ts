import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { toBlob, type BlobRecord } from '../domain/blob.ts';
import type { Blob, QueryBlobArgs } from '../generated/graphql.ts';
import { isBlobId } from './lib/blob-id.ts';
import { canRead, callerOf } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import { nowIso } from './lib/time.ts';

export function request(ctx: Context<QueryBlobArgs>): DynamoDBGetItemRequest {
  callerOf(ctx.identity);
  // An id no blob can have (empty, over DynamoDB's key size) names no blob: the same null as an unknown id.
  if (!isBlobId(ctx.args.id)) {
    return runtime.earlyReturn(null);
  }
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id } });
}

/** null for unknown ids, for records that are not blobs, and for another user's blob: all three read the same. */
export function response(ctx: Context<QueryBlobArgs, object, undefined, undefined, BlobRecord | null>): Blob | null {
  raiseDataSourceError(ctx.error);
  return canRead(callerOf(ctx.identity), ctx.result) ? toBlob(ctx.result, nowIso()) : null;
}
