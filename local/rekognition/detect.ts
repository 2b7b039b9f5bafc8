import { INPUT_SIZE, loadCenterNet } from './centernet-model.ts';
import { flipHorizontally } from './letterbox.ts';
import { postprocess, type Pass } from './postprocess.ts';
import { toModelInput } from './preprocess.ts';
import { toDetectLabelsResponse, type ResponseOptions, type ScoredDetection } from './to-response.ts';
import type { DetectLabelsResponse } from './types.ts';

export interface DetectorOptions {
  /**
   * Also run the mirrored image and fuse both passes. Measured: no gain in ranking quality on
   * our images for twice the time (docs/labeller.md), so it is off by default.
   */
  flipTta?: boolean;
}

export interface Detector {
  detectObjects(bytes: Uint8Array): Promise<ScoredDetection[]>;
  detectLabels(bytes: Uint8Array, options: ResponseOptions): Promise<DetectLabelsResponse>;
  dispose(): void;
}

/** The whole labelling pipeline for one thread: decode, letterbox, run CenterNet, post-process. */
export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const model = await loadCenterNet();
  const detectObjects = async (bytes: Uint8Array): Promise<ScoredDetection[]> => {
    const input = await toModelInput(bytes, INPUT_SIZE);
    const passes: Pass[] = [{ rows: await model.run(input.pixels), flipped: false }];
    if (options.flipTta) passes.push({ rows: await model.run(flipHorizontally(input.pixels, INPUT_SIZE)), flipped: true });
    return postprocess(passes, input.letterbox);
  };
  return {
    detectObjects,
    async detectLabels(bytes, responseOptions) {
      return toDetectLabelsResponse(await detectObjects(bytes), responseOptions);
    },
    dispose: () => model.dispose(),
  };
}
