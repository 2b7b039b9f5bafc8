/**
 * Where the labeller's CPU time goes, stage by stage, on the photo sets of bench/photos.
 * Run: npx tsx bench/labeller-stages.ts [--sets tuning,held-out,photos-held-out] [--out bench/results/labeller-stages.json]
 *
 * Replays detect.ts's pipeline in this thread, one image at a time, with one libvips thread (as a worker runs it),
 * and charges each stage the process's CPU time (all threads, user + system) it took: on a machine shared with other
 * work that figure does not grow with the load, wall time does. Each image runs twice and only the second run counts,
 * so no stage pays the first run's one-off costs. Two variants run side by side on each image: 'before' (the drawing
 * classifier as shipped, on every image, the zoomed-out view made up front) and 'after' (as detect.ts does it now).
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
  },
});

sharp.concurrency(1);
/** 'before': as the labeller was (drawing classifier as shipped, on every image; zoomed-out view always made); 'after': as it is. */
const VARIANTS = ['before', 'after'] as const;
type Variant = typeof VARIANTS[number];
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
const drawingModelAsShipped = await loadDrawingModel({ foldBatchNorms: false });
const textModel = await loadTextModel();

async function labelOnce(bytes: Uint8Array, variant: Variant): Promise<{ stages: Map<Stage, number>; passes: number; drawingRan: boolean }> {
  const stages = new Map<Stage, number>();
  const input = await timed(stages, 'decode+letterbox', () => toModelInput(bytes, INPUT_SIZE, variant === 'before' ? [1, SECOND_LOOK_FILL] : [1]));
  const [main, eager] = input.views;
  const passes: Pass[] = [{ rows: await timed(stages, 'centernet pass 1', () => model.run(main.pixels)), letterbox: main.letterbox, flipped: false }];
  let objects = await timed(stages, 'postprocess', () => postprocess(passes));
  const second = needsSecondLook(objects);
  if (second) {
    const zoomedOut = eager ?? await timed(stages, 'zoomed-out view', () => letterboxView(input.raster, input.width, input.height, INPUT_SIZE, SECOND_LOOK_FILL));
    passes.push({ rows: await timed(stages, 'centernet pass 2', () => model.run(zoomedOut.pixels)), letterbox: zoomedOut.letterbox, flipped: false });
    objects = await timed(stages, 'postprocess', () => postprocess(passes, 'max', second.trustFirst));
  }
  const size = textInputSize(input.raster.width, input.raster.height);
  const textPixels = await timed(stages, 'text resize', () => resizeRaster(input.raster, size.width, size.height));
  const text = await timed(stages, 'text model', () => textModel.run(textPixels, size.width, size.height));
  const stats = await timed(stages, 'pixel stats', () => pixelStats(input.raster));
  const before = { textArea: text.area, textRegions: text.count, stats };
  const drawingRan = variant === 'before' || drawingClassifierCanMatter(before);
  let drawing = 0;
  if (drawingRan) {
    const drawingPixels = await timed(stages, 'drawing resize', () => resizeRaster(input.raster, DRAWING_INPUT_SIZE, DRAWING_INPUT_SIZE));
    drawing = await timed(stages, 'drawing model', () => (variant === 'before' ? drawingModelAsShipped : drawingModel).run(drawingPixels));
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
  const totals = new Map(VARIANTS.map((v) => [v, new Map<Stage, number>()]));
  const secondLooks = new Map(VARIANTS.map((v) => [v, 0]));
  const drawingRuns = new Map(VARIANTS.map((v) => [v, 0]));
  for (const { file } of photos) {
    const bytes = new Uint8Array(readFileSync(path.join(dir, file)));
    // Both variants on the same image back to back, so other load on the machine falls on both alike.
    for (const variant of VARIANTS) {
      await labelOnce(bytes, variant);
      const { stages, passes, drawingRan } = await labelOnce(bytes, variant);
      if (passes > 1) secondLooks.set(variant, (secondLooks.get(variant) ?? 0) + 1);
      if (drawingRan) drawingRuns.set(variant, (drawingRuns.get(variant) ?? 0) + 1);
      const into = totals.get(variant) as Map<Stage, number>;
      for (const [stage, ms] of stages) into.set(stage, (into.get(stage) ?? 0) + ms);
    }
  }
  report[set] = {};
  for (const variant of VARIANTS) {
    const into = totals.get(variant) as Map<Stage, number>;
    const perImage = Object.fromEntries(STAGES.map((s) => [s, Math.round((into.get(s) ?? 0) / photos.length)]));
    const total = Math.round([...into.values()].reduce((a, b) => a + b, 0) / photos.length);
    (report[set] as Record<string, unknown>)[variant] = {
      photos: photos.length, secondLooks: secondLooks.get(variant), drawingRuns: drawingRuns.get(variant), cpuMsPerImage: perImage, totalCpuMsPerImage: total,
    };
    rows.push({ set, variant, photos: photos.length, secondLooks: secondLooks.get(variant) ?? 0, drawingRuns: drawingRuns.get(variant) ?? 0, ...perImage, total });
  }
}
console.table(rows);
writeFileSync(path.resolve(ROOT, values.out as string), `${JSON.stringify({ date: new Date().toISOString(), ...report }, null, 2)}\n`);
model.dispose();
drawingModel.dispose();
drawingModelAsShipped.dispose();
await textModel.dispose();
