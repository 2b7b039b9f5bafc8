import { runtime, util, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { QuotaRecord } from '../../domain/blob.ts';
import { uploadQuotaPerDay } from '../lib/api-environment.ts';
import type { CreateBlobContext } from '../lib/create-blob.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import { countUpload, quotaExceeded, quotaWindow } from '../lib/quota.ts';

/** A replay of an earlier create is not a new upload: it is not counted. */
export function request(ctx: CreateBlobContext): DynamoDBUpdateItemRequest {
  if (ctx.stash.firstBlobId) {
    return runtime.earlyReturn(null);
  }
  const nowMs = util.time.nowEpochMilliSeconds();
  return countUpload(quotaWindow(ctx.stash.owner, nowMs), uploadQuotaPerDay(ctx.env), nowMs);
}

export function response(ctx: CreateBlobContext): QuotaRecord {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    quotaExceeded(uploadQuotaPerDay(ctx.env), quotaWindow(ctx.stash.owner, util.time.nowEpochMilliSeconds()));
  }
  raiseDataSourceError(ctx.error);
  return ctx.result as QuotaRecord;
}
