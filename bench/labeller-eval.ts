/**
 * Labeller evaluation on the photo sets of bench/photos (tuning, held-out, photos-held-out), scored separately
 * at Rekognition's default MinConfidence (55), one image at a time in this thread.
 * Run: npx tsx bench/labeller-eval.ts [--out bench/results/labeller-eval.json] [--sets tuning,photos-held-out]
 *
 * Per set: object recall (COCO classes in the truth that appear as labels), wrong object labels
 * (COCO-class labels shown that are not in the photo) per 10 photos, photos with no label at
 * all, scene labels expected and shown, and time per image. It calls only
 * `createDetector().detectLabels`, so the same script scores earlier versions of the labeller.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDetector } from '../local/rekognition/detect.ts';
import { COCO_CLASSES } from '../local/rekognition/taxonomy.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SETS = ['tuning', 'held-out', 'photos-held-out'] as const;
interface Truth { file: string; present: string[]; ignore?: string[]; scenes: string[] }

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'bench/results/labeller-eval.json' }, sets: { type: 'string', default: SETS.join(',') } },
});
const chosen = (values.sets as string).split(',').filter((s) => s.length > 0);
const unknown = chosen.filter((s) => !(SETS as readonly string[]).includes(s));
if (unknown.length > 0) throw new Error(`unknown set(s) ${unknown.join(', ')}; known: ${SETS.join(', ')}`);
const cocoOf = new Map(COCO_CLASSES.map((c) => [c.name, c.coco]));
const detector = await createDetector();
const report: Record<string, unknown> = {};

for (const set of chosen) {
  const dir = path.join(ROOT, 'bench/photos', set);
  const { photos } = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { photos: Truth[] };
  let objects = 0; let found = 0; let wrong = 0; let empty = 0; let scenesExpected = 0; let scenesShown = 0; let ms = 0;
  const perPhoto: Array<{ file: string; labels: string[]; missed: string[]; wrong: string[]; missedScenes: string[] }> = [];
  for (const truth of photos) {
    const bytes = new Uint8Array(readFileSync(path.join(dir, truth.file)));
    const started = performance.now();
    const { Labels } = await detector.detectLabels(bytes, { minConfidence: 55 });
    ms += performance.now() - started;
    const names = Labels.map((l) => l.Name);
    const shownCoco = new Set(names.map((n) => cocoOf.get(n)).filter((c): c is string => c !== undefined));
    const missed = truth.present.filter((c) => !shownCoco.has(c));
    const wrongHere = [...shownCoco].filter((c) => !truth.present.includes(c) && !(truth.ignore ?? []).includes(c));
    const missedScenes = truth.scenes.filter((s) => !names.includes(s));
    objects += truth.present.length; found += truth.present.length - missed.length; wrong += wrongHere.length;
    scenesExpected += truth.scenes.length; scenesShown += truth.scenes.length - missedScenes.length;
    if (names.length === 0) empty++;
    perPhoto.push({ file: truth.file, labels: Labels.slice(0, 8).map((l) => `${l.Name} ${l.Confidence.toFixed(0)}`), missed, wrong: wrongHere, missedScenes });
  }
  const summary = {
    photos: photos.length,
    objectRecall: Number((found / Math.max(1, objects)).toFixed(3)),
    objects: `${found}/${objects}`,
    wrongObjectLabels: wrong,
    wrongPer10Photos: Number(((wrong / photos.length) * 10).toFixed(2)),
    photosWithNoLabel: empty,
    scenesShown: `${scenesShown}/${scenesExpected}`,
    msPerImage: Math.round(ms / photos.length),
  };
  report[set] = { summary, perPhoto };
  console.log(set, summary);
  for (const p of perPhoto) if (p.missed.length + p.wrong.length + p.missedScenes.length > 0) {
    console.log(`  ${p.file}: ${p.labels.join(', ') || '(none)'}${p.missed.length ? ` | missed ${p.missed}` : ''}${p.wrong.length ? ` | wrong ${p.wrong}` : ''}${p.missedScenes.length ? ` | no ${p.missedScenes}` : ''}`);
  }
}
writeFileSync(path.resolve(ROOT, values.out as string), `${JSON.stringify({ date: new Date().toISOString(), ...report }, null, 2)}\n`);
detector.dispose();
