// Writes amplify_outputs.json for a deployed stack, from the outputs `cdk deploy` saved:
//   npx cdk deploy -c stage=dev --outputs-file cdk-outputs.json
//   npm run amplify-outputs -- cdk-outputs.json [--stack ImageLabels-dev] [--out amplify_outputs.json]
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AMPLIFY_OUTPUTS_FILE, amplifyOutputs, clientSettingsFromStackOutputs, type StackOutputs } from '../infra/amplify-outputs.ts';

const USAGE = 'usage: npm run amplify-outputs -- <cdk outputs file> [--stack ImageLabels-<stage>] [--out amplify_outputs.json]\n';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { stack: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const file = JSON.parse(await readFile(positionals[0], 'utf8')) as Record<string, StackOutputs>;
  const outputs = amplifyOutputs(clientSettingsFromStackOutputs(file, values.stack));
  const target = values.out ?? AMPLIFY_OUTPUTS_FILE;
  await writeFile(target, `${JSON.stringify(outputs, null, 2)}\n`);
  process.stdout.write(`wrote ${target} (API ${outputs.data.url}, user pool ${outputs.auth.user_pool_id})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
