// Lambda's SQS event source mapping, for the local cloud: polls a queue and invokes a function with batches of
// messages, never more than `maxConcurrency` invocations at once, as the stack configures it (batch size, maximum
// concurrency, partial batch responses). What Lambda does with the answer:
//  - { batchItemFailures: [...] }: every other message of the batch is deleted; the failed ones stay in the queue
//    and come back when their visibility timeout ends (the function may have changed it);
//  - an error, or an answer naming a message that was not in the batch: the whole batch stays, as if it had failed.
// Messages received too often are moved to the dead-letter queue by the queue itself (its redrive policy).
import { EventEmitter } from 'node:events';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../log.ts';
import type { LocalQueue, ReceivedMessage } from './queue.ts';

export interface EventSourceMappingOptions {
  queue: LocalQueue;
  region: string;
  batchSize: number;
  maxConcurrency: number;
  /** The function's timeout: Lambda refuses a queue whose visibility timeout is shorter. */
  functionTimeoutSeconds: number;
  invoke: (event: SQSEvent) => Promise<unknown>;
  logger: Logger;
}

export interface EventSourceMapping {
  /** Resolves when the queue holds no message (visible or in flight) and no invocation runs. */
  idle(): Promise<void>;
  /** Stops polling and waits for the invocations running now; messages left in the queue stay there. */
  close(): Promise<void>;
}

export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const { queue, logger } = options;
  // As CreateEventSourceMapping does: otherwise a live invocation's messages would come back while it still runs.
  if (queue.visibilityTimeoutSeconds < options.functionTimeoutSeconds) {
    throw new Error(
      `Queue visibility timeout: ${queue.visibilityTimeoutSeconds} seconds is less than Function timeout: ${options.functionTimeoutSeconds} seconds`,
    );
  }
  const running = new Set<Promise<void>>();
  /** 'activity' whenever an invocation starts or ends. */
  const activity = new EventEmitter();
  activity.setMaxListeners(0);
  let stopped = false;
  let wake: (() => void) | undefined;
  const stopWaiting = queue.onChange(() => wake?.());

  async function poll(): Promise<void> {
    while (!stopped) {
      while (!stopped && running.size < options.maxConcurrency) {
        const batch = await queue.receive(options.batchSize);
        if (batch.length === 0) {
          break;
        }
        const invocation = invokeWith(batch).finally(() => {
          running.delete(invocation);
          activity.emit('activity');
          wake?.();
        });
        running.add(invocation);
        activity.emit('activity');
      }
      if (!stopped) {
        await nextChange();
      }
    }
  }

  /** Until the queue changes, an invocation ends, or the next invisible message becomes visible. */
  function nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const next = running.size < options.maxConcurrency ? queue.nextVisibleAt() : undefined;
      const timer = next === undefined ? undefined : setTimeout(done, Math.max(0, next - Date.now()) + 5);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function invokeWith(batch: ReceivedMessage[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((message) => toRecord(message, queue.arn, options.region)) };
    let response: unknown;
    try {
      response = await options.invoke(event);
    } catch (error) {
      logger.warn('function failed: the batch returns to the queue after its visibility timeout', {
        messages: batch.length,
        error,
      });
      return;
    }
    const failed = failedMessageIds(response, batch);
    if (failed === null) {
      logger.warn('the function answered an invalid partial batch response: the whole batch counts as failed', { response });
      return;
    }
    await Promise.all(
      batch.filter((message) => !failed.has(message.messageId)).map((message) => queue.delete(message.receiptHandle)),
    );
  }

  const polling = poll().catch((error: unknown) => logger.error('event source mapping stopped', { error }));

  return {
    async idle() {
      // The queue's count changes only on send, delete and dead-lettering (its change events), the running
      // invocations only on start and end (activity): waking on both, no change goes unnoticed.
      while (queue.counts().total > 0 || running.size > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            unsubscribe();
            activity.off('activity', done);
            resolve();
          };
          const unsubscribe = queue.onChange(done);
          activity.on('activity', done);
        });
      }
    },
    async close() {
      stopped = true;
      wake?.();
      stopWaiting();
      await polling;
      await Promise.all([...running]);
      await queue.flushed();
    },
  };
}

/** The ids of the messages to keep, or null when the response names messages that were not in the batch. */
function failedMessageIds(response: unknown, batch: ReceivedMessage[]): Set<string> | null {
  const failures = (response as Partial<SQSBatchResponse> | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) {
    return new Set();
  }
  if (!Array.isArray(failures)) {
    return null;
  }
  const ids = new Set(batch.map((message) => message.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) {
      return null;
    }
    failed.add(id);
  }
  return failed;
}

function toRecord(message: ReceivedMessage, queueArn: string, region: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: message.attributes,
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
