import { DeleteObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from './support/lambda-context.ts';
import { importWithEnvironment } from './support/handler-module.ts';

const s3 = mockClient(S3Client);

async function loadHandler() {
  const env = { STAGE: 'test', BUCKET_NAME: 'uploads', AWS_REGION: 'eu-west-1', LOG_LEVEL: 'SILENT' };
  return (await importWithEnvironment(env, () => import('../../functions/delete-object.ts'))).handler;
}

describe('delete-object handler', () => {
  beforeEach(() => {
    s3.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('deletes {STAGE}/{id} from the bucket', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    const handler = await loadHandler();

    const result = await handler({ id: '01JDELETETEST0000000000000' }, lambdaContext());

    expect(result).toEqual({ objectKey: 'test/01JDELETETEST0000000000000' });
    expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: 'uploads', Key: 'test/01JDELETETEST0000000000000' });
  });

  it('refuses an id that could reach outside the stage prefix', async () => {
    const handler = await loadHandler();

    await expect(handler({ id: '../prod/01J' }, lambdaContext())).rejects.toMatchObject({ name: 'ValidationError' });
    expect(s3.calls()).toHaveLength(0);
  });

  it('fails with a retryable error when S3 is unavailable', async () => {
    s3.on(DeleteObjectCommand).rejects(
      new S3ServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'Service Unavailable', $metadata: { httpStatusCode: 503 } }),
    );
    const handler = await loadHandler();

    await expect(handler({ id: '01JDELETETEST0000000000000' }, lambdaContext())).rejects.toMatchObject({
      name: 'DependencyUnavailable',
      retryable: true,
    });
  });
});
