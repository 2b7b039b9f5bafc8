// SQS events as the event source mapping passes them to a function: each message's body is what S3 wrote to the queue.
import { createHash, randomUUID } from 'node:crypto';
import type { S3Event, SQSEvent, SQSRecord } from 'aws-lambda';

export const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:uploads';
export const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/uploads';

export function queueMessage(body: S3Event | string, options: { receiveCount?: number; messageId?: string } = {}): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const messageId = options.messageId ?? randomUUID();
  return {
    messageId,
    receiptHandle: `receipt-${messageId}-${options.receiveCount ?? 1}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1772366400000',
      SenderId: 'AIDAEXAMPLES3',
      ApproximateFirstReceiveTimestamp: '1772366400100',
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...messages: SQSRecord[]): SQSEvent {
  return { Records: messages };
}
