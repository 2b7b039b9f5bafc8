import { runtime, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import type { BlobConnection } from '../../generated/graphql.ts';
import { blobsTableName } from '../lib/api-environment.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { pageOfBlobs, readBlobs, type BlobBatch, type ListBlobsContext, type OwnerIndexPage } from '../lib/list-blobs.ts';

/** The index holds keys only: the page's blobs are read in one BatchGetItem (an empty page reads nothing). */
export function request(ctx: ListBlobsContext<OwnerIndexPage>): DynamoDBBatchGetItemRequest {
  const page = ctx.prev.result;
  if (page.items.length === 0) {
    return runtime.earlyReturn({ items: [], nextToken: page.nextToken ?? null });
  }
  return readBlobs(blobsTableName(ctx.env), page);
}

export function response(ctx: ListBlobsContext<OwnerIndexPage>): BlobConnection {
  raiseDataSourceError(ctx.error);
  return pageOfBlobs(ctx.result as BlobBatch, blobsTableName(ctx.env), ctx.stash.owner, ctx.prev.result.nextToken ?? null);
}
