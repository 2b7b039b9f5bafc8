import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { verifySigV4, type Verification } from '../../../local/s3/sigv4.ts';

const ENDPOINT = 'http://127.0.0.1:4569';
const client = new S3Client({
  endpoint: ENDPOINT, region: LOCAL_REGION, credentials: localCredentials(), forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
});
const options = { region: LOCAL_REGION, secretFor: (id: string) => (id === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined) };

/** What a client sends for a URL: method, path and query as written, host and the given headers. */
function arriving(method: string, url: string, headers: Record<string, string> = {}) {
  const parsed = new URL(url);
  const rawHeaders = Object.entries({ host: parsed.host, ...headers }).flat();
  return { method, url: parsed.pathname + parsed.search, rawHeaders };
}

function codeOf(verification: Verification): string {
  return verification.ok ? 'ok' : verification.error.code;
}

async function headerSigned(region: string, date: Date, extra: Record<string, string> = {}) {
  const signer = new SignatureV4({ service: 's3', region, credentials: localCredentials(), sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4569, path: '/bucket/local/key', query: {},
    headers: { host: '127.0.0.1:4569', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra },
  }, { signingDate: date });
  return { method: 'GET', url: '/bucket/local/key', rawHeaders: Object.entries(signed.headers).flat() };
}

describe('SigV4 verification of S3 requests', () => {
  it.each([
    ['spaces and brackets', 'local/my photo (1).jpg'],
    ['non-ASCII letters', 'local/été/ü.png'],
    ['reserved characters', "local/a+b=c&d;e,f:g@h$i!j'k*l~m"],
  ])('accepts presigned URLs for keys with %s', async (_name, key) => {
    // Arrange
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: key }), { expiresIn: 60 });

    // Act
    const verification = await verifySigV4(arriving('GET', url), options);

    // Assert
    expect(verification).toEqual({ ok: true, accessKeyId: LOCAL_CREDENTIALS.accessKeyId, presigned: true, payloadHash: 'UNSIGNED-PAYLOAD' });
  });

  it('accepts a presigned URL whose query also carries response overrides', async () => {
    // Arrange
    const url = await getSignedUrl(client, new GetObjectCommand({
      Bucket: 'bucket', Key: 'local/k', ResponseContentDisposition: 'attachment; filename="a b.jpg"',
    }), { expiresIn: 60 });

    // Act
    const verification = await verifySigV4(arriving('GET', url), options);

    // Assert
    expect(codeOf(verification)).toBe('ok');
  });

  it('refuses a presigned URL used with another method', async () => {
    // Arrange
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: 'local/k' }), { expiresIn: 60 });

    // Act
    const verification = await verifySigV4(arriving('DELETE', url), options);

    // Assert
    expect(codeOf(verification)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a presigned URL valid for more than a week', async () => {
    // Arrange
    const url = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: 'bucket', Key: 'local/k' }), { expiresIn: 60 }));
    url.searchParams.set('X-Amz-Expires', '604801');

    // Act
    const verification = await verifySigV4(arriving('PUT', url.href), options);

    // Assert
    expect(verification).toMatchObject({ ok: false, error: { status: 400, code: 'AuthorizationQueryParametersError' } });
  });

  it('accepts a header-signed request and reports its payload hash', async () => {
    // Act
    const verification = await verifySigV4(await headerSigned(LOCAL_REGION, new Date()), options);

    // Assert
    expect(verification).toEqual({ ok: true, accessKeyId: LOCAL_CREDENTIALS.accessKeyId, presigned: false, payloadHash: 'UNSIGNED-PAYLOAD' });
  });

  it('refuses a header-signed request more than 15 minutes old with RequestTimeTooSkewed', async () => {
    // Act
    const verification = await verifySigV4(await headerSigned(LOCAL_REGION, new Date(Date.now() - 16 * 60_000)), options);

    // Assert
    expect(verification).toMatchObject({ ok: false, error: { status: 403, code: 'RequestTimeTooSkewed' } });
  });

  it('refuses a request signed for another region', async () => {
    // Act
    const verification = await verifySigV4(await headerSigned('eu-west-1', new Date()), options);

    // Assert
    expect(verification).toMatchObject({
      ok: false,
      error: { status: 400, code: 'AuthorizationHeaderMalformed', message: "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'" },
    });
  });

  it('refuses a signed header whose value changed on the way', async () => {
    // Arrange
    const request = await headerSigned(LOCAL_REGION, new Date(), { 'x-amz-meta-owner': 'alice' });
    const index = request.rawHeaders.indexOf('x-amz-meta-owner');
    request.rawHeaders[index + 1] = 'mallory';

    // Act
    const verification = await verifySigV4(request, options);

    // Assert
    expect(codeOf(verification)).toBe('SignatureDoesNotMatch');
  });

  it('refuses SigV2 query authentication as S3 does in regions that only take SigV4', async () => {
    // Act
    const verification = await verifySigV4(arriving('GET', `${ENDPOINT}/bucket/k?AWSAccessKeyId=x&Expires=1&Signature=y`), options);

    // Assert
    expect(verification).toMatchObject({ ok: false, error: { status: 400, code: 'InvalidRequest' } });
  });
});
