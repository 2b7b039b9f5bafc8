/**
 * Labeller benchmark: cold load, throughput with 1 and 2 workers, latency per image, memory.
 * Run: npx tsx bench/labeller.ts [--images 40] [--rounds 3]. Writes bench/results/labeller.json.
 *
 * Each worker count is measured as a closed loop: as many clients as workers, each sending
 * its next image when the previous answer arrives. Latency is then the service time of one
 * image (decode + model + post-processing + thread hop), not time spent waiting in the queue.
 * The machine is shared with other work: each worker count runs several rounds, all recorded,
 * and the best round (highest throughput) is the one reported, with the load average beside it.
 * CPU time per image is recorded too: it is what a quiet machine's throughput follows from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDetector } from '../local/rekognition/detect.ts';
import { createLabeller } from '../local/rekognition/labeller.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.resolve(ROOT, 'test/fixtures/images');
const PHOTOS = ['chelsea.png', 'coffee.png', 'astronaut.png', 'rocket.jpg', 'horse.png'];

const { values } = parseArgs({ options: { images: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' } } });
const imageCount = Math.max(PHOTOS.length, Number(values.images));
const photos = PHOTOS.map((name) => new Uint8Array(readFileSync(path.join(FIXTURES, name))));

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (v: number): number => Math.round(v * 10) / 10;

async function coldLoad(): Promise<{ modelLoadMs: number; firstImageMs: number }> {
  // In this thread, as a worker does it: read the model from disk, compile, warm up.
  const started = performance.now();
  const detector = await createDetector();
  const modelLoadMs = performance.now() - started;
  const first = performance.now();
  await detector.detectLabels(photos[0], { minConfidence: 55 });
  const firstImageMs = performance.now() - first;
  detector.dispose();
  return { modelLoadMs: round(modelLoadMs), firstImageMs: round(firstImageMs) };
}

async function throughput(workers: number) {
  const rssBefore = process.memoryUsage().rss;
  const created = performance.now();
  const labeller = createLabeller({ workers, queueLimit: imageCount });
  // One image per worker brings every worker up (bundle, spawn, load): time to first answers.
  await Promise.all(Array.from({ length: workers }, (_, i) => labeller.detectLabels({ bytes: photos[i % photos.length] })));
  const readyMs = performance.now() - created;
  const rssWarm = process.memoryUsage().rss;

  const rounds = [];
  for (let r = 0; r < Number(values.rounds); r++) rounds.push(await round1(labeller, workers));
  const rssPeak = process.memoryUsage().rss;
  await labeller.close();
  const best = rounds.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
  return {
    workers,
    ...best,
    startToFirstAnswersMs: round(readyMs),
    rssBeforeMb: mb(rssBefore),
    rssWarmMb: mb(rssWarm),
    rssAfterRunMb: mb(rssPeak),
    rssPerWorkerMb: round(mb(rssPeak - rssBefore) / workers),
    rounds,
  };
}

/** One closed-loop round of `imageCount` images with one client per worker. */
async function round1(labeller: ReturnType<typeof createLabeller>, workers: number) {
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < imageCount) {
      const bytes = photos[next++ % photos.length];
      const t = performance.now();
      await labeller.detectLabels({ bytes });
      latencies.push(performance.now() - t);
    }
  };
  const loadAverage1m = round(loadavg()[0]);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, client));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    images: latencies.length,
    imagesPerSecond: round((latencies.length / wallMs) * 1000),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    // CPU time of the whole process (all threads) per image: what other load cannot inflate.
    cpuMsPerImage: round((cpu.user + cpu.system) / 1000 / latencies.length),
    loadAverage1m,
  };
}

const loadBefore = loadavg()[0];
const cold = await coldLoad();
const runs = [];
for (const workers of [1, 2]) runs.push(await throughput(workers));
const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverage1mBefore: round(loadBefore), loadAverage1mAfter: round(loadavg()[0]) },
  images: PHOTOS,
  coldLoad: cold,
  runs,
};
writeFileSync(path.join(ROOT, 'bench/results/labeller.json'), `${JSON.stringify(result, null, 2)}\n`);
console.table(runs.map(({ workers, imagesPerSecond, p50Ms, p99Ms, cpuMsPerImage, rssPerWorkerMb, startToFirstAnswersMs, loadAverage1m }) =>
  ({ workers, imagesPerSecond, p50Ms, p99Ms, cpuMsPerImage, rssPerWorkerMb, startToFirstAnswersMs, loadAverage1m })));
console.log('cold load', cold, 'load average', result.machine);
