// Keeps a labelling result within what one DynamoDB item can hold (400 KB, attribute names included) and
// within what AppSync sends to a subscriber (240 KB per subscription message: a larger one never reaches
// labelsReady). maxLabels may be 1000 and each label may carry many boxes: without a bound, the final write
// would be refused and the blob would stay PROCESSING, or its subscribers would wait forever. Boxes go first,
// from the least confident label up, then the least confident labels themselves; the most useful part of the
// answer is what stays.
import type { Label } from '../../generated/graphql.ts';

/**
 * Room left for labels once the rest of the published blob (ids, timestamps, error, a callback URL of up to 2 KB)
 * and the subscription message's envelope are counted against AppSync's 240 KB.
 */
export const LABELS_BUDGET_BYTES = 200 * 1024;

export interface BudgetedLabels {
  labels: Label[];
  /** True when boxes or labels were left out to fit. */
  trimmed: boolean;
}

function sizeOf(labels: readonly Label[]): number {
  return Buffer.byteLength(JSON.stringify(labels));
}

export function fitLabelsToBudget(labels: readonly Label[], budgetBytes: number = LABELS_BUDGET_BYTES): BudgetedLabels {
  if (sizeOf(labels) <= budgetBytes) {
    return { labels: [...labels], trimmed: false };
  }
  // Most confident first, as Rekognition orders them; trimming walks from the end.
  const kept = [...labels].sort((a, b) => b.confidence - a.confidence).map((label) => ({ ...label }));
  let size = sizeOf(kept);
  for (let index = kept.length - 1; index >= 0 && size > budgetBytes; index -= 1) {
    if (kept[index].instances.length > 0) {
      size -= sizeOf([kept[index]]) - sizeOf([{ ...kept[index], instances: [] }]);
      kept[index] = { ...kept[index], instances: [] };
    }
  }
  while (kept.length > 0 && sizeOf(kept) > budgetBytes) {
    kept.pop();
  }
  return { labels: kept, trimmed: true };
}
