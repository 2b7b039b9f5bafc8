import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { io } from '@tensorflow/tfjs-core';
import { foldBatchNorms, type KerasLayer } from './fold-batch-norm.ts';

/**
 * nsfwjs's MobileNetV2 (224×224, classes Drawing, Hentai, Neutral, Porn, Sexy), shipped inside the
 * npm package as JavaScript files: only its Drawing class is used, as "is this a drawing, painting
 * or cartoon rather than a photograph". Runs on the tfjs backend already set up for CenterNet.
 */
export const DRAWING_INPUT_SIZE = 224;
const DRAWING_CLASS = 0;

export interface DrawingModel {
  /** Probability of "drawing" for RGB pixels of DRAWING_INPUT_SIZE squared (stretched, as nsfwjs feeds it). */
  run(pixels: Uint8Array): Promise<number>;
  dispose(): void;
}

function modelFiles(): { topology: { modelTopology: object; weightsManifest: io.WeightsManifestConfig }; weights: string } {
  // The package's exports hide its model files: locate them from its CommonJS entry (dist/cjs/index.js).
  const require = createRequire(import.meta.url);
  const root = path.join(path.dirname(require.resolve('nsfwjs')), '..', '..');
  const topology = require(path.join(root, 'dist/models/mobilenet_v2/model.min.js')) as { modelTopology: object; weightsManifest: io.WeightsManifestConfig };
  const weights = require(path.join(root, 'dist/models/mobilenet_v2/group1-shard1of1.min.js')) as string;
  return { topology, weights };
}

interface Topology { model_config: { class_name: string; config: { layers: KerasLayer[]; [key: string]: unknown } }; [key: string]: unknown }

/** The model's topology and weights with its batch norms folded into the convolutions (fold-batch-norm.ts). */
function foldedModel(modelTopology: Topology, specs: io.WeightsManifestEntry[], bytes: Buffer): io.ModelArtifacts {
  const tensors = tf.io.decodeWeights(new Uint8Array(bytes).buffer, specs);
  const weights = new Map(Object.entries(tensors).map(([name, t]) => [name, { shape: t.shape, values: t.dataSync() as Float32Array }]));
  for (const t of Object.values(tensors)) t.dispose();
  const folded = foldBatchNorms(modelTopology.model_config.config.layers, weights);
  const entries = [...folded.weights];
  const data = new Float32Array(entries.reduce((n, [, w]) => n + w.values.length, 0));
  let offset = 0;
  for (const [, w] of entries) { data.set(w.values, offset); offset += w.values.length; }
  return {
    modelTopology: { ...modelTopology, model_config: { ...modelTopology.model_config, config: { ...modelTopology.model_config.config, layers: folded.layers } } },
    weightSpecs: entries.map(([name, w]) => ({ name, shape: w.shape, dtype: 'float32' as const })),
    weightData: data.buffer,
  };
}

/** `foldBatchNorms: false` loads the model as shipped (for comparing the two in benchmarks). */
export async function loadDrawingModel(options: { foldBatchNorms?: boolean } = {}): Promise<DrawingModel> {
  const { topology, weights } = modelFiles();
  const bytes = Buffer.from(weights, 'base64');
  const specs = topology.weightsManifest.flatMap((group) => group.weights);
  const artifacts: io.ModelArtifacts = options.foldBatchNorms === false
    ? { modelTopology: topology.modelTopology, weightSpecs: specs, weightData: new Uint8Array(bytes).buffer }
    : foldedModel(topology.modelTopology as Topology, specs, bytes);
  const model: LayersModel = await loadLayersModel({ load: async () => artifacts });
  const drawing: DrawingModel = {
    async run(pixels) {
      // Outside tf.tidy, tensors disposed by hand (tidy is slow on the WASM backend).
      const input = tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [1, DRAWING_INPUT_SIZE, DRAWING_INPUT_SIZE, 3]);
      try {
        const output = model.predict(input) as tf.Tensor;
        try {
          return (await output.data())[DRAWING_CLASS];
        } finally {
          output.dispose();
        }
      } finally {
        input.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
  await drawing.run(new Uint8Array(DRAWING_INPUT_SIZE * DRAWING_INPUT_SIZE * 3));
  return drawing;
}
