// Blob records written straight into the harness's table, for resolvers that read what the functions wrote.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { BlobRecord } from '../../../domain/blob.ts';
import { toMapValues, toWireMap } from '../../../local/appsync/runtime/util/dynamodb.ts';
import { ALICE, type Harness } from './harness.ts';
import type { CognitoIdentity } from '../../../local/appsync/runtime/types.ts';

export const ALICE_SUB = (ALICE as CognitoIdentity).sub;

/** A LABELLED blob of Alice's with a callback whose delivery failed, changed by `overrides`. */
export function labelledRecord(overrides: Partial<BlobRecord> = {}): BlobRecord {
  return {
    id: 'blob-1',
    entity: 'Blob',
    owner: ALICE_SUB,
    status: 'LABELLED',
    contentType: 'image/png',
    minConfidence: 55,
    maxLabels: 20,
    labels: [],
    callback: { url: 'https://example.com/hook', status: 'FAILED', attempts: 5, lastAttemptAt: '2026-03-01T11:01:00.000Z', lastError: 'HTTP 500', deliveredAt: null },
    createdAt: '2026-03-01T11:00:00.000Z',
    updatedAt: '2026-03-01T11:01:00.000Z',
    uploadExpiresAt: '2026-03-01T11:15:00.000Z',
    labelledAt: '2026-03-01T11:00:30.000Z',
    ...overrides,
  };
}

export async function storeRecord(h: Harness, record: BlobRecord): Promise<void> {
  await h.table.client.send(new PutItemCommand({ TableName: h.table.tableName, Item: toWireMap(toMapValues({ ...record })) as never }));
}
