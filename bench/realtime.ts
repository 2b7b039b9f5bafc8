// Realtime fan-out: N WebSocket connections (1,000 by default), each subscribed to labelsReady for the same blob
// (one owner watching from many places, as the schema allows: labelsReady is refused for a blob the caller does not
// own), against the local cloud in a process of its own. The processing function's own publisher (SigV4, its role's
// credentials) publishes the blob's result; we time from the call to the first, median and last receiver.
// Deliveries are checked exact: every subscription gets each publish once, in order, with that publish's payload;
// a last sentinel publish, which each connection receives after anything sent before it, closes the check, so a
// late duplicate cannot slip past. Server memory (after a full GC) before and after the connections gives the
// cost of one connection with its subscription.
// Writes bench/results/realtime.json.
// Usage: npx tsx bench/realtime.ts [--subscribers 1000] [--publishes 5] [--open-concurrency 50] [--profile]
//   --profile: a CPU profile of the local cloud's main thread during the publishes (bench/results/profiles/).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BlobRecord } from '../domain/blob.ts';
import { createAppSyncPublisher } from '../functions/publishing/appsync-publisher.ts';
import { signUp } from '../test/integration/support/users.ts';
import { ROOT, spawnServer, type MemorySample } from './support/child-server.ts';
import { CAT_LABELS, labelledRecord } from './support/labelled-record.ts';
import { summariseProfile } from './support/cpu-profile.ts';
import { RealtimeConnection } from './support/realtime.ts';
import { loadAverage, median, percentile, round } from './support/stats.ts';
import type { LocalCloudInfo } from './servers/local-cloud.ts';

const RESULTS = join(ROOT, 'bench', 'results', 'realtime.json');
const CREATE = 'mutation Create($input: CreateBlobInput!) { createBlob(input: $input) { blob { id createdAt uploadExpiresAt } } }';
const LABELS_READY = 'subscription Ready($id: ID!) { labelsReady(id: $id) { id status updatedAt labels { name confidence } } }';
const DELIVERY_TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    publishes: { type: 'string', default: '5' },
    'open-concurrency': { type: 'string', default: '50' },
    profile: { type: 'boolean', default: false },
  },
});

interface Delivery {
  subscriber: number;
  updatedAt: string | undefined;
  id: string | undefined;
  at: number;
}

type Created = { createBlob: { blob: { id: string; createdAt: string; uploadExpiresAt: string } } };

async function createBlob(info: LocalCloudInfo, token: string): Promise<Created['createBlob']['blob']> {
  const response = await fetch(info.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query: CREATE, variables: { input: { contentType: 'image/png' } } }),
  });
  const body = (await response.json()) as { data?: Created; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`createBlob failed: ${JSON.stringify(body)}`);
  return body.data.createBlob.blob;
}

/** The blob as the processing function publishes it, with a distinct updatedAt per publish. */
function labelled(blob: Created['createBlob']['blob'], owner: string, publish: number): BlobRecord {
  const updatedAt = new Date(Date.parse(blob.createdAt) + 1000 + publish).toISOString();
  return labelledRecord({ id: blob.id, owner, createdAt: blob.createdAt, updatedAt, uploadExpiresAt: blob.uploadExpiresAt, labels: CAT_LABELS.slice(0, 2) });
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  }));
  return results;
}

const kb = (bytes: number) => round(bytes / 1024, 1);

