import { INPUT_SIZE, loadCenterNet } from './centernet-model.ts';
import { DRAWING_INPUT_SIZE, loadDrawingModel } from './drawing-model.ts';
import { needsSecondLook, postprocess, SECOND_LOOK_FILL, type Pass } from './postprocess.ts';
import { letterboxView, resizeRaster, toModelInput } from './preprocess.ts';
import {
  drawingClassifierCanMatter, pixelStats, sceneLabels, type SceneLabel, type SceneSignals, type SignalsBeforeDrawing,
} from './scene-labels.ts';
import { loadTextModel, textInputSize } from './text-model.ts';
import { toDetectLabelsResponse, type ResponseOptions, type ScoredDetection } from './to-response.ts';
import type { DetectLabelsResponse } from './types.ts';

export interface DetectorOptions {
  /** Zoomed-out second look for animals and large boxes (default on; see postprocess.ts). */
  secondLook?: boolean;
  /** Scene and concept labels from the drawing and text models (default on; see scene-labels.ts). */
  scenes?: boolean;
}

export interface Analysis { objects: ScoredDetection[]; scenes: SceneLabel[]; signals?: SceneSignals; passes: number }

export interface Detector {
  detectObjects(bytes: Uint8Array): Promise<ScoredDetection[]>;
  analyse(bytes: Uint8Array): Promise<Analysis>;
  detectLabels(bytes: Uint8Array, options: ResponseOptions): Promise<DetectLabelsResponse>;
  dispose(): void;
}

/**
 * The whole labelling pipeline for one thread: decode, letterbox, run CenterNet (and a second,
 * zoomed-out look when it helps), read scene signals, post-process. Horizontal-flip test-time
 * augmentation was measured and left out: no gain for twice the time.
 */
export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const model = await loadCenterNet();
  const secondLook = options.secondLook ?? true;
  const withScenes = options.scenes ?? true;
  const drawingModel = withScenes ? await loadDrawingModel() : undefined;
  const textModel = withScenes ? await loadTextModel() : undefined;

  const analyse = async (bytes: Uint8Array, scenes = withScenes) => {
    const input = await toModelInput(bytes, INPUT_SIZE);
    const [main] = input.views;
    const passes: Pass[] = [{ rows: await model.run(main.pixels), letterbox: main.letterbox, flipped: false }];
    let objects = postprocess(passes);
    const second = secondLook ? needsSecondLook(objects) : undefined;
    if (second) {
      const zoomedOut = await letterboxView(input.raster, input.width, input.height, INPUT_SIZE, SECOND_LOOK_FILL);
      passes.push({ rows: await model.run(zoomedOut.pixels), letterbox: zoomedOut.letterbox, flipped: false });
      objects = postprocess(passes, 'max', second.trustFirst);
    }
    if (!scenes || !drawingModel || !textModel) return { objects, scenes: [], passes: passes.length, raster: input.raster };
    const size = textInputSize(input.raster.width, input.raster.height);
    const text = await textModel.run(await resizeRaster(input.raster, size.width, size.height), size.width, size.height);
    const before: SignalsBeforeDrawing = { textArea: text.area, textRegions: text.count, stats: pixelStats(input.raster) };
    // The drawing classifier costs a third of a CenterNet pass: run only where its answer can count (not on photographs).
    const drawing = drawingClassifierCanMatter(before)
      ? await drawingModel.run(await resizeRaster(input.raster, DRAWING_INPUT_SIZE, DRAWING_INPUT_SIZE))
      : 0;
    const signals: SceneSignals = { drawing, ...before };
    return { objects, scenes: sceneLabels(signals, objects), signals, passes: passes.length, raster: input.raster };
  };

  return {
    detectObjects: async (bytes) => (await analyse(bytes, false)).objects,
    analyse: async (bytes) => {
      const { raster: _raster, ...analysis } = await analyse(bytes);
      return analysis;
    },
    async detectLabels(bytes, responseOptions) {
      const { objects, scenes, raster } = await analyse(bytes);
      return toDetectLabelsResponse(objects, responseOptions, scenes, raster);
    },
    dispose: () => {
      model.dispose();
      drawingModel?.dispose();
      void textModel?.dispose();
    },
  };
}
