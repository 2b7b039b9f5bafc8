import { util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { isFinalStatus, toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, MutationRedeliverCallbackArgs } from '../../generated/graphql.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { nowIso } from '../lib/time.ts';

export function request(ctx: Context<MutationRedeliverCallbackArgs>): DynamoDBGetItemRequest {
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id }, consistentRead: true });
}

export function response(ctx: Context<MutationRedeliverCallbackArgs, object, undefined, undefined, BlobRecord | null>): Blob {
  raiseDataSourceError(ctx.error, []);
  const blob = toBlob(ctx.result, nowIso());
  if (!blob) {
    util.error(`No blob ${ctx.args.id}`, 'NotFound');
  }
  if (!blob.callback) {
    util.error('The blob has no callbackUrl', 'NoCallback');
  }
  if (!isFinalStatus(blob.status)) {
    util.error(`The blob is ${blob.status}; its result is sent once it is LABELLED, FAILED or REJECTED`, 'NotReady');
  }
  return blob;
}
