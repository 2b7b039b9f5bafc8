/**
 * Labeller quality: compares ways of running CenterNet and reports, per variant, ranking quality
 * (average precision over every photo × class pair), photos with a right label in their top 5
 * and as their first label, wrong labels shown (confidence ≥ 55, or ≥ 20 for raw scores as Human
 * shows them), wrong animals shown, and model passes per photo (the cost).
 * Run: npx tsx bench/labeller-quality.ts. Writes bench/results/labeller-quality.json.
 *
 * Photos: the shared fixtures, plus scikit-image's sample images when present
 * (LABELLER_EXTRA_IMAGES, default: the data folder of Debian's python3-skimage), which add
 * objects and non-photographs (coins, moon, cells, text) where any label is wrong. Each photo
 * is also varied (crops, greyscale, half size, blur, brightness) to stand in for unseen photos.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { INPUT_SIZE, loadCenterNet } from '../local/rekognition/centernet-model.ts';
import { decodeCenterNet } from '../local/rekognition/decode-centernet.ts';
import { flipHorizontally, letterboxFor } from '../local/rekognition/letterbox.ts';
import { needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from '../local/rekognition/postprocess.ts';
import { toModelInput } from '../local/rekognition/preprocess.ts';
import { COCO_CLASSES } from '../local/rekognition/taxonomy.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.resolve(ROOT, '../shared/fixtures/images');
const EXTRA = process.env.LABELLER_EXTRA_IMAGES ?? '/usr/lib/python3/dist-packages/skimage/data';

/** COCO classes truly in each photo; `ignore` lists classes that are arguably there too. */
const TRUTH: Record<string, { dir: string; present: string[]; ignore?: string[] }> = {
  'chelsea.png': { dir: FIXTURES, present: ['cat'] },
  'coffee.png': { dir: FIXTURES, present: ['cup'], ignore: ['dining table', 'spoon', 'bowl'] },
  'astronaut.png': { dir: FIXTURES, present: ['person'] },
  'horse.png': { dir: FIXTURES, present: ['horse'] },
  'rocket.jpg': { dir: FIXTURES, present: [] },
  'camera.png': { dir: EXTRA, present: ['person'] },
  'motorcycle_left.png': { dir: EXTRA, present: ['motorcycle'], ignore: ['bench', 'bicycle', 'chair', 'bottle', 'car'] },
  'motorcycle_right.png': { dir: EXTRA, present: ['motorcycle'], ignore: ['bench', 'bicycle', 'chair', 'bottle', 'car'] },
  ...Object.fromEntries(['brick.png', 'coins.png', 'moon.png', 'grass.png', 'gravel.png', 'page.png', 'text.png', 'bw_text.png',
    'cell.png', 'ihc.png', 'retina.jpg', 'hubble_deep_field.jpg', 'logo.png', 'color.png', 'phantom.png']
    .map((name) => [name, { dir: EXTRA, present: [] }])),
};

type Edit = (image: Sharp, width: number, height: number) => Sharp;
const crop = (keep: number): Edit => (image, w, h) => image.extract({
  left: Math.round((w * (1 - keep)) / 2), top: Math.round((h * (1 - keep)) / 2), width: Math.round(w * keep), height: Math.round(h * keep),
});
const EDITS: Record<string, Edit> = {
  original: (image) => image,
  'crop 80%': crop(0.8),
  'crop 60%': crop(0.6),
  greyscale: (image) => image.greyscale(),
  'half size': (image, w, h) => image.resize(Math.round(w / 2), Math.round(h / 2)),
  blur: (image) => image.blur(3),
  brighter: (image) => image.modulate({ brightness: 1.4 }),
};

interface Photo { name: string; edit: string; truth: (typeof TRUTH)[string]; bytes: Uint8Array }
interface Scored { coco: string; confidence: number }
interface Views { main: Pass; flipped: Pass; zoomed: Pass; stretched: Pass }

const model = await loadCenterNet();
const coco = (i: number): string => COCO_CLASSES[i].coco;
const ANIMALS = new Set(COCO_CLASSES.filter((k) => k.exclusiveGroup === 'animal').map((k) => k.coco));

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

