import type { Raster } from './image-properties.ts';
import { COCO_CLASSES } from './taxonomy.ts';
import type { ScoredDetection } from './to-response.ts';

/**
 * Scene and concept labels (Outdoors, Sky, Nature, Night, Indoors, Road, Text, Document, Art,
 * Drawing) from whole-image signals: the drawing classifier, the text detector, simple pixel
 * statistics and the objects found. No npm package ships a scene classifier (docs/labeller.md),
 * so each label here rests on evidence that can be named, and is left out when it is weak.
 */
export interface SceneLabel { name: string; confidence: number }

export interface PixelStats {
  /** Share of the top 40 % of the image that is blue sky. */
  skyTop: number;
  /** Share of the image that is foliage green. */
  vegetation: number;
  /** Mean luma of the whole image and of its top third, 0..1. */
  brightness: number;
  topBrightness: number;
  /** Share of pixels exactly equal to their right-hand neighbour: flat fills, as drawings and pages have. */
  flat: number;
  /** Share of near-white pixels (a page, a plain background). */
  light: number;
  /** Share of pixels with a sharp step in luma to their right-hand neighbour: lines and outlines. */
  edges: number;
}

export interface SceneSignals {
  /** Probability that the image is a drawing, painting or cartoon (drawing-model.ts), 0..1; 0 when it could not count and was not run. */
  drawing: number;
  /** Share of the image covered by text regions, and how many there are (text-model.ts). */
  textArea: number;
  textRegions: number;
  stats: PixelStats;
}

export function pixelStats({ pixels, width, height }: Raster): PixelStats {
  let sky = 0; let top = 0; let green = 0; let sum = 0; let topSum = 0; let topN = 0; let flat = 0; let light = 0; let edges = 0; let n = 0;
  const step = Math.max(1, Math.floor(Math.max(width, height) / 160));
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const i = (y * width + x) * 3;
      const r = pixels[i]; const g = pixels[i + 1]; const b = pixels[i + 2];
      const l = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      n++; sum += l;
      if (l > 0.9) light++;
      if (x + 1 < width && r === pixels[i + 3] && g === pixels[i + 4] && b === pixels[i + 5]) flat++;
      if (x + 1 < width && Math.abs(0.299 * (r - pixels[i + 3]) + 0.587 * (g - pixels[i + 4]) + 0.114 * (b - pixels[i + 5])) > 40) edges++;
      const max = Math.max(r, g, b); const min = Math.min(r, g, b);
      if (g === max && g - min > 25 && g > r + 8 && l < 0.75) green++;
      if (y < height * 0.4) {
        top++;
        // Clear sky: blue clearly above red, bright enough, not saturated like a blue object.
        if (b === max && b - r > 30 && b > 110 && g > r) sky++;
      }
      if (y < height / 3) { topSum += l; topN++; }
    }
  }
  return {
    skyTop: top > 0 ? sky / top : 0,
    vegetation: n > 0 ? green / n : 0,
    brightness: n > 0 ? sum / n : 0,
    topBrightness: topN > 0 ? topSum / topN : 0,
    flat: n > 0 ? flat / n : 0,
    light: n > 0 ? light / n : 0,
    edges: n > 0 ? edges / n : 0,
  };
}

const OUTDOOR_OBJECTS = new Set(['car', 'bus', 'truck', 'motorcycle', 'bicycle', 'train', 'airplane', 'boat', 'traffic light', 'fire hydrant',
  'stop sign', 'parking meter', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'kite', 'skis', 'snowboard', 'surfboard']);
const INDOOR_OBJECTS = new Set(['bed', 'couch', 'tv', 'toilet', 'sink', 'refrigerator', 'oven', 'microwave', 'toaster', 'laptop',
  'keyboard', 'mouse', 'dining table', 'potted plant']);
const ROAD_OBJECTS = new Set(['car', 'bus', 'truck', 'motorcycle', 'traffic light', 'stop sign', 'parking meter']);
const WILD = new Set(['elephant', 'bear', 'zebra', 'giraffe', 'bird']);

