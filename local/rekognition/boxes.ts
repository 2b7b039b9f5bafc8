import type { BoundingBox, Detection } from './types.ts';

export function iou(a: BoundingBox, b: BoundingBox): number {
  const w = Math.min(a.Left + a.Width, b.Left + b.Width) - Math.max(a.Left, b.Left);
  const h = Math.min(a.Top + a.Height, b.Top + b.Height) - Math.max(a.Top, b.Top);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.Width * a.Height + b.Width * b.Height - inter);
}

const byScore = (a: Detection, b: Detection): number => b.score - a.score;

/**
 * Greedy non-maximum suppression within each class: CenterNet often reports the same object
 * as several neighbouring peaks, which would otherwise come out as several instances.
 */
export function nonMaxSuppression(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const kept: Detection[] = [];
  for (const d of [...detections].sort(byScore)) {
    if (!kept.some((k) => k.classIndex === d.classIndex && iou(k.box, d.box) >= iouThreshold)) kept.push(d);
  }
  return kept;
}

/**
 * Within a group of classes that cannot describe the same object (a cat is not also a dog),
 * keeps only the strongest class for each object: a weaker box of another class from the
 * same group that overlaps it is dropped.
 */
export function suppressExclusiveClasses(
  detections: readonly Detection[],
  groupOf: (classIndex: number) => string | undefined,
  iouThreshold: number,
): Detection[] {
  const kept: Detection[] = [];
  for (const d of [...detections].sort(byScore)) {
    const group = groupOf(d.classIndex);
    const beaten = group !== undefined && kept.some((k) =>
      k.classIndex !== d.classIndex && groupOf(k.classIndex) === group && iou(k.box, d.box) >= iouThreshold);
    if (!beaten) kept.push(d);
  }
  return kept;
}

/**
 * Fuses the detections of two passes (the image and its mirror): boxes of one class that
 * overlap are one object whose score is the mean over both passes (0 where a pass missed it)
 * and whose box is the score-weighted mean. Used to measure flip test-time augmentation.
 */
export function fusePasses(a: readonly Detection[], b: readonly Detection[], iouThreshold: number): Detection[] {
  const fused: Detection[] = [];
  const used = new Set<Detection>();
  for (const d of [...a].sort(byScore)) {
    const match = [...b].sort(byScore).find((o) => !used.has(o) && o.classIndex === d.classIndex && iou(o.box, d.box) >= iouThreshold);
    if (match) used.add(match);
    fused.push(match ? mergePair(d, match) : { ...d, score: d.score / 2 });
  }
  for (const o of b) if (!used.has(o)) fused.push({ ...o, score: o.score / 2 });
  return fused;
}

function mergePair(a: Detection, b: Detection): Detection {
  const wa = a.score / (a.score + b.score);
  const wb = 1 - wa;
  const mix = (x: number, y: number): number => x * wa + y * wb;
  return {
    classIndex: a.classIndex,
    score: (a.score + b.score) / 2,
    box: { Left: mix(a.box.Left, b.box.Left), Top: mix(a.box.Top, b.box.Top), Width: mix(a.box.Width, b.box.Width), Height: mix(a.box.Height, b.box.Height) },
  };
}
