import { util, type DynamoDBGetItemRequest, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

/** A new blob is a conditional PutItem; a replayed create reads the blob the first call stored. */
export function request(ctx: CreateBlobContext): DynamoDBPutItemRequest | DynamoDBGetItemRequest {
  if (ctx.stash.firstBlobId) {
    return ddb.get<BlobRecord>({ key: { id: ctx.stash.firstBlobId }, consistentRead: true });
  }
  const { id, ...item } = ctx.stash.record;
  return ddb.put<BlobRecord>({ key: { id }, item, condition: { id: { attributeExists: false } } });
}

export function response(ctx: CreateBlobContext): Blob | null {
  raiseDataSourceError(ctx.error);
  if (!ctx.result) {
    util.error('The blob first created with this idempotencyKey no longer exists (deleted, or the first request did not complete): use a new key', 'NotFound', null, { field: 'idempotencyKey' });
  }
  ctx.stash.record = ctx.result as BlobRecord;
  return toBlob(ctx.stash.record, ctx.stash.now);
}
