import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/config.ts';
import type { LocalS3 } from '../../../local/s3/server.ts';
import { BUCKET, EventRecorder, parseError, s3Client, startTestS3, temporaryDataDir } from './helpers.ts';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);

describe('local S3', () => {
  let data: Awaited<ReturnType<typeof temporaryDataDir>>;
  let recorder: EventRecorder;
  let s3: LocalS3;
  let client: S3Client;

  beforeEach(async () => {
    data = await temporaryDataDir();
    recorder = new EventRecorder();
    s3 = await startTestS3(data.dir, recorder);
    client = s3Client(s3.endpoint);
  });

  afterEach(async () => {
    client?.destroy();
    await s3?.close();
    await data?.remove();
  });

  function presignPut(key: string, options: { contentType?: string; contentLength?: number; expiresIn?: number; signingDate?: Date } = {}) {
    return getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: options.contentType ?? 'image/jpeg', ContentLength: options.contentLength }),
      // As the presign function does: the presigner leaves content-type unsigned unless asked.
      { expiresIn: options.expiresIn ?? 900, signingDate: options.signingDate, signableHeaders: new Set(['content-type']) },
    );
  }

  async function bodyOf(key: string): Promise<Buffer> {
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  describe('conditional writes (If-None-Match: *)', () => {
    const presignOnce = (key: string) =>
      getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: 'image/jpeg', IfNoneMatch: '*' }),
        { expiresIn: 900, signableHeaders: new Set(['content-type', 'if-none-match']) },
      );
    const put = (url: string, body: Buffer, headers: Record<string, string> = { 'content-type': 'image/jpeg', 'if-none-match': '*' }) =>
      fetch(url, { method: 'PUT', body: new Uint8Array(body), headers });

    it('refuses a second PUT to a used upload URL with 412 PreconditionFailed, keeping the first object', async () => {
      // Arrange
      const url = await presignOnce('local/once');
      expect((await put(url, JPEG)).status).toBe(200);

      // Act
      const second = await put(url, Buffer.concat([JPEG, Buffer.from('other')]));

      // Assert
      expect(second.status).toBe(412);
      expect(parseError(await second.text())).toEqual({
        code: 'PreconditionFailed',
        message: 'At least one of the pre-conditions you specified did not hold',
      });
      expect(await bodyOf('local/once')).toEqual(JPEG);
      await s3.eventsIdle();
      expect(recorder.events).toHaveLength(1);
    });

    it('refuses the URL without the signed If-None-Match header', async () => {
      const url = await presignOnce('local/unconditional');

      const response = await put(url, JPEG, { 'content-type': 'image/jpeg' });

      expect(response.status).toBe(403);
      expect(parseError(await response.text()).code).toBe('SignatureDoesNotMatch');
    });

    it('lets exactly one of several concurrent conditional PUTs create the object', async () => {
      const url = await presignOnce('local/race');

      const statuses = await Promise.all([1, 2, 3, 4, 5].map((n) => put(url, Buffer.concat([JPEG, Buffer.from([n])])).then((r) => r.status)));

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status !== 200).every((status) => status === 412 || status === 409)).toBe(true);
    });

    it('answers If-None-Match with an ETag as S3 does: not implemented', async () => {
      const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'local/etag', ContentType: 'image/jpeg', IfNoneMatch: '"abc"' }), {
        expiresIn: 900,
        signableHeaders: new Set(['content-type', 'if-none-match']),
      });

      const response = await put(url, JPEG, { 'content-type': 'image/jpeg', 'if-none-match': '"abc"' });

      expect(response.status).toBe(501);
      expect(parseError(await response.text()).code).toBe('NotImplemented');
    });
  });

  describe('presigned URLs', () => {
    it('accepts a PUT with the presigned URL and the signed headers, like curl --upload-file', async () => {
      // Arrange
      const url = await presignPut('local/one', { contentLength: JPEG.length });

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });

      // Assert
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe(`"${createHash('md5').update(JPEG).digest('hex')}"`);
      expect(await bodyOf('local/one')).toEqual(JPEG);
    });

    it('refuses a URL whose signature was tampered with, as SignatureDoesNotMatch', async () => {
      // Arrange
      const url = new URL(await presignPut('local/two'));
      const signature = url.searchParams.get('X-Amz-Signature')!;
      url.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text()).code).toBe('SignatureDoesNotMatch');
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'local/two' }))).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('refuses a URL for another key than the one signed', async () => {
      // Arrange
      const url = new URL(await presignPut('local/signed-key'));
      url.pathname = `/${BUCKET}/local/other-key`;

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text()).code).toBe('SignatureDoesNotMatch');
    });

    it('refuses an expired URL with AccessDenied "Request has expired"', async () => {
      // Arrange
      const url = await presignPut('local/late', { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });

      // Assert
      const body = await response.text();
      expect(response.status).toBe(403);
      expect(parseError(body)).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
      expect(body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    });

    it('refuses a Content-Type other than the signed one', async () => {
      // Arrange
      const url = await presignPut('local/typed', { contentType: 'image/jpeg' });

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/png' } });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text()).code).toBe('SignatureDoesNotMatch');
    });

    it('refuses a body of another size than the signed Content-Length', async () => {
      // Arrange
      const url = await presignPut('local/sized', { contentLength: JPEG.length });

      // Act
      const response = await fetch(url, { method: 'PUT', body: Buffer.concat([JPEG, Buffer.from('more')]), headers: { 'content-type': 'image/jpeg' } });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text()).code).toBe('SignatureDoesNotMatch');
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'local/sized' }))).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('refuses x-amz-* headers that were not signed', async () => {
      // Arrange
      const url = await presignPut('local/acl');

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg', 'x-amz-acl': 'public-read' } });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text())).toEqual({ code: 'AccessDenied', message: 'There were headers present in the request which were not signed' });
    });

    it('answers 100 Continue only to a valid upload, so a refused client never sends its body', async () => {
      // Arrange
      const valid = new URL(await presignPut('local/continued'));
      const tampered = new URL(valid);
      tampered.searchParams.set('X-Amz-Expires', '901');
      const put = (url: URL) => new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const request = httpRequest(url, {
          method: 'PUT',
          headers: { 'content-type': 'image/jpeg', 'content-length': JPEG.length, expect: '100-continue' },
        });
        request.on('continue', () => {
          continued = true;
          request.end(JPEG);
        });
        request.on('response', (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, continued }));
        });
        request.on('error', reject);
        request.flushHeaders();
      });

      // Act
      const accepted = await put(valid);
      const refused = await put(tampered);

      // Assert
      expect(accepted).toEqual({ status: 200, continued: true });
      expect(refused).toEqual({ status: 403, continued: false });
    });

    /** A PUT whose headers are sent at once; the body only if the server has not answered by then. */
    const rawPut = (url: URL, headers: Record<string, string | number>, body: (request: ReturnType<typeof httpRequest>) => void) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(url, { method: 'PUT', headers });
        request.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        });
        request.on('error', reject);
        body(request);
      });

    it('refuses an upload without a Content-Length (a chunked body of any size) with 411 MissingContentLength, storing nothing', async () => {
      // Arrange
      const url = new URL(await presignPut('local/chunked'));

      // Act
      const response = await rawPut(url, { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' }, (request) => {
        request.write(JPEG.subarray(0, 1024));
        request.end(JPEG.subarray(1024));
      });

      // Assert
      expect(response.status).toBe(411);
      expect(parseError(response.body)).toEqual({ code: 'MissingContentLength', message: 'You must provide the Content-Length HTTP header.' });
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'local/chunked' }))).rejects.toMatchObject({ name: 'NotFound' });
      expect(recorder.events).toEqual([]);
    });

    it('refuses an upload declaring more than 5 GiB with 400 EntityTooLarge before reading its body', async () => {
      // Arrange
      const url = new URL(await presignPut('local/huge'));
      const proposed = 5 * 1024 ** 3 + 1;

      // Act: the headers alone; the answer must come without a byte of the body.
      const response = await rawPut(url, { 'content-type': 'image/jpeg', 'content-length': proposed }, (request) => request.flushHeaders());

      // Assert
      expect(response.status).toBe(400);
      expect(parseError(response.body).code).toBe('EntityTooLarge');
      expect(response.body).toContain(`<ProposedSize>${proposed}</ProposedSize><MaxSizeAllowed>5368709120</MaxSizeAllowed>`);
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'local/huge' }))).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('answers the CORS preflight of a browser upload and marks the upload response for the page', async () => {
      // Arrange
      const url = await presignPut('local/browser');

      // Act
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:20002', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
      const upload = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg', origin: 'http://127.0.0.1:20002' } });

      // Assert
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
      expect(upload.status).toBe(200);
      expect(upload.headers.get('access-control-allow-origin')).toBe('*');
      expect(upload.headers.get('access-control-expose-headers')).toBe('ETag');
    });
  });

  describe('direct reads of the store (readObject)', () => {
    it('reads the bytes an upload stored, as GetObject serves them', async () => {
      // Arrange
      const key = 'local/read directly';
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JPEG, ContentType: 'image/jpeg' }));

      // Act
      const bytes = await s3.readObject(BUCKET, key);

      // Assert
      expect(Buffer.from(bytes)).toEqual(await bodyOf(key));
    });

    it('rejects a missing key with NoSuchKey and another bucket with NoSuchBucket', async () => {
      // Arrange
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/present', Body: JPEG, ContentType: 'image/jpeg' }));

      // Act
      const [missing, elsewhere] = await Promise.allSettled([
        s3.readObject(BUCKET, 'local/absent'),
        s3.readObject('another-bucket', 'local/present'),
      ]);

      // Assert
      expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'NoSuchKey' } });
      expect(elsewhere).toMatchObject({ status: 'rejected', reason: { code: 'NoSuchBucket' } });
    });
  });

  describe('header-signed SDK calls', () => {
    it('serves PutObject, HeadObject, GetObject, a ranged GetObject and DeleteObject', async () => {
      // Arrange
      const key = 'local/sdk object';

      // Act
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JPEG, ContentType: 'image/jpeg' }));
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      const whole = await bodyOf(key);
      const ranged = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=0-3' }));
      const firstBytes = Buffer.from(await ranged.Body!.transformToByteArray());
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

      // Assert
      expect(head).toMatchObject({ ContentLength: JPEG.length, ContentType: 'image/jpeg' });
      expect(whole).toEqual(JPEG);
      expect(ranged.ContentRange).toBe(`bytes 0-3/${JPEG.length}`);
      expect(firstBytes).toEqual(JPEG.subarray(0, 4));
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('refuses a request signed with another secret', async () => {
      // Arrange
      const impostor = s3Client(s3.endpoint, { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' });

      // Act
      const attempt = impostor.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/impostor', Body: JPEG }));

      // Assert
      await expect(attempt).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
      impostor.destroy();
    });

    it('refuses an unknown access key', async () => {
      // Arrange
      const stranger = s3Client(s3.endpoint, { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'whatever' });

      // Act
      const attempt = stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'local/anything' }));

      // Assert
      await expect(attempt).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
      stranger.destroy();
    });

    it('refuses a request without any signature with AccessDenied', async () => {
      // Act
      const response = await fetch(`${s3.endpoint}/${BUCKET}/local/anonymous`, { method: 'PUT', body: JPEG });

      // Assert
      expect(response.status).toBe(403);
      expect(parseError(await response.text())).toEqual({ code: 'AccessDenied', message: 'Access Denied' });
    });

    it('refuses a body that does not match its signed SHA-256, and stores nothing', async () => {
      // Arrange: sign the hash of one body, send another of the same size.
      const signer = new SignatureV4({ service: 's3', region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, sha256: Sha256, uriEscapePath: false });
      const url = new URL(`${s3.endpoint}/${BUCKET}/local/hashed`);
      const signed = await signer.sign({
        method: 'PUT',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: {},
        headers: {
          host: url.host,
          'content-length': String(JPEG.length),
          'x-amz-content-sha256': createHash('sha256').update(JPEG).digest('hex'),
        },
      });
      const other = Buffer.from(JPEG);
      other[100] = 0;

      // Act
      const response = await fetch(url, { method: 'PUT', headers: signed.headers, body: other });

      // Assert
      expect(response.status).toBe(400);
      expect(parseError(await response.text()).code).toBe('XAmzContentSHA256Mismatch');
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'local/hashed' }))).rejects.toMatchObject({ name: 'NotFound' });
      expect(recorder.events).toHaveLength(0);
    });
  });

  describe('ObjectCreated events', () => {
    it('raises S3\'s ObjectCreated:Put event, with the key URL-encoded as S3 encodes it', async () => {
      // Arrange
      const key = 'local/my photo(1)+ü.jpg';
      const url = await presignPut(key);

      // Act
      await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });
      const [event] = await recorder.waitFor(1);

      // Assert
      expect(event!.Records).toHaveLength(1);
      const record = event!.Records[0]!;
      expect(record).toEqual({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: `AWS:${LOCAL_CREDENTIALS.accessKeyId}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/), 'x-amz-id-2': expect.any(String) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'ProcessUpload',
          bucket: { name: BUCKET, ownerIdentity: { principalId: expect.any(String) }, arn: `arn:aws:s3:::${BUCKET}` },
          object: {
            key: 'local/my+photo%281%29%2B%C3%BC.jpg',
            size: JPEG.length,
            eTag: createHash('md5').update(JPEG).digest('hex'),
            sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
          },
        },
      });
      expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(key);
    });

    it('matches the x-amz-request-id of the upload response', async () => {
      // Arrange
      const url = await presignPut('local/request-id');

      // Act
      const response = await fetch(url, { method: 'PUT', body: JPEG, headers: { 'content-type': 'image/jpeg' } });
      const [event] = await recorder.waitFor(1);

      // Assert
      expect(event!.Records[0]!.responseElements['x-amz-request-id']).toBe(response.headers.get('x-amz-request-id'));
    });

    it('raises events only for keys under the notification prefix', async () => {
      // Arrange
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'elsewhere/first', Body: JPEG }));

      // Act
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/second', Body: JPEG }));
      await recorder.waitFor(1);
      await s3.eventsIdle();

      // Assert
      expect(recorder.events.map((event) => event.Records[0]!.s3.object.key)).toEqual(['local/second']);
    });

    it('gives increasing sequencers to successive writes of one key', async () => {
      // Act
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/again', Body: JPEG }));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/again', Body: JPEG }));
      const events = await recorder.waitFor(2);

      // Assert
      const [first, second] = events.map((event) => event.Records[0]!.s3.object.sequencer).sort();
      expect(first! < second!).toBe(true);
    });
  });
});

describe('local S3 across restarts', () => {
  it('keeps objects in the data directory', async () => {
    // Arrange
    const data = await temporaryDataDir();
    const first = await startTestS3(data.dir, new EventRecorder());
    const firstClient = s3Client(first.endpoint);
    await firstClient.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/kept', Body: JPEG, ContentType: 'image/jpeg' }));
    firstClient.destroy();
    await first.close();

    // Act
    const second = await startTestS3(data.dir, new EventRecorder());
    const secondClient = s3Client(second.endpoint);
    const object = await secondClient.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'local/kept' }));
    const body = Buffer.from(await object.Body!.transformToByteArray());

    // Assert
    expect(object.ContentType).toBe('image/jpeg');
    expect(body).toEqual(JPEG);
    secondClient.destroy();
    await second.close();
    await data.remove();
  });

  it('sends at its next start the events an earlier version left in its outbox', async () => {
    // Arrange
    const data = await temporaryDataDir();
    const outbox = join(data.dir, 's3', 'events', 'pending');
    await mkdir(outbox, { recursive: true });
    const left = { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'local/left-behind' } } }] };
    await writeFile(join(outbox, '0001-left.json'), JSON.stringify(left));

    // Act
    const recorder = new EventRecorder();
    const server = await startTestS3(data.dir, recorder);

    // Assert
    expect(recorder.events).toEqual([left]);
    expect(await readdir(outbox)).toEqual([]);
    await server.close();
    await data.remove();
  });
});
