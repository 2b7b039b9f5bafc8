/**
 * Where the labeller's CPU time goes, stage by stage, on the photo sets of bench/photos.
 * Run: npx tsx bench/labeller-stages.ts [--sets tuning,held-out,photos-held-out] [--out bench/results/labeller-stages.json]
 *
 * Replays detect.ts's pipeline in this thread, one image at a time, with one libvips thread (as a worker runs it),
 * and charges each stage the process's CPU time (all threads, user + system) it took: on a machine shared with other
 * work that figure does not grow with the load, wall time does. Each image runs twice and only the second run counts,
 * so no stage pays the first run's one-off costs. --all-drawings runs the drawing classifier on every image, as the
 * labeller did before it learnt to skip it where its answer cannot count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { INPUT_SIZE, loadCenterNet } from '../local/rekognition/centernet-model.ts';
import { DRAWING_INPUT_SIZE, loadDrawingModel } from '../local/rekognition/drawing-model.ts';
import { colourSamples } from '../local/rekognition/image-properties.ts';
import { needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from '../local/rekognition/postprocess.ts';
import { letterboxView, resizeRaster, toModelInput } from '../local/rekognition/preprocess.ts';
import { drawingClassifierCanMatter, pixelStats, sceneLabels } from '../local/rekognition/scene-labels.ts';
import { loadTextModel, textInputSize } from '../local/rekognition/text-model.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'tuning,held-out,photos-held-out' },
    out: { type: 'string', default: 'bench/results/labeller-stages.json' },
    // As before the skip: the drawing classifier on every image.
    'all-drawings': { type: 'boolean', default: false },
  },
});

sharp.concurrency(1);
const allDrawings = values['all-drawings'] === true;
const STAGES = ['decode+letterbox', 'centernet pass 1', 'zoomed-out view', 'centernet pass 2', 'postprocess', 'drawing resize', 'drawing model',
  'text resize', 'text model', 'pixel stats', 'colour samples'] as const;
type Stage = typeof STAGES[number];

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function timed<T>(into: Map<Stage, number>, stage: Stage, work: () => Promise<T> | T): Promise<T> {
  const start = cpuMs();
  const result = await work();
  into.set(stage, (into.get(stage) ?? 0) + cpuMs() - start);
  return result;
}

const model = await loadCenterNet();
const drawingModel = await loadDrawingModel();
const textModel = await loadTextModel();

async function labelOnce(bytes: Uint8Array): Promise<{ stages: Map<Stage, number>; passes: number; drawingRan: boolean }> {
  const stages = new Map<Stage, number>();
  const input = await timed(stages, 'decode+letterbox', () => toModelInput(bytes, INPUT_SIZE));
  const [main] = input.views;
  const passes: Pass[] = [{ rows: await timed(stages, 'centernet pass 1', () => model.run(main.pixels)), letterbox: main.letterbox, flipped: false }];
  let objects = await timed(stages, 'postprocess', () => postprocess(passes));
  const second = needsSecondLook(objects);
  if (second) {
    const zoomedOut = await timed(stages, 'zoomed-out view', () => letterboxView(input.raster, input.width, input.height, INPUT_SIZE, SECOND_LOOK_FILL));
    passes.push({ rows: await timed(stages, 'centernet pass 2', () => model.run(zoomedOut.pixels)), letterbox: zoomedOut.letterbox, flipped: false });
    objects = await timed(stages, 'postprocess', () => postprocess(passes, 'max', second.trustFirst));
  }
  const size = textInputSize(input.raster.width, input.raster.height);
  const textPixels = await timed(stages, 'text resize', () => resizeRaster(input.raster, size.width, size.height));
  const text = await timed(stages, 'text model', () => textModel.run(textPixels, size.width, size.height));
  const stats = await timed(stages, 'pixel stats', () => pixelStats(input.raster));
  const before = { textArea: text.area, textRegions: text.count, stats };
  const drawingRan = allDrawings || drawingClassifierCanMatter(before);
  let drawing = 0;
  if (drawingRan) {
    const drawingPixels = await timed(stages, 'drawing resize', () => resizeRaster(input.raster, DRAWING_INPUT_SIZE, DRAWING_INPUT_SIZE));
    drawing = await timed(stages, 'drawing model', () => drawingModel.run(drawingPixels));
  }
  sceneLabels({ drawing, ...before }, objects);
  await timed(stages, 'colour samples', () => colourSamples(input.raster));
  return { stages, passes: passes.length, drawingRan };
}

const report: Record<string, unknown> = {};
const rows: Array<Record<string, string | number>> = [];
for (const set of (values.sets as string).split(',')) {
  const dir = path.join(ROOT, 'bench/photos', set);
  const { photos } = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { photos: Array<{ file: string }> };
  const totals = new Map<Stage, number>();
  let secondLooks = 0; let drawingRuns = 0;
  for (const { file } of photos) {
    const bytes = new Uint8Array(readFileSync(path.join(dir, file)));
    await labelOnce(bytes);
    const { stages, passes, drawingRan } = await labelOnce(bytes);
    if (passes > 1) secondLooks++;
    if (drawingRan) drawingRuns++;
    for (const [stage, ms] of stages) totals.set(stage, (totals.get(stage) ?? 0) + ms);
  }
  const perImage = Object.fromEntries(STAGES.map((s) => [s, Math.round((totals.get(s) ?? 0) / photos.length)]));
  const total = Math.round([...totals.values()].reduce((a, b) => a + b, 0) / photos.length);
  report[set] = { photos: photos.length, secondLookRate: Number((secondLooks / photos.length).toFixed(2)), drawingRuns, cpuMsPerImage: perImage, totalCpuMsPerImage: total };
  rows.push({ set, photos: photos.length, secondLooks, drawingRuns, ...perImage, total });
}
console.table(rows);
writeFileSync(path.resolve(ROOT, values.out as string), `${JSON.stringify({ date: new Date().toISOString(), ...report }, null, 2)}\n`);
model.dispose();
drawingModel.dispose();
await textModel.dispose();
