// One message of the upload queue: the S3 event notification that S3 wrote into it, and what became of it.
// S3 sends one ObjectCreated record per message, and an `s3:TestEvent` message when the notification is set up.
import type { S3Event, SQSRecord } from 'aws-lambda';
import type { LocatedLogger } from '../commons/logger.ts';
import { type Delivery, type ProcessingDependencies, processUploadEvent, type RecordResult } from '../labelling/processing.ts';

export type UploadMessage =
  | { kind: 'uploads'; event: S3Event }
  /** Sent by S3 when the bucket notification is configured: nothing to process. */
  | { kind: 'test' }
  | { kind: 'unreadable'; reason: string };

export type MessageOutcome =
  /** Delete the message: every upload in it is final, or needs nothing. */
  | { kind: 'done'; results: RecordResult[] }
  /** Hand the message back to the queue, to be received again in `delaySeconds`. */
  | { kind: 'retry'; delaySeconds: number; reason: string; results: RecordResult[] };

export function parseUploadMessage(body: string): UploadMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'the body is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { kind: 'unreadable', reason: 'the body is not a JSON object' };
  }
  const fields = parsed as { Event?: unknown; Records?: unknown };
  if (fields.Event === 's3:TestEvent') {
    return { kind: 'test' };
  }
  if (!Array.isArray(fields.Records)) {
    return { kind: 'unreadable', reason: 'the body is not an S3 event notification (no Records)' };
  }
  return { kind: 'uploads', event: parsed as S3Event };
}

/** Which receive this is, from the message's ApproximateReceiveCount (at least 1). */
export function receiveCountOf(message: Pick<SQSRecord, 'attributes'>): number {
  const count = Number(message.attributes?.ApproximateReceiveCount);
  return Number.isSafeInteger(count) && count > 0 ? count : 1;
}

/**
 * Processes the uploads of one message. A message to retry comes back after the longest delay any of its uploads
 * asked for (the others are final by then, and skipped). A message that cannot be read is handed back at once:
 * after maxReceiveCount receives SQS moves it to the dead-letter queue, whose alarm calls for a look.
 */
export async function processUploadMessage(
  message: SQSRecord,
  maxReceiveCount: number,
  deps: ProcessingDependencies,
  parentLog: LocatedLogger,
): Promise<MessageOutcome> {
  const delivery: Delivery = { receiveCount: receiveCountOf(message), maxReceiveCount };
  const log = parentLog.createChild();
  log.appendKeys({ messageId: message.messageId });
  const parsed = parseUploadMessage(message.body);
  if (parsed.kind === 'test') {
    log.info('S3 test event; nothing to process');
    return { kind: 'done', results: [] };
  }
  if (parsed.kind === 'unreadable') {
    log.error('Unreadable upload message; handed back so that it reaches the dead-letter queue', {
      reason: parsed.reason,
      receiveCount: delivery.receiveCount,
    });
    return { kind: 'retry', delaySeconds: 0, reason: parsed.reason, results: [] };
  }
  const results = await processUploadEvent(parsed.event, delivery, deps, log);
  const retries = results.flatMap((result) => (result.outcome === 'retry' ? [result] : []));
  if (retries.length === 0) {
    return { kind: 'done', results };
  }
  const delaySeconds = Math.max(...retries.map((retry) => retry.delaySeconds));
  const reason = retries.map((retry) => `${retry.blobId}: ${retry.reason}`).join('; ');
  return { kind: 'retry', delaySeconds, reason, results };
}
