// Where `image-labels login` keeps the user pool's tokens: one JSON file per user pool (endpoint, pool, app client)
// under the user's configuration directory (~/.config/image-labels on Linux; IMAGE_LABELS_CONFIG_DIR overrides it),
// readable by the user only. Amplify reads and writes it through its key-value storage interface, and refreshes
// the tokens in it when they expire.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';

export interface KeyValueStorage {
  setItem(key: string, value: string): Promise<void>;
  getItem(key: string): Promise<string | null>;
  removeItem(key: string): Promise<void>;
  clear(): Promise<void>;
}

export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.IMAGE_LABELS_CONFIG_DIR || envPaths('image-labels', { suffix: '' }).config;
}

/** The file of one user pool's tokens: a hash of where they are valid, so that two pools never share one. */
export function tokenFile(directory: string, pool: { endpoint: string; userPoolId: string; userPoolClientId: string }): string {
  const key = createHash('sha256').update(`${pool.endpoint}|${pool.userPoolId}|${pool.userPoolClientId}`).digest('hex').slice(0, 16);
  return join(directory, 'tokens', `${pool.userPoolId}-${key}.json`);
}

/** A key-value store in one file, written whole (and atomically) on every change. */
export function fileStorage(file: string): KeyValueStorage {
  let cache: Map<string, string> | null = null;
  let writing = Promise.resolve();

  const load = async (): Promise<Map<string, string>> => {
    if (cache) return cache;
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
      const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
      cache = new Map(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      cache = new Map();
    }
    return cache;
  };
  const save = (values: Map<string, string>): Promise<void> => {
    writing = writing.then(async () => {
      if (values.size === 0) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, file);
    });
    return writing;
  };
  return {
    async setItem(key, value) {
      const values = await load();
      values.set(key, value);
      await save(values);
    },
    async getItem(key) {
      return (await load()).get(key) ?? null;
    },
    async removeItem(key) {
      const values = await load();
      if (values.delete(key)) await save(values);
    },
    async clear() {
      const values = await load();
      values.clear();
      await save(values);
    },
  };
}
