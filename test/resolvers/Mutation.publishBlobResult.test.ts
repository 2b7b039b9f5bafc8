import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobResultInput } from '../../generated/graphql.ts';
import { ALICE, iamIdentity, PUBLISHER, PUBLISHER_ROLE, startHarness, type Harness } from './support/harness.ts';

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
    const { data, errors } = await h.resolve('Mutation', 'publishBlobResult', { input: result }, PUBLISHER);

    expect(errors).toEqual([]);
    expect(data).toEqual(result);
    expect(await h.table.scanAll()).toEqual([]);
  });

  it.each([
    ['a trusted back end whose IAM policy allows the field (a wildcard grant)', iamIdentity('arn:aws:sts::123456789012:assumed-role/some-back-end/session-1')],
    ['an IAM user', iamIdentity('arn:aws:iam::123456789012:user/publisher')],
    ['a role whose name merely begins like the publisher\'s', iamIdentity(`${PUBLISHER_ROLE}-copy/session`)],
    ['a user pool user', ALICE],
    ['a caller with no identity', null],
  ])('refuses %s with Unauthorized: only the functions that publish may publish', async (_who, identity) => {
    const { data, errors } = await h.resolve('Mutation', 'publishBlobResult', { input: result }, identity);

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });
});
