// How long `npm start` takes until GraphQL answers, and how much memory the idle local cloud holds.
// Runs `npm start` (after one build, so the build step finds its outputs up to date) in a fresh data
// directory on spare ports, polls GraphQL, then samples the resident memory of the local cloud's
// process and its children (npm itself is not counted) while idle.
// Usage: npx tsx bench/local-cloud.ts [--runs 3] [--idle-seconds 10]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'local-cloud.json');

interface Run {
  readyMs: number;
  idleRssMb: number;
  processes: number;
}

function freePortBase(run: number): number {
  // A block of ports away from the defaults, different per run so that TIME_WAIT never interferes.
  return 30_000 + (process.pid % 1000) * 10 + run * 7;
}

interface ProcessInfo {
  ppid: number;
  rssKb: number;
  commandLine: string;
}

async function processTable(): Promise<Map<number, ProcessInfo>> {
  const table = new Map<number, ProcessInfo>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = await readFile(`/proc/${entry}/status`, 'utf8');
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      table.set(Number(entry), {
        ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        commandLine,
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

/** Resident memory of the process running local/start.ts under `npmPid`, and of its children. */
async function rssOfLocalCloud(npmPid: number): Promise<{ rssKb: number; processes: number }> {
  const table = await processTable();
  const descends = (pid: number, ancestor: number): boolean => {
    for (let current = pid; current > 1; current = table.get(current)?.ppid ?? 0) {
      if (current === ancestor) return true;
    }
    return false;
  };
  const cloudPid = [...table].find(([pid, info]) => descends(pid, npmPid) && info.commandLine.includes('local/start.ts'))?.[0];
  if (cloudPid === undefined) return { rssKb: 0, processes: 0 };
  const rss = new Map([...table].map(([pid, info]) => [pid, info.rssKb]));
  const inTree = (pid: number): boolean => descends(pid, cloudPid);
  let rssKb = 0;
  let count = 0;
  for (const [pid, kb] of rss) {
    if (inTree(pid)) {
      rssKb += kb;
      count += 1;
    }
  }
  return { rssKb, processes: count };
}

async function waitForGraphql(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local cloud exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      // 401 without a key is an answer: the GraphQL server is up.
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`GraphQL did not answer within ${timeoutMs} ms`);
}

async function measureOnce(run: number, idleSeconds: number): Promise<Run> {
  const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-bench-'));
  const base = freePortBase(run);
  const port = base;
  const args = [
    'start',
    '--',
    '--data-dir', dataDir,
    '--port', String(port),
    '--https-port', String(base + 1),
    '--s3-port', String(base + 2),
    '--dynamodb-port', String(base + 3),
    '--rekognition-port', String(base + 4),
    '--sqs-port', String(base + 5),
    '--log-format', 'json',
    '--log-level', 'warn',
  ];
  const started = performance.now();
  // Its own process group, so that stopping it reaches npm's shell and the local cloud alike.
  const child = spawn('npm', args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  try {
    await waitForGraphql(`http://127.0.0.1:${port}/graphql`, child, 30_000);
    const readyMs = performance.now() - started;
    // Let start-up work (model warm-up, first sweeps) settle, then take the highest idle sample.
    let peak = { rssKb: 0, processes: 0 };
    for (let second = 0; second < idleSeconds; second += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sample = await rssOfLocalCloud(child.pid!);
      if (sample.rssKb > peak.rssKb) peak = sample;
    }
    return { readyMs: Math.round(readyMs), idleRssMb: Math.round(peak.rssKb / 1024), processes: peak.processes };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  // One build first: the measured starts then find it up to date, as every start after the first does.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'idle-seconds': { type: 'string', default: '10' } } });
  const runs: Run[] = [];
  for (let run = 0; run < Number(values.runs); run += 1) {
    const result = await measureOnce(run, Number(values['idle-seconds']));
    console.log(`run ${run + 1}: GraphQL answering after ${result.readyMs} ms, idle RSS ${result.idleRssMb} MB (${result.processes} processes)`);
    runs.push(result);
  }
  const summary = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cores: (await import('node:os')).cpus().length,
    runs,
    medianReadyMs: median(runs.map((r) => r.readyMs)),
    maxIdleRssMb: Math.max(...runs.map((r) => r.idleRssMb)),
    targets: { readyMs: 5000, idleRssMb: 400 },
  };
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(RESULTS, JSON.stringify(summary, null, 2) + '\n');
  console.log(`median start ${summary.medianReadyMs} ms (target < 5000), max idle RSS ${summary.maxIdleRssMb} MB (target < 400) → ${RESULTS}`);
}

await main();
