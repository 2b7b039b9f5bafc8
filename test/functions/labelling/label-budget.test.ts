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

  it("keeps a thousand labels with many boxes, published with the largest rest of a blob, within AppSync's 240 KB subscription payload", () => {
    // AppSync does not deliver a subscription message over 240 KB: labelsReady subscribers would never hear the result.
    const labels = Array.from({ length: 1000 }, (_, i) => label(`Label ${i}`, 99 - i * 0.05, 10));
    const { labels: kept } = fitLabelsToBudget(labels);
    const blob = {
      id: '01JABCDEFGHJKMNPQRSTVWXYZ0', owner: 'arn:aws:sts::123456789012:assumed-role/some-back-end-role-with-a-long-name',
      status: 'LABELLED', contentType: 'image/jpeg', size: 15 * 1024 * 1024, minConfidence: 55, maxLabels: 1000,
      labels: kept, error: null,
      callback: {
        url: `https://${'a'.repeat(2040)}`, status: 'FAILED', attempts: 10, lastAttemptAt: '2026-03-01T12:00:00.000Z',
        lastError: 'e'.repeat(500), deliveredAt: null,
      },
      createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z', uploadExpiresAt: '2026-03-01T12:15:00.000Z',
      labelledAt: '2026-03-01T12:00:00.000Z', imageUrl: null,
    };
    const message = { id: '6b1f6e2c-5f7e-4c3b-9a53-6c1d1f0b3f4e', type: 'data', payload: { data: { labelsReady: blob } } };

    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(240 * 1000);
  });

  it('brings a thousand labels with many boxes each under the item budget', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => label(`Label ${i}`, 99 - i * 0.05, 10));
    expect(bytes(labels)).toBeGreaterThan(400 * 1024);

    const { labels: kept } = fitLabelsToBudget(labels);

    expect(bytes(kept)).toBeLessThanOrEqual(LABELS_BUDGET_BYTES);
  });
});
