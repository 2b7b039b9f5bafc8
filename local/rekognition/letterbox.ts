import type { BoundingBox } from './types.ts';

/**
 * Where an image sits inside the square model input: scaled to fit, centred, the rest
 * zero-padded. CenterNet was trained on letterboxed inputs; stretching changes its answers
 * (a stretched cat face reads as a dog), so the geometry is kept exact and reversible.
 */
export interface Letterbox {
  size: number;
  /** Size of the scaled image inside the square, in input pixels. */
  width: number;
  height: number;
  left: number;
  top: number;
}

/** `fill` < 1 shrinks the image further inside the square (a zoomed-out view of it). */
export function letterboxFor(imageWidth: number, imageHeight: number, size: number, fill = 1): Letterbox {
  const scale = (size * fill) / Math.max(imageWidth, imageHeight);
  const width = Math.max(1, Math.min(size, Math.round(imageWidth * scale)));
  const height = Math.max(1, Math.min(size, Math.round(imageHeight * scale)));
  return { size, width, height, left: Math.floor((size - width) / 2), top: Math.floor((size - height) / 2) };
}

const clip01 = (v: number): number => Math.min(1, Math.max(0, v));

/** Maps a box given in input pixels (x1, y1, x2, y2) to ratios of the original image, clipped to it. */
export function toImageBox(lb: Letterbox, x1: number, y1: number, x2: number, y2: number): BoundingBox {
  const left = clip01((x1 - lb.left) / lb.width);
  const top = clip01((y1 - lb.top) / lb.height);
  const right = clip01((x2 - lb.left) / lb.width);
  const bottom = clip01((y2 - lb.top) / lb.height);
  return { Left: left, Top: top, Width: Math.max(0, right - left), Height: Math.max(0, bottom - top) };
}

/** Mirrors an interleaved RGB square image left to right (for flip test-time augmentation). */
export function flipHorizontally(pixels: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  const row = size * 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = y * row + x * 3;
      const to = y * row + (size - 1 - x) * 3;
      out[to] = pixels[from]; out[to + 1] = pixels[from + 1]; out[to + 2] = pixels[from + 2];
    }
  }
  return out;
}
