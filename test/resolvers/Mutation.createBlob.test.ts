import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../domain/blob.ts';
import type { PresignUploadRequest } from '../../domain/lambda-payloads.ts';
import type { CreateBlobInput, CreateBlobPayload } from '../../generated/graphql.ts';
import type { Identity } from '../../local/appsync/runtime/types.ts';
import { ALICE, BOB, iamIdentity, startHarness, T0, type Harness } from './support/harness.ts';
import { unmarshalled } from './support/items.ts';
import { ALICE_SUB } from './support/records.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const createBlob = (input: CreateBlobInput, identity: Identity = ALICE) => h.resolve('Mutation', 'createBlob', { input }, identity);

describe('createBlob', () => {
  it('stores a PENDING_UPLOAD record and returns the blob with its upload', async () => {
    const { data, errors } = await createBlob({ contentType: 'image/jpeg', contentLength: 1234, callbackUrl: 'https://example.com/hook' });

    expect(errors).toEqual([]);
    const payload = data as CreateBlobPayload;
    expect(payload.blob).toMatchObject({
      status: 'PENDING_UPLOAD',
      contentType: 'image/jpeg',
      minConfidence: 55,
      maxLabels: 20,
      createdAt: '2026-03-01T12:00:00.000Z',
      uploadExpiresAt: '2026-03-01T12:15:00.000Z',
      callback: { url: 'https://example.com/hook', status: 'PENDING', attempts: 0 },
    });
    expect(payload.blob.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(payload.upload).toMatchObject({ method: 'PUT', expiresAt: '2026-03-01T12:15:00.000Z' });
    expect(JSON.parse(payload.upload.headers)).toEqual({ 'content-type': 'image/jpeg', 'content-length': '1234' });
    const [record] = unmarshalled<BlobRecord>(await h.table.scanAll()).filter((item) => item.entity === 'Blob');
    expect(record).toMatchObject({
      id: payload.blob.id,
      entity: 'Blob',
      owner: ALICE_SUB,
      status: 'PENDING_UPLOAD',
      contentLength: 1234,
      expiresAt: Math.floor(T0 / 1000) + 24 * 60 * 60,
    });
  });

  it('asks the presign function for the record, its creation time and its expiry', async () => {
    const { data } = await createBlob({ contentType: 'image/png' });

    const blob = (data as CreateBlobPayload).blob;
    expect(h.lambdaEvents['presign-upload']).toEqual([
      { id: blob.id, contentType: 'image/png', contentLength: null, signedAt: blob.createdAt, expiresAt: blob.uploadExpiresAt },
    ] satisfies PresignUploadRequest[]);
  });

  it.each<[string, CreateBlobInput, string]>([
    ['a content type Rekognition cannot read', { contentType: 'image/gif' }, 'contentType'],
    ['an empty body', { contentType: 'image/png', contentLength: 0 }, 'contentLength'],
    ['a body over 15 MB', { contentType: 'image/png', contentLength: 15 * 1024 * 1024 + 1 }, 'contentLength'],
    ['a relative callback URL', { contentType: 'image/png', callbackUrl: '/hook' }, 'callbackUrl'],
    ['a callback URL that is not http(s)', { contentType: 'image/png', callbackUrl: 'ftp://example.com/hook' }, 'callbackUrl'],
    ['a callback URL with credentials', { contentType: 'image/png', callbackUrl: 'https://user:pass@example.com/hook' }, 'callbackUrl'],
    ['a callback URL with spaces', { contentType: 'image/png', callbackUrl: 'https://example.com/a hook' }, 'callbackUrl'],
    ['a plain http callback URL', { contentType: 'image/png', callbackUrl: 'http://example.com/hook' }, 'callbackUrl'],
    ['a loopback callback URL', { contentType: 'image/png', callbackUrl: 'https://127.0.0.1/hook' }, 'callbackUrl'],
    ['a localhost callback URL', { contentType: 'image/png', callbackUrl: 'https://localhost:8443/hook' }, 'callbackUrl'],
    ['the instance metadata address', { contentType: 'image/png', callbackUrl: 'https://169.254.169.254/latest/meta-data' }, 'callbackUrl'],
    ['a private IPv4 callback host', { contentType: 'image/png', callbackUrl: 'https://10.0.0.7/hook' }, 'callbackUrl'],
    ['a private IPv6 callback host', { contentType: 'image/png', callbackUrl: 'https://[fd00::1]/hook' }, 'callbackUrl'],
    ['a negative minConfidence', { contentType: 'image/png', minConfidence: -1 }, 'minConfidence'],
    ['a minConfidence over 100', { contentType: 'image/png', minConfidence: 100.5 }, 'minConfidence'],
    ['zero maxLabels', { contentType: 'image/png', maxLabels: 0 }, 'maxLabels'],
    ['more than 1000 maxLabels', { contentType: 'image/png', maxLabels: 1001 }, 'maxLabels'],
    ['an empty idempotencyKey', { contentType: 'image/png', idempotencyKey: '' }, 'idempotencyKey'],
    ['an idempotencyKey with spaces', { contentType: 'image/png', idempotencyKey: 'my key' }, 'idempotencyKey'],
    ['an idempotencyKey over 255 characters', { contentType: 'image/png', idempotencyKey: 'k'.repeat(256) }, 'idempotencyKey'],
  ])('refuses %s with a ValidationError and writes nothing', async (_case, input, field) => {
    const { data, errors } = await createBlob(input);

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field } })]);
    expect(await h.table.scanAll()).toEqual([]);
    expect(h.lambdaEvents['presign-upload']).toEqual([]);
  });

  it.each<[string, CreateBlobInput]>([
    ['the limits', { contentType: 'image/png', contentLength: 15 * 1024 * 1024, minConfidence: 100, maxLabels: 1000, idempotencyKey: 'k'.repeat(255) }],
    ['the lower limits', { contentType: 'image/jpeg', contentLength: 1, minConfidence: 0, maxLabels: 1, idempotencyKey: 'a' }],
    ['an https callback to a port and path', { contentType: 'image/png', callbackUrl: 'https://hooks.example.com:8443/hooks/labels?x=1' }],
    ['an IPv6 callback host', { contentType: 'image/png', callbackUrl: 'https://[2606:4700:4700::1111]/hook' }],
  ])('accepts %s', async (_case, input) => {
    const { errors } = await createBlob(input);

    expect(errors).toEqual([]);
  });

  it('returns the first blob and the same upload expiry when a create is replayed with its idempotency key', async () => {
    const input = { contentType: 'image/png', idempotencyKey: 'order-42:photo.1' };
    const first = (await createBlob(input)).data as CreateBlobPayload;
    h.clock.now = T0 + 60_000;

    const replay = await createBlob(input);

    expect(replay.errors).toEqual([]);
    const second = replay.data as CreateBlobPayload;
    expect(second.blob.id).toBe(first.blob.id);
    expect(second.upload.expiresAt).toBe(first.upload.expiresAt);
    expect(second.upload.url).toBe(first.upload.url);
    expect(unmarshalled<BlobRecord>(await h.table.scanAll()).filter((i) => i.entity === 'Blob')).toHaveLength(1);
  });

  it('refuses the same idempotency key with a different input', async () => {
    await createBlob({ contentType: 'image/png', idempotencyKey: 'k-1' });

    const { data, errors } = await createBlob({ contentType: 'image/jpeg', idempotencyKey: 'k-1' });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'IdempotencyConflict', errorInfo: { field: 'idempotencyKey' } })]);
    expect(unmarshalled<BlobRecord>(await h.table.scanAll()).filter((i) => i.entity === 'Blob')).toHaveLength(1);
  });

  it('creates a new blob for each create without an idempotency key', async () => {
    const a = (await createBlob({ contentType: 'image/png' })).data as CreateBlobPayload;
    const b = (await createBlob({ contentType: 'image/png' })).data as CreateBlobPayload;

    expect(a.blob.id).not.toBe(b.blob.id);
    expect(unmarshalled<BlobRecord>(await h.table.scanAll()).filter((i) => i.entity === 'Blob')).toHaveLength(2);
  });

  it('reports a failing presign function as an InternalError without its message', async () => {
    h.lambdas['presign-upload'] = async () => {
      throw new Error('AccessDenied: arn:aws:iam::123:role/secret');
    };

    const { data, errors } = await createBlob({ contentType: 'image/png' });

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'InternalError', message: 'The request could not be completed' })]);
  });
});

