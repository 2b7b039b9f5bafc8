import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatLabelsTable } from './format-table.ts';
import { createLabeller, RekognitionError } from './labeller.ts';

const USAGE = `Usage: detect-labels-local detect-labels <image.jpg|png> [--json] [--min-confidence N] [--max-labels N]

Labels a JPEG or PNG offline, as Rekognition's DetectLabels would (COCO-80 objects).
  --json               print Rekognition's JSON response instead of a table
  --min-confidence N   0..100, default 55
  --max-labels N       keep the N most confident labels`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'min-confidence': { type: 'string' },
        'max-labels': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, file] = positionals;
  if (command !== 'detect-labels' || !file || positionals.length > 2) {
    console.error(USAGE);
    return 2;
  }
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  // One image needs one worker: do not start a model per core for it.
  const labeller = createLabeller({ workers: 1 });
  try {
    const response = await labeller.detectLabels({
      bytes, minConfidence: number(values['min-confidence']), maxLabels: number(values['max-labels']),
    });
    console.log(values.json ? JSON.stringify(response, null, 2) : formatLabelsTable(response));
    return 0;
  } catch (error) {
    if (!(error instanceof RekognitionError)) throw error;
    console.error(`${error.name}: ${error.message}`);
    return 1;
  } finally {
    await labeller.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
