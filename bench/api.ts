// `blob(id)` side by side: the local cloud (user pool token verified, APPSYNC_JS resolver, GetItem on dynalite),
// amplify-appsync-simulator (VTL GetItem on dynalite) and plain graphql-js over node:http (item in memory), each
// in a process of its own, loaded by autocannon from this process. Rounds alternate the servers (and rotate their
// order) at each concurrency, so that the machine's other load falls on all three alike; ratios are taken within
// a round, then their median reported. Every response is checked byte for byte against the first answer.
// Writes bench/results/api.json.
// Usage: npx tsx bench/api.ts [--rounds 3] [--seconds 5] [--concurrency 1,8,32] [--profile]
//   --profile: one CPU profile of the local cloud under c=8 (bench/results/profiles/), summarised, no rounds.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import autocannon from 'autocannon';
import type { BlobRecord } from '../domain/blob.ts';
import { signUp } from '../test/integration/support/users.ts';
import { ROOT, spawnServer, type ChildServer } from './support/child-server.ts';
import { CAT_LABELS, labelledRecord } from './support/labelled-record.ts';
import { summariseProfile } from './support/cpu-profile.ts';
import { loadAverage, median, round } from './support/stats.ts';
import type { LocalCloudInfo } from './servers/local-cloud.ts';

const RESULTS = join(ROOT, 'bench', 'results', 'api.json');
const PROFILES = join(ROOT, 'bench', 'results', 'profiles');

const QUERY = 'query Blob($id: ID!) { blob(id: $id) { id status contentType size labels { name confidence parents } createdAt updatedAt labelledAt } }';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '1,8,32' },
    profile: { type: 'boolean', default: false },
  },
});

type ServerName = 'local' | 'simulator' | 'plain';
const SERVERS: readonly ServerName[] = ['local', 'simulator', 'plain'];

interface Target {
  name: ServerName;
  url: string;
  headers: Record<string, string>;
  body: string;
  expectBody: string;
}

interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  failures: number;
  loadAverage: number;
}

/** A labelled blob as the processing function leaves it, owned by `owner`. */
function labelledBlob(owner: string): BlobRecord {
  const at = new Date().toISOString();
  const id = `01BENCH${Date.now().toString(36).toUpperCase()}`;
  return labelledRecord({ id, owner, createdAt: at, updatedAt: at, uploadExpiresAt: at, labels: CAT_LABELS });
}

async function post(target: Omit<Target, 'expectBody'>): Promise<string> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${target.name} answered HTTP ${response.status}: ${text}`);
  return text;
}

async function load(target: Target, connections: number, seconds: number): Promise<Measurement> {
  const loadBefore = loadAverage();
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: seconds,
    expectBody: target.expectBody,
    timeout: 30,
  });
  return {
    requestsPerSecond: round(result.requests.total / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: round(result.latency.mean, 2),
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
    loadAverage: round((loadBefore + loadAverage()) / 2, 2),
  };
}

function startLocal(): Promise<ChildServer<LocalCloudInfo>> {
  return spawnServer<LocalCloudInfo>('bench/servers/local-cloud.ts');
}

async function prepare(local: ChildServer<LocalCloudInfo>, work: string): Promise<{ record: BlobRecord; token: string; answer: string }> {
  const user = await signUp(local.info);
  const record = labelledBlob(user.sub);
  const client = new DynamoDBClient({ endpoint: local.info.dynamodbEndpoint, region: local.info.region, credentials: local.info.credentials });
  await client.send(new PutItemCommand({ TableName: local.info.table, Item: marshall(record, { removeUndefinedValues: true }) }));
  client.destroy();
  const body = JSON.stringify({ query: QUERY, variables: { id: record.id } });
  const answer = await post({ name: 'local', url: local.info.graphqlUrl, headers: { 'content-type': 'application/json', authorization: user.idToken }, body });
  const data = (JSON.parse(answer) as { data?: { blob?: unknown } }).data?.blob;
  if (!data) throw new Error(`the local cloud did not answer the item: ${answer}`);
  await writeFile(join(work, 'record.json'), JSON.stringify(record));
  await writeFile(join(work, 'answer.json'), JSON.stringify(data));
  return { record, token: user.idToken, answer };
}

async function profileLocal(seconds: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'image-labels-bench-api-'));
  await mkdir(PROFILES, { recursive: true });
  const file = join(PROFILES, `local-cloud-c8-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  const local = await startLocal();
  try {
    const { record, token } = await prepare(local, work);
    const body = JSON.stringify({ query: QUERY, variables: { id: record.id } });
    const target = { name: 'local' as const, url: local.info.graphqlUrl, headers: { 'content-type': 'application/json', authorization: token }, body };
    const expectBody = await post(target);
    await load({ ...target, expectBody }, 8, 2);
    const stop = await local.profile(file);
    const measured = await load({ ...target, expectBody }, 8, seconds);
    await stop();
    console.log(`local cloud under c=8: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, failures ${measured.failures}, load ${measured.loadAverage}`);
  } finally {
    await local.close();
    await rm(work, { recursive: true, force: true });
  }
  console.log(`\n${file} (main thread, under load only)`);
  console.log(await summariseProfile(file));
}

