// A blob record as the processing function leaves it once labelled: what the benchmarks store and publish.
import { BLOB_ENTITY, type BlobRecord } from '../../domain/blob.ts';
import type { Label } from '../../generated/graphql.ts';

/** Chelsea the cat, as the labeller names her. */
export const CAT_LABELS: readonly Label[] = [
  { name: 'Cat', confidence: 86.1, parents: ['Pet', 'Mammal', 'Animal'], aliases: [], categories: ['Animals and Pets'], instances: [] },
  { name: 'Pet', confidence: 86.1, parents: ['Animal'], aliases: [], categories: ['Animals and Pets'], instances: [] },
  { name: 'Animal', confidence: 86.1, parents: [], aliases: [], categories: ['Animals and Pets'], instances: [] },
];

export interface LabelledRecordOptions {
  id: string;
  owner: string;
  createdAt: string;
  /** Also the time it was labelled. */
  updatedAt: string;
  uploadExpiresAt: string;
  labels: readonly Label[];
}

export function labelledRecord(options: LabelledRecordOptions): BlobRecord {
  return {
    id: options.id,
    entity: BLOB_ENTITY,
    owner: options.owner,
    status: 'LABELLED',
    contentType: 'image/png',
    size: 451_820,
    minConfidence: 55,
    maxLabels: 20,
    labels: [...options.labels],
    createdAt: options.createdAt,
    updatedAt: options.updatedAt,
    uploadExpiresAt: options.uploadExpiresAt,
    labelledAt: options.updatedAt,
  };
}
