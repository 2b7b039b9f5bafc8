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

/** Whether two boxes are one object: they overlap (IoU) or one lies almost wholly inside the other. */
export function sameObject(a: BoundingBox, b: BoundingBox, iouThreshold: number): boolean {
  if (iou(a, b) >= iouThreshold) return true;
  const w = Math.min(a.Left + a.Width, b.Left + b.Width) - Math.max(a.Left, b.Left);
  const h = Math.min(a.Top + a.Height, b.Top + b.Height) - Math.max(a.Top, b.Top);
  if (w <= 0 || h <= 0) return false;
  return (w * h) / Math.min(a.Width * a.Height, b.Width * b.Height) >= CONTAINED;
}
// A box whose area lies this much inside another's names the same object (a bus box around a car box).
const CONTAINED = 0.85;

/** A detection that won its object against look-alikes; `rival` is the best class it beat there. */
export interface Claim extends Detection { rival?: Detection }

/**
 * Within a group of classes that cannot describe the same object (a cat is not also a dog),
 * keeps one claim per object: the strongest class; weaker boxes of other classes of the group
 * on the same object are dropped, and the best of them is kept as the winner's rival.
 */
export function suppressExclusiveClasses(
  detections: readonly Detection[],
  groupOf: (classIndex: number) => string | undefined,
  iouThreshold: number,
): Claim[] {
  const kept: Claim[] = [];
  for (const d of [...detections].sort(byScore)) {
    const group = groupOf(d.classIndex);
    const winner = group === undefined ? undefined : kept.find((k) =>
      k.classIndex !== d.classIndex && groupOf(k.classIndex) === group && sameObject(k.box, d.box, iouThreshold));
    if (!winner) kept.push({ ...d });
    else winner.rival ??= d;
  }
  return kept;
}

export type Fusion = 'mean' | 'max';

/**
 * Fuses the detections of several passes over one image (mirrored, zoomed out): boxes of one
 * class that overlap are one object. Its score is the mean over all passes (0 where a pass
 * missed it) or the best pass's (when the first pass saw it at `trustFirst` or more); its box is the score-weighted mean of the passes' boxes.
 */
export function fusePasses(passes: ReadonlyArray<readonly Detection[]>, iouThreshold: number, fusion: Fusion, trustFirst = 0): Detection[] {
  const clusters: Detection[][] = [];
  const all = passes.flatMap((pass, index) => pass.map((d) => ({ d, index }))).sort((a, b) => byScore(a.d, b.d));
  const passOf = new Map(all.map(({ d, index }) => [d, index]));
  for (const { d, index } of all) {
    const cluster = clusters.find((c) => c[0].classIndex === d.classIndex && iou(c[0].box, d.box) >= iouThreshold
      && !c.some((member) => passOf.get(member) === index));
    if (cluster) cluster.push(d);
    else clusters.push([d]);
  }
  return clusters.map((members) => {
    const total = members.reduce((sum, m) => sum + m.score, 0);
    const mix = (pick: (b: BoundingBox) => number): number => members.reduce((sum, m) => sum + pick(m.box) * m.score, 0) / total;
    return {
      classIndex: members[0].classIndex,
      // With 'max', an object the first, full view did not see at `trustFirst` or more is not trusted
      // at its best score: zoomed-out views invent discs and kites on textures. It gets the mean.
      score: fusion === 'max' && members.some((m) => passOf.get(m) === 0 && m.score >= trustFirst) ? members[0].score : total / passes.length,
      box: { Left: mix((b) => b.Left), Top: mix((b) => b.Top), Width: mix((b) => b.Width), Height: mix((b) => b.Height) },
    };
  });
}
