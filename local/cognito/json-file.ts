// A JSON document on disk that is replaced whole and atomically: written to a temporary file (mode 0600,
// flushed) and renamed over the old one, so a crash leaves either the old document or the new one.
// Writes are queued: the last one to start is the last one to land.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface JsonFile<T> {
  readonly path: string;
  /** The stored document, or null when there is none yet. */
  read(): Promise<T | null>;
  write(value: T): Promise<void>;
  /** Resolves when every write started so far has landed (or failed). */
  idle(): Promise<void>;
}

export function jsonFile<T>(path: string, isValid: (value: unknown) => value is T): JsonFile<T> {
  let queue: Promise<void> = Promise.resolve();

  async function writeNow(value: T): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(value, null, 2) + '\n', 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    // A file left by an older version with wider rights is narrowed too.
    await chmod(path, 0o600);
  }

  return {
    path,
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const parsed: unknown = JSON.parse(text);
      if (!isValid(parsed)) throw new Error(`${path} is not a document of the local user pool; move it away to start afresh`);
      return parsed;
    },
    write(value) {
      const next = queue.then(() => writeNow(value));
      queue = next.catch(() => undefined);
      return next;
    },
    idle: () => queue,
  };
}