// Evidence → confidence: at `at` the label reads 55 (just shown at the default MinConfidence), rising to 95 at `full`.
const grade = (value: number, at: number, full: number): number =>
  value < at ? 0 : Math.min(95, 55 + (40 * (value - at)) / Math.max(1e-6, full - at));

/** Everything but the drawing classifier's answer: what decides whether that answer can count at all. */
export type SignalsBeforeDrawing = Omit<SceneSignals, 'drawing'>;

// The drawing classifier's probability, weighted by flatness, counts from this value on.
const DRAWING_AT = 0.3;

function textScores({ textArea, textRegions, stats }: SignalsBeforeDrawing): { text: number; document: number } {
  const text = textRegions >= 3 ? grade(textArea, 0.02, 0.1) : 0;
  // A document is mostly text on a light page.
  const document = text > 0 && stats.brightness >= 0.6 ? grade(textArea, 0.06, 0.2) : 0;
  return { text, document };
}

/**
 * How much the drawing classifier's answer counts. A drawing is flat fills and the classifier's word for it; a page of
 * text is flat too, but it is a document; a plain fill is flat too, but there is nothing drawn on it (a drawing has
 * lines). Flatness starts counting at 0.3: greyscale photographs reach 0.25 with their few levels.
 */
function drawingWeight(signals: SignalsBeforeDrawing): number {
  if (textScores(signals).document > 0 || signals.stats.edges < 0.01) return 0;
  return Math.min(1, Math.max(0, (signals.stats.flat - 0.3) / 0.3));
}

/**
 * Whether the drawing classifier can change the labels: its probability (at most 1) times the weight must be able to
 * reach DRAWING_AT. On photographs it cannot, so the model, the dearest after CenterNet, need not run.
 */
export function drawingClassifierCanMatter(signals: SignalsBeforeDrawing): boolean {
  return drawingWeight(signals) >= DRAWING_AT;
}

export function sceneLabels(signals: SceneSignals, objects: readonly ScoredDetection[]): SceneLabel[] {
  const { stats } = signals;
  const seen = new Set(objects.filter((d) => d.confidence >= 55).map((d) => COCO_CLASSES[d.classIndex]?.coco ?? ''));
  const count = (set: ReadonlySet<string>) => objects.filter((d) => d.confidence >= 55 && set.has(COCO_CLASSES[d.classIndex]?.coco ?? '')).length;
  const labels: SceneLabel[] = [];
  const add = (name: string, confidence: number) => { if (confidence > 0) labels.push({ name, confidence: Number(confidence.toFixed(3)) }); };

  const { text, document } = textScores(signals);
  add('Text', text);
  add('Document', document);
  const drawing = grade(signals.drawing * drawingWeight(signals), DRAWING_AT, 0.8);
  add('Drawing', drawing);
  add('Art', drawing);

  // Sky and foliage are read from photographic texture, not from flat fills of blue and green (logos).
  const photographic = stats.flat < 0.3;
  const sky = photographic ? grade(stats.skyTop, 0.3, 0.7) : 0;
  const vegetation = photographic ? grade(stats.vegetation, 0.25, 0.6) : 0;
  add('Sky', sky);
  add('Vegetation', vegetation);
  const outdoorObjects = count(OUTDOOR_OBJECTS);
  const outdoors = Math.max(sky, vegetation, outdoorObjects > 0 ? 60 + Math.min(30, 10 * outdoorObjects) : 0);
  const night = drawing === 0 && document === 0 && text === 0 && stats.brightness < 0.2 && stats.topBrightness < 0.15 ? 60 : 0;
  add('Night', night);
  add('Outdoors', Math.max(outdoors, night));
  add('Nature', Math.max(vegetation, [...WILD].some((k) => seen.has(k)) ? 70 : 0, sky > 0 && outdoorObjects === 0 ? sky - 5 : 0, night));
  const indoorObjects = count(INDOOR_OBJECTS);
  if (outdoors === 0 && drawing === 0 && indoorObjects > 0) add('Indoors', 60 + Math.min(30, 10 * indoorObjects));
  const road = count(ROAD_OBJECTS);
  if (road >= 2 && drawing === 0) add('Road', 55 + Math.min(30, 10 * (road - 2)));
  return labels;
}
