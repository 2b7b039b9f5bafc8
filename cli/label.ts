// `image-labels label`: labels files through the API, several at a time, with a progress bar per file (on a terminal,
// while it runs, and a line per finished file), then a summary. Every file counts: the command succeeds only when every
// file ends LABELLED.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { ImageLabelsError, type ImageBlob, type ImageLabelsClient, type LabelImageProgress } from '@image-labels/client';
import { formatSeconds, outcome } from './format.ts';

export interface LabelOptions {
  minConfidence?: number;
  maxLabels?: number;
  callbackUrl?: string;
  concurrency: number;
  signal: AbortSignal;
}

export interface FileResult {
  file: string;
  blob: ImageBlob | null;
  /** Why there is no blob in a final state (refused before the upload, cancelled, a network failure). */
  error: ImageLabelsError | null;
}

/** What a file's bar shows. */
export function phaseText(progress: LabelImageProgress): string {
  switch (progress.phase) {
    case 'creating':
      return 'creating';
    case 'subscribing':
      return 'subscribing';
    case 'uploading':
      return 'uploading';
    case 'processing':
      return 'labelling';
    case 'reconnecting':
      return `reconnecting (${progress.error.code})`;
    case 'done':
      return progress.blob.status;
  }
}

export function succeeded(results: readonly FileResult[]): boolean {
  return results.length > 0 && results.every((result) => result.blob?.status === 'LABELLED');
}

/** "3 files in 4.2 s: 2 LABELLED, 1 REJECTED". */
export function summary(results: readonly FileResult[], elapsedMs: number): string {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key = result.blob?.status ?? result.error?.code ?? 'Error';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, count]) => `${count} ${key}`);
  return `${results.length} file${results.length === 1 ? '' : 's'} in ${formatSeconds(elapsedMs)}: ${parts.join(', ')}`;
}

function toError(error: unknown): ImageLabelsError {
  if (error instanceof ImageLabelsError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new ImageLabelsError('Input', 'Cancelled', 'Cancelled');
  return new ImageLabelsError('Input', error instanceof Error && 'code' in error ? String(error.code) : 'Error',
    error instanceof Error ? error.message : String(error));
}

interface Display {
  start(file: string, total: number): void;
  update(file: string, progress: LabelImageProgress): void;
  finish(file: string, line: string): void;
  stop(): void;
}

/** Bars on a terminal; otherwise one line per finished file. */
function display(files: readonly string[], stream: NodeJS.WriteStream): Display {
  const width = Math.min(32, Math.max(...files.map((file) => basename(file).length)));
  const name = (file: string) => basename(file).slice(0, width).padEnd(width);
  if (!stream.isTTY) {
    return {
      start: () => undefined,
      update: () => undefined,
      finish: (file, line) => stream.write(`${name(file)}  ${line}\n`),
      stop: () => undefined,
    };
  }
  const multibar = new cliProgress.MultiBar({
    stream,
    format: '{file} |{bar}| {percentage}% {phase}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    stopOnComplete: false,
    autopadding: true,
  }, cliProgress.Presets.shades_classic);
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    start(file, total) {
      bars.set(file, multibar.create(Math.max(total, 1), 0, { file: name(file), phase: 'starting' }));
    },
    update(file, progress) {
      const bar = bars.get(file);
      if (!bar) return;
      if (progress.phase === 'uploading') bar.update(progress.loaded, { phase: phaseText(progress) });
      else if (progress.phase === 'creating') bar.setTotal(Math.max(progress.total, 1));
      else bar.update({ phase: phaseText(progress) });
    },
    // A finished file leaves its bar for a line above the bars still running: the screen holds what is in flight.
    finish(file, line) {
      const bar = bars.get(file);
      if (bar) multibar.remove(bar);
      bars.delete(file);
      multibar.log(`${name(file)}  ${line}\n`);
    },
    stop: () => multibar.stop(),
  };
}

export async function labelFiles(
  client: ImageLabelsClient,
  files: readonly string[],
  options: LabelOptions,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const view = display(files, stream);
  let next = 0;

  const labelOne = async (file: string): Promise<FileResult> => {
    view.start(file, 0);
    try {
      options.signal.throwIfAborted();
      const image = await readFile(file);
      const blob = await client.labelImage(image, {
        signal: options.signal,
        minConfidence: options.minConfidence,
        maxLabels: options.maxLabels,
        callbackUrl: options.callbackUrl,
        onProgress: (progress) => view.update(file, progress),
      });
      view.finish(file, outcome(blob));
      return { file, blob, error: null };
    } catch (caught) {
      const error = toError(caught);
      view.finish(file, `${error.code}: ${error.message}`);
      return { file, blob: null, error };
    }
  };

  const worker = async () => {
    while (next < files.length) {
      const index = next;
      next += 1;
      results[index] = await labelOne(files[index]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  } finally {
    view.stop();
  }
  return results;
}
