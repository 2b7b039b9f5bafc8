// The local cloud refuses what functions/manifest.ts does not grant, as IAM would: take one permission away and the
// call that needs it is refused with AWS's error (so the behaviour that needs it breaks, here and before a deploy);
// with the manifest as declared, the same steps succeed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Permission } from '../../domain/resources.ts';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../../functions/manifest.ts';
import type { LocalCloud } from '../../local/cloud.ts';
import { dataSources, type DataSourceName, type DataSourceSpec } from '../../resolvers/manifest.ts';
import { createBlob, fixture, getBlob, graphql, putBytes, removeDataDir, startTestCloud } from './support/local-service.ts';
import { signUp } from './support/users.ts';

/** The manifest with one action taken from one function. */
function without(name: FunctionName, action: string): Record<string, FunctionSpec> {
  const spec: FunctionSpec = FUNCTIONS[name];
  const permissions: Permission[] = spec.permissions
    .map((permission) => ({ ...permission, actions: permission.actions.filter((candidate) => candidate !== action) }))
    .filter((permission) => permission.actions.length > 0);
  return { ...FUNCTIONS, [name]: { ...spec, permissions } };
}

/** The API's data sources with one action taken from the blobs table's role. */
function withoutTableAction(action: string): Record<DataSourceName, DataSourceSpec> {
  const spec = dataSources.blobsTable;
  if (spec.kind !== 'DYNAMODB') throw new Error('blobsTable is a DynamoDB data source');
  const permissions = spec.permissions.map((permission) => ({ ...permission, actions: permission.actions.filter((candidate) => candidate !== action) }));
  return { ...dataSources, blobsTable: { ...spec, permissions } };
}

/** Creates a blob, uploads a cat photo with its URL, waits until the upload has been processed. */
async function uploadCat(cloud: LocalCloud) {
  const user = await signUp(cloud);
  const { blob, upload } = (await createBlob(cloud, { contentType: 'image/png' }, user)).data!.createBlob;
  const put = await putBytes(upload.url, JSON.parse(upload.headers) as Record<string, string>, await fixture('chelsea.png'));
  await cloud.uploadsIdle();
  return { put, blob: await getBlob(cloud, blob.id, user), role: cloud.functionCredentials('presign-upload') };
}

describe('permissions the manifest declares, enforced by the local cloud', () => {
  let cloud: LocalCloud | undefined;

  afterEach(async () => {
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
    cloud = undefined;
  });

  it('refuses the upload URL of presign-upload when its role may not s3:PutObject, as S3 does', async () => {
    cloud = await startTestCloud(undefined, { functions: without('presign-upload', 's3:PutObject') });

    const { put, blob } = await uploadCat(cloud);

    expect(put.status).toBe(403);
    expect(put.body).toContain('<Code>AccessDenied</Code>');
    expect(put.body).toContain(
      'User: arn:aws:sts::000000000000:assumed-role/image-labels-local-presign-upload/image-labels-local-presign-upload ' +
        `is not authorized to perform: s3:PutObject on resource: &quot;arn:aws:s3:::${cloud.bucket}/${cloud.stage}/${blob!.id}&quot;`,
    );
    expect(blob).toMatchObject({ status: 'PENDING_UPLOAD' });
  });

  it('ends the blob FAILED with AccessDeniedException when process-upload may not rekognition:DetectLabels', async () => {
    cloud = await startTestCloud(undefined, { functions: without('process-upload', 'rekognition:DetectLabels') });

    const { put, blob } = await uploadCat(cloud);

    expect(put.status).toBe(200);
    expect(blob).toMatchObject({ status: 'FAILED', labels: null, error: { code: 'AccessDeniedException' } });
    expect(blob!.error!.message).toContain('is not authorized to perform: rekognition:DetectLabels');
  });

  it('does not start when the queue\'s consumer may not receive its messages, as Lambda refuses the event source mapping', async () => {
    const starting = startTestCloud(undefined, { functions: without('process-upload', 'sqs:ReceiveMessage') });

    await expect(starting).rejects.toThrow(/InvalidParameterValueException: The provided execution role does not have permissions to call ReceiveMessage on SQS/);
  });

  it('fails blob(id) when the API\'s table data source may not dynamodb:GetItem, as AppSync with that role does', async () => {
    cloud = await startTestCloud(undefined, { dataSources: withoutTableAction('dynamodb:GetItem') });
    const user = await signUp(cloud);

    const created = await createBlob(cloud, { contentType: 'image/png' }, user);
    const read = await graphql<{ blob: unknown }>(cloud, 'query Get($id: ID!) { blob(id: $id) { id } }', { id: created.data!.createBlob.blob.id }, user);

    expect(created.errors).toBeUndefined();
    expect(read.data?.blob ?? null).toBeNull();
    expect(read.errors).toEqual([expect.objectContaining({ errorType: 'InternalError', path: ['blob'] })]);
  });

  it('labels the same upload with the manifest as declared', async () => {
    cloud = await startTestCloud(undefined, { functions: FUNCTIONS });

    const { put, blob } = await uploadCat(cloud);

    expect(put.status).toBe(200);
    expect(blob).toMatchObject({ status: 'LABELLED', error: null });
    expect(blob!.labels!.map((label) => label.name)).toContain('Cat');
  });
});