describe('createBlob and its owner', () => {
  it('records the user pool sub of the caller as the owner', async () => {
    const { data } = await createBlob({ contentType: 'image/png' });

    expect((data as CreateBlobPayload).blob.owner).toBe(ALICE_SUB);
  });

  it('refuses a caller with no identity (an API key) and writes nothing', async () => {
    const { data, errors } = await createBlob({ contentType: 'image/png' }, null);

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
    expect(await h.table.scanAll()).toEqual([]);
  });

  it('keeps idempotency keys apart per owner: the same key from two users names two blobs', async () => {
    const alices = (await createBlob({ contentType: 'image/png', idempotencyKey: 'order-1' })).data as CreateBlobPayload;
    const bobs = await createBlob({ contentType: 'image/jpeg', idempotencyKey: 'order-1' }, BOB);

    expect(bobs.errors).toEqual([]);
    expect((bobs.data as CreateBlobPayload).blob.id).not.toBe(alices.blob.id);
    expect((bobs.data as CreateBlobPayload).blob.owner).not.toBe(ALICE_SUB);
  });

  it('records an IAM caller by its principal', async () => {
    const { data } = await createBlob({ contentType: 'image/png' }, iamIdentity('arn:aws:iam::123456789012:user/ingest'));

    expect((data as CreateBlobPayload).blob.owner).toBe('arn:aws:iam::123456789012:user/ingest');
  });
});

