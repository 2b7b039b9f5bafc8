import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PresignUploadRequest } from '../../domain/lambda-payloads.ts';
import { captureLogs } from './support/captured-logs.ts';
import { lambdaContext } from './support/lambda-context.ts';
import { importWithEnvironment } from './support/handler-module.ts';

const ENV = {
  STAGE: 'test',
  BUCKET_NAME: 'uploads',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDPRESIGNTEST',
  AWS_SECRET_ACCESS_KEY: 'presign-test-secret',
  AWS_SESSION_TOKEN: '',
  LOG_LEVEL: 'WARN',
};

async function loadHandler(env: Record<string, string>) {
  return (await importWithEnvironment({ ...ENV, ...env }, () => import('../../functions/presign-upload.ts'))).handler;
}

const request: PresignUploadRequest = {
  id: '01JPRESIGNTEST000000000000',
  contentType: 'image/png',
  contentLength: 240_512,
  signedAt: '2026-03-01T12:00:00.000Z',
  expiresAt: '2026-03-01T12:15:00.000Z',
};

describe('presign-upload handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('signs Content-Type, Content-Length and If-None-Match into a path-style URL of the configured endpoint', async () => {
    // Arrange
    const handler = await loadHandler({ S3_FORCE_PATH_STYLE: 'true', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' });

    // Act
    const result = await handler(request, lambdaContext());

    // Assert
    const url = new URL(result.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:4569/uploads/test/01JPRESIGNTEST000000000000');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260301T120000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDPRESIGNTEST/20260301/eu-west-1/s3/aws4_request');
    expect([...url.searchParams.keys()].filter((key) => /checksum/i.test(key))).toEqual([]);
    expect(result).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'Content-Length': '240512', 'If-None-Match': '*' },
      expiresAt: request.expiresAt,
    });
  });

  it('signs Content-Type and If-None-Match when no length was declared', async () => {
    const handler = await loadHandler({ S3_FORCE_PATH_STYLE: 'true', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' });

    const result = await handler({ ...request, contentLength: null }, lambdaContext());

    expect(new URL(result.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host;if-none-match');
    expect(result.headers).toEqual({ 'Content-Type': 'image/png', 'If-None-Match': '*' });
  });

  it('uses virtual-hosted style against AWS unless path style is configured', async () => {
    const handler = await loadHandler({});

    const result = await handler(request, lambdaContext());

    expect(new URL(result.url).host).toBe('uploads.s3.eu-west-1.amazonaws.com');
    expect(new URL(result.url).pathname).toBe('/test/01JPRESIGNTEST000000000000');
  });

  it('gives a replayed request the very same URL', async () => {
    const handler = await loadHandler({});

    const [first, second] = [await handler(request, lambdaContext()), await handler({ ...request }, lambdaContext())];

    expect(second.url).toBe(first.url);
  });

  it('never writes the URL to the logs', async () => {
    const handler = await loadHandler({ LOG_LEVEL: 'INFO' });
    const logs = captureLogs();

    try {
      await handler(request, lambdaContext());
    } finally {
      logs.restore();
    }

    const entries = logs.entries();
    expect(entries).toContainEqual(expect.objectContaining({ message: 'Upload URL signed', blobId: request.id }));
    expect(JSON.stringify(entries)).not.toMatch(/X-Amz-Signature/);
  });

  it.each([
    [{ contentType: 'image/gif' }, /contentType must be one of image\/jpeg, image\/png/],
    [{ contentLength: 16 * 1024 * 1024 }, /contentLength must be an integer from 1 to 15728640/],
    [{ id: '../other-stage/x' }, /id must be a blob id/],
    [{ expiresAt: '2026-03-01T11:00:00.000Z' }, /expiresAt must be 1 s to 7 days after signedAt/],
  ])('refuses %j as a ValidationError', async (change, message) => {
    const handler = await loadHandler({});

    const error = await handler({ ...request, ...change }, lambdaContext()).catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(message) });
  });

  it('stops at start-up, naming the variable, when BUCKET_NAME is missing', async () => {
    await expect(loadHandler({ BUCKET_NAME: '' })).rejects.toThrow(/BUCKET_NAME is missing: the S3 bucket of uploads/);
  });
});
