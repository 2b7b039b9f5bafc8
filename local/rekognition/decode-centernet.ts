import { toImageBox, type Letterbox } from './letterbox.ts';
import type { Detection } from './types.ts';

/** Each row: x1, y1, x2, y2 (input pixels), score 0..1, COCO class index 0..79. */
export const ROW_LENGTH = 6;

export interface DecodeOptions {
  /** Rows below this raw score are dropped before anything else looks at them. */
  minScore: number;
  /** The input was mirrored: mirror the boxes back. */
  flipped?: boolean;
}

/**
 * Turns CenterNet's detection rows into detections in ratios of the original image.
 * The rows are the heatmap's peaks, so a row's score is the class's keypoint confidence.
 */
export function decodeCenterNet(rows: Float32Array, letterbox: Letterbox, options: DecodeOptions): Detection[] {
  const detections: Detection[] = [];
  for (let offset = 0; offset + ROW_LENGTH <= rows.length; offset += ROW_LENGTH) {
    const score = rows[offset + 4];
    const classIndex = rows[offset + 5];
    if (!(score >= options.minScore) || !Number.isInteger(classIndex) || classIndex < 0 || classIndex >= 80) continue;
    let x1 = rows[offset];
    let x2 = rows[offset + 2];
    if (options.flipped) [x1, x2] = [letterbox.size - x2, letterbox.size - x1];
    const box = toImageBox(letterbox, x1, rows[offset + 1], x2, rows[offset + 3]);
    // A box that lies in the padding only describes nothing in the image.
    if (box.Width <= 0 || box.Height <= 0) continue;
    detections.push({ classIndex, score, box });
  }
  return detections;
}