async function compare(rounds: number, seconds: number, concurrencies: number[]): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'image-labels-bench-api-'));
  const started: Array<ChildServer<unknown>> = [];
  try {
    const local = await startLocal();
    started.push(local);
    const { record, token, answer } = await prepare(local, work);
    const simulator = await spawnServer<{ graphqlUrl: string }>('bench/servers/appsync-simulator.ts', { args: ['--item', join(work, 'record.json')] });
    started.push(simulator);
    const plain = await spawnServer<{ graphqlUrl: string }>('bench/servers/plain-graphql.ts', { args: ['--answer', join(work, 'answer.json')] });
    started.push(plain);

    const body = JSON.stringify({ query: QUERY, variables: { id: record.id } });
    const headers = { 'content-type': 'application/json', authorization: token };
    const headersOf = (name: ServerName) => (name === 'simulator' ? { ...headers, authorization: simulatorToken(token, local.info) } : headers);
    const urls: Record<ServerName, string> = { local: local.info.graphqlUrl, simulator: simulator.info.graphqlUrl, plain: plain.info.graphqlUrl };
    const targets = {} as Record<ServerName, Target>;
    const expected = JSON.parse(answer) as unknown;
    for (const name of SERVERS) {
      const expectBody = await post({ name, url: urls[name], headers: headersOf(name), body });
      const data = JSON.parse(expectBody) as unknown;
      if (JSON.stringify(data) !== JSON.stringify(expected) && JSON.stringify(sortKeys(data)) !== JSON.stringify(sortKeys(expected))) {
        throw new Error(`${name} answers differently:\n${expectBody}\nlocal:\n${answer}`);
      }
      targets[name] = { name, url: urls[name], headers: headersOf(name), body, expectBody };
    }

    // JIT and connection warm-up for each, not measured.
    for (const name of SERVERS) await load(targets[name], 8, 2);

    const byServer: Record<ServerName, Record<number, Measurement[]>> = { local: {}, simulator: {}, plain: {} };
    for (let r = 0; r < rounds; r += 1) {
      for (const c of concurrencies) {
        // Rotate the order each round: no server always runs first (or right after a heavier one).
        const order = SERVERS.map((_, i) => SERVERS[(i + r) % SERVERS.length]);
        for (const name of order) {
          const m = await load(targets[name], c, seconds);
          (byServer[name][c] ??= []).push(m);
          console.log(`round ${r + 1} c=${c} ${name.padEnd(9)} ${String(m.requestsPerSecond).padStart(7)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  failures ${m.failures}  load ${m.loadAverage}`);
        }
      }
    }

    const summary = concurrencies.map((c) => {
      const row = (name: ServerName) => {
        const ms = byServer[name][c];
        return {
          requestsPerSecond: median(ms.map((m) => m.requestsPerSecond)),
          p50Ms: median(ms.map((m) => m.p50Ms)),
          p99Ms: median(ms.map((m) => m.p99Ms)),
          failures: ms.reduce((sum, m) => sum + m.failures, 0),
        };
      };
      const ratio = (other: ServerName) =>
        round(median(byServer.local[c].map((m, i) => m.requestsPerSecond / byServer[other][c][i].requestsPerSecond)), 2);
      return {
        concurrency: c,
        local: row('local'),
        simulator: row('simulator'),
        plain: row('plain'),
        localOverSimulator: ratio('simulator'),
        localOverPlain: ratio('plain'),
        loadAverage: median(SERVERS.flatMap((name) => byServer[name][c].map((m) => m.loadAverage))),
      };
    });
    const result = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      query: QUERY,
      rounds,
      secondsPerRun: seconds,
      summary,
      runs: byServer,
      targets: { localOverSimulatorAtC8And32: 2, localOverPlainAtC8And32: 0.5 },
    };
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log('\nmedian of rounds (req/s, p50/p99 ms):');
    for (const s of summary) {
      console.log(`c=${s.concurrency}: local ${s.local.requestsPerSecond} (${s.local.p50Ms}/${s.local.p99Ms})  simulator ${s.simulator.requestsPerSecond} (${s.simulator.p50Ms}/${s.simulator.p99Ms})  plain ${s.plain.requestsPerSecond} (${s.plain.p50Ms}/${s.plain.p99Ms})  local/simulator ${s.localOverSimulator}×  local/plain ${s.localOverPlain}×  load ${s.loadAverage}`);
    }
    console.log(`→ ${RESULTS}`);
  } finally {
    for (const server of started.reverse()) await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The simulator decodes user pool tokens without verifying them, and takes only those whose issuer starts with
 * `https://cognito-idp.`: it gets the same token with the issuer of a cloud pool of the same id.
 */
function simulatorToken(token: string, info: LocalCloudInfo): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.iss = `https://cognito-idp.${info.region}.amazonaws.com/${info.userPool.id}`;
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

const seconds = Number(values.seconds);
if (values.profile) {
  await profileLocal(Math.max(seconds, 10));
} else {
  await compare(Number(values.rounds), seconds, values.concurrency.split(',').map(Number));
}
