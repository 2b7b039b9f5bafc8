import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { toBlob, type BlobRecord } from '../domain/blob.ts';
import type { Blob, QueryBlobArgs } from '../generated/graphql.ts';
import { canRead, callerOf } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import { nowIso } from './lib/time.ts';

export function request(ctx: Context<QueryBlobArgs>): DynamoDBGetItemRequest {
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id } });
}

/** null for unknown ids, for records that are not blobs, and for another user's blob: all three read the same. */
export function response(ctx: Context<QueryBlobArgs, object, undefined, undefined, BlobRecord | null>): Blob | null {
  raiseDataSourceError(ctx.error);
  return canRead(callerOf(ctx.identity), ctx.result) ? toBlob(ctx.result, nowIso()) : null;
}
