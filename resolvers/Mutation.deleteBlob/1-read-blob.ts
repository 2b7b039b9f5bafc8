import type { DynamoDBGetItemRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { BlobRecord } from '../../domain/blob.ts';
import { canChange, callerOf } from '../lib/caller.ts';
import type { DeleteBlobContext } from '../lib/delete-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';

export function request(ctx: DeleteBlobContext): DynamoDBGetItemRequest {
  return ddb.get<BlobRecord>({ key: { id: ctx.args.id }, consistentRead: true });
}

/** Only the owner deletes: another user's blob reads as no blob, and nothing after this step runs. */
export function response(ctx: DeleteBlobContext<BlobRecord | null>): null {
  raiseDataSourceError(ctx.error);
  if (canChange(callerOf(ctx.identity), ctx.result)) {
    ctx.stash.record = ctx.result as BlobRecord;
  }
  return null;
}
