import { runtime, type LambdaRequest } from '@aws-appsync/utils';
import type { DeleteObjectRequest, DeleteObjectResult } from '../../domain/lambda-payloads.ts';
import type { DeleteBlobContext } from '../lib/delete-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

/** First the object: if it cannot be deleted the record stays, and deleteBlob can be called again. */
export function request(ctx: DeleteBlobContext): LambdaRequest {
  if (!ctx.stash.record) {
    return runtime.earlyReturn(null);
  }
  const payload: DeleteObjectRequest = { id: ctx.args.id };
  return { operation: 'Invoke', payload };
}

export function response(ctx: DeleteBlobContext<DeleteObjectResult>): DeleteObjectResult {
  raiseDataSourceError(ctx.error);
  return ctx.result;
}
