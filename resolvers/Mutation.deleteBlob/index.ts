// deleteBlob: read the caller's blob → delete its uploaded object → delete the record → announce the deletion
// when the blob had not reached a final state (its subscribers and webhook receiver would otherwise wait forever).
import { runtime } from '@aws-appsync/utils';
import type { Blob } from '../../generated/graphql.ts';
import { isBlobId } from '../lib/blob-id.ts';
import { callerOf } from '../lib/caller.ts';
import type { DeleteBlobContext } from '../lib/delete-blob.ts';

export function request(ctx: DeleteBlobContext): Record<string, never> {
  ctx.stash.owner = callerOf(ctx.identity).owner;
  // An id no blob can have names no blob: the same null as an unknown id.
  if (!isBlobId(ctx.args.id)) {
    runtime.earlyReturn(null);
  }
  return {};
}

export function response(ctx: DeleteBlobContext): Blob | null {
  return ctx.stash.deleted ?? null;
}
