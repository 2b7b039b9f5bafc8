import { ancestorsOf, COCO_CLASSES, labelInfo } from './taxonomy.ts';
import type { DetectLabelsResponse, Label, LabelInstance } from './types.ts';

export const LABEL_MODEL_VERSION = 'local-centernet-1.0';

/** A detection after calibration: confidence is on Rekognition's 0..100 scale. */
export interface ScoredDetection {
  classIndex: number;
  confidence: number;
  box: LabelInstance['BoundingBox'];
}

export interface ResponseOptions { minConfidence: number; maxLabels?: number }

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/**
 * Builds Rekognition's answer: one label per class holding all its instances, each parent
 * label added with the highest confidence among its children, labels at or above
 * MinConfidence sorted by confidence (detected labels before parents on ties), cut at MaxLabels.
 */
export function toDetectLabelsResponse(detections: readonly ScoredDetection[], options: ResponseOptions): DetectLabelsResponse {
  const byName = new Map<string, { confidence: number; instances: LabelInstance[]; detected: boolean }>();
  const entry = (name: string, detected: boolean) => {
    let e = byName.get(name);
    if (!e) byName.set(name, (e = { confidence: 0, instances: [], detected }));
    e.detected ||= detected;
    return e;
  };
  for (const d of detections) {
    if (d.confidence < options.minConfidence) continue;
    const name = COCO_CLASSES[d.classIndex].name;
    const leaf = entry(name, true);
    leaf.confidence = Math.max(leaf.confidence, d.confidence);
    leaf.instances.push({ BoundingBox: { ...d.box }, Confidence: round(d.confidence, 3) });
    for (const parent of ancestorsOf(name)) {
      const e = entry(parent, false);
      e.confidence = Math.max(e.confidence, d.confidence);
    }
  }
  const labels: Array<Label & { detected: boolean }> = [...byName.entries()].map(([name, e]) => {
    const info = labelInfo(name);
    return {
      Name: name,
      Confidence: round(e.confidence, 3),
      Instances: e.instances.sort((a, b) => b.Confidence - a.Confidence),
      Parents: ancestorsOf(name).map((Name) => ({ Name })),
      Aliases: (info?.aliases ?? []).map((Name) => ({ Name })),
      Categories: (info?.categories ?? []).map((Name) => ({ Name })),
      detected: e.detected,
    };
  });
  labels.sort((a, b) => b.Confidence - a.Confidence || Number(b.detected) - Number(a.detected) || a.Name.localeCompare(b.Name));
  const limited = options.maxLabels === undefined ? labels : labels.slice(0, options.maxLabels);
  return { Labels: limited.map(({ detected: _detected, ...label }) => label), LabelModelVersion: LABEL_MODEL_VERSION };
}
