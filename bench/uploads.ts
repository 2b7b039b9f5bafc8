// End to end, as a client sees it: createBlob → subscribe to labelsReady → PUT the image → the labels arrive, at
// c=1/8/32 clients (each with its own realtime connection), against the local cloud in a process of its own.
// Inference is measured in the same run, two ways: each upload's own labelling time, as the local Rekognition logs
// it (`labels detected`, the labeller's queue and inference for that object), so that the platform's overhead is
// each upload's total less its own labelling (and, for the pipeline alone, its time after the PUT less its own
// labelling); and DetectLabels alone on the same bytes, straight to the local Rekognition, one at a time between
// the rounds.
// Then the API's responsiveness while the labeller is saturated: createBlob one at a time beside 32 clients
// uploading, against createBlob on an idle cloud.
// Writes bench/results/uploads.json.
// Usage: npx tsx bench/uploads.ts [--uploads 12,48,96] [--concurrency 1,8,32] [--image coffee.png] [--saturating-uploads 96]
//   [--profile]: a CPU profile of the local cloud's main thread during the c=1 round (bench/results/profiles/).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { signUp } from '../test/integration/support/users.ts';
import { ROOT, spawnServer, type ChildServer } from './support/child-server.ts';
import { summariseProfile } from './support/cpu-profile.ts';
import { RealtimeConnection } from './support/realtime.ts';
import { loadAverage, median, percentile, round } from './support/stats.ts';
import type { LabelledEvent, LocalCloudInfo } from './servers/local-cloud.ts';

const RESULTS = join(ROOT, 'bench', 'results', 'uploads.json');
const CREATE = 'mutation Create($input: CreateBlobInput!) { createBlob(input: $input) { blob { id } upload { url headers } } }';
const LABELS_READY = 'subscription Ready($id: ID!) { labelsReady(id: $id) { id status labels { name confidence } error { code } } }';
const RESULT_TIMEOUT_MS = 180_000;

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '12,48,96' },
    concurrency: { type: 'string', default: '1,8,32' },
    image: { type: 'string', default: 'coffee.png' },
    'inference-samples': { type: 'string', default: '10' },
    'saturating-uploads': { type: 'string', default: '96' },
    profile: { type: 'boolean', default: false },
  },
});

interface Upload {
  createMs: number;
  subscribeMs: number;
  putMs: number;
  afterPutMs: number;
  totalMs: number;
  status: string;
  blobId: string;
}

interface Client {
  token: string;
  connection: RealtimeConnection;
}

async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

type Created = { createBlob: { blob: { id: string }; upload: { url: string; headers: string } } };

async function createBlob(info: LocalCloudInfo, token: string): Promise<Created['createBlob']> {
  return (await graphql<Created>(info.graphqlUrl, token, CREATE, { input: { contentType: 'image/png' } })).createBlob;
}

