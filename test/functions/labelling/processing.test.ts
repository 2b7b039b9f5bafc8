import { readFile } from 'node:fs/promises';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  DetectLabelsCommand,
  ImageTooLargeException,
  InternalServerError,
  InvalidImageFormatException,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException as RekognitionThroughputExceeded,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BlobRecord, toBlob } from '../../../domain/blob.ts';
import type { BlobPublisher } from '../../../functions/publishing/appsync-publisher.ts';
import { BlobStore } from '../../../functions/storage/blob-store.ts';
import { PublishError } from '../../../functions/commons/errors.ts';
import { createLogger } from '../../../functions/commons/logger.ts';
import { type Delivery, type ProcessingDependencies, processUploadEvent } from '../../../functions/labelling/processing.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { objectBody, objectCreatedRecord, s3Event } from '../support/s3-events.ts';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url);
const BUCKET = 'uploads';
const STAGE = 'test';
const ID = '01JPROCESSTEST000000000000';
const KEY = `${STAGE}/${ID}`;
const NOW = new Date('2026-03-01T12:00:05.000Z');
const silent = createLogger('SILENT');
/** The first receive of a message out of the ten the queue allows. */
const FIRST: Delivery = { receiveCount: 1, maxReceiveCount: 10 };
const LAST: Delivery = { receiveCount: 10, maxReceiveCount: 10 };

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const rekognition = mockClient(RekognitionClient);

async function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(name, FIXTURES));
}

function pendingRecord(overrides: Partial<BlobRecord> = {}): BlobRecord {
  return {
    id: ID,
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'PENDING_UPLOAD',
    contentType: 'image/jpeg',
    minConfidence: 70,
    maxLabels: 10,
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    uploadExpiresAt: '2026-03-01T12:15:00.000Z',
    expiresAt: 1_772_452_800,
    ...overrides,
  };
}

/** DynamoDB as the store meets it: startProcessing answers the old item, the final transitions the new one. */
function tableHolding(...records: BlobRecord[]): void {
  const byId = new Map(records.map((record) => [record.id, record]));
  const recordOf = (input: UpdateCommandInput): BlobRecord => {
    const record = byId.get(String(input.Key?.id));
    if (record === undefined) {
      throw new Error(`no record ${String(input.Key?.id)} in this test`);
    }
    return record;
  };
  ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).callsFake((input: UpdateCommandInput) => ({ Attributes: recordOf(input) }));
  ddb.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).callsFake((input: UpdateCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    const finished: BlobRecord = {
      ...recordOf(input),
      status: values[':status'],
      updatedAt: values[':now'],
      ...(values[':labels'] !== undefined && { labels: values[':labels'], labelledAt: values[':labelledAt'] }),
      ...(values[':error'] !== undefined && { error: values[':error'] }),
      ...(values[':size'] !== undefined && { size: values[':size'] }),
    };
    return { Attributes: finished };
  });
}

/** DynamoDB's refusal of a condition, with the item it found (ReturnValuesOnConditionCheckFailure), if any. */
function conditionFailed(item?: BlobRecord): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item !== undefined && { Item: marshall(item, { removeUndefinedValues: true }) }),
  });
}

function anImageOf(bytes: Buffer, contentType = 'image/jpeg'): void {
  s3.on(HeadObjectCommand).resolves({ ContentLength: bytes.length, ContentType: contentType });
  s3.on(GetObjectCommand).resolves({ Body: objectBody(bytes.subarray(0, 16)) });
}

/** The final transitions sent to DynamoDB, as [status, error code]. */
function transitions(): Array<[string, string | undefined]> {
  return ddb
    .commandCalls(UpdateCommand, { ReturnValues: 'ALL_NEW' })
    .map((call) => {
      const values = call.args[0].input.ExpressionAttributeValues ?? {};
      return [values[':status'], values[':error']?.code];
    });
}

