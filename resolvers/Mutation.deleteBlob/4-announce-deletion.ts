import { runtime, type LambdaRequest } from '@aws-appsync/utils';
import { isFinalStatus } from '../../domain/blob.ts';
import type { AnnounceDeletionRequest } from '../../domain/lambda-payloads.ts';
import type { DeleteBlobContext } from '../lib/delete-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

/**
 * A blob deleted before its final state tells its listeners it is gone (labelsReady and the webhook, status
 * DELETED); a final blob already told them its result. Sent in the background: the caller does not wait for the
 * webhook's retries.
 */
export function request(ctx: DeleteBlobContext): LambdaRequest {
  const record = ctx.stash.deletedRecord;
  if (!record || isFinalStatus(record.status)) {
    return runtime.earlyReturn(null);
  }
  const payload: AnnounceDeletionRequest = { record };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

export function response(ctx: DeleteBlobContext): null {
  raiseDataSourceError(ctx.error);
  return null;
}
