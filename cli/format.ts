// How the CLI writes blobs for people (the --json output is the blobs themselves).
import type { ImageBlob } from '@image-labels/client';

export function topLabels(blob: ImageBlob, count = 5): string {
  const labels = (blob.labels ?? []).slice(0, count).map((label) => `${label.name} ${label.confidence.toFixed(1)}%`);
  return labels.join(', ');
}

/** One line: status, then the labels or the error. */
export function outcome(blob: ImageBlob): string {
  if (blob.status === 'LABELLED') return `LABELLED  ${topLabels(blob) || '(no label reached the minimum confidence)'}`;
  if (blob.error) return `${blob.status}  ${blob.error.code}: ${blob.error.message}`;
  return blob.status;
}

/** Every field a person wants to see, one per line. */
export function describeBlob(blob: ImageBlob): string {
  const rows: Array<[string, string | null]> = [
    ['id', blob.id],
    ['status', blob.status],
    ['content type', blob.contentType],
    ['size', blob.size === null ? null : `${blob.size} bytes`],
    ['options', `min confidence ${blob.minConfidence}, max labels ${blob.maxLabels}`],
    ['created', blob.createdAt],
    ['labelled', blob.labelledAt],
    ['error', blob.error ? `${blob.error.code}: ${blob.error.message}${blob.error.retryable ? ' (retryable)' : ''}` : null],
    ['callback', blob.callback ? `${blob.callback.url}: ${blob.callback.status}, ${blob.callback.attempts} attempt(s)` : null],
  ];
  const lines = rows.filter((row): row is [string, string] => row[1] !== null).map(([name, value]) => `${name.padEnd(13)}${value}`);
  for (const label of blob.labels ?? []) {
    const parents = label.parents.length ? `  (${label.parents.join(', ')})` : '';
    const boxes = label.instances.length ? `  ${label.instances.length} box${label.instances.length === 1 ? '' : 'es'}` : '';
    lines.push(`  ${label.name.padEnd(24)}${label.confidence.toFixed(1).padStart(5)}%${boxes}${parents}`);
  }
  return lines.join('\n');
}

/** A table row of `list`. */
export function listRow(blob: ImageBlob): string {
  const detail = blob.status === 'LABELLED' ? topLabels(blob, 3) : blob.error?.code ?? '';
  return `${blob.id}  ${blob.status.padEnd(14)}  ${blob.createdAt}  ${detail}`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
