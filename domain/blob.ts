// The blob as stored in DynamoDB and as the API shows it.
// Shared by resolvers (bundled to APPSYNC_JS) and functions (Node): keep it to plain
// functions and data that APPSYNC_JS accepts (no classes, no try/catch, no regex flags it lacks).
import type { Blob, BlobError, BlobStatus, Callback, Label } from '../generated/graphql.ts';

/**
 * Statuses a record holds in the table. EXPIRED is never stored (it is derived when read), nor DELETED (a deleted
 * blob has no record: the status only travels in the last labelsReady event and webhook).
 */
export type StoredBlobStatus = Exclude<BlobStatus, 'EXPIRED' | 'DELETED'>;

export const ACCEPTED_CONTENT_TYPES: readonly string[] = ['image/jpeg', 'image/png'];

/** Rekognition's limit for images read from S3. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

export const DEFAULT_MIN_CONFIDENCE = 55;
export const DEFAULT_MAX_LABELS = 20;
export const MAX_MAX_LABELS = 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Marks blob records apart from the idempotency and quota records that share the table. */
export const BLOB_ENTITY = 'Blob';

/**
 * GSI of blob records by owner, newest first: `blobs` is a Query on the caller's partition, never a Scan. It projects
 * the keys only, so a state change never writes the index (only creates and deletes do); pages are then read with
 * BatchGetItem.
 */
export const BLOBS_BY_OWNER_INDEX = 'byOwner';

/** The user pool group whose members may read and list every blob. */
export const ADMINS_GROUP = 'admins';

/** Ids the createBlob resolver makes (ULIDs) fit this; anything else is no blob, and could escape the stage prefix of an object key. */
export const BLOB_ID_PATTERN = '[A-Za-z0-9_-]{1,128}';

/** Prefix of the idempotency records kept in the same table: `idempotency#<owner>#<key>`, one key space per owner. */
export const IDEMPOTENCY_ID_PREFIX = 'idempotency#';

/** Prefix of the upload quota counters kept in the same table: `quota#<owner>#<yyyy-MM-dd>` (UTC day). */
export const QUOTA_ID_PREFIX = 'quota#';

/** Uploads an owner may create per UTC day unless the API's UPLOAD_QUOTA_PER_DAY says otherwise. */
export const DEFAULT_UPLOAD_QUOTA_PER_DAY = 500;

export interface BlobRecord {
  id: string;
  entity: typeof BLOB_ENTITY;
  /** The creator: a user pool `sub`, or an IAM principal's ARN. Partition key of BLOBS_BY_OWNER_INDEX. */
  owner: string;
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
  id: string; // IDEMPOTENCY_ID_PREFIX + owner + '#' + key
  blobId: string;
  /** The create input that first used the key, to refuse the same key with another input. */
  fingerprint: string;
  expiresAt: number;
}

export interface QuotaRecord {
  id: string; // QUOTA_ID_PREFIX + owner + '#' + day
  uploads: number;
  expiresAt: number;
}

/** LABELLED, FAILED and REJECTED: stored final states. (DELETED is final too, but no record ever holds it.) */
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
    owner: record.owner,
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
    // Resolved per request, for the owner only (resolvers/Blob.imageUrl.ts): never stored, never published.
    imageUrl: null,
  };
}
