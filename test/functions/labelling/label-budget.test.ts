import { describe, expect, it } from 'vitest';
import { fitLabelsToBudget, LABELS_BUDGET_BYTES } from '../../../functions/labelling/label-budget.ts';
import type { Label } from '../../../generated/graphql.ts';

function label(name: string, confidence: number, boxes: number): Label {
  return {
    name,
    confidence,
    parents: ['Animal'],
    aliases: [],
    categories: ['Animals and Pets'],
    instances: Array.from({ length: boxes }, (_, i) => ({
      confidence,
      boundingBox: { left: i / 1000, top: 0.123456789, width: 0.234567891, height: 0.345678912 },
    })),
  };
}

const bytes = (labels: Label[]): number => Buffer.byteLength(JSON.stringify(labels));

describe('fitLabelsToBudget', () => {
  it('keeps a result that fits exactly as it is', () => {
    const labels = [label('Cat', 97, 2), label('Animal', 97, 0)];

    expect(fitLabelsToBudget(labels)).toEqual({ labels, trimmed: false });
  });

  it('drops the boxes of the least confident labels first, keeping every label', () => {
    const labels = Array.from({ length: 40 }, (_, i) => label(`Label ${i}`, 99 - i, 20));
    const budget = bytes(labels) - 100;

    const { labels: kept, trimmed } = fitLabelsToBudget(labels, budget);

    expect(trimmed).toBe(true);
    expect(bytes(kept)).toBeLessThanOrEqual(budget);
    expect(kept.map((l) => l.name)).toEqual(labels.map((l) => l.name));
    expect(kept[0].instances).toHaveLength(20);
    expect(kept[39].instances).toEqual([]);
  });

  it('drops the least confident labels once no boxes are left to drop', () => {
    const labels = Array.from({ length: 200 }, (_, i) => label(`Label ${i}`, 99 - i * 0.1, 0));
    const budget = Math.floor(bytes(labels) / 2);

    const { labels: kept, trimmed } = fitLabelsToBudget(labels, budget);

    expect(trimmed).toBe(true);
    expect(bytes(kept)).toBeLessThanOrEqual(budget);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(labels.slice(0, kept.length));
  });

  it('brings a thousand labels with many boxes each under the item budget', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => label(`Label ${i}`, 99 - i * 0.05, 10));
    expect(bytes(labels)).toBeGreaterThan(400 * 1024);

    const { labels: kept } = fitLabelsToBudget(labels);

    expect(bytes(kept)).toBeLessThanOrEqual(LABELS_BUDGET_BYTES);
  });
});
