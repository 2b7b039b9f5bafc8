import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PresignImageRequest } from '../../domain/lambda-payloads.ts';
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
  S3_FORCE_PATH_STYLE: 'true',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
};

async function loadHandler() {
  return (await importWithEnvironment(ENV, () => import('../../functions/presign-image.ts'))).handler;
}

const request: PresignImageRequest = { id: '01JPRESIGNIMAGE00000000000', contentType: 'image/png' };

describe('presign-image handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('signs a five-minute GET of the blob object, served inline with its image type', async () => {
    const handler = await loadHandler();
    const before = Date.now();

    const result = await handler(request, lambdaContext());

    const url = new URL(result.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:4569/uploads/test/01JPRESIGNIMAGE00000000000');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline');
    const expiresAt = Date.parse(result.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
  });

  it.each([
    ['an id that is not a blob id', { id: '../other-stage/key', contentType: 'image/png' }],
    ['a type a browser could run', { id: request.id, contentType: 'text/html' }],
  ])('refuses %s', async (_what, bad) => {
    const handler = await loadHandler();

    await expect(handler(bad, lambdaContext())).rejects.toMatchObject({ code: 'ValidationError' });
  });
});
