// The client package as published: what its exports resolve to, that each entry carries its types, that the browser
// entry pulls in nothing of Node's, and what an app pays for it (minified and gzipped, as a bundler would ship it).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const CLIENT = fileURLToPath(new URL('../../client/', import.meta.url));
/** Budgets, gzipped: the browser entry with everything labelImage needs; the IAM signer on its own. */
const BUDGET_BYTES = { browser: 8 * 1024, iam: 12 * 1024 };

async function shipped(entry: string): Promise<{ gzipped: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents: `export * from '@image-labels/client${entry}';`, resolveDir: CLIENT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { gzipped: gzipSync(result.outputFiles[0].contents, { level: 9 }).byteLength, inputs: Object.keys(result.metafile.inputs) };
}

describe('the client package', () => {
  it('resolves to its Node build in Node and to its browser build for browsers, each with declarations', async () => {
    const manifest = JSON.parse(await readFile(new URL('package.json', `file://${CLIENT}`), 'utf8')) as { exports: Record<string, unknown>; type: string };
    const node = await import('@image-labels/client');

    expect(manifest.type).toBe('module');
    expect(manifest.exports['.']).toEqual({
      node: { types: './dist/node.d.ts', default: './dist/node.js' },
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(typeof node.readAmplifyOutputs).toBe('function');
    for (const file of ['index', 'node', 'iam']) {
      await expect(readFile(`${CLIENT}dist/${file}.d.ts`, 'utf8')).resolves.toContain('export');
    }
  });

  it(`ships to browsers in at most ${BUDGET_BYTES.browser / 1024} KB gzipped, with nothing of Node's`, async () => {
    const { gzipped, inputs } = await shipped('');

    console.info(`@image-labels/client (browser, minified): ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES.browser);
    expect(inputs.filter((input) => /node-transport|node_modules\/ws\//.test(input))).toEqual([]);
  });

  it(`keeps the IAM signer in its own entry, at most ${BUDGET_BYTES.iam / 1024} KB gzipped`, async () => {
    const browser = await shipped('');
    const iam = await shipped('/iam');

    console.info(`@image-labels/client/iam (minified): ${(iam.gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(browser.inputs.some((input) => input.includes('@smithy/signature-v4'))).toBe(false);
    expect(iam.gzipped).toBeLessThanOrEqual(BUDGET_BYTES.iam);
  });
});
