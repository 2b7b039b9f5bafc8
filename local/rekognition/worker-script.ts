import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * worker_threads cannot start a .ts file by themselves, under tsx or under vitest. The worker
 * entry is therefore bundled with esbuild at first use into one .mjs file. Packages stay
 * external, so the file is written inside node_modules/.cache, from where Node resolves them.
 * Named by the hash of its contents: a changed source gives a new file, never a stale one.
 */
let pending: Promise<URL> | undefined;

export function workerScriptUrl(): Promise<URL> {
  pending ??= bundleWorker().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function bundleWorker(): Promise<URL> {
  const here = fileURLToPath(import.meta.url);
  const result = await build({
    entryPoints: [path.join(path.dirname(here), 'worker.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = path.join(cacheDir(), `worker-${hash}.mjs`);
  if (!(await exists(file))) {
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: several processes may bundle at once, none sees a half-written file.
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, code);
    await rename(temp, file);
  }
  return pathToFileURL(file);
}

function cacheDir(): string {
  const tfjs = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
  const nodeModules = tfjs.slice(0, tfjs.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  return path.join(nodeModules, '.cache', 'local-rekognition');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
