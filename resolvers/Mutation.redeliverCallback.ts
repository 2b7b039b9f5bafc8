import type { Context, LambdaRequest } from '@aws-appsync/utils';
import { toBlob } from '../domain/blob.ts';
import type { DeliverCallbackRequest, DeliverCallbackResult } from '../domain/lambda-payloads.ts';
import type { Blob, MutationRedeliverCallbackArgs } from '../generated/graphql.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import { nowIso } from './lib/time.ts';

export function request(ctx: Context<MutationRedeliverCallbackArgs>): LambdaRequest {
  const payload: DeliverCallbackRequest = { id: ctx.args.id };
  return { operation: 'Invoke', payload };
}

/** The function's typed errors (errorType of the Lambda error) reach the client as they are. */
export function response(ctx: Context<MutationRedeliverCallbackArgs, object, undefined, undefined, DeliverCallbackResult>): Blob | null {
  raiseDataSourceError(ctx.error, ['NotFound', 'NoCallback', 'NotReady']);
  return toBlob(ctx.result, nowIso());
}
