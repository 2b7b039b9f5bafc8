import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobResultInput } from '../../generated/graphql.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const result: BlobResultInput = {
  id: '01JABCDEF0123456789ABCDEFG',
  owner: 'owner-sub-1',
  status: 'LABELLED',
  contentType: 'image/jpeg',
  size: 2048,
  minConfidence: 55,
  maxLabels: 20,
  labels: [
    {
      name: 'Cat',
      confidence: 97.5,
      parents: ['Animal'],
      aliases: ['Kitten'],
      categories: ['Animals and Pets'],
      instances: [{ confidence: 97.5, boundingBox: { left: 0.1, top: 0.2, width: 0.3, height: 0.4 } }],
    },
  ],
  error: null,
  callback: null,
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:05.000Z',
  uploadExpiresAt: '2026-03-01T12:15:00.000Z',
  labelledAt: '2026-03-01T12:00:05.000Z',
};

describe('publishBlobResult', () => {
  it('returns its input as the blob, touching nothing', async () => {
    const { data, errors } = await h.resolve('Mutation', 'publishBlobResult', { input: result });

    expect(errors).toEqual([]);
    expect(data).toEqual(result);
    expect(await h.table.scanAll()).toEqual([]);
  });
});
