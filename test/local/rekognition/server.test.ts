import {
  DetectLabelsCommand, ImageTooLargeException, InvalidImageFormatException, InvalidParameterException,
  InvalidS3ObjectException, ProvisionedThroughputExceededException, RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../../local/log.ts';
import { createLabeller, type Labeller } from '../../../local/rekognition/labeller.ts';
import { tokenBucket } from '../../../local/rekognition/rate-limit.ts';
import { startRekognitionServer, type RekognitionServer } from '../../../local/rekognition/server.ts';
import { fixture } from './fixtures.ts';

/** An SDK client of the server, without retries: each test sees the server's first answer. */
function clientOf(server: RekognitionServer): RekognitionClient {
  return new RekognitionClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

describe('the local Rekognition endpoint, called by the unmodified AWS SDK', () => {
  const objects = new Map<string, Uint8Array>([
    ['photos/uploads/chelsea.png', fixture('chelsea.png')],
    ['photos/uploads/truncated.jpg', fixture('truncated.jpg')],
  ]);
  const requestedVersions: Array<string | undefined> = [];
  const logged: Array<{ message: string; fields?: LogFields }> = [];
  const record = (message: string, fields?: LogFields): void => {
    logged.push({ message, fields });
  };
  const logger: Logger = { component: 'rekognition', debug: record, info: record, warn: record, error: record, child: () => logger };
  let labeller: Labeller;
  let server: RekognitionServer;
  let client: RekognitionClient;

  beforeAll(async () => {
    labeller = createLabeller({ workers: 1 });
    server = await startRekognitionServer({
      labeller,
      logger,
      async getObject(bucket, key, version) {
        requestedVersions.push(version);
        const bytes = objects.get(`${bucket}/${key}`);
        if (!bytes) throw new Error('NoSuchKey');
        return bytes;
      },
    });
    client = clientOf(server);
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await labeller.close();
  });

  it('labels image bytes sent inline', async () => {
    const result = await client.send(new DetectLabelsCommand({ Image: { Bytes: fixture('coffee.png') }, MaxLabels: 3 }));
    expect(result.LabelModelVersion).toBe('local-centernet-2.0');
    expect(result.Labels?.[0]).toMatchObject({ Name: 'Cup', Instances: [expect.objectContaining({ BoundingBox: expect.any(Object) })] });
    expect(result.Labels?.length).toBeLessThanOrEqual(3);
  });

  it('answers Features and Settings as sent by the SDK: filters honoured, ImageProperties returned', async () => {
    const result = await client.send(new DetectLabelsCommand({
      Image: { Bytes: fixture('chelsea.png') },
      Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'],
      Settings: { GeneralLabels: { LabelInclusionFilters: ['Cat'] }, ImageProperties: { MaxDominantColors: 2 } },
    }));
    expect(result.Labels?.map((l) => l.Name)).toEqual(['Cat']);
    expect(result.ImageProperties?.DominantColors).toHaveLength(2);
    expect(result.ImageProperties?.Quality?.Brightness).toBeGreaterThan(0);
    expect(result.Labels?.[0].Instances?.[0].DominantColors?.length).toBeGreaterThan(0);
  });

  it('refuses a setting it cannot honour with InvalidParameterException', async () => {
    const error = await client.send(new DetectLabelsCommand({
      Image: { Bytes: fixture('chelsea.png') },
      Features: ['GENERAL_LABELS'],
      Settings: { ImageProperties: { MaxDominantColors: 2 } },
    })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('labels an S3 object read through getObject, passing its version', async () => {
    const result = await client.send(new DetectLabelsCommand({
      Image: { S3Object: { Bucket: 'photos', Name: 'uploads/chelsea.png', Version: 'v1' } },
      MinConfidence: 70,
    }));
    expect(result.Labels?.map((l) => l.Name)).toEqual(expect.arrayContaining(['Cat', 'Pet', 'Mammal', 'Animal']));
    expect(requestedVersions).toContain('v1');
  });

  it("logs each labelled S3 object with the labeller's time, and nothing for a call that fails", async () => {
    logged.length = 0;
    await client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'photos', Name: 'uploads/chelsea.png' } } }));
    await expect(client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'photos', Name: 'uploads/nothing.png' } } }))).rejects.toThrow();

    expect(logged).toEqual([
      { message: 'labels detected', fields: { s3Object: 'photos/uploads/chelsea.png', imageBytes: objects.get('photos/uploads/chelsea.png')!.length, labelMs: expect.any(Number) } },
    ]);
    expect(logged[0].fields?.labelMs).toBeGreaterThan(0);
  });

  it.each([
    ['a missing S3 object', { S3Object: { Bucket: 'photos', Name: 'uploads/nothing.png' } }, InvalidS3ObjectException],
    ['a truncated JPEG in S3', { S3Object: { Bucket: 'photos', Name: 'uploads/truncated.jpg' } }, InvalidImageFormatException],
    ['bytes that are not an image', { Bytes: new TextEncoder().encode('plain text') }, InvalidImageFormatException],
    ['an image with neither bytes nor S3 object', {}, InvalidParameterException],
  ])('turns %s into the SDK\'s typed exception', async (_what, image, type) => {
    const error = await client.send(new DetectLabelsCommand({ Image: image })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a body larger than a 15 MB image could make with ImageTooLargeException', async () => {
    const error = await client.send(new DetectLabelsCommand({ Image: { Bytes: new Uint8Array(16 * 1024 * 1024) } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeException);
  });

  it('answers an operation it does not serve with UnknownOperationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'RekognitionService.DetectFaces' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException', message: expect.any(String) });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'RekognitionService.DetectLabels' },
      body: 'not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });
});

