import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlBody, IAM, post, postSigned, PUBLISH_BLOB_RESULT, signedHeaders, startTestServer, type TestServer } from './support/clients.ts';

const INPUT = {
  id: 'blob-iam',
  owner: 'user-1',
  status: 'LABELLED',
  minConfidence: 55,
  maxLabels: 20,
  labels: [{ name: 'Cat', confidence: 90, parents: [], aliases: [], categories: [], instances: [] }],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:05.000Z',
  uploadExpiresAt: '2025-01-01T00:15:00.000Z',
};

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

describe('local AppSync IAM (SigV4) authorization', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });

  afterAll(async () => {
    await t.server.close();
  });

  it('accepts the IAM-only mutation signed with @smithy/signature-v4 and gives the runtime the IAM identity', async () => {
    t.runtime.invocations.length = 0;

    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT });

    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data).toMatchObject({ publishBlobResult: { id: 'blob-iam', status: 'LABELLED' } });
    expect(t.runtime.invocations[0].identity).toEqual({
      accountId: IAM.accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
      sourceIp: ['127.0.0.1'],
      username: IAM.accessKeyId,
      userArn: `arn:aws:iam::${IAM.accountId}:user/${IAM.accessKeyId}`,
    });
  });

  it('accepts a signature that covers a session token (x-amz-security-token)', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' });

    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
  });

  it.each([
    ['with x-amz-content-sha256 (AWS SDK)', true, "The provided 'x-amz-content-sha256' header does not match what was computed."],
    ['without x-amz-content-sha256 (Amplify)', false, SIGNATURE_MISMATCH],
  ])('refuses a request whose body was changed after signing, signed %s', async (_case, applyChecksum, message) => {
    const body = graphqlBody(PUBLISH_BLOB_RESULT, { input: INPUT });
    const headers = await signedHeaders(t.server.graphqlUrl, body, { applyChecksum });
    const tampered = body.replace('LABELLED', 'REJECTED');

    const res = await post(t.server.graphqlUrl, tampered, headers);

    expect(res.status).toBe(401);
    expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message }] });
  });

  it('refuses a request signed with the wrong secret key', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { secretAccessKey: 'not-the-secret' });

    expect(res.status).toBe(401);
    expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: SIGNATURE_MISMATCH }] });
  });

  it('refuses an access key it does not know', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { accessKeyId: 'AKIAUNKNOWN000000000' });

    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'The security token included in the request is invalid.' }],
    });
  });

  it('refuses a signature dated more than 15 minutes ago', async () => {
    const stale = new Date(Date.now() - 16 * 60 * 1000);

    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { signingDate: stale });

    expect(res.status).toBe(401);
    expect((res.json.errors as Array<{ errorType: string; message: string }>)[0]).toMatchObject({
      errorType: 'UnauthorizedException',
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/),
    });
  });

  it('accepts a signature dated 14 minutes ago (within the allowed clock skew)', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { signingDate: new Date(Date.now() - 14 * 60 * 1000) });

    expect(res.status).toBe(200);
  });

  it('refuses a signature scoped to another region', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input: INPUT }, { region: 'eu-west-1' });

    expect(res.status).toBe(401);
    expect(res.json.errors).toMatchObject([{ errorType: 'UnauthorizedException' }]);
  });

  it('refuses a signed request whose signed header was altered in transit', async () => {
    const body = graphqlBody(PUBLISH_BLOB_RESULT, { input: INPUT });
    const headers = await signedHeaders(t.server.graphqlUrl, body, { extraHeaders: { 'x-amz-user-agent': 'lambda/1.0' } });

    const res = await post(t.server.graphqlUrl, body, { ...headers, 'x-amz-user-agent': 'someone-else/2.0' });

    expect(res.status).toBe(401);
  });
});
