import type { Context, DynamoDBDeleteItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { BLOB_ENTITY, toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, MutationDeleteBlobArgs } from '../../generated/graphql.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { nowIso } from '../lib/time.ts';

/** Deletes only blob records: an unknown id or an idempotency record fails the condition. */
export function request(ctx: Context<MutationDeleteBlobArgs>): DynamoDBDeleteItemRequest {
  return ddb.remove<BlobRecord>({ key: { id: ctx.args.id }, condition: { entity: { eq: BLOB_ENTITY } } });
}

export function response(ctx: Context<MutationDeleteBlobArgs, object, undefined, undefined, BlobRecord | null>): Blob | null {
  if (ctx.error?.type === 'DynamoDB:ConditionalCheckFailedException') {
    return null;
  }
  raiseDataSourceError(ctx.error, []);
  return toBlob(ctx.result, nowIso());
}
