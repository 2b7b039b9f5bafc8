import { util, type NONERequest } from '@aws-appsync/utils';
import { ALLOW_HTTP_LOOPBACK_VARIABLE } from '../lib/callback-url.ts';
import { fingerprintOf, validateCreateInput } from '../lib/create-input.ts';
import { newBlobRecord, type CreateBlobContext } from '../lib/create-blob.ts';
import { isoAt } from '../lib/time.ts';

export function request(ctx: CreateBlobContext): NONERequest {
  const request = validateCreateInput(ctx.args.input, ctx.env[ALLOW_HTTP_LOOPBACK_VARIABLE] === 'true');
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
