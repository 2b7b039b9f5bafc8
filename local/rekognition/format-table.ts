import type { DetectLabelsResponse } from './types.ts';

/** Renders labels as an aligned text table for a terminal. */
export function formatLabelsTable(response: DetectLabelsResponse): string {
  if (response.Labels.length === 0) return `No labels at this confidence (model ${response.LabelModelVersion}).`;
  const rows = response.Labels.map((label) => [
    label.Name,
    label.Confidence.toFixed(1),
    String(label.Instances.length),
    label.Parents.map((p) => p.Name).join(', '),
    label.Categories.map((c) => c.Name).join(', '),
  ]);
  const header = ['Label', 'Confidence', 'Instances', 'Parents', 'Categories'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
