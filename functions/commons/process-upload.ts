// Processing one uploaded object: claim the blob, check the object, label it, record the outcome, tell the world.
//
//   startProcessing (conditional) → HeadObject → GetObject bytes 0-15 → checks → DetectLabels
//     → markLabelled | markRejected | markFailed (conditional on this attempt's lease)
//     → publishBlobResult (labelsReady) → callback
//
// A duplicated or replayed event finds the blob PROCESSING under a live lease, or final, and is skipped.
// Only failures that another attempt may get past (S3 or DynamoDB throttling, 5xx, network) ask for a retry:
// the lease is then released so that Lambda's retry takes the blob over at once.
import type { Logger } from '@aws-lambda-powertools/logger';
import { DetectLabelsCommand, type RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { type BlobRecord, MAX_UPLOAD_BYTES, type StoredBlobStatus } from '../../domain/blob.ts';
import type { Label } from '../../generated/graphql.ts';
import type { BlobPublisher } from './appsync-publisher.ts';
import type { BlobStore, StartProcessingResult } from './blob-store.ts';
import type { Clock } from './clock.ts';
import {
  classifyS3ReadError,
  DomainError,
  type ImageOutcome,
  imageProblems,
  isDomainError,
  rekognitionOutcome,
} from './errors.ts';
import { detectImageType, MAGIC_BYTES_LENGTH } from './image-check.ts';
import { fitLabelsToBudget } from './label-budget.ts';
import { toLabels } from './label-mapping.ts';
import { blobLogger, type LocatedLogger } from './logger.ts';
import { blobIdOfEventKey, objectKey } from './object-key.ts';

export interface ProcessingDependencies {
  store: BlobStore;
  s3: S3Client;
  rekognition: RekognitionClient;
  publisher: Pick<BlobPublisher, 'publish'>;
  /** Delivers the callback of a final blob and returns the record as delivery left it. */
  deliver: (record: BlobRecord, log: Logger) => Promise<BlobRecord>;
  clock: Clock;
  bucketName: string;
  stage: string;
  leaseSeconds: number;
}

export type RecordResult =
  | { outcome: 'skipped'; reason: string; blobId?: string }
  | { outcome: 'finished'; blobId: string; status: StoredBlobStatus }
  /** Lambda should run the event again; the lease was released. */
  | { outcome: 'retry'; blobId: string; error: DomainError };

/** Processes every record of the event; one record's failure never stops the others. */
export async function processUploadEvent(
  event: S3Event,
  deps: ProcessingDependencies,
  log: LocatedLogger,
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const record of event.Records ?? []) {
    results.push(await processUploadRecord(record, deps, log));
  }
  return results;
}

export async function processUploadRecord(
  eventRecord: S3EventRecord,
  deps: ProcessingDependencies,
  parentLog: LocatedLogger,
): Promise<RecordResult> {
  const skip = (reason: string, blobId?: string): RecordResult => {
    parentLog.warn('S3 event record skipped', { reason, eventName: eventRecord.eventName });
    return { outcome: 'skipped', reason, blobId };
  };
  if (!eventRecord.eventName?.startsWith('ObjectCreated:')) {
    return skip('not an ObjectCreated event');
  }
  if (eventRecord.s3?.bucket?.name !== deps.bucketName) {
    return skip('object of another bucket');
  }
  const id = blobIdOfEventKey(deps.stage, eventRecord.s3.object.key);
  if (id === null) {
    return skip(`key outside the ${deps.stage}/ prefix of blob uploads`);
  }
  const log = blobLogger(parentLog, id);

  let start: StartProcessingResult;
  try {
    start = await deps.store.startProcessing(id, deps.clock.now(), deps.leaseSeconds);
  } catch (error) {
    log.error('Could not claim the blob for processing; asking for a retry', { error });
    return { outcome: 'retry', blobId: id, error: asDomainError(error) };
  }
  if (!start.started) {
    // A duplicate or replayed event, or an upload whose record was deleted: not an error.
    const reason = start.currentStatus === null ? 'no such blob' : `blob is ${start.currentStatus}`;
    log.info('Upload already handled or not expected; skipped', { reason });
    return { outcome: 'skipped', reason, blobId: id };
  }
  if (start.tookOver) {
    log.warn('Took over a blob whose previous processing attempt let its lease pass');
  }
  const { lease } = start;
  const versionId = eventRecord.s3.object.versionId || undefined;

  let finalRecord: BlobRecord;
  try {
    const analysis = await analyse(start.record, versionId, deps, log);
    finalRecord = await finish(id, lease, analysis, deps);
  } catch (error) {
    if (isDomainError(error, 'StaleRecord')) {
      log.warn('Another attempt took the blob over; this one stops', { error: error.message });
      return { outcome: 'skipped', reason: 'lease lost', blobId: id };
    }
    if (isDomainError(error) && error.retryable) {
      log.error('Processing interrupted by a failing dependency; releasing the lease and asking for a retry', { error });
      await deps.store.releaseLease(id, lease, deps.clock.now()).catch((releaseError: unknown) => {
        log.warn('Could not release the lease: the retry takes over once it passes', { error: releaseError });
      });
      return { outcome: 'retry', blobId: id, error };
    }
    log.error('Processing failed unexpectedly; the blob ends FAILED', { error });
    const failure: Analysis = {
      kind: 'problem',
      outcome: { status: 'FAILED', error: { code: 'InternalError', message: 'Processing failed unexpectedly', retryable: true } },
    };
    try {
      finalRecord = await finish(id, lease, failure, deps);
    } catch (finishError) {
      return { outcome: 'retry', blobId: id, error: asDomainError(finishError) };
    }
  }
  log.info('Blob processed', { status: finalRecord.status, code: finalRecord.error?.code, labels: finalRecord.labels?.length });

  await announce(finalRecord, deps, log);
  return { outcome: 'finished', blobId: id, status: finalRecord.status };
}

