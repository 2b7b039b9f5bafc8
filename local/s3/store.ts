// Makes s3rver's file store write objects the way S3 commits them: all or nothing.
// s3rver streams a PUT body straight into the object file and reports success when its hashing
// stream finishes, before the file is flushed, and leaves a truncated object behind when the
// client goes away mid-upload. The replacement writes the body to a temporary file, waits for it
// to be on disk, checks it against the hashes the client declared (x-amz-content-sha256,
// Content-MD5) as S3 does, and only then moves it into place. Nothing else of s3rver changes.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

/** What the front learnt from a request's headers about its body. */
export interface BodyExpectation {
  /** Hex SHA-256 from a signed x-amz-content-sha256 (absent for UNSIGNED-PAYLOAD). */
  sha256?: string;
  /** Base64 MD5 from Content-MD5. */
  md5?: string;
}

function clientError(code: string, message: string, detail: Record<string, string>): S3Error {
  const error = new S3Error(code, message, detail);
  error.status = 400;
  error.expose = true;
  return error;
}

async function writeVerified(
  content: Readable | Buffer,
  destination: string,
  temporaryDir: string,
  expectation: BodyExpectation | undefined,
): Promise<{ size: number; md5: string; commit(): Promise<void> }> {
  await mkdir(temporaryDir, { recursive: true });
  const temporary = join(temporaryDir, `${randomBytes(8).toString('hex')}.part`);
  const md5 = createHash('md5');
  const sha256 = expectation?.sha256 ? createHash('sha256') : null;
  let size = 0;
  try {
    if (Buffer.isBuffer(content)) {
      md5.update(content);
      sha256?.update(content);
      size = content.length;
      await writeFile(temporary, content);
    } else {
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          sha256?.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      await pipeline(content, meter, createWriteStream(temporary));
    }
    const md5Digest = md5.digest();
    if (sha256 && expectation?.sha256) {
      const computed = sha256.digest('hex');
      if (computed !== expectation.sha256.toLowerCase()) {
        throw clientError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: expectation.sha256,
          S3ComputedContentSHA256: computed,
        });
      }
    }
    if (expectation?.md5 !== undefined && expectation.md5 !== md5Digest.toString('base64')) {
      throw clientError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: expectation.md5,
        CalculatedDigest: md5Digest.toString('base64'),
      });
    }
    return {
      size,
      md5: md5Digest.toString('hex'),
      async commit() {
        await mkdir(dirname(destination), { recursive: true });
        await rename(temporary, destination);
      },
    };
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export function makeStoreAtomic(
  s3rver: S3rver,
  options: { temporaryDir: string; expectationOf(content: unknown): BodyExpectation | undefined },
): void {
  const store = s3rver.store;

  store.putObject = async (object) => {
    const destination = store.getResourcePath(object.bucket, object.key, 'object');
    const written = await writeVerified(object.content, destination, options.temporaryDir, options.expectationOf(object.content));
    // Metadata first, object last: until the rename, readers see the previous object or none.
    await mkdir(dirname(destination), { recursive: true });
    await store.putMetadata(object.bucket, object.key, object.metadata, written.md5);
    await written.commit();
    return { size: written.size, md5: written.md5 };
  };

  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const destination = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
    const written = await writeVerified(content, destination, options.temporaryDir, options.expectationOf(content));
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(`${destination}.md5`, written.md5);
    await written.commit();
    return { size: written.size, md5: written.md5 };
  };
}
