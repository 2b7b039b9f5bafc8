// blobs: whose blobs (the caller's; another owner's for admins) → their ids from the owner index → the blobs.
import type { Context } from '@aws-appsync/utils';
import type { BlobConnection } from '../../generated/graphql.ts';
import { listedOwner, pageSize, type ListBlobsContext } from '../lib/list-blobs.ts';

export function request(ctx: ListBlobsContext): Record<string, never> {
  ctx.stash.owner = listedOwner(ctx.identity, ctx.args.owner ?? null);
  ctx.stash.limit = pageSize(ctx.args.limit ?? null);
  return {};
}

export function response(ctx: Context<object, object, { result: BlobConnection }>): BlobConnection {
  return ctx.prev.result;
}
