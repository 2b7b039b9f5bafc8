import type { Context, NONERequest } from '@aws-appsync/utils';
import type { Blob, BlobResultInput, MutationPublishBlobResultArgs } from '../generated/graphql.ts';

/** Local only (NONE data source): the processing function already wrote the record; this fans it out to labelsReady. */
export function request(ctx: Context<MutationPublishBlobResultArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishBlobResultArgs, object, undefined, undefined, BlobResultInput>): Blob {
  return ctx.result as Blob;
}
