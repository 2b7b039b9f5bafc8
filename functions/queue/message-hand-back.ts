// Handing a message back to its queue for a later attempt: ChangeMessageVisibility sets when it is received again.
// The event source mapping only leaves failed messages undeleted; without this they would all come back after the
// queue's visibility timeout, whatever the reason, with no backoff.
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { fromAwsError } from '../commons/errors.ts';

/** SQS refuses visibility timeouts above 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

export type HandBack = (receiptHandle: string, delaySeconds: number) => Promise<void>;

export function sqsHandBack(sqs: SQSClient, queueUrl: string): HandBack {
  return async (receiptHandle, delaySeconds) => {
    const VisibilityTimeout = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    try {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout }));
    } catch (error) {
      throw fromAwsError('SQS', error);
    }
  };
}