async function main(): Promise<void> {
  const subscribers = Number(values.subscribers);
  const publishes = Number(values.publishes);
  const local = await spawnServer<LocalCloudInfo>('bench/servers/local-cloud.ts', { args: ['--labeller-workers', '1'] });
  const connections: RealtimeConnection[] = [];
  try {
    const { info } = local;
    const user = await signUp(info);
    const blob = await createBlob(info, user.idToken);
    const publisher = createAppSyncPublisher({ graphqlUrl: info.graphqlUrl, region: info.region, credentials: info.publisherCredentials });

    // Warm-up: one connection, one publish, not measured (JIT, the mutation's document, the signing key).
    const warm = await RealtimeConnection.open(info.realtimeUrl, info.graphqlUrl, user.idToken);
    const warmSubscription = await warm.subscribe(LABELS_READY, { id: blob.id });
    await publisher.publish(labelled(blob, user.sub, 0));
    await warmSubscription.data;
    warm.close();

    const before: MemorySample = await local.memory();
    const loadBefore = loadAverage();
    const deliveries: Delivery[] = [];
    let waiting: { count: number; resolve: () => void } | undefined;
    const openStarted = performance.now();
    const open = (subscriber: number) => async () => {
      const connection = await RealtimeConnection.open(info.realtimeUrl, info.graphqlUrl, user.idToken);
      connections.push(connection);
      await connection.subscribe(LABELS_READY, { id: blob.id }, (payload, at) => {
        const ready = (payload as { data?: { labelsReady?: { id?: string; updatedAt?: string } } }).data?.labelsReady;
        deliveries.push({ subscriber, id: ready?.id, updatedAt: ready?.updatedAt, at });
        if (waiting && deliveries.length >= waiting.count) waiting.resolve();
      });
    };
    // Memory at half the connections too: the second half's growth is the marginal cost of a connection, without
    // what the first ones warm up once (JIT code, caches, the allocator's arenas).
    const half = Math.floor(subscribers / 2);
    const openConcurrency = Number(values['open-concurrency']);
    await pool(Array.from({ length: half }, (_, i) => open(i)), openConcurrency, (run) => run());
    const middle: MemorySample = await local.memory();
    await pool(Array.from({ length: subscribers - half }, (_, i) => open(half + i)), openConcurrency, (run) => run());
    const openSeconds = (performance.now() - openStarted) / 1000;
    const after: MemorySample = await local.memory();
    console.log(`${subscribers} connections subscribed in ${round(openSeconds, 1)} s; server RSS +${kb(after.rssBytes - before.rssBytes)} KB, heap +${kb(after.heapUsedBytes - before.heapUsedBytes)} KB`);

    const untilDelivered = (count: number): Promise<void> => {
      if (deliveries.length >= count) return Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        new Promise<void>((resolve) => {
          waiting = { count, resolve };
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${deliveries.length} of ${count} deliveries within ${DELIVERY_TIMEOUT_MS} ms`)), DELIVERY_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    };

    const profileFile = join(ROOT, 'bench', 'results', 'profiles', `realtime-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    if (values.profile) await mkdir(join(ROOT, 'bench', 'results', 'profiles'), { recursive: true });
    const stopProfile = values.profile ? await local.profile(profileFile) : null;
    const rounds = [];
    const expected: string[] = [];
    // The last publish is the sentinel: it closes the exactness check and is not timed.
    for (let p = 1; p <= publishes + 1; p += 1) {
      const record = labelled(blob, user.sub, p);
      expected.push(record.updatedAt);
      const firstOfRound = deliveries.length;
      const published = performance.now();
      await publisher.publish(record);
      const answered = performance.now();
      await untilDelivered(firstOfRound + subscribers);
      if (p > publishes) break;
      const arrivals = deliveries.slice(firstOfRound).map((d) => d.at - published);
      const round_ = {
        publish: p,
        mutationMs: round(answered - published, 1),
        firstMs: round(Math.min(...arrivals), 1),
        medianMs: round(median(arrivals), 1),
        p99Ms: round(percentile(arrivals, 99), 1),
        lastMs: round(Math.max(...arrivals), 1),
        loadAverage: loadAverage(),
      };
      rounds.push(round_);
      console.log(`publish ${p}: mutation answered in ${round_.mutationMs} ms; receivers first ${round_.firstMs} ms, median ${round_.medianMs} ms, last ${round_.lastMs} ms; load ${round_.loadAverage}`);
    }

    if (stopProfile) {
      await stopProfile();
      console.log(`\n${profileFile} (main thread, publishes only)\n${await summariseProfile(profileFile)}\n`);
    }

    // Exactness: each subscriber received each publish once, in order, with its payload.
    const bySubscriber = new Map<number, Delivery[]>();
    for (const d of deliveries) bySubscriber.set(d.subscriber, [...(bySubscriber.get(d.subscriber) ?? []), d]);
    let missed = 0;
    let duplicated = 0;
    let wrong = 0;
    for (let s = 0; s < subscribers; s += 1) {
      const got = bySubscriber.get(s) ?? [];
      const seen = got.map((d) => d.updatedAt);
      missed += expected.filter((u) => !seen.includes(u)).length;
      duplicated += seen.length - new Set(seen).size;
      wrong += got.filter((d, i) => d.id !== blob.id || d.updatedAt !== expected[i]).length;
    }
    const exact = missed === 0 && duplicated === 0 && wrong === 0 && deliveries.length === subscribers * expected.length;
    console.log(`deliveries: ${deliveries.length} of ${subscribers * expected.length} expected; missed ${missed}, duplicated ${duplicated}, out of order or wrong ${wrong}: ${exact ? 'exact' : 'NOT EXACT'}`);

    const lasts = rounds.map((r) => r.lastMs);
    const result = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      subscribers,
      publishes,
      openSeconds: round(openSeconds, 1),
      memory: {
        before,
        after,
        rssPerConnectionKB: kb((after.rssBytes - before.rssBytes) / subscribers),
        heapPerConnectionKB: kb((after.heapUsedBytes - before.heapUsedBytes) / subscribers),
        heapAndExternalPerConnectionKB: kb((after.heapUsedBytes + after.externalBytes - before.heapUsedBytes - before.externalBytes) / subscribers),
        middle,
        marginalRssPerConnectionKB: kb((after.rssBytes - middle.rssBytes) / (subscribers - half)),
        marginalHeapAndExternalPerConnectionKB: kb((after.heapUsedBytes + after.externalBytes - middle.heapUsedBytes - middle.externalBytes) / (subscribers - half)),
      },
      lastReceiverMs: { median: round(median(lasts), 1), max: round(Math.max(...lasts), 1) },
      rounds,
      deliveries: { received: deliveries.length, expected: subscribers * expected.length, missed, duplicated, wrong, exact },
      loadAverage: round((loadBefore + loadAverage()) / 2, 2),
      targets: { lastReceiverMs: 100, perConnectionKB: 50, missed: 0 },
    };
    console.log(`last receiver: median ${result.lastReceiverMs.median} ms over ${publishes} publishes; per connection: RSS ${result.memory.rssPerConnectionKB} KB, heap ${result.memory.heapPerConnectionKB} KB, heap+external ${result.memory.heapAndExternalPerConnectionKB} KB; second half alone: RSS ${result.memory.marginalRssPerConnectionKB} KB, heap+external ${result.memory.marginalHeapAndExternalPerConnectionKB} KB`);
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`→ ${RESULTS}`);
    if (!exact) process.exitCode = 1;
  } finally {
    for (const connection of connections) connection.close();
    await local.close();
  }
}

await main();
