// How uploads reach process-upload: S3 → SQS (standard queue) → the function, through an event source mapping.
// Declared once here; the stack (infra/constructs/upload-queue.ts), the function's configuration
// (functions/commons/config.ts) and the local cloud (local/sqs/) all read these numbers, so that the retry
// schedule the handler computes is the one the queue enforces. docs/functions.md explains the choices.

export const UPLOAD_QUEUE = {
  /**
   * Receives of one message before SQS moves it to the dead-letter queue. The handler knows its last receive
   * (ApproximateReceiveCount ≥ this) and ends the blob FAILED there instead of handing the message back.
   */
  maxReceiveCount: 10,
  /**
   * Messages per invocation. One: a message is one DetectLabels call plus a webhook that may wait, so a batch would
   * either queue records behind a slow webhook (in sequence) or multiply the calls in flight beyond the quota (in
   * parallel). Partial batch responses stay on, so a larger batch remains correct.
   */
  batchSize: 1,
  /** Time between the visibility timeout and the processing lease: the lease starts just after the receive. */
  visibilityMarginSeconds: 10,
  /** First hand-back delay after a failing dependency; it doubles with every receive, up to the cap. */
  retryBaseSeconds: 5,
  retryCapSeconds: 600,
  /** Messages wait this long at most (SQS allows up to 14 days); the dead-letter queue keeps them as long. */
  retentionDays: 14,
} as const;

/** DetectLabels' default quota in the largest regions (Service Quotas L-E29B542B); `-c rekognitionTps=N` to change. */
export const DEFAULT_REKOGNITION_TPS = 50;

/** A PROCESSING blob whose lease is older than this may be taken over (PROCESSING_LEASE_SECONDS). */
export const DEFAULT_PROCESSING_LEASE_SECONDS = 120;

/** SQS event source mappings accept a maximum concurrency from 2 to 1000. */
export const MIN_MAX_CONCURRENCY = 2;
export const MAX_MAX_CONCURRENCY = 1000;

/**
 * Concurrent invocations allowed to process uploads. Each invocation has at most one DetectLabels call in flight
 * (batch size 1), and a call with its S3 reads takes about a second, so as many invocations as the quota has
 * transactions per second keep Rekognition busy without exceeding it. Faster calls are throttled now and then:
 * the SDK's adaptive retry and the queue's backoff absorb that.
 */
export function maxConcurrencyFor(rekognitionTps: number): number {
  const wanted = Math.floor(rekognitionTps / UPLOAD_QUEUE.batchSize);
  return Math.min(MAX_MAX_CONCURRENCY, Math.max(MIN_MAX_CONCURRENCY, wanted));
}

/**
 * How long a received message stays invisible. Longer than the lease, so that a message whose attempt died comes
 * back when its blob may be taken over; and the lease is longer than the function's timeout, so a live attempt is
 * never taken over.
 */
export function visibilityTimeoutSeconds(leaseSeconds: number): number {
  return leaseSeconds + UPLOAD_QUEUE.visibilityMarginSeconds;
}

/** The receive on which a failing dependency ends the blob FAILED instead of handing the message back. */
export function isLastReceive(receiveCount: number, maxReceiveCount: number = UPLOAD_QUEUE.maxReceiveCount): boolean {
  return receiveCount >= maxReceiveCount;
}

/**
 * Seconds before a message that met a failing dependency on its `receiveCount`-th receive is received again:
 * exponential, capped, with "equal jitter" (half fixed, half random) so that a burst throttled together does not
 * come back together.
 */
export function retryDelaySeconds(receiveCount: number, random: () => number = Math.random): number {
  const ceiling = retryCeilingSeconds(receiveCount);
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

function retryCeilingSeconds(receiveCount: number): number {
  const exponent = Math.max(0, Math.min(30, receiveCount - 1));
  return Math.min(UPLOAD_QUEUE.retryCapSeconds, UPLOAD_QUEUE.retryBaseSeconds * 2 ** exponent);
}

/** The waits between the first and the last receive of a message that keeps failing: [shortest, longest] seconds. */
export function retryWindowSeconds(maxReceiveCount: number = UPLOAD_QUEUE.maxReceiveCount): [number, number] {
  let shortest = 0;
  let longest = 0;
  for (let receive = 1; receive < maxReceiveCount; receive += 1) {
    shortest += Math.max(1, Math.round(retryCeilingSeconds(receive) / 2));
    longest += retryCeilingSeconds(receive);
  }
  return [shortest, longest];
}
