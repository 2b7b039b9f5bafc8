import { CSS_COLOURS, nearestCssColour } from './colours.ts';
import type { BoundingBox, DominantColor, ImageProperties } from './types.ts';

/** Decoded pixels, interleaved RGB 0..255, as the detector's input was made from them. */
export interface Raster { pixels: Uint8Array; width: number; height: number }

// Colours are counted on at most this many samples per side: percentages, not exact pixel counts.
const COLOUR_GRID = 128;
// Laplacian variance at which sharpness reads 63 (1 − 1/e): a crisp photo at 512 px is well above.
const SHARPNESS_SCALE = 300;
// Without objects to go by, the foreground is the centre of the frame (where photographers put it).
const CENTRE: BoundingBox = { Left: 0.2, Top: 0.2, Width: 0.6, Height: 0.6 };

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
const luma = (p: Uint8Array, i: number): number => 0.299 * p[i] + 0.587 * p[i + 1] + 0.114 * p[i + 2];

function inside(boxes: readonly BoundingBox[], x: number, y: number): boolean {
  return boxes.some((b) => x >= b.Left && x < b.Left + b.Width && y >= b.Top && y < b.Top + b.Height);
}

/** Per-sample nearest CSS colour, computed once per image and shared by every region. */
export function colourSamples(raster: Raster): { index: Int16Array; xs: Float32Array; ys: Float32Array } {
  const step = Math.max(1, Math.ceil(Math.max(raster.width, raster.height) / COLOUR_GRID));
  const cols = Math.ceil(raster.width / step);
  const rows = Math.ceil(raster.height / step);
  const index = new Int16Array(cols * rows);
  const xs = new Float32Array(cols * rows);
  const ys = new Float32Array(cols * rows);
  const memo = new Map<number, number>();
  let n = 0;
  for (let y = 0; y < raster.height; y += step) {
    for (let x = 0; x < raster.width; x += step) {
      const i = (y * raster.width + x) * 3;
      const [r, g, b] = [raster.pixels[i], raster.pixels[i + 1], raster.pixels[i + 2]];
      const k = ((r >> 2) << 12) | ((g >> 2) << 6) | (b >> 2);
      let c = memo.get(k);
      if (c === undefined) memo.set(k, (c = nearestCssColour(r, g, b)));
      index[n] = c; xs[n] = (x + 0.5) / raster.width; ys[n] = (y + 0.5) / raster.height; n++;
    }
  }
  return { index: index.subarray(0, n), xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

export type ColourSamples = ReturnType<typeof colourSamples>;

function dominantColours(samples: ColourSamples, max: number, keep: (x: number, y: number) => boolean): DominantColor[] {
  const counts = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < samples.index.length; i++) {
    if (!keep(samples.xs[i], samples.ys[i])) continue;
    counts.set(samples.index[i], (counts.get(samples.index[i]) ?? 0) + 1);
    total++;
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, max).map(([c, count]) => {
    const colour = CSS_COLOURS[c];
    return {
      Red: colour.r, Green: colour.g, Blue: colour.b, HexCode: colour.hex,
      CSSColor: colour.name, SimplifiedColor: colour.simplified, PixelPercent: round((count / total) * 100),
    };
  });
}

/** Brightness (mean luma) and sharpness (variance of the Laplacian) over the pixels `keep` accepts, 0..100. */
function quality(raster: Raster, keep: (x: number, y: number) => boolean): { Brightness: number; Sharpness: number; histogram: Uint32Array } {
  const { pixels, width, height } = raster;
  let sum = 0; let n = 0; let lapSum = 0; let lapSq = 0; let lapN = 0;
  const histogram = new Uint32Array(256);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!keep((x + 0.5) / width, (y + 0.5) / height)) continue;
      const i = (y * width + x) * 3;
      const v = luma(pixels, i);
      sum += v; n++;
      histogram[Math.min(255, Math.round(v))]++;
      if (x > 0 && y > 0 && x < width - 1 && y < height - 1) {
        const lap = 4 * v - luma(pixels, i - 3) - luma(pixels, i + 3) - luma(pixels, i - width * 3) - luma(pixels, i + width * 3);
        lapSum += lap; lapSq += lap * lap; lapN++;
      }
    }
  }
  const variance = lapN > 0 ? lapSq / lapN - (lapSum / lapN) ** 2 : 0;
  return {
    Brightness: round(n > 0 ? (sum / n / 255) * 100 : 0),
    Sharpness: round(100 * (1 - Math.exp(-variance / SHARPNESS_SCALE))),
    histogram,
  };
}

/** Contrast: the spread between the 5th and 95th percentiles of luma, 0..100. */
function contrast(histogram: Uint32Array): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const at = (p: number): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]) > p * total) return v;
    return 255;
  };
  return round(((at(0.95) - at(0.05)) / 255) * 100);
}

/**
 * Rekognition's ImageProperties for an image: quality and dominant colours of the whole image, of
 * its foreground (the boxes of the objects found, or the centre of the frame when none was) and of
 * the rest, the background.
 */
export function imageProperties(
  raster: Raster, foregroundBoxes: readonly BoundingBox[], maxDominantColors: number, samples = colourSamples(raster),
): ImageProperties {
  const boxes = foregroundBoxes.length > 0 ? foregroundBoxes : [CENTRE];
  const all = () => true;
  const fg = (x: number, y: number) => inside(boxes, x, y);
  const bg = (x: number, y: number) => !inside(boxes, x, y);
  const whole = quality(raster, all);
  const region = (keep: (x: number, y: number) => boolean) => {
    const { Brightness, Sharpness } = quality(raster, keep);
    return { Quality: { Brightness, Sharpness }, DominantColors: dominantColours(samples, maxDominantColors, keep) };
  };
  return {
    Quality: { Brightness: whole.Brightness, Sharpness: whole.Sharpness, Contrast: contrast(whole.histogram) },
    DominantColors: dominantColours(samples, maxDominantColors, all),
    Foreground: region(fg),
    Background: region(bg),
  };
}

/** Dominant colours inside one box (a label instance), as Rekognition adds them with IMAGE_PROPERTIES. */
export function instanceColours(samples: ColourSamples, box: BoundingBox, maxDominantColors: number): DominantColor[] {
  return dominantColours(samples, maxDominantColors, (x, y) => inside([box], x, y));
}
