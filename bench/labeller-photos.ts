/**
 * The labelled photo set and the scoring shared by the labeller quality scripts.
 *
 * Photos: the test fixtures (test/fixtures/images), plus scikit-image's sample images kept in
 * bench/photos/tuning (see its README), which add objects and non-photographs (coins, moon, cells,
 * text) where any object label is wrong. Each photo
 * is also varied (crops, greyscale, half size, blur, brightness) to stand in for unseen photos.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { COCO_CLASSES } from '../local/rekognition/taxonomy.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.resolve(ROOT, 'test/fixtures/images');
const EXTRA = path.resolve(ROOT, 'bench/photos/tuning');

interface Truth { dir: string; present: string[]; ignore?: string[] }

/** COCO classes truly in each photo; `ignore` lists classes that are arguably there too. */
const TRUTH: Record<string, Truth> = {
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
export const EDITS: Record<string, Edit> = {
  original: (image) => image,
  'crop 80%': crop(0.8),
  'crop 60%': crop(0.6),
  greyscale: (image) => image.greyscale(),
  'half size': (image, w, h) => image.resize(Math.round(w / 2), Math.round(h / 2)),
  blur: (image) => image.blur(3),
  brighter: (image) => image.modulate({ brightness: 1.4 }),
};

export interface Photo { name: string; edit: string; truth: Truth; bytes: Uint8Array }
/** A class seen in a photo, by its COCO name, with a confidence on the 0..100 scale. */
export interface Scored { coco: string; confidence: number }

/** Every photo present on this machine, in every edit. */
export async function loadPhotos(): Promise<Photo[]> {
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
  return photos;
}

const ANIMALS = new Set(COCO_CLASSES.filter((k) => k.exclusiveGroup === 'animal').map((k) => k.coco));

export interface Outcome { scored: Scored[]; passes: number }

/**
 * Scores a variant's outcomes: average precision over every photo × class pair, photos with a
 * right label in their top 5 and as their first label, wrong labels and wrong animals shown at
 * `shownAt`, model passes per photo, and the top 5 of each original photo.
 */
export function evaluate(photos: readonly Photo[], outcomes: ReadonlyMap<Photo, Outcome>, shownAt: number) {
  const pairs: Array<{ confidence: number; right: boolean }> = [];
  let positives = 0; let inTop5 = 0; let first = 0; let wrong = 0; let wrongAnimals = 0; let passes = 0;
  const top5: Record<string, string[]> = {};
  const mistakes: string[] = [];
  for (const photo of photos) {
    const { scored, passes: n } = outcomes.get(photo) as Outcome;
    passes += n;
    const best = new Map<string, number>();
    for (const s of scored) best.set(s.coco, Math.max(best.get(s.coco) ?? 0, s.confidence));
    const { present, ignore = [] } = photo.truth;
    for (const k of COCO_CLASSES) if (!ignore.includes(k.coco)) pairs.push({ confidence: best.get(k.coco) ?? 0, right: present.includes(k.coco) });
    const shown = [...best.entries()].filter(([, c]) => c >= shownAt).sort((a, b) => b[1] - a[1]);
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
    modelPassesPerPhoto: Number((passes / Math.max(1, photos.length)).toFixed(2)),
    top5, mistakes,
  };
}

export type Evaluation = ReturnType<typeof evaluate>;

export const brief = (r: Evaluation): string =>
  `AP ${r.averagePrecision} top5 ${r.rightLabelInTop5} first ${r.rightFirstLabel} wrong ${r.wrongLabelsShown} (animals ${r.wrongAnimalsShown}) passes ${r.modelPassesPerPhoto}`;
