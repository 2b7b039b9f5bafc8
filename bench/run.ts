// `npm run bench`: every benchmark, one after the other so they do not compete for the two cores.
// Each writes its JSON into bench/results/; BENCHMARKS.md summarises them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const benchmarks: Array<{ name: string; script: string; args?: string[] }> = [
  { name: 'Lambda bundle sizes', script: 'scripts/measure-bundles.ts' },
  { name: 'cold import of each deployed bundle, with and without source maps', script: 'bench/cold-import.ts' },
  { name: 'blob(id): local cloud, amplify-appsync-simulator, plain graphql-js', script: 'bench/api.ts' },
  { name: 'realtime fan-out to 1,000 subscribers', script: 'bench/realtime.ts' },
  { name: 'end-to-end uploads, and createBlob while the labeller is saturated', script: 'bench/uploads.ts' },
  { name: 'local labeller', script: 'bench/labeller.ts', args: ['--rounds', '5'] },
  { name: 'local cloud start and idle memory', script: 'bench/local-cloud.ts' },
  { name: 'a burst of 1,000 uploads against a Rekognition quota of 5 TPS', script: 'bench/burst.ts' },
];

// The local cloud's benchmarks start it in their own processes, which need the resolver bundles and codegen
// outputs that `npm start` builds first.
const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error(`the build failed with exit code ${build.status}`);
  process.exit(1);
}

let failed = 0;
for (const benchmark of benchmarks) {
  console.log(`\n== ${benchmark.name} (${benchmark.script})`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', benchmark.script, ...(benchmark.args ?? [])], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (result.status !== 0) {
    console.error(`${benchmark.name} failed with exit code ${result.status}`);
    failed += 1;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
