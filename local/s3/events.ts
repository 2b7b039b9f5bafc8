// S3 event notifications: the ObjectCreated:* event as S3 writes it to a destination (here, the upload queue:
// the body of each SQS message is one such event). Delivery and retries are the queue's business (local/sqs/).
import type { S3Event } from 'aws-lambda';

export type ObjectCreatedEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';

export interface ObjectCreated {
  eventName: ObjectCreatedEventName;
  bucket: string;
  /** The key as stored (not encoded). */
  key: string;
  size: number;
  /** Without quotes, as in the event. */
  eTag: string;
  region: string;
  time: Date;
  sourceIp: string;
  /** `AWS:<principal>` of the caller that wrote the object. */
  principalId: string;
  bucketOwnerId: string;
  requestId: string;
  hostId: string;
  configurationId: string;
  sequencer: string;
}

/**
 * Encodes a key as S3 writes it into event notifications: form-URL-encoding (spaces as `+`,
 * everything but letters, digits and `. - _ *` as %XX of the UTF-8 bytes), slashes kept.
 * Handlers decode it with `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeEventKey(key: string): string {
  let encoded = '';
  for (const char of key) {
    if (/^[A-Za-z0-9.\-_*/]$/.test(char)) {
      encoded += char;
    } else if (char === ' ') {
      encoded += '+';
    } else {
      encoded += Array.from(Buffer.from(char, 'utf8'), (byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
    }
  }
  return encoded;
}

let lastSequencerTime = 0n;
let sequencerCounter = 0n;

/** Hexadecimal, increasing for the events of one key (S3 only promises that much); compare after padding. */
export function nextSequencer(now = Date.now()): string {
  const time = BigInt(now);
  if (time > lastSequencerTime) {
    lastSequencerTime = time;
    sequencerCounter = 0n;
  } else {
    sequencerCounter += 1n;
  }
  return ((lastSequencerTime << 20n) + sequencerCounter).toString(16).toUpperCase().padStart(18, '0');
}

export function objectCreatedEvent(created: ObjectCreated): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: created.region,
        eventTime: created.time.toISOString(),
        eventName: created.eventName,
        userIdentity: { principalId: created.principalId },
        requestParameters: { sourceIPAddress: created.sourceIp },
        responseElements: { 'x-amz-request-id': created.requestId, 'x-amz-id-2': created.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: created.configurationId,
          bucket: {
            name: created.bucket,
            ownerIdentity: { principalId: created.bucketOwnerId },
            arn: `arn:aws:s3:::${created.bucket}`,
          },
          object: {
            key: encodeEventKey(created.key),
            size: created.size,
            eTag: created.eTag,
            sequencer: created.sequencer,
          },
        },
      },
    ],
  };
}

/** Where S3 sends the events of a bucket notification (the upload queue); resolves once the event is kept. */
export type S3EventDestination = (event: S3Event) => Promise<void>;
