// A burst of uploads against a Rekognition held to a quota: does the upload queue drain it without a FAILED blob,
// and how close to the ideal pace (uploads / quota) does it get?
// Starts the local cloud as `npm start` runs it (a child process, `--rekognition-tps`), creates and uploads N blobs
// with a callback URL from C workers, and takes each webhook's arrival as that blob's result.
// Usage: npx tsx bench/burst.ts [--uploads 1000] [--concurrency 64] [--tps 5] [--labeller-workers 2]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION, localCredentials } from '../local/config.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'burst.json');
const PHOTO = join(ROOT, 'test', 'fixtures', 'images', 'coffee.png');

interface Ready {
  graphqlUrl: string;
  apiKey: string;
  sqsEndpoint: string;
  uploadQueueUrl: string;
  deadLetterQueueUrl: string;
  maxConcurrency: number;
}

type LogLine = Record<string, unknown> & { message?: string; component?: string };

interface CreatedBlob {
  id: string;
  upload: { url: string; headers: string };
}

async function graphql<T>(ready: Ready, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(ready.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ready.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function queueDepth(ready: Ready, queueUrl: string): Promise<number> {
  const sqs = new SQSClient({ endpoint: ready.sqsEndpoint, region: LOCAL_REGION, credentials: localCredentials() });
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  } finally {
    sqs.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      uploads: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '64' },
      tps: { type: 'string', default: '5' },
      'labeller-workers': { type: 'string', default: '2' },
    },
  });
  const uploads = Number(values.uploads);
  const concurrency = Number(values.concurrency);
  const tps = Number(values.tps);
  const workers = Number(values['labeller-workers']);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('npm run build failed');

  // The webhook receiver: a blob's result is the arrival of its callback.
  const resultAt = new Map<string, number>();
  const webhooksPerBlob = new Map<string, number>();
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { blobId, status } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { blobId: string; status: string };
      if (!resultAt.has(blobId)) resultAt.set(blobId, performance.now());
      webhooksPerBlob.set(blobId, (webhooksPerBlob.get(blobId) ?? 0) + 1);
      if (status !== 'LABELLED') console.log(`blob ${blobId} ended ${status}`);
      response.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-burst-'));
  const ports = ['--port', '--https-port', '--s3-port', '--dynamodb-port', '--rekognition-port', '--sqs-port'].flatMap((flag) => [flag, '0']);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--data-dir', dataDir, ...ports, '--rekognition-tps', String(tps), '--labeller-workers', String(workers), '--log-format', 'json'],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  const logs: LogLine[] = [];
  let markReady!: (ready: Ready) => void;
  const readyLine = new Promise<Ready>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      if (line.component === 'local' && line.message === 'ready') markReady(line as unknown as Ready);
    } catch {
      // Not a log line.
    }
  });
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);

  try {
    const ready = await readyLine;
    const photo = await readFile(PHOTO);
    const blobs: CreatedBlob[] = [];
    const uploadedAt = new Map<string, number>();
    console.log(`burst: ${uploads} uploads at c=${concurrency} against --rekognition-tps ${tps} (${workers} labeller workers, ` +
      `the queue's maximum concurrency ${ready.maxConcurrency}); ideal drain ${uploads / tps} s`);

    const started = performance.now();
    const loadAtStart = loadavg()[0];
    await inParallel(uploads, concurrency, async () => {
      const { createBlob } = await graphql<{ createBlob: { blob: { id: string }; upload: CreatedBlob['upload'] } }>(
        ready,
        'mutation ($input: CreateBlobInput!) { createBlob(input: $input) { blob { id } upload { url headers } } }',
        { input: { contentType: 'image/png', callbackUrl } },
      );
      const response = await fetch(createBlob.upload.url, { method: 'PUT', headers: JSON.parse(createBlob.upload.headers) as Record<string, string>, body: photo });
      if (response.status !== 200) throw new Error(`upload answered ${response.status}`);
      uploadedAt.set(createBlob.blob.id, performance.now());
      blobs.push({ id: createBlob.blob.id, upload: createBlob.upload });
    });
    const uploadedInS = (performance.now() - started) / 1000;
    console.log(`all ${uploads} uploaded in ${uploadedInS.toFixed(1)} s; waiting for the results`);

    const deadline = Date.now() + (uploads / tps) * 3 * 1000 + 300_000;
    let reported = 0;
    while (resultAt.size < uploads && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (resultAt.size - reported >= uploads / 10) {
        reported = resultAt.size;
        console.log(`${reported} results after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    const lastResult = Math.max(...resultAt.values());
    const drainS = (lastResult - started) / 1000;
    const loadAtEnd = loadavg()[0];

    const statuses: Record<string, number> = {};
    await inParallel(blobs.length, 16, async (index) => {
      const { blob } = await graphql<{ blob: { status: string } | null }>(ready, 'query ($id: ID!) { blob(id: $id) { status } }', { id: blobs[index].id });
      const status = blob?.status ?? 'MISSING';
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    const latencies = blobs.flatMap(({ id }) => (resultAt.has(id) ? [(resultAt.get(id)! - uploadedAt.get(id)!) / 1000] : []));
    const published = new Map<string, number>();
    for (const line of logs) {
      if (line.message === 'Result published to labelsReady') published.set(String(line.blobId), (published.get(String(line.blobId)) ?? 0) + 1);
    }
    const count = (message: string) => logs.filter((line) => line.message === message).length;
    const throttled = Math.max(0, ...logs.filter((line) => line.message === 'DetectLabels calls throttled').map((line) => Number(line.total)));
    const summary = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      settings: { uploads, concurrency, rekognitionTps: tps, labellerWorkers: workers, maxConcurrency: ready.maxConcurrency },
      uploadedInS: Number(uploadedInS.toFixed(1)),
      drainS: Number(drainS.toFixed(1)),
      idealDrainS: uploads / tps,
      drainOverIdeal: Number((drainS / (uploads / tps)).toFixed(2)),
      statuses,
      failed: statuses.FAILED ?? 0,
      withoutResult: uploads - resultAt.size,
      leftInQueue: await queueDepth(ready, ready.uploadQueueUrl),
      deadLettered: await queueDepth(ready, ready.deadLetterQueueUrl),
      blobsWithMoreThanOneWebhook: [...webhooksPerBlob.values()].filter((n) => n > 1).length,
      blobsWithMoreThanOneEvent: [...published.values()].filter((n) => n > 1).length,
      uploadToResultS: { p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)), max: Number(Math.max(...latencies).toFixed(1)) },
      detectLabelsThrottled: throttled,
      handedBack: count('A dependency failed; releasing the lease and handing the upload back for a later attempt'),
      failedOnLastReceive: count('A dependency failed on the last attempt; the blob ends FAILED'),
      loadAverage1m: { atStart: Number(loadAtStart.toFixed(2)), atEnd: Number(loadAtEnd.toFixed(2)), max: Number(Math.max(loadAtStart, ...loads).toFixed(2)) },
    };
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(JSON.stringify(summary, null, 2));
    console.log(`→ ${RESULTS}`);
    if (summary.failed > 0 || summary.withoutResult > 0 || summary.deadLettered > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
