// Processing one uploaded object: claim the blob, check the object, label it, record the outcome, tell the world.
//
//   startProcessing (conditional) → HeadObject → GetObject bytes 0-15 → checks → DetectLabels
//     → markLabelled | markRejected | markFailed (conditional on this attempt's lease)
//     → publishBlobResult (labelsReady) → callback → finishAnnouncing → DeleteObject (a REJECTED object only)
//
// Nothing here gives up on an upload silently. Each record ends in one of three ways:
//  - finished: the blob reached a final state and was announced;
//  - skipped: there is nothing to do (the blob is final and announced, or gone, or the object is not an upload);
//  - retry: the message must come back later. Either another attempt holds the blob under a live lease (it comes
//    back when the lease ends, and takes the blob over if that attempt died), or a dependency failed in a way that
//    may pass (throttling, 5xx, network: it comes back after a jittered exponential delay, the lease released), or
//    the object is gone while the blob is not (the same delay): deleteBlob deletes the object before the record, so
//    a deletion may be under way, and the next receive finds no record and stops quietly while deleteBlob announces
//    DELETED. Judging the image now would end the blob REJECTED or FAILED and deny its subscribers the DELETED.
// On the last receive the queue allows, a failing dependency ends the blob FAILED instead (retryable: true), and an
// object still gone ends it FAILED ObjectNotFound.
import { DetectLabelsCommand, type RekognitionClient } from '@aws-sdk/client-rekognition';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { type BlobRecord, MAX_UPLOAD_BYTES, type StoredBlobStatus } from '../../domain/blob.ts';
import type { Label } from '../../generated/graphql.ts';
import type { BlobPublisher } from '../publishing/appsync-publisher.ts';
import type { BlobStore, StartProcessingResult, StoredBlob } from '../storage/blob-store.ts';
import type { Clock } from '../commons/clock.ts';
import {
  classifyRekognitionError,
  classifyS3ReadError,
  type ImageOutcome,
  imageProblems,
  isDomainError,
  outcomeAfterRetries,
} from '../commons/errors.ts';
import { detectImageType, MAGIC_BYTES_LENGTH } from './image-check.ts';
import { fitLabelsToBudget } from './label-budget.ts';
import { toLabels } from './label-mapping.ts';
import { blobLogger, type LocatedLogger } from '../commons/logger.ts';
import { blobIdOfEventKey, objectKey } from '../storage/object-key.ts';
import { isLastReceive, retryDelaySeconds } from '../queue/upload-queue.ts';

export interface ProcessingDependencies {
  store: BlobStore;
  s3: S3Client;
  rekognition: RekognitionClient;
  publisher: Pick<BlobPublisher, 'publish'>;
  /** Delivers the callback of a final blob and returns the record as delivery left it. */
  deliver: (record: BlobRecord, log: LocatedLogger) => Promise<BlobRecord>;
  clock: Clock;
  bucketName: string;
  stage: string;
  leaseSeconds: number;
  /** 0 ≤ random() < 1, for the jitter of retry delays. */
  random?: () => number;
}

/** Which receive of its message this is, out of how many the queue allows. */
export interface Delivery {
  receiveCount: number;
  maxReceiveCount: number;
}

export type RecordResult =
  | { outcome: 'skipped'; reason: string; blobId?: string }
  | { outcome: 'finished'; blobId: string; status: StoredBlobStatus }
  /** The message must be received again in `delaySeconds`. */
  | { outcome: 'retry'; blobId: string; reason: string; delaySeconds: number };

/** Processes every record of the event; one record's failure never stops the others. */
export async function processUploadEvent(
  event: S3Event,
  delivery: Delivery,
  deps: ProcessingDependencies,
  log: LocatedLogger,
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const record of event.Records ?? []) {
    results.push(await processUploadRecord(record, delivery, deps, log));
  }
  return results;
}

