import { fusePasses, nonMaxSuppression, suppressExclusiveClasses, type Fusion } from './boxes.ts';
import { BASE_THRESHOLD, toConfidence } from './calibration.ts';
import { decodeCenterNet } from './decode-centernet.ts';
import type { Letterbox } from './letterbox.ts';
import { commonAncestor, COCO_CLASSES } from './taxonomy.ts';
import type { ScoredDetection } from './to-response.ts';

/** Raw scores under this are noise (they would calibrate to about 12 or less). */
export const MIN_RAW_SCORE = 0.1;
const NMS_IOU = 0.5;
const FUSE_IOU = 0.55;
const EXCLUSIVE_IOU = 0.5;
/**
 * Two look-alike classes on one object whose raw scores differ by less than this are a guess
 * between them: the answer is what they have in common (Pet for cat and dog, Vehicle for car and
 * bus, Fruit for apple and banana), as long as the runner-up is itself credible (calibrated at least RIVAL_CONFIDENCE).
 */
export const WITHIN_A_HAIR = 0.05;
const RIVAL_CONFIDENCE = 50;
/** Any box covering this much of the image, even a weak one, earns a second, zoomed-out look. */
export const LARGE_BOX_AREA = 0.25;
const LARGE_BOX_MIN_CONFIDENCE = 15;

/** Fill of the zoomed-out view used for a second look (the image at half size in the square). */
export const SECOND_LOOK_FILL = 0.5;
const SECOND_LOOK_MIN_CONFIDENCE = 30;

/** The detector's rows for one view of the image. */
export interface Pass { rows: Float32Array; letterbox: Letterbox; flipped: boolean }

/**
 * From the detector's rows for one or more views of an image to calibrated detections:
 * decode, per-class NMS, fuse the views, keep one class per object within exclusive groups,
 * then map raw scores to confidences.
 */
export function postprocess(passes: readonly Pass[], fusion: Fusion = 'max', trustFirst = 0): ScoredDetection[] {
  const perPass = passes.map((pass) =>
    nonMaxSuppression(decodeCenterNet(pass.rows, pass.letterbox, { minScore: MIN_RAW_SCORE, flipped: pass.flipped }), NMS_IOU));
  const fused = perPass.length > 1 ? fusePasses(perPass, FUSE_IOU, fusion, trustFirst) : perPass[0] ?? [];
  const claims = suppressExclusiveClasses(fused, (i) => COCO_CLASSES[i]?.exclusiveGroup, EXCLUSIVE_IOU);
  return claims.map((d) => {
    const scored: ScoredDetection = { classIndex: d.classIndex, confidence: toConfidence(d.score, d.classIndex), box: d.box };
    const rival = d.rival;
    if (rival && d.score - rival.score < WITHIN_A_HAIR && toConfidence(rival.score, rival.classIndex) >= RIVAL_CONFIDENCE) {
      const parent = commonAncestor(COCO_CLASSES[d.classIndex].name, COCO_CLASSES[rival.classIndex].name);
      if (parent) scored.name = parent;
    }
    return scored;
  });
}

/**
 * CenterNet learnt from COCO, where objects are rarely seen close up: a cat's face that fills
 * the frame can read as a dog, a single fruit filling it as nothing much. Shrunk to half size in
 * the square, the same object is named right (docs/labeller.md), so any animal seen in the first
 * view, and any large box even when weak, earns a second, zoomed-out look, fused by the best
 * score per object.
 */
export function needsSecondLook(firstLook: readonly ScoredDetection[]): { trustFirst: number } | undefined {
  if (firstLook.some((d) => COCO_CLASSES[d.classIndex]?.exclusiveGroup === 'animal' && d.confidence >= SECOND_LOOK_MIN_CONFIDENCE)) {
    return { trustFirst: 0 };
  }
  // For other large boxes, an object keeps its best score only if the full view already found it
  // credible: at their best, zoomed-out views of textures (coins, a retina) find clocks and kites
  // that the full view only suspected. Those get the mean of the views.
  const large = firstLook.some((d) => d.box.Width * d.box.Height >= LARGE_BOX_AREA && d.confidence >= LARGE_BOX_MIN_CONFIDENCE);
  return large ? { trustFirst: BASE_THRESHOLD } : undefined;
}
