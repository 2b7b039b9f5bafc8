/**
 * Folds each Keras BatchNormalization layer into the convolution before it: at inference a batch norm is a per-channel
 * scale and shift, which the convolution's kernel and a bias can carry. On the WASM backend the 52 separate batch
 * norms of nsfwjs's MobileNetV2 take about as long as its convolutions. Pure: topology and weights in, the same out.
 */
export type InboundNode = Array<[string, number, number, Record<string, unknown>?]>;
export interface KerasLayer { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: InboundNode[] }
export interface Weight { shape: number[]; values: Float32Array }

const FOLDABLE = new Set(['Conv2D', 'DepthwiseConv2D']);

/** Returns the layers without foldable batch norms, and the weights with the folded kernels and new biases. */
export function foldBatchNorms(layers: readonly KerasLayer[], weights: ReadonlyMap<string, Weight>): { layers: KerasLayer[]; weights: Map<string, Weight> } {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, number>();
  for (const l of layers) for (const node of l.inbound_nodes) for (const [from] of node) consumers.set(from, (consumers.get(from) ?? 0) + 1);
  const out = new Map(weights);
  const replacedBy = new Map<string, string>();
  for (const bn of layers) {
    if (bn.class_name !== 'BatchNormalization' || bn.inbound_nodes.length !== 1 || bn.inbound_nodes[0].length !== 1) continue;
    const conv = byName.get(bn.inbound_nodes[0][0][0]);
    // Only a linear convolution without a bias that feeds this batch norm alone can absorb it unchanged.
    if (!conv || !FOLDABLE.has(conv.class_name) || consumers.get(conv.name) !== 1 || conv.config.use_bias !== false) continue;
    if (conv.config.activation !== 'linear' || (bn.config.axis !== -1 && bn.config.axis !== 3)) continue;
    const kernelName = `${conv.name}/${conv.class_name === 'Conv2D' ? 'kernel' : 'depthwise_kernel'}`;
    const kernel = weights.get(kernelName);
    const get = (part: string) => weights.get(`${bn.name}/${part}`)?.values;
    const [gamma, beta, mean, variance] = [get('gamma'), get('beta'), get('moving_mean'), get('moving_variance')];
    if (!kernel || !mean || !variance) continue;
    const channels = mean.length;
    const epsilon = typeof bn.config.epsilon === 'number' ? bn.config.epsilon : 1e-3;
    const scale = Float32Array.from(mean, (_, c) => (bn.config.scale === false || !gamma ? 1 : gamma[c]) / Math.sqrt(variance[c] + epsilon));
    const bias = Float32Array.from(mean, (m, c) => (bn.config.center === false || !beta ? 0 : beta[c]) - m * scale[c]);
    // Kernels are [h, w, in, out] (Conv2D) or [h, w, in, multiplier] (depthwise, channel = in × multiplier + m): in both,
    // the output channel is the index modulo the channel count.
    if (kernel.values.length % channels !== 0) continue;
    const folded = Float32Array.from(kernel.values, (v, i) => v * scale[i % channels]);
    out.set(kernelName, { shape: kernel.shape, values: folded });
    out.set(`${conv.name}/bias`, { shape: [channels], values: bias });
    for (const part of ['gamma', 'beta', 'moving_mean', 'moving_variance']) out.delete(`${bn.name}/${part}`);
    replacedBy.set(bn.name, conv.name);
  }
  const kept = layers.filter((l) => !replacedBy.has(l.name)).map((l) => {
    const folded = [...replacedBy.values()].includes(l.name);
    return {
      ...l,
      config: folded ? { ...l.config, use_bias: true } : l.config,
      inbound_nodes: l.inbound_nodes.map((node) => node.map(([from, ...rest]) => [replacedBy.get(from) ?? from, ...rest] as InboundNode[number])),
    };
  });
  return { layers: kept, weights: out };
}
