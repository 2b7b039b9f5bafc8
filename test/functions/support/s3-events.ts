// S3 ObjectCreated events in the shape S3 sends them, and object bodies in the shape the SDK returns them.
import { Readable } from 'node:stream';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';

export function objectCreatedRecord(bucket: string, encodedKey: string, overrides: { eventName?: string; size?: number } = {}): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-1',
    eventTime: '2026-03-01T12:00:00.000Z',
    eventName: overrides.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.9' },
    responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'process-upload',
      bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodedKey, size: overrides.size ?? 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
    },
  };
}

export function s3Event(...records: S3EventRecord[]): S3Event {
  return { Records: records };
}

/** A GetObject Body holding `bytes`, with the SDK's stream mixin methods. */
export function objectBody(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  const stream = Readable.from([Buffer.from(bytes)]);
  return Object.assign(stream, {
    transformToByteArray: async () => bytes,
    transformToString: async (encoding?: string) => Buffer.from(bytes).toString((encoding ?? 'utf8') as BufferEncoding),
    transformToWebStream: () => Readable.toWeb(stream) as unknown as ReadableStream,
  });
}