export async function processUploadRecord(
  eventRecord: S3EventRecord,
  delivery: Delivery,
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
  log.appendKeys({ receiveCount: delivery.receiveCount });

  let start: StartProcessingResult;
  try {
    start = await deps.store.startProcessing(id, deps.clock.now(), deps.leaseSeconds);
  } catch (error) {
    log.error('Could not claim the blob for processing; asking for a retry', { error });
    return retryLater(id, 'the blob could not be claimed', delivery, deps);
  }
  if (!start.started) {
    return resumeOrSkip(id, start.current, delivery, deps, log);
  }
  if (start.tookOver) {
    log.warn('Took over a blob whose previous processing attempt let its lease pass');
  } else {
    log.info('Processing started');
  }
  const { lease } = start;
  const versionId = eventRecord.s3.object.versionId || undefined;

  let finalRecord: StoredBlob;
  try {
    const analysis = await analyse(start.record, versionId, deps, log);
    if (analysis.kind === 'objectGone') {
      if (!isLastReceive(delivery.receiveCount, delivery.maxReceiveCount)) {
        log.warn('The object is gone but its blob is not: a deletion may be under way; handing the upload back');
        return await handBack(id, lease, 'the object is gone while its blob exists (a deletion may be under way)', delivery, deps, log);
      }
      log.error('The object is still gone on the last receive while its blob exists; the blob ends FAILED');
    }
    finalRecord = await finish(id, lease, analysis, deps);
  } catch (error) {
    if (isDomainError(error, 'StaleRecord')) {
      // deleteBlob announced the deletion itself; a takeover announces its own result. Either way: stop, quietly.
      const deleted = (await deps.store.get(id).catch(() => undefined)) === null;
      log.info(deleted ? 'The blob was deleted while it was processed; this attempt stops' : 'Another attempt took the blob over; this one stops');
      return { outcome: 'skipped', reason: deleted ? 'blob deleted' : 'lease lost', blobId: id };
    }
    const failure = isDomainError(error) && error.retryable ? error : undefined;
    if (failure && !isLastReceive(delivery.receiveCount, delivery.maxReceiveCount)) {
      log.warn('A dependency failed; releasing the lease and handing the upload back for a later attempt', { error });
      return handBack(id, lease, failure.message, delivery, deps, log);
    }
    const outcome: ImageOutcome = failure
      ? outcomeAfterRetries(failure)
      : { status: 'FAILED', error: { code: 'InternalError', message: 'Processing failed unexpectedly', retryable: true } };
    log.error(failure ? 'A dependency failed on the last attempt; the blob ends FAILED' : 'Processing failed unexpectedly; the blob ends FAILED', { error });
    try {
      finalRecord = await finish(id, lease, { kind: 'problem', outcome }, deps);
    } catch (finishError) {
      log.error('Could not record the failure; the message goes back to the queue', { error: finishError });
      return retryLater(id, 'the failure could not be recorded', delivery, deps);
    }
  }
  log.info('Blob processed', { status: finalRecord.status, code: finalRecord.error?.code, labels: finalRecord.labels?.length });

  await announce(finalRecord, deps, log);
  if (finalRecord.status === 'REJECTED') {
    await discardObject(id, deps, log, 'Rejected upload');
  }
  return { outcome: 'finished', blobId: id, status: finalRecord.status };
}

/**
 * The blob could not be claimed: decide from where it stands. A final, announced blob is done; a blob another
 * attempt holds comes back when that attempt's lease ends (a live lease is never a reason to drop the message: the
 * attempt may be dead); a final blob whose announcement was left unfinished is announced again once its lease ends.
 */
