import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LAUNCHER = path.join(ROOT, 'local/rekognition/bin/detect-labels-local.mjs');

describe('the detect-labels-local command', () => {
  it('prints Rekognition\'s JSON for a photo with --json', async () => {
    const { stdout } = await run(process.execPath, [LAUNCHER, 'detect-labels', path.join(FIXTURES, 'horse.png'), '--json', '--max-labels', '3'], { cwd: ROOT });
    const response = JSON.parse(stdout) as { Labels: Array<{ Name: string }>; LabelModelVersion: string };
    expect(response.Labels.map((l) => l.Name)).toEqual(['Horse', 'Animal', 'Mammal']);
  });

  it('labels every image of a folder and every file named, one JSON line each, in the order given', async () => {
    const { stdout } = await run(process.execPath, [
      LAUNCHER, 'detect-labels', FIXTURES, path.join(FIXTURES, 'horse.png'), '--json', '--workers', '2', '--max-labels', '1',
    ], { cwd: ROOT }).catch((e: { stdout: string; code: number }) => {
      // truncated.jpg is in the folder: the run labels the rest and exits 1 for it.
      expect(e.code).toBe(1);
      return e;
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; Labels: Array<{ Name: string }> });
    expect(lines.map((l) => path.basename(l.file))).toEqual(['astronaut.png', 'chelsea.png', 'coffee.png', 'horse.png', 'rocket.jpg', 'horse.png']);
    expect(lines.find((l) => l.file.endsWith('chelsea.png'))?.Labels[0].Name).toBe('Cat');
  });

  it('refuses a --workers that is not a positive integer', async () => {
    const error = await run(process.execPath, [LAUNCHER, 'detect-labels', FIXTURES, '--workers', '0'], { cwd: ROOT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('--workers') });
  });

  it('names the Rekognition exception and exits 1 for a corrupt image', async () => {
    const error = await run(process.execPath, [LAUNCHER, 'detect-labels', path.join(FIXTURES, 'truncated.jpg')], { cwd: ROOT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1, stderr: expect.stringContaining('InvalidImageFormatException') });
  });

  it('prints its usage and exits 2 when the command is wrong', async () => {
    const error = await run(process.execPath, [LAUNCHER, 'label-everything'], { cwd: ROOT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: detect-labels-local') });
  });
});