describe('createBlob past the upload quota', () => {
  let q: Harness;
  beforeAll(async () => {
    q = await startHarness({ uploadQuotaPerDay: 3 });
  });
  afterAll(() => q.close());
  beforeEach(() => q.reset());

  const create = (identity: Identity = ALICE, input: CreateBlobInput = { contentType: 'image/png' }) =>
    q.resolve('Mutation', 'createBlob', { input }, identity);
  const blobCount = async () => unmarshalled<BlobRecord>(await q.table.scanAll()).filter((i) => i.entity === 'Blob').length;

  it('fails with QuotaExceeded, says the limit and when it resets, and writes nothing', async () => {
    for (const _ of [1, 2, 3]) expect((await create()).errors).toEqual([]);
    q.clock.now = T0 + 60_000;

    const { data, errors } = await create();

    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        errorType: 'QuotaExceeded',
        message: 'Upload quota reached: 3 uploads per day; it resets at 2026-03-02T00:00:00.000Z',
        errorInfo: { limit: 3, resetsAt: '2026-03-02T00:00:00.000Z' },
      }),
    ]);
    expect(await blobCount()).toBe(3);
    expect(q.lambdaEvents['presign-upload']).toHaveLength(3);
  });

  it('counts each owner apart', async () => {
    for (const _ of [1, 2, 3]) await create();

    const { errors } = await create(BOB);

    expect(errors).toEqual([]);
  });

  it('resets at the start of the next UTC day', async () => {
    for (const _ of [1, 2, 3]) await create();
    q.clock.now = Date.parse('2026-03-02T00:00:00.000Z');

    const { errors } = await create();

    expect(errors).toEqual([]);
  });

  it('does not count a replayed create, even at the limit', async () => {
    const input = { contentType: 'image/png', idempotencyKey: 'retry-me' };
    await create(ALICE, input);
    await create();
    await create();

    const replay = await create(ALICE, input);

    expect(replay.errors).toEqual([]);
  });

  it('does not overshoot when many creates race at the edge', async () => {
    await create();

    const results = await Promise.all(Array.from({ length: 20 }, () => create()));

    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(2);
    expect(results.filter((r) => r.errors[0]?.errorType === 'QuotaExceeded')).toHaveLength(18);
    expect(await blobCount()).toBe(3);
  });
});

describe('createBlob in the local cloud, whose API allows http callbacks to loopback', () => {
  let local: Harness;
  beforeAll(async () => {
    local = await startHarness({ callbackAllowHttpLoopback: true });
  });
  afterAll(() => local.close());

  it.each(['http://127.0.0.1:8080/hooks/labels', 'http://localhost:3000/hook', 'http://[::1]:9000/hook', 'https://example.com/hook'])(
    'accepts the callback URL %s',
    async (callbackUrl) => {
      const { errors } = await local.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png', callbackUrl } });

      expect(errors).toEqual([]);
    },
  );

  it.each(['http://example.com/hook', 'https://192.168.1.10/hook', 'http://169.254.169.254/latest'])(
    'still refuses the callback URL %s',
    async (callbackUrl) => {
      const { errors } = await local.resolve('Mutation', 'createBlob', { input: { contentType: 'image/png', callbackUrl } });

      expect(errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'callbackUrl' } })]);
    },
  );
});
