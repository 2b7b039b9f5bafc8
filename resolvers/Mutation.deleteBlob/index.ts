// deleteBlob: delete the uploaded object (idempotent) → delete the record if it is a blob.
import { runtime, type Context } from '@aws-appsync/utils';
import type { Blob, MutationDeleteBlobArgs } from '../../generated/graphql.ts';
import { isBlobId } from '../lib/blob-id.ts';

export function request(ctx: Context<MutationDeleteBlobArgs>): Record<string, never> {
  // An id no blob can have names no blob: the same null as an unknown id.
  if (!isBlobId(ctx.args.id)) {
    runtime.earlyReturn(null);
  }
  return {};
}

export function response(ctx: Context<MutationDeleteBlobArgs, object, { result: Blob | null }>): Blob | null {
  return ctx.prev.result;
}
