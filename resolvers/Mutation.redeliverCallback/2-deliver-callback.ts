import type { Context, LambdaRequest } from '@aws-appsync/utils';
import { toBlob } from '../../domain/blob.ts';
import type { DeliverCallbackRequest, DeliverCallbackResult } from '../../domain/lambda-payloads.ts';
import type { Blob, MutationRedeliverCallbackArgs } from '../../generated/graphql.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { nowIso } from '../lib/time.ts';

export function request(ctx: Context<MutationRedeliverCallbackArgs>): LambdaRequest {
  const payload: DeliverCallbackRequest = { id: ctx.args.id };
  return { operation: 'Invoke', payload };
}

/** The blob with its callback state after the delivery attempt(s). */
export function response(ctx: Context<MutationRedeliverCallbackArgs, object, undefined, undefined, DeliverCallbackResult>): Blob | null {
  raiseDataSourceError(ctx.error);
  return toBlob(ctx.result, nowIso());
}
