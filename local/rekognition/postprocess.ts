import { fusePasses, nonMaxSuppression, suppressExclusiveClasses } from './boxes.ts';
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

export interface Pass { rows: Float32Array; flipped: boolean }

/**
 * From the detector's rows for one or two passes (the second on the mirrored image) to
 * calibrated detections: decode, per-class NMS, fuse the passes, keep one class per object
 * within exclusive groups, then map raw scores to confidences.
 */
export function postprocess(passes: readonly Pass[], letterbox: Letterbox): ScoredDetection[] {
  const perPass = passes.map((pass) =>
    nonMaxSuppression(decodeCenterNet(pass.rows, letterbox, { minScore: MIN_RAW_SCORE, flipped: pass.flipped }), NMS_IOU));
  const fused = perPass.length === 2 ? fusePasses(perPass[0], perPass[1], FUSE_IOU) : perPass.flat();
  const exclusive = suppressExclusiveClasses(fused, (i) => COCO_CLASSES[i]?.exclusiveGroup, EXCLUSIVE_IOU);
  return exclusive.map((d) => ({ classIndex: d.classIndex, confidence: toConfidence(d.score, d.classIndex), box: d.box }));
}
