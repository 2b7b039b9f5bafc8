import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatLabelsTable } from './format-table.ts';
import { createLabeller, RekognitionError, type DetectLabelsResponse, type Feature } from './labeller.ts';

const USAGE = `Usage: detect-labels-local detect-labels <image|folder>... [options]

Labels JPEG and PNG images offline, as Rekognition's DetectLabels would. A folder stands for the
.jpg, .jpeg and .png files directly inside it. Many images share one model load and a pool of workers.
  --json                 print Rekognition's JSON response (one line per image when there are several)
  --min-confidence N     0..100, default 55
  --max-labels N         keep the N most confident labels
  --image-properties     add ImageProperties (quality, dominant colours, foreground and background)
  --workers N            worker threads, each with its own model; default: one per core, at most one per image`;

const IMAGE = /\.(jpe?g|png)$/i;

/** Files named on the command line, folders expanded to the images directly inside them, in order. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const names = (await readdir(input)).filter((name) => IMAGE.test(name)).sort();
    files.push(...names.map((name) => path.join(input, name)));
  }
  return files;
}

const positiveInteger = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--workers must be a positive integer, got ${v}`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  let parsed;
  let workersOption: number | undefined;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'min-confidence': { type: 'string' },
        'max-labels': { type: 'string' },
        'image-properties': { type: 'boolean', default: false },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    workersOption = positiveInteger(parsed.values.workers);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...inputs] = positionals;
  if (command !== 'detect-labels' || inputs.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let files: string[];
  try {
    files = await expandInputs(inputs);
  } catch (error) {
    console.error(`Cannot read ${(error as NodeJS.ErrnoException).path ?? 'input'}: ${(error as Error).message}`);
    return 1;
  }
  if (files.length === 0) {
    console.error(`No .jpg, .jpeg or .png files in ${inputs.join(', ')}`);
    return 1;
  }
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const features: Feature[] = values['image-properties'] ? ['GENERAL_LABELS', 'IMAGE_PROPERTIES'] : ['GENERAL_LABELS'];
  // No more workers than images: each one loads its own model.
  const workers = Math.min(files.length, workersOption ?? availableParallelism());
  const labeller = createLabeller({ workers, queueLimit: files.length });
  const several = files.length > 1;
  let failed = 0;
  try {
    // Every image is queued at once, each outcome settled at once (a rejection waiting for its turn to
    // be printed is not an unhandled one); answers are printed in the order the files were given.
    const outcomes = files.map(async (file): Promise<{ response: DetectLabelsResponse } | { error: unknown }> => {
      try {
        return {
          response: await labeller.detectLabels({
            bytes: new Uint8Array(await readFile(file)),
            minConfidence: number(values['min-confidence']),
            maxLabels: number(values['max-labels']),
            features,
          }),
        };
      } catch (error) {
        return { error };
      }
    });
    for (const [i, file] of files.entries()) {
      const outcome = await outcomes[i];
      if ('response' in outcome) {
        const { response } = outcome;
        if (values.json) console.log(several ? JSON.stringify({ file, ...response }) : JSON.stringify(response, null, 2));
        else console.log(several ? `== ${file}\n${formatLabelsTable(response)}\n` : formatLabelsTable(response));
        continue;
      }
      const { error } = outcome;
      if (!(error instanceof RekognitionError) && !(error as NodeJS.ErrnoException).code) throw error;
      failed++;
      const name = error instanceof RekognitionError ? error.name : 'Error';
      console.error(`${several ? `${file}: ` : ''}${name}: ${(error as Error).message}`);
    }
  } finally {
    await labeller.close();
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
