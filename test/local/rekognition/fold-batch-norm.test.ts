import { describe, expect, it } from 'vitest';
import { foldBatchNorms, type KerasLayer, type Weight } from '../../../local/rekognition/fold-batch-norm.ts';

const layer = (name: string, className: string, from: string[], config: Record<string, unknown> = {}): KerasLayer => ({
  name, class_name: className, config: { name, ...config }, inbound_nodes: from.length ? [from.map((f) => [f, 0, 0, {}])] : [],
});
const w = (shape: number[], values: number[]): Weight => ({ shape, values: Float32Array.from(values) });

// A 1×1 convolution from 2 channels to 2, then a batch norm, then a consumer.
const layers = [
  layer('input', 'InputLayer', []),
  layer('conv', 'Conv2D', ['input'], { use_bias: false, activation: 'linear' }),
  layer('bn', 'BatchNormalization', ['conv'], { axis: -1, epsilon: 0.001, center: true, scale: true }),
  layer('relu', 'ReLU', ['bn']),
];
const weights = new Map<string, Weight>([
  ['conv/kernel', w([1, 1, 2, 2], [1, 2, 3, 4])], // [in][out]: out0 = 1·a + 3·b, out1 = 2·a + 4·b
  ['bn/gamma', w([2], [2, 0.5])],
  ['bn/beta', w([2], [0.1, -0.2])],
  ['bn/moving_mean', w([2], [1, -1])],
  ['bn/moving_variance', w([2], [4, 0.25])],
]);

function convThenNorm(a: number, b: number): number[] {
  const raw = [1 * a + 3 * b, 2 * a + 4 * b];
  const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => weights.get(`bn/${p}`)?.values ?? new Float32Array(2));
  return raw.map((v, c) => gamma[c] * (v - mean[c]) / Math.sqrt(variance[c] + 0.001) + beta[c]);
}

describe('folding batch norms into convolutions', () => {
  it('gives the same outputs as the convolution followed by its batch norm', () => {
    const folded = foldBatchNorms(layers, weights);
    const kernel = folded.weights.get('conv/kernel')?.values ?? new Float32Array(4);
    const bias = folded.weights.get('conv/bias')?.values ?? new Float32Array(2);
    for (const [a, b] of [[0, 0], [1, -2], [0.5, 3]]) {
      const out = [0, 1].map((c) => kernel[c] * a + kernel[2 + c] * b + bias[c]);
      out.forEach((v, c) => expect(v).toBeCloseTo(convThenNorm(a, b)[c], 5));
    }
  });

  it('removes the batch norm, gives the convolution a bias and rewires its consumers', () => {
    const folded = foldBatchNorms(layers, weights);
    expect(folded.layers.map((l) => l.name)).toEqual(['input', 'conv', 'relu']);
    expect(folded.layers[1].config.use_bias).toBe(true);
    expect(folded.layers[2].inbound_nodes[0][0][0]).toBe('conv');
    expect([...folded.weights.keys()].filter((k) => k.startsWith('bn/'))).toEqual([]);
  });

  it('leaves a batch norm alone when its convolution also feeds another layer', () => {
    const branched = [...layers, layer('other', 'ReLU', ['conv'])];
    const folded = foldBatchNorms(branched, weights);
    expect(folded.layers.map((l) => l.name)).toContain('bn');
    expect(folded.weights.get('conv/kernel')?.values).toEqual(weights.get('conv/kernel')?.values);
  });
});
