// The blob as stored in DynamoDB and as the API shows it.
// Shared by resolvers (bundled to APPSYNC_JS) and functions (Node): keep it to plain
// functions and data that APPSYNC_JS accepts (no classes, no try/catch, no regex flags it lacks).
import type { Blob, BlobError, BlobStatus, Callback, Label } from '../generated/graphql.ts';

/** Statuses a record holds in the table. EXPIRED is never stored: it is derived when read. */
export type StoredBlobStatus = Exclude<BlobStatus, 'EXPIRED'>;

export const FINAL_STATUSES: readonly StoredBlobStatus[] = ['LABELLED', 'FAILED', 'REJECTED'];

export const ACCEPTED_CONTENT_TYPES: readonly string[] = ['image/jpeg', 'image/png'];

/** Rekognition's limit for images read from S3. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

export const DEFAULT_MIN_CONFIDENCE = 55;
export const DEFAULT_MAX_LABELS = 20;
export const MAX_MAX_LABELS = 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** GSI partition value shared by every blob record, so that listing is a Query, not a Scan. */
export const BLOB_ENTITY = 'Blob';
export const BLOBS_BY_CREATED_AT_INDEX = 'byCreatedAt';

/** Ids the createBlob resolver makes (ULIDs) fit this; anything else is no blob, and could escape the stage prefix of an object key. */
export const BLOB_ID_PATTERN = '[A-Za-z0-9_-]{1,128}';

/** Prefix of the idempotency records kept in the same table. */
export const IDEMPOTENCY_ID_PREFIX = 'idempotency#';

export interface BlobRecord {
  id: string;
  entity: typeof BLOB_ENTITY;
  status: StoredBlobStatus;
  contentType: string;
  /** Declared at create time, signed into the upload URL. */
  contentLength?: number;
  /** Bytes that arrived, from S3. */
  size?: number;
  minConfidence: number;
  maxLabels: number;
  idempotencyKey?: string;
  labels?: Label[];
  error?: BlobError;
  callback?: Callback;
  createdAt: string;
  updatedAt: string;
  uploadExpiresAt: string;
  labelledAt?: string;
  /** Set when processing starts; a later attempt may take over once the lease has passed. */
  processingStartedAt?: string;
  /** DynamoDB TTL (epoch seconds): only records still waiting for their upload carry it. */
  expiresAt?: number;
}

export interface IdempotencyRecord {
  id: string; // IDEMPOTENCY_ID_PREFIX + key
  blobId: string;
  /** The create input that first used the key, to refuse the same key with another input. */
  fingerprint: string;
  expiresAt: number;
}

export function isFinalStatus(status: BlobStatus): boolean {
  return status === 'LABELLED' || status === 'FAILED' || status === 'REJECTED';
}

/** The status a reader sees: a pending upload whose URL has expired reads as EXPIRED. */
export function visibleStatus(record: Pick<BlobRecord, 'status' | 'uploadExpiresAt'>, nowIso: string): BlobStatus {
  if (record.status === 'PENDING_UPLOAD' && record.uploadExpiresAt < nowIso) {
    return 'EXPIRED';
  }
  return record.status;
}

/** Maps a stored record to the GraphQL Blob; null for anything that is not a blob record. */
export function toBlob(record: BlobRecord | null | undefined, nowIso: string): Blob | null {
  if (!record || record.entity !== BLOB_ENTITY) {
    return null;
  }
  return {
    id: record.id,
    status: visibleStatus(record, nowIso),
    contentType: record.contentType ?? null,
    size: record.size ?? null,
    minConfidence: record.minConfidence,
    maxLabels: record.maxLabels,
    labels: record.labels ?? null,
    error: record.error ?? null,
    callback: record.callback ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    uploadExpiresAt: record.uploadExpiresAt,
    labelledAt: record.labelledAt ?? null,
  };
}
