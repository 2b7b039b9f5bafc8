// Rekognition's DetectLabels labels → the schema's Label, keeping all of Rekognition's detail.
import type { Label as RekognitionLabel } from '@aws-sdk/client-rekognition';
import type { BoundingBox, Label, LabelInstance } from '../../generated/graphql.ts';

export function toLabel(label: RekognitionLabel): Label {
  return {
    name: label.Name ?? '',
    confidence: label.Confidence ?? 0,
    parents: names(label.Parents),
    aliases: names(label.Aliases),
    categories: names(label.Categories),
    instances: (label.Instances ?? []).flatMap((instance): LabelInstance[] =>
      instance.BoundingBox === undefined
        ? []
        : [{ confidence: instance.Confidence ?? 0, boundingBox: toBoundingBox(instance.BoundingBox) }],
    ),
  };
}

/** Labels without a name carry nothing a client could use: they are dropped. */
export function toLabels(labels: readonly RekognitionLabel[] | undefined): Label[] {
  return (labels ?? []).filter((label) => Boolean(label.Name)).map(toLabel);
}

function toBoundingBox(box: { Left?: number; Top?: number; Width?: number; Height?: number }): BoundingBox {
  return { left: box.Left ?? 0, top: box.Top ?? 0, width: box.Width ?? 0, height: box.Height ?? 0 };
}

function names(items: ReadonlyArray<{ Name?: string }> | undefined): string[] {
  return (items ?? []).flatMap((item) => (item.Name ? [item.Name] : []));
}
