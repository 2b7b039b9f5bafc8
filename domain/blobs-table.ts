// The blobs table's shape, declared once: the CDK construct (infra/constructs/blobs-table.ts) and the local
// CreateTable (local/dynamodb/table.ts) both build it from this, and the local TTL sweeper reads the TTL attribute.
// One table holds blob records, idempotency claims and upload quota counters (domain/blob.ts says which is which).
import { BLOBS_BY_OWNER_INDEX } from './blob.ts';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: 'KEYS_ONLY' | 'ALL';
}

export interface TableSpec {
  partitionKey: KeyAttribute;
  /** DynamoDB Time to Live: epoch seconds after which the item may be deleted. */
  timeToLiveAttribute: string;
  globalSecondaryIndexes: IndexSpec[];
}

export const BLOBS_TABLE: TableSpec = {
  partitionKey: { name: 'id', type: 'S' },
  // Records waiting for their upload, idempotency claims and quota counters carry it; uploaded blobs do not.
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      // Sparse: only blob records carry `owner`. Keys only, so state changes never write the index.
      name: BLOBS_BY_OWNER_INDEX,
      partitionKey: { name: 'owner', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
};
