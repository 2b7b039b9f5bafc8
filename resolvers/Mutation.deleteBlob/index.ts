// deleteBlob: delete the uploaded object (idempotent) → delete the record if it is a blob.
import type { Context } from '@aws-appsync/utils';
import type { Blob, MutationDeleteBlobArgs } from '../../generated/graphql.ts';

export function request(): Record<string, never> {
  return {};
}

export function response(ctx: Context<MutationDeleteBlobArgs, object, { result: Blob | null }>): Blob | null {
  return ctx.prev.result;
}
