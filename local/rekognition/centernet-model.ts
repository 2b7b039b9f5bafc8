import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { io } from '@tensorflow/tfjs-core';

/** MobileNetV3-CenterNet trained on COCO-80, shipped as a tfjs graph model inside @vladmandic/human. */
export const INPUT_SIZE = 512;
const DETECTIONS = 'tower_0/detections';

export interface CenterNet {
  /** Runs the detector on a letterboxed RGB square; returns its top-100 rows (see decode-centernet.ts). */
  run(pixels: Uint8Array): Promise<Float32Array>;
  dispose(): void;
}

export function centerNetModelPath(): string {
  // The package's exports hide its models folder, so locate it from its entry point.
  const entry = createRequire(import.meta.url).resolve('@vladmandic/human');
  return path.join(path.dirname(entry), '..', 'models', 'centernet.json');
}

/** Reads model.json and its weights from disk: nothing is fetched. */
export function fileSystemHandler(modelJsonPath: string): io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as {
        modelTopology: object; format?: string; generatedBy?: string; convertedBy?: string;
        signature?: object; weightsManifest: io.WeightsManifestConfig;
      };
      const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
      const buffers = await Promise.all(json.weightsManifest.flatMap((group) => group.paths)
        .map((file) => readFile(path.join(path.dirname(modelJsonPath), file))));
      const weights = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        signature: json.signature,
        weightSpecs,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}

export async function loadCenterNet(modelJsonPath = centerNetModelPath()): Promise<CenterNet> {
  await tf.setBackend('wasm');
  await tf.ready();
  const model: GraphModel = await loadGraphModel(fileSystemHandler(modelJsonPath));
  const centerNet: CenterNet = {
    async run(pixels) {
      // Deliberately not inside tf.tidy: GraphModel.execute under tidy is ~7x slower on WASM.
      const input = tf.tensor4d(Float32Array.from(pixels), [1, INPUT_SIZE, INPUT_SIZE, 3], 'float32');
      try {
        const output = model.execute(input, DETECTIONS) as tf.Tensor;
        try {
          return (await output.data()) as Float32Array;
        } finally {
          output.dispose();
        }
      } finally {
        input.dispose();
      }
    },
    dispose() {
      model.dispose();
    },
  };
  // The first execution compiles kernels and is twice as slow: pay it before the first request.
  await centerNet.run(new Uint8Array(INPUT_SIZE * INPUT_SIZE * 3));
  return centerNet;
}
