import { util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, MutationRedeliverCallbackArgs } from '../../generated/graphql.ts';
import { canChange, callerOf } from '../lib/caller.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { assertCallbackCanBeSent } from '../lib/redeliver.ts';
import { nowIso } from '../lib/time.ts';

export function request(ctx: Context<MutationRedeliverCallbackArgs>): DynamoDBGetItemRequest {
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id }, consistentRead: true });
}

export function response(ctx: Context<MutationRedeliverCallbackArgs, object, undefined, undefined, BlobRecord | null>): Blob {
  raiseDataSourceError(ctx.error);
  const owned = canChange(callerOf(ctx.identity), ctx.result) ? ctx.result : null;
  const blob = toBlob(owned, nowIso());
  assertCallbackCanBeSent(blob, ctx.args.id, util.time.nowEpochMilliSeconds());
  return blob;
}