describe('the local Rekognition endpoint held to a quota', () => {
  let labeller: Labeller;
  let server: RekognitionServer;
  let client: RekognitionClient;

  beforeAll(async () => {
    labeller = createLabeller({ workers: 1 });
    // A clock that never moves: the quota's one call is spent for good.
    server = await startRekognitionServer({ labeller, getObject: () => Promise.reject(new Error('unused')), limiter: tokenBucket(1, () => 0) });
    client = clientOf(server);
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await labeller.close();
  });

  it('throttles calls beyond it with ProvisionedThroughputExceededException, HTTP 400, as Rekognition does', async () => {
    const call = () => client.send(new DetectLabelsCommand({ Image: { Bytes: fixture('coffee.png') }, MaxLabels: 1 }));

    await expect(call()).resolves.toMatchObject({ Labels: expect.any(Array) });
    const refused = await call().catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('the local Rekognition endpoint with a hold before it reads an S3 image (tests order races with it)', () => {
  const objects = new Map<string, Uint8Array>([['photos/uploads/chelsea.png', fixture('chelsea.png')]]);
  const held: Array<{ bucket: string; key: string }> = [];
  const labeller: Labeller = { detectLabels: async () => ({ Labels: [], LabelModelVersion: 'stub' }), close: async () => {} };
  let server: RekognitionServer;
  let client: RekognitionClient;

  beforeAll(async () => {
    server = await startRekognitionServer({
      labeller,
      getObject: async (bucket, key) => {
        const bytes = objects.get(`${bucket}/${key}`);
        if (!bytes) throw new Error('NoSuchKey');
        return bytes;
      },
      // The object is deleted while the call is held, as deleteBlob would delete it.
      beforeImageRead: async (image) => {
        held.push(image);
        objects.delete(`${image.bucket}/${image.key}`);
      },
    });
    client = clientOf(server);
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('reads the object only once the hold has settled: an object deleted meanwhile answers InvalidS3ObjectException', async () => {
    const error = await client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'photos', Name: 'uploads/chelsea.png' } } })).catch((e: unknown) => e);

    expect(held).toEqual([{ bucket: 'photos', key: 'uploads/chelsea.png' }]);
    expect(error).toBeInstanceOf(InvalidS3ObjectException);
  });

  it('does not hold image bytes sent inline', async () => {
    held.length = 0;

    await expect(client.send(new DetectLabelsCommand({ Image: { Bytes: fixture('coffee.png') } }))).resolves.toMatchObject({ LabelModelVersion: 'stub' });
    expect(held).toEqual([]);
  });
});