type Analysis = { kind: 'labelled'; labels: Label[]; size: number } | { kind: 'problem'; outcome: ImageOutcome; size?: number };

async function analyse(record: BlobRecord, versionId: string | undefined, deps: ProcessingDependencies, log: Logger): Promise<Analysis> {
  const Bucket = deps.bucketName;
  const Key = objectKey(deps.stage, record.id);

  const head = await readObject(() => deps.s3.send(new HeadObjectCommand({ Bucket, Key, VersionId: versionId })));
  if ('problem' in head) {
    return { kind: 'problem', outcome: head.problem };
  }
  const size = head.value.ContentLength ?? 0;
  if (size > MAX_UPLOAD_BYTES) {
    return { kind: 'problem', outcome: imageProblems.tooLarge(size, MAX_UPLOAD_BYTES), size };
  }
  if (size === 0) {
    return { kind: 'problem', outcome: imageProblems.empty(), size };
  }

  const range = `bytes=0-${MAGIC_BYTES_LENGTH - 1}`;
  const start = await readObject(async () => {
    const { Body } = await deps.s3.send(new GetObjectCommand({ Bucket, Key, VersionId: versionId, Range: range }));
    return Body === undefined ? new Uint8Array() : Body.transformToByteArray();
  });
  if ('problem' in start) {
    return { kind: 'problem', outcome: start.problem, size };
  }
  const detected = detectImageType(start.value);
  if (detected === null) {
    return { kind: 'problem', outcome: imageProblems.notAnImage(), size };
  }
  if (detected !== record.contentType) {
    return { kind: 'problem', outcome: imageProblems.contentTypeMismatch(record.contentType, detected), size };
  }

  try {
    const response = await deps.rekognition.send(
      new DetectLabelsCommand({
        Image: { S3Object: { Bucket, Name: Key, Version: versionId } },
        MaxLabels: record.maxLabels,
        MinConfidence: record.minConfidence,
      }),
    );
    const { labels, trimmed } = fitLabelsToBudget(toLabels(response.Labels));
    if (trimmed) {
      log.warn('Labels trimmed to fit one DynamoDB item', { returned: response.Labels?.length, kept: labels.length });
    }
    return { kind: 'labelled', labels, size };
  } catch (error) {
    const outcome = rekognitionOutcome(error);
    log.warn('DetectLabels failed', { code: outcome.error.code, status: outcome.status });
    return { kind: 'problem', outcome, size };
  }
}

/** Runs an S3 read; a missing object or a permanent refusal becomes a problem, a transient failure is thrown. */
async function readObject<T>(read: () => Promise<T>): Promise<{ value: T } | { problem: ImageOutcome }> {
  try {
    return { value: await read() };
  } catch (error) {
    const failure = classifyS3ReadError(error);
    if (failure.kind === 'transient') {
      throw failure.error;
    }
    return { problem: failure.kind === 'missing' ? imageProblems.objectMissing() : failure.outcome };
  }
}

function finish(id: string, lease: string, analysis: Analysis, deps: ProcessingDependencies): Promise<BlobRecord> {
  const now = deps.clock.now();
  if (analysis.kind === 'labelled') {
    return deps.store.markLabelled(id, lease, { labels: analysis.labels, size: analysis.size, now });
  }
  const result = { error: analysis.outcome.error, size: analysis.size, now };
  return analysis.outcome.status === 'REJECTED'
    ? deps.store.markRejected(id, lease, result)
    : deps.store.markFailed(id, lease, result);
}

/** labelsReady subscribers, then the callback. The outcome is already stored: failures here are logged, not retried. */
async function announce(record: BlobRecord, deps: ProcessingDependencies, log: Logger): Promise<void> {
  try {
    await deps.publisher.publish(record);
    log.info('Result published to labelsReady');
  } catch (error) {
    log.error('Publishing the result failed: subscribers will not hear of it, blob(id) still has it', { error });
  }
  if (record.callback) {
    try {
      const delivered = await deps.deliver(record, log);
      log.info('Callback done', { callbackStatus: delivered.callback?.status, attempts: delivered.callback?.attempts });
    } catch (error) {
      log.error('Callback delivery could not run; redeliverCallback can send it later', { error });
    }
  }
}

function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) {
    return error;
  }
  return new DomainError('InternalError', error instanceof Error ? error.message : String(error), { cause: error });
}