describe('processUploadEvent', () => {
  let publisher: Pick<BlobPublisher, 'publish'> & { published: BlobRecord[] };
  let delivered: BlobRecord[];
  let deps: ProcessingDependencies;

  beforeEach(() => {
    s3.reset();
    ddb.reset();
    rekognition.reset();
    const published: BlobRecord[] = [];
    publisher = {
      published,
      async publish(record) {
        published.push(record);
        const blob = toBlob(record, NOW.toISOString());
        if (blob === null) {
          throw new Error('not a blob');
        }
        return blob;
      },
    };
    delivered = [];
    deps = {
      store: new BlobStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'blobs'),
      s3: new S3Client({ region: 'eu-west-1' }),
      rekognition: new RekognitionClient({ region: 'eu-west-1' }),
      publisher,
      deliver: async (record) => {
        delivered.push(record);
        return record;
      },
      clock: new FakeClock(NOW.getTime()),
      bucketName: BUCKET,
      stage: STAGE,
      leaseSeconds: 120,
    };
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('labels a JPEG: claims the blob, reads 16 bytes, asks Rekognition about the S3 object, records and publishes', async () => {
    // Arrange
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({
      Labels: [
        {
          Name: 'Rocket',
          Confidence: 93.2,
          Parents: [{ Name: 'Aircraft' }],
          Aliases: [],
          Categories: [{ Name: 'Vehicles' }],
          Instances: [{ Confidence: 90, BoundingBox: { Left: 0.4, Top: 0.1, Width: 0.2, Height: 0.8 } }],
        },
      ],
    });

    // Act
    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    // Assert
    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'LABELLED' }]);
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toMatchObject({ Bucket: BUCKET, Key: KEY, Range: 'bytes=0-15' });
    expect(rekognition.commandCalls(DetectLabelsCommand)[0].args[0].input).toEqual({
      Image: { S3Object: { Bucket: BUCKET, Name: KEY } },
      MaxLabels: 10,
      MinConfidence: 70,
    });
    const [published] = publisher.published;
    expect(published).toMatchObject({ id: ID, status: 'LABELLED', size: 112_525 });
    expect(published.labels).toEqual([
      {
        name: 'Rocket',
        confidence: 93.2,
        parents: ['Aircraft'],
        aliases: [],
        categories: ['Vehicles'],
        instances: [{ confidence: 90, boundingBox: { left: 0.4, top: 0.1, width: 0.2, height: 0.8 } }],
      },
    ]);
  });

  it('claims the blob with a conditional update from PENDING_UPLOAD, or from a PROCESSING record whose lease passed', async () => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    const [claim] = ddb.commandCalls(UpdateCommand, { ReturnValues: 'ALL_OLD' });
    expect(claim.args[0].input).toMatchObject({
      Key: { id: ID },
      ConditionExpression: expect.stringMatching(
        /^entity = :blob AND #status = :pending OR .*#status = :processing AND processingStartedAt < :leaseCutoff$/,
      ),
      ExpressionAttributeValues: expect.objectContaining({ ':lease': NOW.toISOString(), ':leaseCutoff': '2026-03-01T11:58:05.000Z' }),
    });
    expect(claim.args[0].input.UpdateExpression).toContain('REMOVE expiresAt');
    const [finish] = ddb.commandCalls(UpdateCommand, { ReturnValues: 'ALL_NEW' });
    expect(finish.args[0].input).toMatchObject({
      ConditionExpression: '#status = :processing AND processingStartedAt = :lease',
      ExpressionAttributeValues: expect.objectContaining({ ':lease': NOW.toISOString() }),
    });
  });

  it('reads the blob id from a URL-encoded key, as S3 events carry keys', async () => {
    const id = '01JPROCESS_TEST-0000000000';
    tableHolding(pendingRecord({ id }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, `${STAGE}/01JPROCESS%5FTEST-0000000000`)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: id, status: 'LABELLED' }]);
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input.Key).toEqual({ id });
  });

  it('skips a replayed event for a blob already labelled without touching the object or calling Rekognition', async () => {
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(pendingRecord({ status: 'LABELLED' })));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason: 'blob is LABELLED', blobId: ID }]);
    expect(s3.calls()).toHaveLength(0);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
    expect(publisher.published).toHaveLength(0);
  });

  it('deletes an object created again through the upload URL of a rejected blob, reading nothing and announcing nothing', async () => {
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(pendingRecord({ status: 'REJECTED' })));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason: 'blob is REJECTED', blobId: ID }]);
    expect(s3.calls().map((call) => call.args[0].constructor.name)).toEqual(['DeleteObjectCommand']);
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: BUCKET, Key: KEY }]);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
    expect(publisher.published).toHaveLength(0);
  });

  it('hands a redelivered event back until the live lease of the attempt holding the blob ends, instead of dropping it', async () => {
    // Another attempt claimed the blob 30 s ago; the lease is 120 s.
    const held = pendingRecord({ status: 'PROCESSING', processingStartedAt: '2026-03-01T11:59:35.000Z' });
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(held));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: 'blob is PROCESSING under another attempt', delaySeconds: 91 }]);
    expect(s3.calls()).toHaveLength(0);
    expect(publisher.published).toHaveLength(0);
  });

  it('reads the refused record when DynamoDB does not return it with the refusal (the local DynamoDB)', async () => {
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: pendingRecord({ status: 'PROCESSING', processingStartedAt: NOW.toISOString() }) });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([expect.objectContaining({ outcome: 'retry', delaySeconds: 121 })]);
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ Key: { id: ID }, ConsistentRead: true });
  });

  describe('a result stored by an attempt that stopped before announcing it', () => {
    const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
    const labelled = (announcingSince: string, overrides: Partial<BlobRecord> = {}) => ({
      ...pendingRecord({ status: 'LABELLED', labels: [], labelledAt: announcingSince, callback, ...overrides }),
      announcingSince,
    });
    const claimAnnouncement = { UpdateExpression: 'SET announcingSince = :since' };
    const finishAnnouncing = { UpdateExpression: 'REMOVE announcingSince' };

    it('is published and called back by the redelivered event once the lease of that attempt has passed', async () => {
      const stale = labelled('2026-03-01T11:50:00.000Z');
      ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(stale));
      ddb.on(UpdateCommand, claimAnnouncement).resolves({ Attributes: { ...stale, announcingSince: NOW.toISOString() } });

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'LABELLED' }]);
      const [claim] = ddb.commandCalls(UpdateCommand, claimAnnouncement);
      expect(claim.args[0].input).toMatchObject({
        ConditionExpression: '#status IN (:labelled, :failed, :rejected) AND announcingSince < :leaseCutoff',
        ExpressionAttributeValues: expect.objectContaining({ ':leaseCutoff': '2026-03-01T11:58:05.000Z' }),
      });
      expect(publisher.published.map((record) => record.id)).toEqual([ID]);
      expect(delivered).toHaveLength(1);
      const [done] = ddb.commandCalls(UpdateCommand, finishAnnouncing);
      expect(done.args[0].input.ExpressionAttributeValues).toEqual({ ':since': NOW.toISOString() });
      expect(s3.calls()).toHaveLength(0);
      expect(rekognition.calls()).toHaveLength(0);
    });

    it('is not called back again when that attempt had already delivered the callback', async () => {
      const stale = labelled('2026-03-01T11:50:00.000Z', { callback: { ...callback, status: 'DELIVERED', attempts: 1 } });
      ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(stale));
      ddb.on(UpdateCommand, claimAnnouncement).resolves({ Attributes: { ...stale, announcingSince: NOW.toISOString() } });

      await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expect(publisher.published).toHaveLength(1);
      expect(delivered).toHaveLength(0);
    });

    it('comes back later while the announcing attempt’s lease is live', async () => {
      const announcing = labelled('2026-03-01T12:00:00.000Z');
      ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed(announcing));
      ddb.on(UpdateCommand, claimAnnouncement).rejects(conditionFailed(announcing));

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: 'another attempt is announcing the result', delaySeconds: 116 }]);
      expect(publisher.published).toHaveLength(0);
    });
  });

  it('marks the announcement done once it has published and called back', async () => {
    const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
    tableHolding(pendingRecord({ callback }));
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).callsFake((input: UpdateCommandInput) => ({
      Attributes: { ...pendingRecord({ callback }), status: 'LABELLED', labels: [], announcingSince: input.ExpressionAttributeValues?.[':now'] },
    }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    const [finish] = ddb.commandCalls(UpdateCommand, { ReturnValues: 'ALL_NEW' });
    expect(finish.args[0].input.UpdateExpression).toContain('announcingSince = :now');
    const done = ddb.commandCalls(UpdateCommand, { UpdateExpression: 'REMOVE announcingSince' });
    expect(done).toHaveLength(1);
    expect(done[0].args[0].input).toMatchObject({ ConditionExpression: 'announcingSince = :since', ExpressionAttributeValues: { ':since': NOW.toISOString() } });
    expect(delivered).toHaveLength(1);
  });

  it('skips an upload whose blob no longer exists, and deletes the object it left (an upload URL used after deleteBlob)', async () => {
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason: 'no such blob', blobId: ID }]);
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: BUCKET, Key: KEY }]);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
  });

  it('stops quietly, announcing nothing, when the blob is deleted while it is processed', async () => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({});

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason: 'blob deleted', blobId: ID }]);
    expect(publisher.published).toEqual([]);
    expect(delivered).toEqual([]);
  });

  it('takes over a blob whose previous attempt let its lease pass, and finishes it', async () => {
    tableHolding(pendingRecord({ status: 'PROCESSING', processingStartedAt: '2026-03-01T11:50:00.000Z' }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Rocket', Confidence: 90 }] });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'LABELLED' }]);
  });

  it('stops without publishing when its lease was taken over before it could finish', async () => {
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).resolves({ Attributes: pendingRecord() });
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).rejects(conditionFailed(pendingRecord({ status: 'PROCESSING' })));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason: 'lease lost', blobId: ID }]);
    expect(publisher.published).toHaveLength(0);
  });

  it.each([
    [new InvalidImageFormatException({ message: 'Request has invalid image format', $metadata: { httpStatusCode: 400 } })],
    [new ImageTooLargeException({ message: 'Image size is too large', $metadata: { httpStatusCode: 400 } })],
  ])('rejects the image for $name from Rekognition', async (error) => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).rejects(error);

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
    expect(publisher.published[0]).toMatchObject({ status: 'REJECTED', error: { code: error.name, message: error.message, retryable: false } });
  });

  it.each([
    [new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    [new RekognitionThroughputExceeded({ message: 'Provisioned rate exceeded', $metadata: { httpStatusCode: 400 } })],
    [new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } })],
  ])('hands the upload back after a jittered exponential delay when Rekognition answers $name, releasing the lease', async (error) => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).rejects(error);
    deps.random = () => 0.5;

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), { receiveCount: 3, maxReceiveCount: 10 }, deps, silent);

    // Third receive: a ceiling of 5 s × 2² = 20 s, half of it fixed and half jittered.
    expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: expect.stringContaining(error.name), delaySeconds: 15 }]);
    expect(transitions()).toEqual([]);
    expect(ddb.commandCalls(UpdateCommand, { UpdateExpression: 'SET updatedAt = :now REMOVE processingStartedAt' })).toHaveLength(1);
    expect(publisher.published).toHaveLength(0);
  });

  it('ends the blob FAILED, retryable, with Rekognition’s exception when its last receive is throttled too', async () => {
    const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
    tableHolding(pendingRecord({ callback }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition
      .on(DetectLabelsCommand)
      .rejects(new RekognitionThroughputExceeded({ message: 'Provisioned rate exceeded', $metadata: { httpStatusCode: 400 } }));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), LAST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'FAILED' }]);
    expect(transitions()).toEqual([['FAILED', 'ProvisionedThroughputExceededException']]);
    expect(publisher.published[0]).toMatchObject({ status: 'FAILED', error: { retryable: true } });
    expect(delivered).toHaveLength(1);
  });

  it('ends the blob FAILED with S3’s code when S3 still fails on the last receive', async () => {
    tableHolding(pendingRecord());
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }),
    );

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), LAST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'FAILED' }]);
    expect(transitions()).toEqual([['FAILED', 'SlowDown']]);
  });

  it('rejects a corrupt JPEG: its header passes the magic check, Rekognition refuses the rest', async () => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('truncated.jpg'));
    rekognition
      .on(DetectLabelsCommand)
      .rejects(new InvalidImageFormatException({ message: 'Request has invalid image format', $metadata: { httpStatusCode: 400 } }));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({ size: 400, error: { code: 'InvalidImageFormatException', retryable: false } });
  });

  it('rejects bytes that are not an image without calling Rekognition', async () => {
    tableHolding(pendingRecord());
    anImageOf(Buffer.from('%PDF-1.7 this is a document, not a photo'));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
    expect(transitions()).toEqual([['REJECTED', 'UnsupportedContentType']]);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
  });

  it('rejects an object over 15 MB without reading it or calling Rekognition, and deletes it once the result is announced', async () => {
    tableHolding(pendingRecord());
    // An upload URL signed without a length takes up to S3's 5 GiB.
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5 * 1024 ** 3, ContentType: 'image/jpeg' });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
    expect(transitions()).toEqual([['REJECTED', 'ImageTooLarge']]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
    expect(publisher.published.map((record) => record.status)).toEqual(['REJECTED']);
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: BUCKET, Key: KEY }]);
  });

  it('still ends a rejected blob announced when its object cannot be deleted (the lifecycle rule removes it later)', async () => {
    tableHolding(pendingRecord());
    s3.on(HeadObjectCommand).resolves({ ContentLength: 15 * 1024 * 1024 + 1, ContentType: 'image/jpeg' });
    s3.on(DeleteObjectCommand).rejects(new Error('S3 is unavailable'));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
    expect(publisher.published.map((record) => record.status)).toEqual(['REJECTED']);
  });

  it('keeps the object of a labelled blob', async () => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(transitions()).toEqual([['LABELLED', undefined]]);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('rejects an empty object', async () => {
    tableHolding(pendingRecord());
    s3.on(HeadObjectCommand).resolves({ ContentLength: 0, ContentType: 'image/jpeg' });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(transitions()).toEqual([['REJECTED', 'UnsupportedContentType']]);
  });

  it('rejects a PNG uploaded to a blob created as JPEG', async () => {
    tableHolding(pendingRecord({ contentType: 'image/jpeg' }));
    anImageOf(await fixture('chelsea.png'));

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(transitions()).toEqual([['REJECTED', 'ContentTypeMismatch']]);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
  });

  describe('an object gone while its blob exists (deleteBlob deletes the object first: a deletion may be under way)', () => {
    const RELEASE = { UpdateExpression: 'SET updatedAt = :now REMOVE processingStartedAt' };
    const objectGone = () => new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
    const unreadable = () =>
      new InvalidS3ObjectException({ message: 'Unable to get object metadata from S3. Check object key, region and/or access permissions.', $metadata: { httpStatusCode: 400 } });

    beforeEach(() => {
      deps.random = () => 0;
    });

    /** What must be true of a receive that handed the upload back: the blob not ended, nothing told, the lease given up. */
    function expectHandedBack(results: unknown): void {
      expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: 'the object is gone while its blob exists (a deletion may be under way)', delaySeconds: 3 }]);
      expect(transitions()).toEqual([]);
      expect(publisher.published).toEqual([]);
      expect(delivered).toEqual([]);
      const release = ddb.commandCalls(UpdateCommand, RELEASE);
      expect(release.map((call) => call.args[0].input.ExpressionAttributeValues?.[':lease'])).toEqual([NOW.toISOString()]);
    }

    it('hands the upload back when HeadObject finds no object, without calling Rekognition', async () => {
      tableHolding(pendingRecord());
      s3.on(HeadObjectCommand).rejects(objectGone());

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expectHandedBack(results);
      expect(rekognition.calls()).toHaveLength(0);
    });

    it('hands the upload back when the object disappears between HeadObject and the read of its first bytes', async () => {
      tableHolding(pendingRecord());
      s3.on(HeadObjectCommand).resolves({ ContentLength: 400, ContentType: 'image/jpeg' });
      s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expectHandedBack(results);
    });

    it('hands the upload back, rather than rejecting the image, when DetectLabels cannot read an object S3 no longer has', async () => {
      tableHolding(pendingRecord());
      const rocket = await fixture('rocket.jpg');
      s3.on(HeadObjectCommand).resolvesOnce({ ContentLength: rocket.length, ContentType: 'image/jpeg' }).rejects(objectGone());
      s3.on(GetObjectCommand).resolves({ Body: objectBody(rocket.subarray(0, 16)) });
      rekognition.on(DetectLabelsCommand).rejects(unreadable());

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expectHandedBack(results);
      expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(2);
    });

    it('still rejects the image with Rekognition’s answer when DetectLabels cannot read an object S3 still has', async () => {
      tableHolding(pendingRecord());
      anImageOf(await fixture('rocket.jpg'));
      rekognition.on(DetectLabelsCommand).rejects(unreadable());

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'REJECTED' }]);
      expect(transitions()).toEqual([['REJECTED', 'InvalidS3ObjectException']]);
      expect(ddb.commandCalls(UpdateCommand, RELEASE)).toHaveLength(0);
    });

    it('hands the upload back when S3 cannot say whether the object is gone, as for any failing dependency', async () => {
      tableHolding(pendingRecord());
      const rocket = await fixture('rocket.jpg');
      s3.on(HeadObjectCommand)
        .resolvesOnce({ ContentLength: rocket.length, ContentType: 'image/jpeg' })
        .rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }));
      s3.on(GetObjectCommand).resolves({ Body: objectBody(rocket.subarray(0, 16)) });
      rekognition.on(DetectLabelsCommand).rejects(unreadable());

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: expect.stringContaining('S3 unavailable'), delaySeconds: 3 }]);
      expect(transitions()).toEqual([]);
    });

    it('hands the upload back even when the record is deleted before the lease is given up, writing nothing back', async () => {
      tableHolding(pendingRecord());
      s3.on(HeadObjectCommand).rejects(objectGone());
      ddb.on(UpdateCommand, RELEASE).rejects(conditionFailed());

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

      expectHandedBack(results);
      expect(ddb.commandCalls(UpdateCommand, RELEASE)[0].args[0].input.ConditionExpression).toBe('#status = :processing AND processingStartedAt = :lease');
    });

    it('stops quietly on the next receive once the deletion removed the record: nothing recorded, nothing published', async () => {
      // First receive: DetectLabels meets the object deleteBlob just removed; the record is still there.
      tableHolding(pendingRecord());
      const rocket = await fixture('rocket.jpg');
      s3.on(HeadObjectCommand).resolvesOnce({ ContentLength: rocket.length, ContentType: 'image/jpeg' }).rejects(objectGone());
      s3.on(GetObjectCommand).resolves({ Body: objectBody(rocket.subarray(0, 16)) });
      rekognition.on(DetectLabelsCommand).rejects(unreadable());
      const first = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);
      // deleteBlob then deletes the record (and announces DELETED itself).
      ddb.reset();
      ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({});
      s3.on(DeleteObjectCommand).resolves({});

      const second = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), { receiveCount: 2, maxReceiveCount: 10 }, deps, silent);

      expect(first).toEqual([expect.objectContaining({ outcome: 'retry' })]);
      expect(second).toEqual([{ outcome: 'skipped', reason: 'no such blob', blobId: ID }]);
      expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(1);
      expect(transitions()).toEqual([]);
      expect(publisher.published).toEqual([]);
      expect(delivered).toEqual([]);
    });

    it.each([
      ['HeadObject finds no object', () => s3.on(HeadObjectCommand).rejects(objectGone())],
      [
        'DetectLabels cannot read an object S3 no longer has',
        async () => {
          const rocket = await fixture('rocket.jpg');
          s3.on(HeadObjectCommand).resolvesOnce({ ContentLength: rocket.length, ContentType: 'image/jpeg' }).rejects(objectGone());
          s3.on(GetObjectCommand).resolves({ Body: objectBody(rocket.subarray(0, 16)) });
          rekognition.on(DetectLabelsCommand).rejects(unreadable());
        },
      ],
    ])('ends the blob FAILED ObjectNotFound, and announces it, when on the last receive %s and the blob still exists', async (_case, arrange) => {
      const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
      tableHolding(pendingRecord({ callback }));
      await arrange();

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), LAST, deps, silent);

      expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'FAILED' }]);
      expect(transitions()).toEqual([['FAILED', 'ObjectNotFound']]);
      expect(publisher.published).toEqual([expect.objectContaining({ status: 'FAILED', error: { code: 'ObjectNotFound', message: 'The uploaded object is gone', retryable: false } })]);
      expect(delivered).toHaveLength(1);
      expect(ddb.commandCalls(UpdateCommand, RELEASE)).toHaveLength(0);
    });

    it('stops quietly on the last receive too when the record is deleted before the failure is written', async () => {
      tableHolding(pendingRecord());
      s3.on(HeadObjectCommand).rejects(objectGone());
      ddb.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({});

      const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), LAST, deps, silent);

      expect(results).toEqual([{ outcome: 'skipped', reason: 'blob deleted', blobId: ID }]);
      expect(publisher.published).toEqual([]);
    });
  });

  it('asks for a retry and releases its lease when S3 is unavailable', async () => {
    tableHolding(pendingRecord());
    ddb.on(UpdateCommand, { UpdateExpression: 'SET updatedAt = :now REMOVE processingStartedAt' }).resolves({});
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }),
    );
    deps.random = () => 0;

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: expect.stringContaining('S3 unavailable'), delaySeconds: 3 }]);
    const release = ddb.commandCalls(UpdateCommand, { UpdateExpression: 'SET updatedAt = :now REMOVE processingStartedAt' });
    expect(release).toHaveLength(1);
    expect(release[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ':lease': NOW.toISOString() });
    expect(transitions()).toEqual([]);
    expect(publisher.published).toHaveLength(0);
  });

  it('asks for a retry when the blob cannot be claimed because DynamoDB throttles', async () => {
    ddb
      .on(UpdateCommand, { ReturnValues: 'ALL_OLD' })
      .rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: { httpStatusCode: 400 } }));

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'retry', blobId: ID, reason: 'the blob could not be claimed', delaySeconds: expect.any(Number) }]);
  });

  it('fails the blob, rather than leaving it PROCESSING, when something unexpected breaks', async () => {
    const record = pendingRecord();
    ddb.on(UpdateCommand, { ReturnValues: 'ALL_OLD' }).resolves({ Attributes: record });
    ddb
      .on(UpdateCommand, { ReturnValues: 'ALL_NEW' })
      .rejectsOnce(Object.assign(new Error('Invalid UpdateExpression'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))
      .resolves({ Attributes: { ...record, status: 'FAILED', error: { code: 'InternalError', message: 'Processing failed unexpectedly', retryable: true } } });
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'FAILED' }]);
    expect(transitions()).toEqual([
      ['LABELLED', undefined],
      ['FAILED', 'InternalError'],
    ]);
  });

  it('goes on with the other records when one of them needs a retry', async () => {
    const otherId = '01JPROCESSTEST000000000001';
    tableHolding(pendingRecord(), pendingRecord({ id: otherId }));
    s3.on(HeadObjectCommand, { Key: KEY }).rejects(
      new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'We encountered an internal error.', $metadata: { httpStatusCode: 500 } }),
    );
    const rocket = await fixture('rocket.jpg');
    s3.on(HeadObjectCommand, { Key: `${STAGE}/${otherId}` }).resolves({ ContentLength: rocket.length, ContentType: 'image/jpeg' });
    s3.on(GetObjectCommand).resolves({ Body: objectBody(rocket.subarray(0, 16)) });
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    const results = await processUploadEvent(
      s3Event(objectCreatedRecord(BUCKET, KEY), objectCreatedRecord(BUCKET, `${STAGE}/${otherId}`)),
      FIRST,
      deps,
      silent,
    );

    expect(results.map((result) => result.outcome)).toEqual(['retry', 'finished']);
  });

  it.each([
    ['an object of another stage', objectCreatedRecord(BUCKET, `prod/${ID}`), 'key outside the test/ prefix of blob uploads'],
    ['an object of another bucket', objectCreatedRecord('elsewhere', KEY), 'object of another bucket'],
    ['a removal', objectCreatedRecord(BUCKET, KEY, { eventName: 'ObjectRemoved:Delete' }), 'not an ObjectCreated event'],
  ])('skips %s', async (_case, eventRecord, reason) => {
    const results = await processUploadEvent(s3Event(eventRecord), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'skipped', reason }]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('delivers the callback of a blob that has one, after publishing', async () => {
    const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
    tableHolding(pendingRecord({ callback }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ id: ID, status: 'LABELLED', callback });
  });

  it('does not call back a blob without a callback URL', async () => {
    tableHolding(pendingRecord());
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });

    await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(delivered).toHaveLength(0);
  });

  it('still delivers the callback when publishing fails, and does not ask for a retry', async () => {
    const callback = { url: 'https://hooks.example.com/x', status: 'PENDING' as const, attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null };
    tableHolding(pendingRecord({ callback }));
    anImageOf(await fixture('rocket.jpg'));
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });
    deps.publisher = { publish: () => Promise.reject(new PublishError('publishBlobResult failed with HTTP 401', 401)) };

    const results = await processUploadEvent(s3Event(objectCreatedRecord(BUCKET, KEY)), FIRST, deps, silent);

    expect(results).toEqual([{ outcome: 'finished', blobId: ID, status: 'LABELLED' }]);
    expect(delivered).toHaveLength(1);
  });
});
