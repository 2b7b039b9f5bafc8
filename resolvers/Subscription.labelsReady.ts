import { extensions, util, type Context, type NONERequest } from '@aws-appsync/utils';
import type { Blob, SubscriptionLabelsReadyArgs } from '../generated/graphql.ts';

export function request(): NONERequest {
  return { payload: null };
}

/** Server-side filter: a subscriber only ever receives the blob it asked for. */
export function response(ctx: Context<SubscriptionLabelsReadyArgs>): Blob | null {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id } }));
  return null;
}
