import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import type { Blob, BlobResultInput, MutationPublishBlobResultArgs } from '../generated/graphql.ts';
import { publisherPrincipals } from './lib/api-environment.ts';
import { isPublisher } from './lib/caller.ts';

/**
 * NONE data source: the functions already wrote (or deleted) the record; this fans the result out to labelsReady.
 * Only their roles may: an IAM grant wider than the field (a back end's `apis/<id>/*`) must not forge results.
 */
export function request(ctx: Context<MutationPublishBlobResultArgs>): NONERequest {
  if (!isPublisher(ctx.identity, publisherPrincipals(ctx.env))) {
    util.unauthorized();
  }
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishBlobResultArgs, object, undefined, undefined, BlobResultInput>): Blob {
  return ctx.result as Blob;
}
