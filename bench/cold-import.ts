// Cold import of each deployed Lambda bundle: every handler of functions/manifest.ts bundled with the options
// infra/constructs/functions.ts gives CDK's esbuild (ESM, minified, node24, the SDK inside less the credential
// providers Lambda never reaches), plus an external source map without sources content (what was deployed until these
// figures: the deployed asset now has none), then `import()`ed in a fresh node process, as the runtime does at a
// cold start, with and without --enable-source-maps. The map also lets one read a minified stack trace from Lambda
// (rebuild at the deployed commit: esbuild's output is deterministic). Rounds alternate the
// bundles and the two modes (and rotate their order), so that the machine's other load falls on both alike.
// Besides the wall time of the import, the child reports the CPU time its process spent in it (all its threads): on a
// shared machine the wall time carries the other load, the CPU time much less. `--node <binary>` imports with another
// Node.js than the one running the bench: Lambda runs Node 24, whose ES module import of a built-in costs more than
// Node 20's (node:http loads undici), so the figures that speak for Lambda are those of a Node 24 binary.
// Writes bench/results/cold-import.json (bench/results/cold-import-node<major>.json with --node).
// Usage: npx tsx bench/cold-import.ts [--rounds 10] [--node /path/to/node]
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { FUNCTION_NAMES } from '../functions/manifest.ts';
import { BUNDLE_TARGET, REQUIRE_BANNER, UNUSED_CREDENTIAL_PROVIDERS } from '../infra/constructs/functions.ts';
import { BUNDLE_CHECK_ENVIRONMENT } from '../scripts/bundle-environment.ts';
import { ROOT } from './support/child-server.ts';
import { loadAverage, median, percentile, round } from './support/stats.ts';

const OUT = join(ROOT, 'dist', 'cold-import');
const TARGET_MS = 80;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, node: { type: 'string' } } });
const NODE = values.node ?? process.execPath;
const RESULTS = join(ROOT, 'bench', 'results', values.node === undefined ? 'cold-import.json' : `cold-import-node${nodeMajor(NODE)}.json`);

function nodeVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

function nodeMajor(binary: string): string {
  return nodeVersion(binary).replace(/^v(\d+)\..*$/, '$1');
}

type Mode = 'plain' | 'sourceMaps';
const MODES: readonly Mode[] = ['plain', 'sourceMaps'];

/** What CDK's NodejsFunction runs esbuild with, for the bundling options of infra/constructs/functions.ts, and a map. */
async function bundle(name: string): Promise<string> {
  const file = join(OUT, name, 'index.mjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'functions', `${name}.ts`)],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    external: UNUSED_CREDENTIAL_PROVIDERS,
    logLevel: 'error',
  });
  return file;
}

// The child times only the import (what a cold start spends on the handler module), and checks a handler came out.
const CHILD = `
const cpuBefore = process.cpuUsage();
const started = performance.now();
const module = await import(process.env.BUNDLE_URL);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (typeof module.handler !== 'function') throw new Error('no handler');
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

interface Sample {
  importMs: number;
  cpuMs: number;
  processMs: number;
}

function importOnce(file: string, mode: Mode): Promise<Sample> {
  const flags = mode === 'sourceMaps' ? ['--enable-source-maps'] : [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [...flags, '--no-warnings', '--input-type=module', '-e', CHILD], {
      cwd: OUT,
      env: { PATH: process.env.PATH ?? '', ...BUNDLE_CHECK_ENVIRONMENT, BUNDLE_URL: pathToFileURL(file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`importing ${file} failed (${code}): ${err}`));
      else {
        const { ms, cpuMs } = JSON.parse(out) as { ms: number; cpuMs: number };
        resolve({ importMs: ms, cpuMs, processMs: performance.now() - started });
      }
    });
  });
}

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const names = [...FUNCTION_NAMES].sort();
  const files = new Map<string, string>();
  for (const name of names) files.set(name, await bundle(name));

  const samples = new Map<string, Record<Mode, Sample[]>>();
  for (const name of names) samples.set(name, { plain: [], sourceMaps: [] });
  const loadBefore = loadAverage();
  // One unmeasured import of each: the file system cache, as a warm Lambda host would have it.
  for (const name of names) await importOnce(files.get(name)!, 'plain');
  for (let r = 0; r < rounds; r += 1) {
    for (const [i] of names.entries()) {
      const name = names[(i + r) % names.length];
      const order = r % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) samples.get(name)![mode].push(await importOnce(files.get(name)!, mode));
    }
  }
  const loadAfter = loadAverage();

  const functions = [];
  for (const name of names) {
    const file = files.get(name)!;
    const bySample = samples.get(name)!;
    const summary = (mode: Mode) => ({
      p50Ms: round(median(bySample[mode].map((s) => s.importMs)), 1),
      p90Ms: round(percentile(bySample[mode].map((s) => s.importMs), 90), 1),
      minMs: round(Math.min(...bySample[mode].map((s) => s.importMs)), 1),
      cpuP50Ms: round(median(bySample[mode].map((s) => s.cpuMs)), 1),
      processP50Ms: round(median(bySample[mode].map((s) => s.processMs)), 1),
    });
    const plain = summary('plain');
    const sourceMaps = summary('sourceMaps');
    // The cost of source maps, paired within a round.
    const added = median(bySample.plain.map((s, i) => bySample.sourceMaps[i].importMs - s.importMs));
    functions.push({
      name,
      bytes: (await stat(file)).size,
      mapBytes: (await stat(`${file}.map`)).size,
      plain,
      sourceMaps,
      sourceMapsAddMs: round(added, 1),
      underTarget: { plain: plain.p50Ms < TARGET_MS, sourceMaps: sourceMaps.p50Ms < TARGET_MS },
    });
    console.log(`${name.padEnd(18)} import p50 ${String(plain.p50Ms).padStart(6)} ms (p90 ${plain.p90Ms}, CPU ${plain.cpuP50Ms}), with --enable-source-maps ${String(sourceMaps.p50Ms).padStart(6)} ms (p90 ${sourceMaps.p90Ms}): +${round(added, 1)} ms`);
  }
  const result = {
    measuredAt: new Date().toISOString(),
    node: nodeVersion(NODE),
    cores: cpus().length,
    esbuild: esbuild.version,
    rounds,
    loadAverage: round((loadBefore + loadAfter) / 2, 2),
    functions,
    targetMs: TARGET_MS,
  };
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`load ${result.loadAverage}; → ${RESULTS}`);
}

await main();
