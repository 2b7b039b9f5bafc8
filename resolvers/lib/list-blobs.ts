import { BLOB_ENTITY, BLOBS_BY_CREATED_AT_INDEX, type BlobRecord } from '../../domain/blob.ts';
import type { QueryBlobsArgs } from '../../generated/graphql.ts';
import type { DynamoDBQueryRequest } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './constants.ts';
import { validationError } from './errors.ts';

/** Newest first, from the sparse GSI every blob record is in: a Query, never a Scan. */
export function queryNewestBlobs(args: QueryBlobsArgs): DynamoDBQueryRequest {
  const limit = args.limit ?? DEFAULT_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE) {
    validationError(`limit must be between 1 and ${MAX_PAGE_SIZE}`, 'limit');
  }
  return ddb.query<BlobRecord>({
    index: BLOBS_BY_CREATED_AT_INDEX,
    query: { entity: { eq: BLOB_ENTITY } },
    scanIndexForward: false,
    limit,
    nextToken: args.nextToken ?? null,
  });
}