const VARIANTS: Record<string, { shownAt: number; run: (v: Views) => { scored: Scored[]; passes: number } }> = {
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

const photos: Photo[] = [];
for (const [name, truth] of Object.entries(TRUTH)) {
  const file = path.join(truth.dir, name);
  if (!existsSync(file)) continue;
  const original = readFileSync(file);
  const { width = 0, height = 0 } = await sharp(original).metadata();
  for (const [edit, apply] of Object.entries(EDITS)) {
    const bytes = edit === 'original' ? original : await apply(sharp(original), width, height).png().toBuffer();
    photos.push({ name, edit, truth, bytes: new Uint8Array(bytes) });
  }
}
const started = performance.now();
const allViews = new Map<Photo, Views>();
for (const photo of photos) allViews.set(photo, await views(photo.bytes));
console.log(`${photos.length} photos (${photos.filter((p) => p.edit === 'original').length} originals), model runs ${((performance.now() - started) / 1000).toFixed(0)} s`);

function evaluate(subset: Photo[], variant: (typeof VARIANTS)[string]) {
  const pairs: Array<{ confidence: number; right: boolean }> = [];
  let positives = 0; let inTop5 = 0; let first = 0; let wrong = 0; let wrongAnimals = 0; let passes = 0;
  const top5: Record<string, string[]> = {};
  const mistakes: string[] = [];
  for (const photo of subset) {
    const { scored, passes: n } = variant.run(allViews.get(photo) as Views);
    passes += n;
    const best = new Map<string, number>();
    for (const s of scored) best.set(s.coco, Math.max(best.get(s.coco) ?? 0, s.confidence));
    const { present, ignore = [] } = photo.truth;
    for (const k of COCO_CLASSES) if (!ignore.includes(k.coco)) pairs.push({ confidence: best.get(k.coco) ?? 0, right: present.includes(k.coco) });
    const shown = [...best.entries()].filter(([, c]) => c >= variant.shownAt).sort((a, b) => b[1] - a[1]);
    const wrongHere = shown.filter(([k]) => !present.includes(k) && !ignore.includes(k)).map(([k]) => k);
    wrong += wrongHere.length;
    wrongAnimals += wrongHere.filter((k) => ANIMALS.has(k)).length;
    if (wrongHere.length > 0) mistakes.push(`${photo.name} (${photo.edit}): ${wrongHere.join(', ')}`);
    if (present.length > 0) {
      positives++;
      if (shown.slice(0, 5).some(([k]) => present.includes(k))) inTop5++;
      else mistakes.push(`${photo.name} (${photo.edit}): missed ${present.join(', ')}`);
      if (shown.length > 0 && present.includes(shown[0][0])) first++;
    }
    if (photo.edit === 'original') top5[photo.name] = shown.slice(0, 5).map(([k, c]) => `${k} ${c.toFixed(1)}`);
  }
  pairs.sort((a, b) => b.confidence - a.confidence);
  let found = 0; let ap = 0;
  pairs.forEach((p, i) => { if (p.right) ap += ++found / (i + 1); });
  return {
    averagePrecision: Number((ap / Math.max(1, found)).toFixed(3)),
    rightLabelInTop5: `${inTop5}/${positives}`,
    rightFirstLabel: `${first}/${positives}`,
    wrongLabelsShown: wrong,
    wrongAnimalsShown: wrongAnimals,
    modelPassesPerPhoto: Number((passes / subset.length).toFixed(2)),
    top5, mistakes,
  };
}

const results: Record<string, unknown> = {};
const originals = photos.filter((p) => p.edit === 'original');
for (const [name, variant] of Object.entries(VARIANTS)) {
  const onOriginals = evaluate(originals, variant);
  const onAll = evaluate(photos, variant);
  results[name] = { shownAtConfidence: variant.shownAt, originals: onOriginals, withEdits: { ...onAll, top5: undefined } };
  const brief = (r: ReturnType<typeof evaluate>) => `AP ${r.averagePrecision} top5 ${r.rightLabelInTop5} first ${r.rightFirstLabel} wrong ${r.wrongLabelsShown} (animals ${r.wrongAnimalsShown}) passes ${r.modelPassesPerPhoto}`;
  console.log(`${name}\n  originals:  ${brief(onOriginals)}\n  with edits: ${brief(onAll)}`);
}
writeFileSync(path.join(ROOT, 'bench/results/labeller-quality.json'), `${JSON.stringify({
  date: new Date().toISOString(),
  photos: originals.map((p) => p.name),
  edits: Object.keys(EDITS),
  variants: results,
}, null, 2)}\n`);
model.dispose();
