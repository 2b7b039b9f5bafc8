import { COCO_CLASSES } from './taxonomy.ts';

/**
 * Raw CenterNet scores are not Rekognition confidences: a plainly visible cat scores ~0.55,
 * and Rekognition's default MinConfidence is 55. Each class gets a threshold — the raw score
 * at which a detection is as likely right as wrong — and scores map through a logistic
 * centred there, so 50 means "coin toss", and threshold + 0.3 reads as 95. The base threshold
 * sits above every false detection measured on photos without such objects (docs/labeller.md).
 */
export const BASE_THRESHOLD = 0.35;
export const SLOPE = 10;

/**
 * Classes the detector fires on for things that are not them, measured on photographs and
 * non-photographs without those objects (docs/labeller.md): discs and blobs (coins, the moon, a
 * retina, cells) read as clock, umbrella, kite, ball or frisbee, and "person" appears in clutter.
 */
export const CLASS_THRESHOLDS: Readonly<Record<string, number>> = {
  person: 0.4,
  umbrella: 0.6,
  clock: 0.5,
  kite: 0.45,
  'sports ball': 0.42,
  frisbee: 0.42,
};

export function thresholdFor(classIndex: number): number {
  return CLASS_THRESHOLDS[COCO_CLASSES[classIndex]?.coco ?? ''] ?? BASE_THRESHOLD;
}

/** Rekognition-style confidence, 0..100, for a raw detector score of a class. */
export function toConfidence(score: number, classIndex: number): number {
  return 100 / (1 + Math.exp(-SLOPE * (score - thresholdFor(classIndex))));
}
