// The CLI's own parts: which files `label` takes, how results count and read, and the token file.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageBlob } from '@image-labels/client';
import { ImageLabelsError } from '../../client/src/errors.ts';
import { expandInputs } from '../../cli/files.ts';
import { outcome } from '../../cli/format.ts';
import { succeeded, summary, type FileResult } from '../../cli/label.ts';
import { fileStorage, tokenFile } from '../../cli/token-store.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-units-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function blob(status: ImageBlob['status'], extra: Partial<ImageBlob> = {}): ImageBlob {
  return {
    id: `blob-${status}`, owner: 'sub', status, contentType: 'image/png', size: 10, minConfidence: 55, maxLabels: 20,
    labels: null, error: null, callback: null, createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
    uploadExpiresAt: '2026-03-01T12:15:00.000Z', labelledAt: null, ...extra,
  };
}

describe('the files label takes', () => {
  it('keeps named files as they are and takes the images under folders, recursively and in name order', async () => {
    const photos = join(dir, 'photos');
    await mkdir(join(photos, 'nested'), { recursive: true });
    for (const name of ['b.png', 'a.JPG', 'notes.txt', 'nested/c.jpeg']) await writeFile(join(photos, name), 'x');
    await writeFile(join(dir, 'named.gif'), 'x');

    const files = await expandInputs([join(dir, 'named.gif'), photos, join(photos, 'b.png')]);

    expect(files).toEqual([join(dir, 'named.gif'), join(photos, 'a.JPG'), join(photos, 'b.png'), join(photos, 'nested/c.jpeg')]);
  });

  it('refuses a path that does not exist, and a folder without images, before anything is sent', async () => {
    await mkdir(join(dir, 'empty'), { recursive: true });

    await expect(expandInputs([join(dir, 'missing.jpg')])).rejects.toThrow('no such file or folder');
    await expect(expandInputs([join(dir, 'empty')])).rejects.toThrow('no .jpg, .jpeg or .png file');
  });
});

describe('results', () => {
  const labelled: FileResult = { file: 'cat.png', blob: blob('LABELLED'), error: null };
  const rejected: FileResult = { file: 'bad.jpg', blob: blob('REJECTED', { error: { code: 'InvalidImageFormatException', message: 'corrupt', retryable: false } }), error: null };
  const refused: FileResult = { file: 'a.gif', blob: null, error: new ImageLabelsError('Input', 'UnsupportedContentType', 'not an image') };

  it('succeed only when every file is LABELLED', () => {
    expect(succeeded([labelled, labelled])).toBe(true);
    expect(succeeded([labelled, rejected])).toBe(false);
    expect(succeeded([labelled, refused])).toBe(false);
    expect(succeeded([])).toBe(false);
  });

  it('sum up by final status or error code', () => {
    expect(summary([labelled, rejected, refused, labelled], 4200)).toBe('4 files in 4.2 s: 2 LABELLED, 1 REJECTED, 1 UnsupportedContentType');
  });

  it('say the error code of a blob that was not labelled', () => {
    expect(outcome(rejected.blob!)).toBe('REJECTED  InvalidImageFormatException: corrupt');
  });
});

describe('the token file', () => {
  it('is one per user pool, readable by its user only, and written whole', async () => {
    const pool = { endpoint: 'http://127.0.0.1:4571/', userPoolId: 'us-east-1_Local', userPoolClientId: 'client' };
    const file = tokenFile(join(dir, 'config'), pool);
    const storage = fileStorage(file);

    await storage.setItem('idToken', 'a.b.c');
    await storage.setItem('refreshToken', 'r');
    await storage.removeItem('refreshToken');

    expect(file).not.toBe(tokenFile(join(dir, 'config'), { ...pool, endpoint: 'https://cognito-idp.us-east-1.amazonaws.com/' }));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ idToken: 'a.b.c' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await fileStorage(file).getItem('idToken')).toBe('a.b.c');
  });
});