async function resumeOrSkip(
  id: string,
  current: StoredBlob | null,
  delivery: Delivery,
  deps: ProcessingDependencies,
  log: LocatedLogger,
): Promise<RecordResult> {
  if (current === null) {
    // A record always exists before its upload URL does: this object belongs to a deleted blob (an upload URL used
    // after deleteBlob). Nothing will ever read it: it goes.
    await discardObject(id, deps, log, 'Upload of a blob that no longer exists');
    return { outcome: 'skipped', reason: 'no such blob', blobId: id };
  }
  const now = deps.clock.now();
  if (current.status === 'PROCESSING' || current.status === 'PENDING_UPLOAD') {
    const delaySeconds = secondsUntilLeaseEnds(current.processingStartedAt, now, deps.leaseSeconds);
    log.info('Another attempt holds the blob; the upload comes back when its lease ends', { delaySeconds });
    return { outcome: 'retry', blobId: id, reason: `blob is ${current.status} under another attempt`, delaySeconds };
  }
  if (current.announcingSince === undefined) {
    log.info('Upload already handled; skipped', { status: current.status });
    if (current.status === 'REJECTED') {
      // Its rejected object was discarded, so the upload URL (until it expires) could create the key again.
      await discardObject(id, deps, log, 'Upload to a rejected blob');
    }
    return { outcome: 'skipped', reason: `blob is ${current.status}`, blobId: id };
  }
  const claim = await deps.store.claimAnnouncement(id, now, deps.leaseSeconds).catch((error: unknown) => {
    log.error('Could not claim the announcement of a final blob; asking for a retry', { error });
    return null;
  });
  if (claim === null) {
    return retryLater(id, 'the announcement could not be claimed', delivery, deps);
  }
  if (!claim.claimed) {
    const since = claim.current?.announcingSince;
    if (claim.current === null || since === undefined) {
      return { outcome: 'skipped', reason: claim.current === null ? 'no such blob' : `blob is ${claim.current.status}`, blobId: id };
    }
    const delaySeconds = secondsUntilLeaseEnds(since, now, deps.leaseSeconds);
    log.info('Another attempt is announcing the result; the upload comes back when its lease ends', { delaySeconds });
    return { outcome: 'retry', blobId: id, reason: 'another attempt is announcing the result', delaySeconds };
  }
  log.warn('Took over the announcement of a result whose attempt stopped before publishing it', { status: claim.record.status });
  await announce(claim.record, deps, log);
  return { outcome: 'finished', blobId: id, status: claim.record.status };
}

/** Whole seconds until a lease taken at `since` ends, plus one so that it has surely ended; 1 when there is none. */
function secondsUntilLeaseEnds(since: string | undefined, now: Date, leaseSeconds: number): number {
  if (since === undefined) {
    return 1;
  }
  const remainingMs = Date.parse(since) + leaseSeconds * 1000 - now.getTime();
  return Math.max(1, Math.ceil(remainingMs / 1000) + 1);
}

function retryLater(id: string, reason: string, delivery: Delivery, deps: ProcessingDependencies): RecordResult {
  return { outcome: 'retry', blobId: id, reason, delaySeconds: retryDelaySeconds(delivery.receiveCount, deps.random) };
}

/** Gives this attempt's lease up, so that the next receive claims the blob at once, and asks for that receive later. */
async function handBack(
  id: string,
  lease: string,
  reason: string,
  delivery: Delivery,
  deps: ProcessingDependencies,
  log: LocatedLogger,
): Promise<RecordResult> {
  // Conditional on the lease: a record deleted meanwhile is not written back.
  await deps.store.releaseLease(id, lease, deps.clock.now()).catch((releaseError: unknown) => {
    log.warn('Could not release the lease: the retry takes over once it passes', { error: releaseError });
  });
  return retryLater(id, reason, delivery, deps);
}

type Analysis =
  | { kind: 'labelled'; labels: Label[]; size: number }
  | { kind: 'problem'; outcome: ImageOutcome; size?: number }
  /** The object is not there while the blob is: no verdict on the image (see the header). */
  | { kind: 'objectGone'; size?: number };

