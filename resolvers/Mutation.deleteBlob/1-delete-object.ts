import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { DeleteObjectRequest, DeleteObjectResult } from '../../domain/lambda-payloads.ts';
import type { MutationDeleteBlobArgs } from '../../generated/graphql.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

export function request(ctx: Context<MutationDeleteBlobArgs>): LambdaRequest {
  const payload: DeleteObjectRequest = { id: ctx.args.id };
  return { operation: 'Invoke', payload };
}

export function response(ctx: Context<MutationDeleteBlobArgs, object, undefined, undefined, DeleteObjectResult>): DeleteObjectResult {
  raiseDataSourceError(ctx.error, []);
  return ctx.result;
}
