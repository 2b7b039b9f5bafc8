import { validateRequest } from './limits.ts';
import { WorkerPool } from './pool.ts';
import { resolveOptions } from './request-options.ts';
import type { DetectLabelsInput, DetectLabelsResponse, Labeller } from './types.ts';
import { defaultWorkerCount } from './worker-count.ts';
import { workerScriptUrl } from './worker-script.ts';

export { RekognitionError, type RekognitionErrorName } from './errors.ts';
export type {
  BoundingBox, DetectLabelsInput, DetectLabelsResponse, DetectLabelsSettings, DominantColor, Feature, ImageProperties, Label, LabelInstance, Labeller,
} from './types.ts';

export interface LabellerOptions {
  /** Worker threads, each with its own copy of the models. Default: one per core, as memory allows (worker-count.ts). */
  workers?: number;
  /** Images allowed to wait for a free worker before requests are throttled. Default 64. */
  queueLimit?: number;
}

export const DEFAULT_QUEUE_LIMIT = 64;

/**
 * A local stand-in for Rekognition's DetectLabels, backed by models that ship inside npm
 * packages: a COCO-80 CenterNet detector, a drawing classifier and a text detector. Labelling runs in worker threads at a
 * lower priority (thread-priority.ts), so the caller's event loop (GraphQL, WebSocket servers) stays free and gets
 * a core first while images are processed.
 */
export function createLabeller(options: LabellerOptions = {}): Labeller {
  const pool = new WorkerPool({
    size: Math.max(1, options.workers ?? defaultWorkerCount()),
    queueLimit: Math.max(0, options.queueLimit ?? DEFAULT_QUEUE_LIMIT),
    script: workerScriptUrl,
  });
  return {
    async detectLabels(input: DetectLabelsInput): Promise<DetectLabelsResponse> {
      const { minConfidence, maxLabels } = validateRequest(input);
      const options = resolveOptions(input.features, input.settings);
      return pool.run({ bytes: input.bytes, minConfidence, maxLabels, options });
    },
    close: () => pool.close(),
  };
}
