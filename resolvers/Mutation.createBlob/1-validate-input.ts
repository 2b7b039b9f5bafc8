import { util, type NONERequest } from '@aws-appsync/utils';
import { fingerprintOf, validateCreateInput } from '../lib/create-input.ts';
import { newBlobRecord, type CreateBlobContext } from '../lib/create-blob.ts';
import { isoAt } from '../lib/time.ts';

export function request(ctx: CreateBlobContext): NONERequest {
  const request = validateCreateInput(ctx.args.input);
  const nowMs = util.time.nowEpochMilliSeconds();
  ctx.stash.request = request;
  ctx.stash.fingerprint = fingerprintOf(request);
  ctx.stash.now = isoAt(nowMs);
  ctx.stash.record = newBlobRecord(util.autoUlid(), request, nowMs);
  return { payload: null };
}

export function response(): null {
  return null;
}