async function analyse(record: StoredBlob, versionId: string | undefined, deps: ProcessingDependencies, log: LocatedLogger): Promise<Analysis> {
  const Bucket = deps.bucketName;
  const Key = objectKey(deps.stage, record.id);

  const headObject = () => deps.s3.send(new HeadObjectCommand({ Bucket, Key, VersionId: versionId }));
  const head = await readObject(headObject);
  if ('gone' in head) {
    return { kind: 'objectGone' };
  }
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
  if ('gone' in start) {
    return { kind: 'objectGone', size };
  }
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
      log.warn('Labels trimmed to fit one DynamoDB item and one subscription message', { returned: response.Labels?.length, kept: labels.length });
    }
    return { kind: 'labelled', labels, size };
  } catch (error) {
    const failure = classifyRekognitionError(error);
    if (failure.kind === 'transient') {
      throw failure.error;
    }
    // Rekognition could not read the object: S3 says whether it is gone, or there and Rekognition's answer stands.
    if (failure.kind === 'objectUnreadable' && 'gone' in (await readObject(headObject))) {
      log.info('DetectLabels could not read the object, and S3 no longer has it');
      return { kind: 'objectGone', size };
    }
    log.warn('DetectLabels failed', { code: failure.outcome.error.code, status: failure.outcome.status });
    return { kind: 'problem', outcome: failure.outcome, size };
  }
}

/** Runs an S3 read; a missing object is `gone`, a permanent refusal a problem, a transient failure is thrown. */
/**
 * Deletes an object nothing will ever read: a rejected upload (an upload URL signed without a length takes up to
 * S3's 5 GiB, so it must not stay until the bucket's lifecycle), or the upload of a deleted blob. Failures are logged
 * only: the lifecycle rule removes what is left.
 */
async function discardObject(id: string, deps: ProcessingDependencies, log: LocatedLogger, what: string): Promise<void> {
  try {
    await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucketName, Key: objectKey(deps.stage, id) }));
    log.info(`${what}; its object was deleted`);
  } catch (error) {
    log.warn(`${what}; its object could not be deleted (the bucket lifecycle will)`, { error });
  }
}

async function readObject<T>(read: () => Promise<T>): Promise<{ value: T } | { gone: true } | { problem: ImageOutcome }> {
  try {
    return { value: await read() };
  } catch (error) {
    const failure = classifyS3ReadError(error);
    if (failure.kind === 'transient') {
      throw failure.error;
    }
    return failure.kind === 'missing' ? { gone: true } : { problem: failure.outcome };
  }
}

function finish(id: string, lease: string, analysis: Analysis, deps: ProcessingDependencies): Promise<StoredBlob> {
  const now = deps.clock.now();
  if (analysis.kind === 'labelled') {
    return deps.store.markLabelled(id, lease, { labels: analysis.labels, size: analysis.size, now });
  }
  const outcome = analysis.kind === 'objectGone' ? imageProblems.objectMissing() : analysis.outcome;
  const result = { error: outcome.error, size: analysis.size, now };
  return outcome.status === 'REJECTED'
    ? deps.store.markRejected(id, lease, result)
    : deps.store.markFailed(id, lease, result);
}

/**
 * labelsReady subscribers, then the callback (unless an earlier attempt already settled it), then the announcement is
 * marked done. The outcome is already stored: failures here are logged, not retried.
 */
async function announce(record: StoredBlob, deps: ProcessingDependencies, log: LocatedLogger): Promise<void> {
  try {
    await deps.publisher.publish(record);
    log.info('Result published to labelsReady');
  } catch (error) {
    log.error('Publishing the result failed: subscribers will not hear of it, blob(id) still has it', { error });
  }
  if (record.callback?.status === 'PENDING') {
    try {
      const delivered = await deps.deliver(record, log);
      log.info('Callback done', { callbackStatus: delivered.callback?.status, attempts: delivered.callback?.attempts });
    } catch (error) {
      log.error('Callback delivery could not run; redeliverCallback can send it later', { error });
    }
  }
  if (record.announcingSince !== undefined) {
    try {
      await deps.store.finishAnnouncing(record.id, record.announcingSince);
      log.info('Announcement done');
    } catch (error) {
      log.warn('Could not mark the announcement done: a duplicated message may announce it again', { error });
    }
  }
}
