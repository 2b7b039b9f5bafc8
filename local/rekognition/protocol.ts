import type { RekognitionErrorName } from './errors.ts';
import type { ResolvedOptions } from './request-options.ts';
import type { DetectLabelsResponse } from './types.ts';

/** Messages between the pool (main thread) and a labelling worker. */
export interface JobRequest { id: number; bytes: Uint8Array; minConfidence: number; maxLabels?: number; options: ResolvedOptions }

export type WorkerMessage =
  | { type: 'ready'; loadMs: number }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; response: DetectLabelsResponse }
  | { type: 'error'; id: number; name: RekognitionErrorName; message: string };
