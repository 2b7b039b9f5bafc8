/**
 * Labeller quality: compares ways of running CenterNet and reports, per variant, ranking quality
 * (average precision over every photo × class pair), photos with a right label in their top 5
 * and as their first label, wrong labels shown (confidence ≥ 55, or ≥ 20 for raw scores as Human
 * shows them), wrong animals shown, and model passes per photo (the cost).
 * Run: npx tsx bench/labeller-quality.ts. Writes bench/results/labeller-quality.json.
 * The photos (fixtures, scikit-image samples, edited copies) are described in labeller-photos.ts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { INPUT_SIZE, loadCenterNet } from '../local/rekognition/centernet-model.ts';
import { decodeCenterNet } from '../local/rekognition/decode-centernet.ts';
import { flipHorizontally, letterboxFor } from '../local/rekognition/letterbox.ts';
import { needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from '../local/rekognition/postprocess.ts';
import { toModelInput } from '../local/rekognition/preprocess.ts';
import { COCO_CLASSES } from '../local/rekognition/taxonomy.ts';
import { brief, EDITS, evaluate, loadPhotos, ROOT, type Outcome, type Photo, type Scored } from './labeller-photos.ts';

interface Views { main: Pass; flipped: Pass; zoomed: Pass; stretched: Pass }

const model = await loadCenterNet();
const coco = (i: number): string => COCO_CLASSES[i].coco;

/** Every view any variant needs, each run through the model once. */
async function views(bytes: Uint8Array): Promise<Views> {
  const { views: [main, zoomed] } = await toModelInput(bytes, INPUT_SIZE, [1, SECOND_LOOK_FILL]);
  // Human's way: the whole image stretched to the square.
  const stretched = new Uint8Array(await sharp(bytes).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb')
    .removeAlpha().resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' }).raw().toBuffer());
  return {
    main: { rows: await model.run(main.pixels), letterbox: main.letterbox, flipped: false },
    flipped: { rows: await model.run(flipHorizontally(main.pixels, INPUT_SIZE)), letterbox: main.letterbox, flipped: true },
    zoomed: { rows: await model.run(zoomed.pixels), letterbox: zoomed.letterbox, flipped: false },
    stretched: { rows: await model.run(stretched), letterbox: letterboxFor(INPUT_SIZE, INPUT_SIZE, INPUT_SIZE), flipped: false },
  };
}

const raw = (pass: Pass): Scored[] =>
  decodeCenterNet(pass.rows, pass.letterbox, { minScore: 0.05 }).map((d) => ({ coco: coco(d.classIndex), confidence: d.score * 100 }));
const calibrated = (passes: Pass[], fusion: 'mean' | 'max' = 'max'): Scored[] =>
  postprocess(passes, fusion).map((d) => ({ coco: coco(d.classIndex), confidence: d.confidence }));

const VARIANTS: Record<string, { shownAt: number; run: (v: Views) => Outcome }> = {
  'stretch, raw scores (as Human runs it)': { shownAt: 20, run: (v) => ({ scored: raw(v.stretched), passes: 1 }) },
  'letterbox, raw scores': { shownAt: 20, run: (v) => ({ scored: raw(v.main), passes: 1 }) },
  'letterbox + NMS + exclusive classes + calibration': { shownAt: 55, run: (v) => ({ scored: calibrated([v.main]), passes: 1 }) },
  '… + horizontal-flip TTA (mean)': { shownAt: 55, run: (v) => ({ scored: calibrated([v.main, v.flipped], 'mean'), passes: 2 }) },
  '… + zoomed-out view, always (max)': { shownAt: 55, run: (v) => ({ scored: calibrated([v.main, v.zoomed]), passes: 2 }) },
  '… + zoomed-out view, always (mean)': { shownAt: 55, run: (v) => ({ scored: calibrated([v.main, v.zoomed], 'mean'), passes: 2 }) },
  '… + zoomed-out second look when an animal is seen (default)': {
    shownAt: 55,
    run: (v) => (needsSecondLook(postprocess([v.main]))
      ? { scored: calibrated([v.main, v.zoomed]), passes: 2 }
      : { scored: calibrated([v.main]), passes: 1 }),
  },
};

const photos = await loadPhotos();
const started = performance.now();
const allViews = new Map<Photo, Views>();
for (const photo of photos) allViews.set(photo, await views(photo.bytes));
console.log(`${photos.length} photos (${photos.filter((p) => p.edit === 'original').length} originals), model runs ${((performance.now() - started) / 1000).toFixed(0)} s`);

const results: Record<string, unknown> = {};
const originals = photos.filter((p) => p.edit === 'original');
for (const [name, variant] of Object.entries(VARIANTS)) {
  const outcomes = new Map<Photo, Outcome>(photos.map((photo) => [photo, variant.run(allViews.get(photo) as Views)]));
  const onOriginals = evaluate(originals, outcomes, variant.shownAt);
  const onAll = evaluate(photos, outcomes, variant.shownAt);
  results[name] = { shownAtConfidence: variant.shownAt, originals: onOriginals, withEdits: { ...onAll, top5: undefined } };
  console.log(`${name}\n  originals:  ${brief(onOriginals)}\n  with edits: ${brief(onAll)}`);
}
writeFileSync(path.join(ROOT, 'bench/results/labeller-quality.json'), `${JSON.stringify({
  date: new Date().toISOString(),
  photos: originals.map((p) => p.name),
  edits: Object.keys(EDITS),
  variants: results,
}, null, 2)}\n`);
model.dispose();
