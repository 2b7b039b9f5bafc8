import { colourSamples, imageProperties, instanceColours, type Raster } from './image-properties.ts';
import { passesFilters, type ResolvedOptions } from './request-options.ts';
import type { SceneLabel } from './scene-labels.ts';
import { ancestorsOf, COCO_CLASSES, labelInfo } from './taxonomy.ts';
import type { DetectLabelsResponse, Label, LabelInstance } from './types.ts';

export const LABEL_MODEL_VERSION = 'local-centernet-2.0';

/** A detection after calibration: confidence is on Rekognition's 0..100 scale. */
export interface ScoredDetection {
  classIndex: number;
  /** Set when the detector could not tell look-alikes apart: their common parent (Mammal, Fruit). */
  name?: string;
  confidence: number;
  box: LabelInstance['BoundingBox'];
}

export interface ResponseOptions extends Partial<ResolvedOptions> { minConfidence: number; maxLabels?: number }

const round = (v: number, digits: number): number => Number(v.toFixed(digits));
// Objects at least this confident make the foreground of ImageProperties.
const FOREGROUND_CONFIDENCE = 50;

/**
 * Builds Rekognition's answer: one label per class holding all its instances, scene labels
 * without instances, each parent label added with the highest confidence among its children;
 * labels at or above MinConfidence that pass the request's filters, sorted by confidence (detected
 * labels before parents on ties), cut at MaxLabels; ImageProperties when asked for.
 */
export function toDetectLabelsResponse(
  detections: readonly ScoredDetection[],
  options: ResponseOptions,
  scenes: readonly SceneLabel[] = [],
  raster?: Raster,
): DetectLabelsResponse {
  const wantProperties = options.imageProperties === true && raster !== undefined;
  const maxColours = options.maxDominantColors ?? 10;
  const samples = wantProperties ? colourSamples(raster) : undefined;
  const byName = new Map<string, { confidence: number; instances: LabelInstance[]; detected: boolean }>();
  const entry = (name: string, detected: boolean) => {
    let e = byName.get(name);
    if (!e) byName.set(name, (e = { confidence: 0, instances: [], detected }));
    e.detected ||= detected;
    return e;
  };
  const add = (name: string, confidence: number, instance?: LabelInstance) => {
    const leaf = entry(name, true);
    leaf.confidence = Math.max(leaf.confidence, confidence);
    if (instance) leaf.instances.push(instance);
    for (const parent of ancestorsOf(name)) {
      const e = entry(parent, false);
      e.confidence = Math.max(e.confidence, confidence);
    }
  };
  for (const d of detections) {
    if (d.confidence < options.minConfidence) continue;
    const instance: LabelInstance = { BoundingBox: { ...d.box }, Confidence: round(d.confidence, 3) };
    if (samples) instance.DominantColors = instanceColours(samples, d.box, maxColours);
    // A parent answer (Mammal for "cat or dog") claims the object without naming a species.
    add(d.name ?? COCO_CLASSES[d.classIndex].name, d.confidence, instance);
  }
  for (const s of scenes) if (s.confidence >= options.minConfidence) add(s.name, s.confidence);

  const labels: Array<Label & { detected: boolean }> = [];
  if (options.generalLabels !== false) {
    for (const [name, e] of byName) {
      const info = labelInfo(name);
      const categories = info?.categories ?? [];
      if (options.filters && !passesFilters(name, categories, options.filters)) continue;
      labels.push({
        Name: name,
        Confidence: round(e.confidence, 3),
        Instances: e.instances.sort((a, b) => b.Confidence - a.Confidence),
        Parents: ancestorsOf(name).map((Name) => ({ Name })),
        Aliases: (info?.aliases ?? []).map((Name) => ({ Name })),
        Categories: categories.map((Name) => ({ Name })),
        detected: e.detected,
      });
    }
  }
  labels.sort((a, b) => b.Confidence - a.Confidence || Number(b.detected) - Number(a.detected) || a.Name.localeCompare(b.Name));
  const limited = options.maxLabels === undefined ? labels : labels.slice(0, options.maxLabels);
  const response: DetectLabelsResponse = {
    Labels: limited.map(({ detected: _detected, ...label }) => label),
    LabelModelVersion: LABEL_MODEL_VERSION,
  };
  if (wantProperties) {
    const foreground = detections.filter((d) => d.confidence >= FOREGROUND_CONFIDENCE).map((d) => d.box);
    response.ImageProperties = imageProperties(raster, foreground, maxColours, samples);
  }
  return response;
}
