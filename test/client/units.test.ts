// The client's pure parts: backoff, image checks, configuration, S3's error answers, and the auth providers'
// contracts (the IAM signature is checked by the same verifier the local AppSync uses).
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../client/src/backoff.ts';
import { apiKeyAuth, userPoolAuth } from '../../client/src/auth.ts';
import { configFromAmplifyOutputs, realtimeUrlFor } from '../../client/src/config.ts';
import { ImageLabelsError, isQuotaExceeded, isTooManyRequests } from '../../client/src/errors.ts';
import { iamAuth } from '../../client/src/iam.ts';
import { checkImage, MAX_IMAGE_BYTES, sniffContentType } from '../../client/src/image.ts';
import { storageError } from '../../client/src/storage-error.ts';
import { MAX_UPLOAD_BYTES } from '../../domain/blob.ts';
import { amplifyOutputs } from '../../infra/amplify-outputs.ts';
import { verifySigV4 } from '../../local/appsync/sigv4-verify.ts';

const JPEG_HEAD = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GIF_HEAD = new TextEncoder().encode('GIF89a..');

describe('backoff', () => {
  it('grows by the factor up to the maximum', () => {
    const settings = { initialMs: 1000, maxMs: 5000, factor: 1.5, jitter: 0 };

    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(settings, attempt))).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
  });

  it('takes at most the jitter fraction off a delay', () => {
    const settings = { initialMs: 1000, maxMs: 1000, jitter: 0.25 };

    expect(backoffDelay(settings, 0, () => 0)).toBe(1000);
    expect(backoffDelay(settings, 0, () => 0.999999)).toBe(750);
  });
});

describe('image checks', () => {
  it.each([
    ['JPEG', JPEG_HEAD, 'image/jpeg'],
    ['PNG', PNG_HEAD, 'image/png'],
    ['GIF', GIF_HEAD, null],
    ['a truncated PNG signature', PNG_HEAD.subarray(0, 4), null],
  ])('reads %s from its first bytes', (_what, head, expected) => {
    expect(sniffContentType(head)).toBe(expected);
  });

  it('takes the type from the bytes, not from what a file claims to be', async () => {
    const file = new Blob([PNG_HEAD, new Uint8Array(100)], { type: 'image/jpeg' });

    await expect(checkImage(file)).resolves.toMatchObject({ contentType: 'image/png', size: 108 });
  });

  it('refuses a GIF before anything is sent, naming the declared type', async () => {
    const gif = new Blob([GIF_HEAD], { type: 'image/gif' });

    await expect(checkImage(gif)).rejects.toMatchObject({ source: 'Input', code: 'UnsupportedContentType', info: { declared: 'image/gif' } });
  });

  it('refuses an image one byte over the API limit, and an empty one', async () => {
    const large = new Uint8Array(MAX_IMAGE_BYTES + 1);
    large.set(JPEG_HEAD);

    await expect(checkImage(large)).rejects.toMatchObject({ code: 'ImageTooLarge', info: { size: MAX_IMAGE_BYTES + 1 } });
    await expect(checkImage(new Uint8Array(0))).rejects.toMatchObject({ code: 'EmptyImage' });
  });

  it('has the limit the API enforces', () => {
    expect(MAX_IMAGE_BYTES).toBe(MAX_UPLOAD_BYTES);
  });

  it('reads a view into a larger buffer from its own offset', async () => {
    const buffer = new Uint8Array(64);
    buffer.set(PNG_HEAD, 16);

    await expect(checkImage(buffer.subarray(16, 40))).resolves.toMatchObject({ contentType: 'image/png', size: 24 });
  });
});

