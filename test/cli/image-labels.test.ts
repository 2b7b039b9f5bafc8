// The `image-labels` command as a user runs it (a child process, in a folder holding the local cloud's
// amplify_outputs.json, no terminal): login with SRP and cached tokens, label with --json and exit codes, status,
// list, delete, listen, and tokens refreshed when they expire.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/image-labels.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
const PASSWORD = 'Correct-Horse-9';
const TIMEOUT_MS = 120_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let cloud: LocalCloud;

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {
      cwd: work,
      env: { ...process.env, IMAGE_LABELS_CONFIG_DIR: join(work, 'config'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: TIMEOUT_MS,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface JsonBlob {
  file: string;
  id: string;
  status: string;
  labels: Array<{ name: string }> | null;
  error: { code: string } | null;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'image-labels-cli-'));
  cloud = await startLocalCloud({
    dataDir: join(work, 'data'),
    ports: FREE_PORTS,
    quiet: true,
    amplifyOutputsPath: join(work, 'amplify_outputs.json'),
  });
  for (const name of ['chelsea.png', 'horse.png', 'truncated.jpg']) await copyFile(join(FIXTURES, name), join(work, name));
});

afterAll(async () => {
  await cloud?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('image-labels', () => {
  it('refuses the API commands before login, saying what to do', { timeout: TIMEOUT_MS }, async () => {
    const list = await run('list');

    expect(list.code).toBe(1);
    expect(list.stderr).toContain('NotSignedIn');
    expect(list.stderr).toContain('image-labels login');
  });

  it('asks for nothing without a terminal: a missing password is an error naming it', { timeout: TIMEOUT_MS }, async () => {
    const login = await run('login', '--email', 'someone@example.com');

    expect(login.code).toBe(1);
    expect(login.stderr).toContain('Password was not given');
  });

  it('signs up and in with SRP, then labels photos: LABELLED ones exit 0, a corrupt JPEG exits 1 with its code', { timeout: TIMEOUT_MS }, async () => {
    const login = await run('login', '--signup', '--email', `cli-${Date.now()}@example.com`, '--password', PASSWORD);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('Signed in as');

    const good = await run('label', 'chelsea.png', 'horse.png', '--json', '--max-labels', '5');
    const bad = await run('label', 'chelsea.png', 'truncated.jpg', '--json', '--concurrency', '1');

    expect(good.code).toBe(0);
    const labelled = JSON.parse(good.stdout) as JsonBlob[];
    expect(labelled.map((blob) => [blob.file, blob.status])).toEqual([['chelsea.png', 'LABELLED'], ['horse.png', 'LABELLED']]);
    expect(labelled[0].labels?.map((label) => label.name)).toContain('Cat');
    expect(labelled[1].labels?.map((label) => label.name)).toContain('Horse');
    expect(good.stderr).toContain('2 files in');
    expect(bad.code).toBe(1);
    const mixed = JSON.parse(bad.stdout) as JsonBlob[];
    expect(mixed[1]).toMatchObject({ file: 'truncated.jpg', status: 'REJECTED', error: { code: 'InvalidImageFormatException' } });
    expect(bad.stderr).toContain('1 LABELLED, 1 REJECTED');
  });

  it('refuses a file that is not an image without uploading it, and exits 1', { timeout: TIMEOUT_MS }, async () => {
    await writeFile(join(work, 'animation.gif'), 'GIF89a\x01\x00\x01\x00');

    const result = await run('label', 'animation.gif', '--json');

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain('UnsupportedContentType');
  });

  it('shows, lists, listens to and deletes a blob', { timeout: TIMEOUT_MS }, async () => {
    const labelled = JSON.parse((await run('label', 'horse.png', '--json')).stdout) as JsonBlob[];
    const id = labelled[0].id;

    const status = await run('status', id);
    const list = await run('list', '--json', '--limit', '100');
    const listen = await run('listen', id, '--json');
    const deleted = await run('delete', id);
    const gone = await run('status', id);

    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`status\\s+LABELLED`));
    expect(status.stdout).toContain('Horse');
    expect((JSON.parse(list.stdout) as JsonBlob[]).map((blob) => blob.id)).toContain(id);
    expect(listen.code).toBe(0);
    expect(JSON.parse(listen.stdout)).toMatchObject({ id, status: 'LABELLED' });
    expect(deleted.code).toBe(0);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`No blob ${id}`);
  });

  it('refreshes expired tokens from the cached refresh token', { timeout: TIMEOUT_MS }, async () => {
    const [file] = (await import('node:fs')).readdirSync(join(work, 'config', 'tokens')).map((name) => join(work, 'config', 'tokens', name));
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    const expired = (token: string) => {
      const [header, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url')}.signature`;
    };
    const idKey = Object.keys(stored).find((key) => key.endsWith('.idToken'))!;
    const accessKey = Object.keys(stored).find((key) => key.endsWith('.accessToken'))!;
    await writeFile(file, JSON.stringify({ ...stored, [idKey]: expired(stored[idKey]), [accessKey]: expired(stored[accessKey]) }));

    const list = await run('list');

    expect(list.code).toBe(0);
    const refreshed = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(refreshed[idKey].split('.')[2]).not.toBe('signature');
    expect(refreshed[idKey]).not.toBe(stored[idKey]);
  });
});
