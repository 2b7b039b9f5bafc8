import { extensions, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { BlobRecord } from '../domain/blob.ts';
import type { Blob, SubscriptionLabelsReadyArgs } from '../generated/graphql.ts';
import { isBlobId } from './lib/blob-id.ts';
import { canRead, callerOf } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';

/** Read at subscribe time: only a blob the caller may read can be subscribed to. */
export function request(ctx: Context<SubscriptionLabelsReadyArgs>): DynamoDBGetItemRequest {
  // An id no blob can have is refused as a blob that does not exist, before it reaches the table.
  if (!isBlobId(ctx.args.id)) {
    util.unauthorized();
  }
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id }, consistentRead: true });
}

/**
 * Another user's blob is refused exactly as a blob that does not exist. The server-side filter then keeps every
 * other blob's events away from this subscriber.
 */
export function response(ctx: Context<SubscriptionLabelsReadyArgs, object, undefined, undefined, BlobRecord | null>): Blob | null {
  raiseDataSourceError(ctx.error);
  if (!canRead(callerOf(ctx.identity), ctx.result)) {
    util.unauthorized();
  }
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id } }));
  return null;
}
