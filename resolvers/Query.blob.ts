import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { toBlob, type BlobRecord } from '../domain/blob.ts';
import type { Blob, QueryBlobArgs } from '../generated/graphql.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import { nowIso } from './lib/time.ts';

export function request(ctx: Context<QueryBlobArgs>): DynamoDBGetItemRequest {
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id } });
}

/** null for unknown ids and for records that are not blobs (idempotency keys share the table). */
export function response(ctx: Context<QueryBlobArgs, object, undefined, undefined, BlobRecord | null>): Blob | null {
  raiseDataSourceError(ctx.error, []);
  return toBlob(ctx.result, nowIso());
}