async function uploadOnce(info: LocalCloudInfo, client: Client, image: Uint8Array<ArrayBuffer>): Promise<Upload> {
  const started = performance.now();
  const { blob, upload } = await createBlob(info, client.token);
  const created = performance.now();
  const subscription = await client.connection.subscribe(LABELS_READY, { id: blob.id });
  const subscribed = performance.now();
  const put = await fetch(upload.url, { method: 'PUT', headers: JSON.parse(upload.headers) as Record<string, string>, body: image });
  if (put.status !== 200) throw new Error(`PUT answered ${put.status}: ${await put.text()}`);
  const uploaded = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    subscription.data,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no labelsReady for ${blob.id} within ${RESULT_TIMEOUT_MS} ms`)), RESULT_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  client.connection.unsubscribe(subscription.id);
  const status = (result.payload as { data?: { labelsReady?: { status?: string } } }).data?.labelsReady?.status ?? 'none';
  return {
    createMs: created - started,
    subscribeMs: subscribed - created,
    putMs: uploaded - subscribed,
    afterPutMs: result.at - uploaded,
    totalMs: result.at - started,
    status,
    blobId: blob.id,
  };
}

/** `count` uploads by `clients.length` clients in a closed loop. */
async function uploads(info: LocalCloudInfo, clients: Client[], image: Uint8Array<ArrayBuffer>, count: number): Promise<{ uploads: Upload[]; seconds: number }> {
  const done: Upload[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(clients.map(async (client) => {
    while (next < count) {
      next += 1;
      done.push(await uploadOnce(info, client, image));
    }
  }));
  return { uploads: done, seconds: (performance.now() - started) / 1000 };
}

async function inferenceMs(client: RekognitionClient, image: Uint8Array, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await client.send(new DetectLabelsCommand({ Image: { Bytes: image }, MaxLabels: 20, MinConfidence: 55 }));
    times.push(performance.now() - started);
  }
  return times;
}

/** createBlob one at a time until `until` settles. */
async function probeCreateBlob(info: LocalCloudInfo, token: string, until: Promise<unknown>, minimum: number): Promise<number[]> {
  let finished = false;
  void until.finally(() => {
    finished = true;
  });
  const times: number[] = [];
  while (!finished || times.length < minimum) {
    const started = performance.now();
    await createBlob(info, token);
    times.push(performance.now() - started);
  }
  return times;
}

const stats = (values: number[]) => ({ p50: round(median(values), 1), p90: round(percentile(values, 90), 1), p99: round(percentile(values, 99), 1), n: values.length });

async function main(): Promise<void> {
  const concurrencies = values.concurrency.split(',').map(Number);
  const counts = values.uploads.split(',').map(Number);
  const image = new Uint8Array(await readFile(join(ROOT, 'test', 'fixtures', 'images', values.image)));
  const samples = Number(values['inference-samples']);
  const local: ChildServer<LocalCloudInfo> = await spawnServer<LocalCloudInfo>('bench/servers/local-cloud.ts');
  // blob id → its labelling time, from the local Rekognition's log (object keys are `{stage}/{id}`).
  const labelMs = new Map<string, number>();
  local.onEvent((event) => {
    const labelled = event as LabelledEvent;
    if (labelled.type === 'labelled') labelMs.set(labelled.s3Object.split('/').pop()!, labelled.labelMs);
  });
  const rekognition = new RekognitionClient({ endpoint: local.info.rekognitionEndpoint, region: local.info.region, credentials: local.info.credentials });
  const clients: Client[] = [];
  try {
    const { info } = local;
    const maxClients = Math.max(...concurrencies, 32);
    for (let i = 0; i < maxClients; i += 1) {
      const user = await signUp(info);
      clients.push({ token: user.idToken, connection: await RealtimeConnection.open(info.realtimeUrl, info.graphqlUrl, user.idToken) });
    }
    // Warm-up: models, JIT, connections.
    await inferenceMs(rekognition, image, 2);
    await uploads(info, clients.slice(0, 2), image, 4);

    const inference: number[] = [];
    const rounds = [];
    for (const [i, c] of concurrencies.entries()) {
      const count = counts[i] ?? counts.at(-1)!;
      const loadBefore = loadAverage();
      inference.push(...(await inferenceMs(rekognition, image, samples)));
      const profileFile = join(ROOT, 'bench', 'results', 'profiles', `uploads-c1-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      if (values.profile && c === 1) await mkdir(join(ROOT, 'bench', 'results', 'profiles'), { recursive: true });
      const stopProfile = values.profile && c === 1 ? await local.profile(profileFile) : null;
      const run = await uploads(info, clients.slice(0, c), image, count);
      if (stopProfile) {
        await stopProfile();
        console.log(`${profileFile} (main thread, c=1 round)\n${await summariseProfile(profileFile)}`);
      }
      const totals = run.uploads.map((u) => u.totalMs);
      const overheads = run.uploads.flatMap((u) => {
        const own = labelMs.get(u.blobId);
        return own === undefined ? [] : [u.totalMs - own];
      });
      // The pipeline alone: from the stored object to the labels at the client, less the labeller's own time.
      const afterPutOverheads = run.uploads.flatMap((u) => {
        const own = labelMs.get(u.blobId);
        return own === undefined ? [] : [u.afterPutMs - own];
      });
      const round_ = {
        concurrency: c,
        uploads: run.uploads.length,
        failed: run.uploads.filter((u) => u.status !== 'LABELLED').length,
        uploadsPerSecond: round(run.uploads.length / run.seconds, 2),
        totalMs: stats(totals),
        createBlobMs: stats(run.uploads.map((u) => u.createMs)),
        subscribeMs: stats(run.uploads.map((u) => u.subscribeMs)),
        putMs: stats(run.uploads.map((u) => u.putMs)),
        afterPutMs: stats(run.uploads.map((u) => u.afterPutMs)),
        ownLabellingMs: stats(run.uploads.flatMap((u) => labelMs.get(u.blobId) ?? [])),
        overheadMs: stats(overheads),
        afterPutOverheadMs: stats(afterPutOverheads),
        loadAverage: round((loadBefore + loadAverage()) / 2, 2),
      };
      rounds.push(round_);
      console.log(`c=${c}: ${round_.uploads} uploads, ${round_.uploadsPerSecond}/s, total p50 ${round_.totalMs.p50} ms (create ${round_.createBlobMs.p50}, subscribe ${round_.subscribeMs.p50}, PUT ${round_.putMs.p50}, after PUT ${round_.afterPutMs.p50}; own labelling ${round_.ownLabellingMs.p50}, overhead ${round_.overheadMs.p50}, of which after the PUT ${round_.afterPutOverheadMs.p50}), failed ${round_.failed}, load ${round_.loadAverage}`);
    }
    const inferenceStats = stats(inference);
    const c1 = rounds.find((r) => r.concurrency === 1);
    const overheadP50 = c1 ? c1.overheadMs.p50 : null;
    console.log(`inference (DetectLabels alone, c=1, between rounds): p50 ${inferenceStats.p50} ms; platform overhead at c=1 (each upload less its own labelling): p50 ${overheadP50} ms, p90 ${c1?.overheadMs.p90} ms`);

    // The API while the labeller is saturated.
    const idle = await probeCreateBlob(info, clients[0].token, Promise.resolve(), 30);
    const loadBefore = loadAverage();
    const background = uploads(info, clients.slice(1, 33), image, Number(values['saturating-uploads']));
    const busy = await probeCreateBlob(info, clients[0].token, background, 30);
    const backgroundRun = await background;
    const saturated = {
      labellerWorkers: info.labellerWorkers,
      backgroundClients: 32,
      backgroundUploadsPerSecond: round(backgroundRun.uploads.length / backgroundRun.seconds, 2),
      createBlobIdleMs: stats(idle),
      createBlobBusyMs: stats(busy),
      loadAverage: round((loadBefore + loadAverage()) / 2, 2),
    };
    console.log(`createBlob p50 idle ${saturated.createBlobIdleMs.p50} ms, while the labeller is saturated (${saturated.backgroundUploadsPerSecond} uploads/s by 32 clients, ${info.labellerWorkers} workers) ${saturated.createBlobBusyMs.p50} ms (p99 ${saturated.createBlobBusyMs.p99} ms), load ${saturated.loadAverage}`);

    const result = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      image: values.image,
      labellerWorkers: info.labellerWorkers,
      inferenceMs: inferenceStats,
      overheadAtC1P50Ms: overheadP50,
      rounds,
      saturated,
      targets: { overheadAtC1P50Ms: 20, createBlobBusyP50Ms: 50 },
    };
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`→ ${RESULTS}`);
  } finally {
    for (const client of clients) client.connection.close();
    rekognition.destroy();
    await local.close();
  }
}

await main();
