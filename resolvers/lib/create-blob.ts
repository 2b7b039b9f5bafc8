// What the createBlob pipeline steps share through ctx.stash, and the record a new blob starts as.
import { BLOB_ENTITY, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, MutationCreateBlobArgs } from '../../generated/graphql.ts';
import type { Context } from '@aws-appsync/utils';
import { PENDING_RETENTION_SECONDS, UPLOAD_URL_TTL_SECONDS } from './constants.ts';
import type { CreateRequest } from './create-input.ts';
import { isoAt } from './time.ts';

export interface CreateBlobStash {
  request: CreateRequest;
  /** The caller's owner value (resolvers/lib/caller.ts). */
  owner: string;
  fingerprint: string;
  /** When the pipeline started, for deriving EXPIRED consistently across steps. */
  now: string;
  /** The record this call would create; replaced by the stored record once step 3 ran. */
  record: BlobRecord;
  /** Set when the idempotency key was claimed before: the id of the blob the first call created. */
  firstBlobId?: string;
}

/** The context of a createBlob step; `TPrev` is the previous step's result. */
export type CreateBlobContext<TPrev = unknown> = Context<MutationCreateBlobArgs, CreateBlobStash, { result: TPrev }>;

export type { Blob };

export function newBlobRecord(id: string, owner: string, request: CreateRequest, nowMs: number): BlobRecord {
  const now = isoAt(nowMs);
  const record: BlobRecord = {
    id,
    entity: BLOB_ENTITY,
    owner,
    status: 'PENDING_UPLOAD',
    contentType: request.contentType,
    minConfidence: request.minConfidence,
    maxLabels: request.maxLabels,
    createdAt: now,
    updatedAt: now,
    uploadExpiresAt: isoAt(nowMs + UPLOAD_URL_TTL_SECONDS * 1000),
    expiresAt: Math.floor(nowMs / 1000) + PENDING_RETENTION_SECONDS,
  };
  if (request.contentLength !== null) {
    record.contentLength = request.contentLength;
  }
  if (request.idempotencyKey !== null) {
    record.idempotencyKey = request.idempotencyKey;
  }
  if (request.callbackUrl !== null) {
    record.callback = { url: request.callbackUrl, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
  }
  return record;
}