describe('configuration from amplify_outputs.json', () => {
  const local = amplifyOutputs({
    region: 'us-east-1',
    userPoolId: 'us-east-1_Local',
    userPoolClientId: 'client',
    graphqlUrl: 'https://127.0.0.1:20003/graphql',
    userPoolEndpoint: 'http://127.0.0.1:4571/',
  });

  it('reads the endpoint, the modes and the local user pool endpoint', () => {
    const config = configFromAmplifyOutputs({ ...local, custom: { ...local.custom, tlsCertificate: 'PEM' } });

    expect(config).toEqual({
      graphqlUrl: 'https://127.0.0.1:20003/graphql',
      realtimeUrl: 'wss://127.0.0.1:20003/graphql/realtime',
      region: 'us-east-1',
      defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
      authModes: ['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM'],
      userPool: { region: 'us-east-1', userPoolId: 'us-east-1_Local', userPoolClientId: 'client', endpoint: 'http://127.0.0.1:4571/' },
      apiKey: null,
      tlsCertificate: 'PEM',
    });
  });

  it("uses AWS's user pool endpoint and an API key when the outputs have them", () => {
    const { custom: _custom, ...deployed } = local;
    const config = configFromAmplifyOutputs({
      ...deployed,
      data: { ...deployed.data, url: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', api_key: 'da2-key', authorization_types: ['API_KEY'] },
    });

    expect(config.userPool?.endpoint).toBe('https://cognito-idp.us-east-1.amazonaws.com/');
    expect(config.realtimeUrl).toBe('wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql');
    expect(config.apiKey).toBe('da2-key');
    expect(config.authModes).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY']);
  });

  it.each([
    ['a string', 'nope', 'not a JSON object'],
    ['no data section', { auth: local.auth }, 'data.url'],
    ['an unknown authorization type', { ...local, data: { ...local.data, default_authorization_type: 'OPENID' } }, 'default_authorization_type'],
  ])('refuses %s, saying what is missing', (_what, outputs, missing) => {
    expect(() => configFromAmplifyOutputs(outputs)).toThrow(missing);
  });

  it('derives the realtime URL of a custom domain under its GraphQL path', () => {
    expect(realtimeUrlFor('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql/realtime');
  });
});

describe("storage's refusals", () => {
  it("takes S3's code and message from its XML", () => {
    const error = storageError(412, '<?xml version="1.0"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');

    expect(error).toMatchObject({ source: 'Upload', code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold', info: { status: 412 } });
    expect(error.retryable).toBe(false);
  });

  it('falls back to the HTTP status when the answer is not S3 XML', () => {
    const error = storageError(503, 'upstream unavailable');

    expect(error).toMatchObject({ code: 'HTTP 503', message: 'Storage answered HTTP 503' });
    expect(error.retryable).toBe(true);
  });
});

describe('typed errors', () => {
  it('recognise QuotaExceeded and TooManyRequests only with the errorInfo the API documents', () => {
    const quota = new ImageLabelsError('GraphQL', 'QuotaExceeded', 'over', { info: { limit: 500, resetsAt: '2026-03-02T00:00:00.000Z' } });
    const bare = new ImageLabelsError('GraphQL', 'QuotaExceeded', 'over');
    const tooMany = new ImageLabelsError('GraphQL', 'TooManyRequests', 'soon', { info: { retryAfterSeconds: 42 } });

    expect([isQuotaExceeded(quota), isQuotaExceeded(bare), isQuotaExceeded(tooMany)]).toEqual([true, false, false]);
    expect(isTooManyRequests(tooMany)).toBe(true);
    expect(tooMany.retryable).toBe(true);
  });
});

describe('auth providers', () => {
  const request = { url: 'https://api.example.com/graphql', body: '{}', headers: { 'content-type': 'application/json' } };

  it('ask the token source for a fresh token once, after a refusal', async () => {
    const asked: boolean[] = [];
    const auth = userPoolAuth(({ forceRefresh }) => {
      asked.push(forceRefresh);
      return forceRefresh ? 'fresh' : 'cached';
    });

    const first = await auth.authorize(request);
    const refreshed = await auth.refresh();
    const second = await auth.authorize(request);
    const third = await auth.authorize(request);

    expect([first, second, third]).toEqual([{ Authorization: 'cached' }, { Authorization: 'fresh' }, { Authorization: 'cached' }]);
    expect(refreshed).toBe(true);
    expect(asked).toEqual([false, true, false]);
  });

  it('refuse to send a request without a token', async () => {
    const auth = userPoolAuth(async () => undefined);

    await expect(auth.authorize(request)).rejects.toMatchObject({ source: 'Auth', code: 'NotSignedIn' });
  });

  it('send an API key as x-api-key, and have nothing fresher to try', async () => {
    const auth = apiKeyAuth('da2-key');

    expect(await auth.authorize(request)).toEqual({ 'x-api-key': 'da2-key' });
    expect(await auth.refresh()).toBe(false);
  });

  it('sign for IAM what AppSync verifies: the headers and the body', async () => {
    const credentials = { accessKeyId: 'AKIDCLIENTTEST', secretAccessKey: 'client-test-secret' };
    const auth = iamAuth({ region: 'eu-west-1', credentials });
    const body = JSON.stringify({ query: '{ blobs { items { id } } }' });

    const headers = await auth.authorize({ ...request, body });
    const verify = (sentBody: string) => verifySigV4(
      { method: 'POST', path: '/graphql', headers: { ...request.headers, ...headers }, body: sentBody },
      { secrets: [credentials], region: 'eu-west-1', service: 'appsync' },
    );

    expect(headers.host).toBe('api.example.com');
    expect(await verify(body)).toMatchObject({ ok: true, accessKeyId: 'AKIDCLIENTTEST' });
    expect(await verify(body.replace('blobs', 'blob'))).toMatchObject({ ok: false });
  });
});
