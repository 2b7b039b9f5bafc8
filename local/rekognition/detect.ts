import { INPUT_SIZE, loadCenterNet } from './centernet-model.ts';
import { needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from './postprocess.ts';
import { toModelInput } from './preprocess.ts';
import { toDetectLabelsResponse, type ResponseOptions, type ScoredDetection } from './to-response.ts';
import type { DetectLabelsResponse } from './types.ts';

export interface DetectorOptions {
  /** Zoomed-out second look when an animal is seen (default on; see postprocess.ts). */
  secondLook?: boolean;
}

export interface Detector {
  detectObjects(bytes: Uint8Array): Promise<ScoredDetection[]>;
  detectLabels(bytes: Uint8Array, options: ResponseOptions): Promise<DetectLabelsResponse>;
  dispose(): void;
}

/**
 * The whole labelling pipeline for one thread: decode, letterbox, run CenterNet, post-process.
 * Horizontal-flip test-time augmentation was measured and left out: no gain for twice the time.
 */
export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const model = await loadCenterNet();
  const secondLook = options.secondLook ?? true;

  const detectObjects = async (bytes: Uint8Array): Promise<ScoredDetection[]> => {
    const { views: [main, zoomedOut] } = await toModelInput(bytes, INPUT_SIZE, secondLook ? [1, SECOND_LOOK_FILL] : [1]);
    const passes: Pass[] = [{ rows: await model.run(main.pixels), letterbox: main.letterbox, flipped: false }];
    const firstLook = postprocess(passes);
    if (!zoomedOut || !needsSecondLook(firstLook)) return firstLook;
    passes.push({ rows: await model.run(zoomedOut.pixels), letterbox: zoomedOut.letterbox, flipped: false });
    return postprocess(passes);
  };

  return {
    detectObjects,
    async detectLabels(bytes, responseOptions) {
      return toDetectLabelsResponse(await detectObjects(bytes), responseOptions);
    },
    dispose: () => model.dispose(),
  };
}
