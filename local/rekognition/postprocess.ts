import { fusePasses, nonMaxSuppression, suppressExclusiveClasses, type Fusion } from './boxes.ts';
import { toConfidence } from './calibration.ts';
import { decodeCenterNet } from './decode-centernet.ts';
import type { Letterbox } from './letterbox.ts';
import { COCO_CLASSES } from './taxonomy.ts';
import type { ScoredDetection } from './to-response.ts';

/** Raw scores under this are noise (they would calibrate to about 12 or less). */
export const MIN_RAW_SCORE = 0.1;
const NMS_IOU = 0.5;
const FUSE_IOU = 0.55;
const EXCLUSIVE_IOU = 0.6;

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
export function postprocess(passes: readonly Pass[], fusion: Fusion = 'max'): ScoredDetection[] {
  const perPass = passes.map((pass) =>
    nonMaxSuppression(decodeCenterNet(pass.rows, pass.letterbox, { minScore: MIN_RAW_SCORE, flipped: pass.flipped }), NMS_IOU));
  const fused = perPass.length > 1 ? fusePasses(perPass, FUSE_IOU, fusion) : perPass[0] ?? [];
  const exclusive = suppressExclusiveClasses(fused, (i) => COCO_CLASSES[i]?.exclusiveGroup, EXCLUSIVE_IOU);
  return exclusive.map((d) => ({ classIndex: d.classIndex, confidence: toConfidence(d.score, d.classIndex), box: d.box }));
}

/**
 * CenterNet learnt animals from COCO, where they are rarely seen close up: a cat's face that
 * fills the frame can read as a dog. Shrunk to half size in the square, the same animal is
 * named right (docs/labeller.md), so any animal seen in the first view earns a second,
 * zoomed-out look, fused by the best score per object.
 */
export function needsSecondLook(firstLook: readonly ScoredDetection[]): boolean {
  return firstLook.some((d) => COCO_CLASSES[d.classIndex]?.exclusiveGroup === 'animal' && d.confidence >= SECOND_LOOK_MIN_CONFIDENCE);
}
