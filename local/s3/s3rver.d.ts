// s3rver ships no types: the parts of its API (and internals) the local S3 uses.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { Readable } from 'node:stream';

  interface S3rverOptions {
    directory: string;
    silent?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
    allowMismatchedSignatures?: boolean;
  }

  /** What s3rver's controllers hand to the store (its S3Object model). */
  interface StoredObject {
    bucket: string;
    key: string;
    content: Readable | Buffer;
    metadata: Record<string, string>;
  }

  interface FilesystemStore {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    /** Null when there is no such object. */
    getObject(bucket: string, key: string): Promise<{ content: Readable | null; metadata: Record<string, string> } | null>;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    getBucket(bucket: string): Promise<object | null>;
    putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
    putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
  }

  /** The record s3rver emits as 'event' (its own, older shape). */
  interface S3rverEvent {
    Records: Array<{
      eventName: string;
      s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
    }>;
  }

  interface WinstonLike {
    close(): void;
    exceptions: { unhandle(): void };
  }

  class S3rver {
    constructor(options: S3rverOptions);
    store: FilesystemStore;
    logger: WinstonLike;
    configureBuckets(): Promise<void>;
    /** Koa's request handler. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    on(event: 'error', listener: (error: Error & { status?: number; code?: string }) => void): this;
  }
  export default S3rver;
}

declare module 's3rver/lib/models/error.js' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
    code: string;
    status: number;
    expose: boolean;
  }
  export default S3Error;
}

declare module 's3rver/lib/models/account.js' {
  class AWSAccount {
    constructor(accountId: number | string, displayName: string);
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }
  export default AWSAccount;
}
