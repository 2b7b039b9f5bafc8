import type { Context, DynamoDBQueryRequest } from '@aws-appsync/utils';
import { toBlob, type BlobRecord } from '../domain/blob.ts';
import type { Blob, BlobConnection, QueryBlobsArgs } from '../generated/graphql.ts';
import { raiseDataSourceError, validationError } from './lib/errors.ts';
import { queryNewestBlobs } from './lib/list-blobs.ts';
import { nowIso } from './lib/time.ts';

export function request(ctx: Context<QueryBlobsArgs>): DynamoDBQueryRequest {
  return queryNewestBlobs(ctx.args);
}

type QueryResult = { items: BlobRecord[]; nextToken?: string | null };

export function response(ctx: Context<QueryBlobsArgs, object, undefined, undefined, QueryResult>): BlobConnection {
  if (ctx.error && ctx.args.nextToken) {
    validationError('nextToken is not a token this API returned', 'nextToken');
  }
  raiseDataSourceError(ctx.error, []);
  const now = nowIso();
  const items = ctx.result.items.map((record) => toBlob(record, now)).filter((blob): blob is Blob => blob !== null);
  return { items, nextToken: ctx.result.nextToken ?? null };
}
