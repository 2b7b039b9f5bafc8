// What the deleteBlob pipeline steps share through ctx.stash.
import type { Context } from '@aws-appsync/utils';
import type { BlobRecord } from '../../domain/blob.ts';
import type { Blob, MutationDeleteBlobArgs } from '../../generated/graphql.ts';

export interface DeleteBlobStash {
  owner: string;
  /** The caller's blob as read by step 1; absent when the caller has no such blob (every later step is skipped). */
  record?: BlobRecord;
  /** The record as step 3 deleted it, and the blob returned to the caller. */
  deletedRecord?: BlobRecord;
  deleted?: Blob;
}

export type DeleteBlobContext<TResult = unknown> = Context<MutationDeleteBlobArgs, DeleteBlobStash, object, undefined, TResult>;
