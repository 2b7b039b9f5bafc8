import { describe, expect, it } from 'vitest';
import { parseUploadMessage, receiveCountOf } from '../../../functions/queue/upload-message.ts';
import { objectCreatedRecord, s3Event } from '../support/s3-events.ts';
import { queueMessage } from '../support/sqs-events.ts';

describe('an upload queue message', () => {
  it('carries S3’s event in its body', () => {
    const event = s3Event(objectCreatedRecord('uploads', 'test/01JMESSAGE0000000000000000'));

    expect(parseUploadMessage(JSON.stringify(event))).toEqual({ kind: 'uploads', event });
  });

  it('tells S3’s test event apart from an upload', () => {
    const body = '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-03-01T12:00:00.000Z","Bucket":"uploads"}';

    expect(parseUploadMessage(body)).toEqual({ kind: 'test' });
  });

  it.each([
    ['not JSON', 'the body is not JSON'],
    ['"a string"', 'the body is not a JSON object'],
    ['{"Message":"an SNS envelope"}', 'the body is not an S3 event notification (no Records)'],
  ])('calls %s unreadable', (body, reason) => {
    expect(parseUploadMessage(body)).toEqual({ kind: 'unreadable', reason });
  });

  it('reads which receive it is, counting from 1', () => {
    expect(receiveCountOf(queueMessage('{}', { receiveCount: 7 }))).toBe(7);
    expect(receiveCountOf({ attributes: { ...queueMessage('{}').attributes, ApproximateReceiveCount: 'garbage' } })).toBe(1);
  });
});
