// redeliverCallback: check the blob can be delivered (typed errors) → the deliver-callback function sends it.
import { util, type Context } from '@aws-appsync/utils';
import type { Blob, MutationRedeliverCallbackArgs } from '../../generated/graphql.ts';
import { isBlobId } from '../lib/blob-id.ts';
import { assertCallbackCanBeSent } from '../lib/redeliver.ts';

export function request(ctx: Context<MutationRedeliverCallbackArgs>): Record<string, never> {
  // An id no blob can have answers as an unknown id (NotFound), before it reaches the table.
  if (!isBlobId(ctx.args.id)) {
    assertCallbackCanBeSent(null, ctx.args.id, util.time.nowEpochMilliSeconds());
  }
  return {};
}

export function response(ctx: Context<MutationRedeliverCallbackArgs, object, { result: Blob }>): Blob {
  return ctx.prev.result;
}
