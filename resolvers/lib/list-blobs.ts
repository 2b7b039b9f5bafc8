// Listing an owner's blobs, newest first: a Query on the keys-only owner index, then one BatchGetItem for the page.
import { util, type Context, type DynamoDBBatchGetItemRequest, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { BLOBS_BY_OWNER_INDEX, toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Blob, BlobConnection, QueryBlobsArgs } from '../../generated/graphql.ts';
import type { Identity } from '@aws-appsync/utils';
import { callerOf } from './caller.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './constants.ts';
import type { DataSourceError } from './errors.ts';
import { validationError } from './errors.ts';
import { nowIso } from './time.ts';

export interface ListBlobsStash {
  /** Whose blobs are listed. */
  owner: string;
  limit: number;
}

export type ListBlobsContext<TPrev = unknown> = Context<QueryBlobsArgs, ListBlobsStash, { result: TPrev }>;

/** What the keys-only index returns: the table key, the index keys. */
export interface OwnerIndexPage {
  items: Array<Pick<BlobRecord, 'id' | 'owner' | 'createdAt'>>;
  nextToken?: string | null;
}

export interface BlobBatch {
  data: Record<string, Array<BlobRecord | null>>;
  unprocessedKeys?: Record<string, unknown[]> | null;
}

/** The caller's own blobs; another owner's only for admins (anyone else is refused, learning nothing). */
export function listedOwner(identity: Identity, requested: string | null): string {
  const caller = callerOf(identity);
  if (requested === null || requested === caller.owner) {
    return caller.owner;
  }
  if (!caller.admin) {
    util.error('Only members of admins may list the blobs of another owner', 'Unauthorized', null, { field: 'owner' });
  }
  return requested;
}

export function pageSize(limit: number | null): number {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) {
    validationError(`limit must be between 1 and ${MAX_PAGE_SIZE}`, 'limit');
  }
  return size;
}

export function queryOwnerIndex(owner: string, limit: number, nextToken: string | null): DynamoDBQueryRequest {
  return ddb.query<BlobRecord>({
    index: BLOBS_BY_OWNER_INDEX,
    query: { owner: { eq: owner } },
    scanIndexForward: false,
    limit,
    nextToken,
  });
}

/** How AppSync answers a Query whose nextToken it did not issue (its tokens are encrypted: nothing else can tell). */
const INVALID_TOKEN_TYPE = 'DynamoDB:UserIllegalArgumentException';
const INVALID_TOKEN_MESSAGE = 'InvalidPaginationTokenException';

/**
 * How DynamoDB refuses an ExclusiveStartKey the query cannot start from: a valid token of another owner's list
 * ("outside query boundaries") or of another key shape ("is invalid").
 */
const FOREIGN_START_KEY_MESSAGE = 'The provided starting key';

/**
 * A token this API did not issue, or issued for another owner's list, is the client's mistake; any other DynamoDB
 * failure is not (raiseDataSourceError).
 */
export function raiseBadNextToken(error: DataSourceError | undefined | null, nextToken: string | null): void {
  if (!error || nextToken === null) {
    return;
  }
  const notIssued = error.type === INVALID_TOKEN_TYPE && error.message.indexOf(INVALID_TOKEN_MESSAGE) >= 0;
  const foreign = error.type.startsWith('DynamoDB:') && error.message.startsWith(FOREIGN_START_KEY_MESSAGE);
  if (notIssued || foreign) {
    validationError('nextToken is not a token this API returned for this list', 'nextToken');
  }
}

export function readBlobs(tableName: string, page: OwnerIndexPage): DynamoDBBatchGetItemRequest {
  const keys = page.items.map((item) => util.dynamodb.toMapValues({ id: item.id }));
  return { operation: 'BatchGetItem', tables: { [tableName]: { keys, consistentRead: true } } };
}

/** The page in index order; a blob deleted (or given away) since the index was read is left out. */
export function pageOfBlobs(batch: BlobBatch, tableName: string, owner: string, nextToken: string | null): BlobConnection {
  // Never a page with holes: the next page starts after the blobs DynamoDB left unread.
  if (((batch.unprocessedKeys ?? {})[tableName] ?? []).length > 0) {
    util.error('The page could not be read in full; try again, or with a smaller limit', 'ServiceUnavailable');
  }
  const now = nowIso();
  const items = (batch.data[tableName] ?? [])
    .filter((record): record is BlobRecord => !!record && record.owner === owner)
    .map((record) => toBlob(record, now))
    .filter((blob): blob is Blob => blob !== null);
  return { items, nextToken };
}
