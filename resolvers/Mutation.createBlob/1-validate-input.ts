import { util, type NONERequest } from '@aws-appsync/utils';
import { callbackAllowHttpLoopback } from '../lib/api-environment.ts';
import { callerOf } from '../lib/caller.ts';
import { fingerprintOf, validateCreateInput } from '../lib/create-input.ts';
import { newBlobRecord, type CreateBlobContext } from '../lib/create-blob.ts';
import { isoAt } from '../lib/time.ts';

export function request(ctx: CreateBlobContext): NONERequest {
  const { owner } = callerOf(ctx.identity);
  const request = validateCreateInput(ctx.args.input, callbackAllowHttpLoopback(ctx.env));
  const nowMs = util.time.nowEpochMilliSeconds();
  ctx.stash.owner = owner;
  ctx.stash.request = request;
  ctx.stash.fingerprint = fingerprintOf(request);
  ctx.stash.now = isoAt(nowMs);
  ctx.stash.record = newBlobRecord(util.autoUlid(), owner, request, nowMs);
  return { payload: null };
}

export function response(): null {
  return null;
}
