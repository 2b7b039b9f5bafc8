import type { DynamoDBQueryRequest } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../lib/errors.ts';
import { queryOwnerIndex, raiseBadNextToken, type ListBlobsContext, type OwnerIndexPage } from '../lib/list-blobs.ts';

export function request(ctx: ListBlobsContext): DynamoDBQueryRequest {
  return queryOwnerIndex(ctx.stash.owner, ctx.stash.limit, ctx.args.nextToken ?? null);
}

export function response(ctx: ListBlobsContext): OwnerIndexPage {
  raiseBadNextToken(ctx.error, ctx.args.nextToken ?? null);
  raiseDataSourceError(ctx.error);
  return ctx.result as OwnerIndexPage;
}
