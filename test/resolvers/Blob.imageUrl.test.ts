import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toBlob, type BlobRecord } from '../../domain/blob.ts';
import type { Identity } from '../../local/appsync/runtime/types.ts';
import { ADMIN, ALICE, BOB, iamIdentity, startHarness, T0, type Harness } from './support/harness.ts';
import { labelledRecord } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Resolves Blob.imageUrl on the blob `record` reads as, the way AppSync runs a field of a parent's result. */
function imageUrlOf(record: BlobRecord, identity: Identity = ALICE) {
  return h.runtime.resolveField({
    typeName: 'Blob',
    fieldName: 'imageUrl',
    arguments: {},
    source: toBlob(record, new Date(T0).toISOString()),
    identity,
    request: { headers: {}, domainName: null },
    info: { fieldName: 'imageUrl', parentTypeName: 'Blob', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
  });
}

describe('Blob.imageUrl', () => {
  it.each(['LABELLED', 'FAILED'] as const)('gives the owner of a %s blob a download URL signed for its image type', async (status) => {
    const record = labelledRecord({ id: '01JIMAGEURLTEST00000000000', status, contentType: 'image/jpeg' });

    const { data, errors } = await imageUrlOf(record);

    expect(errors).toEqual([]);
    expect(data).toBe('https://bucket.s3.local/dev/01JIMAGEURLTEST00000000000?response-content-type=image%2Fjpeg&X-Amz-Signature=test');
    expect(h.lambdaEvents['presign-image']).toEqual([{ id: '01JIMAGEURLTEST00000000000', contentType: 'image/jpeg' }]);
  });

  it.each(['REJECTED', 'PROCESSING', 'PENDING_UPLOAD'] as const)('is null for a %s blob, without signing anything', async (status) => {
    const record = labelledRecord({ status, labels: undefined, uploadExpiresAt: '2026-03-01T12:15:00.000Z' });

    const { data, errors } = await imageUrlOf(record);

    expect(errors).toEqual([]);
    expect(data).toBeNull();
    expect(h.lambdaEvents['presign-image']).toEqual([]);
  });

  it.each([
    ['another user', BOB],
    ['an admin, who may read the labels but not see the image', ADMIN],
    ['an IAM back end (the publishing function)', iamIdentity('arn:aws:sts::123456789012:assumed-role/processor/session')],
  ])('is null for %s', async (_who, identity) => {
    const { data, errors } = await imageUrlOf(labelledRecord(), identity);

    expect(errors).toEqual([]);
    expect(data).toBeNull();
    expect(h.lambdaEvents['presign-image']).toEqual([]);
  });

  it('reports a failure of the signer as InternalError, without its details', async () => {
    h.lambdas['presign-image'] = async () => {
      throw new Error('AccessDenied: arn:aws:s3:::secret-bucket');
    };

    const { data, errors } = await imageUrlOf(labelledRecord());

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'InternalError', message: 'The request could not be completed' })]);
  });
});
