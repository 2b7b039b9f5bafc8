import type { Context, NONERequest } from '@aws-appsync/utils';
import type { Blob, BlobResultInput, MutationPublishBlobResultArgs } from '../generated/graphql.ts';

/** NONE data source: the functions already wrote (or deleted) the record; this fans the result out to labelsReady. */
export function request(ctx: Context<MutationPublishBlobResultArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishBlobResultArgs, object, undefined, undefined, BlobResultInput>): Blob {
  return ctx.result as Blob;
}
