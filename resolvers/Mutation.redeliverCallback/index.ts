// redeliverCallback: check the blob can be delivered (typed errors) → the deliver-callback function sends it.
import type { Context } from '@aws-appsync/utils';
import type { Blob, MutationRedeliverCallbackArgs } from '../../generated/graphql.ts';

export function request(): Record<string, never> {
  return {};
}

export function response(ctx: Context<MutationRedeliverCallbackArgs, object, { result: Blob }>): Blob {
  return ctx.prev.result;
}
