// Bundles every Lambda handler (functions/*.ts) the way it ships — esbuild, ESM, minified, tree-shaken,
// platform node, target node24 — and reports the sizes three ways:
//   - "bundled": the AWS SDK inside the bundle (the version we test is the version that runs);
//   - "deployed": the same, less the credential providers Lambda never reaches (the SDK imports them only when
//     the environment credentials are missing): exactly what infra/constructs/functions.ts deploys;
//   - "sdkExternal": @aws-sdk/* left to the Node.js 22 runtime, which ships SDK v3 (CDK NodejsFunction's default).
// Each bundle is then imported once (with a placeholder environment) to prove it loads.
// Writes bench/results/bundles.json. Usage: tsx scripts/measure-bundles.ts [--no-load-check]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { PresignUploadRequest } from '../domain/lambda-payloads.ts';
import { FUNCTION_NAMES } from '../functions/manifest.ts';
import { UNUSED_CREDENTIAL_PROVIDERS } from '../infra/constructs/functions.ts';
import { BUNDLE_CHECK_ENVIRONMENT } from './bundle-environment.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'bundles');
const RESULT = join(ROOT, 'bench', 'results', 'bundles.json');
const TARGET_BYTES = 500 * 1024;
/** process-upload carries five clients (S3, DynamoDB, Rekognition, SQS, Secrets Manager) and the batch processor. */
const TARGET_BYTES_OF: Record<string, number> = { 'process-upload': 550 * 1024 };

/** ESM bundles of CommonJS packages still call require() for Node built-ins. */
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

type Variant = 'bundled' | 'deployed' | 'sdkExternal';

interface VariantSize {
  bytes: number;
  gzipBytes: number;
  /** The packages that weigh most in the minified output. */
  heaviest: Array<{ package: string; bytes: number }>;
}

interface FunctionSizes {
  name: string;
  entry: string;
  bundled: VariantSize;
  deployed: VariantSize;
  sdkExternal: VariantSize;
  targetBytes: number;
  underTarget: Record<Variant, boolean>;
  /** Every variant imports; the presign bundles also sign a URL with the environment's credentials. */
  loads: boolean | null;
}

/** The handler files of functions/manifest.ts. */
async function handlers(): Promise<string[]> {
  return FUNCTION_NAMES.map((name) => join(ROOT, 'functions', `${name}.ts`)).sort();
}

async function bundle(entry: string, variant: Variant): Promise<{ file: string; size: VariantSize }> {
  const name = basename(entry, '.ts');
  const file = join(OUT, variant, `${name}.mjs`);
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    legalComments: 'none',
    // Packages that publish a "module" build get tree-shaken ESM.
    mainFields: ['module', 'main'],
    external: { bundled: [], deployed: UNUSED_CREDENTIAL_PROVIDERS, sdkExternal: ['@aws-sdk/*'] }[variant],
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'error',
  });
  const code = await readFile(file);
  const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const packageName = packageOf(input);
    byPackage.set(packageName, (byPackage.get(packageName) ?? 0) + bytesInOutput);
  }
  const heaviest = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([packageName, bytes]) => ({ package: packageName, bytes }));
  return { file, size: { bytes: code.length, gzipBytes: gzipSync(code).length, heaviest } };
}

/** `node_modules/@aws-sdk/client-s3/dist-es/x.js` → `@aws-sdk/client-s3`; our own files → `(project)`. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.split('node_modules/').length > 2 ? input.slice(input.lastIndexOf('node_modules/')) : input);
  return match ? match[1] : '(project)';
}

/** Imports the bundle as the Lambda runtime would, with every variable the handlers may require set to a placeholder. */
async function loads(file: string): Promise<boolean> {
  for (const [name, value] of Object.entries(BUNDLE_CHECK_ENVIRONMENT)) {
    process.env[name] ??= value;
  }
  try {
    const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function') {
      return false;
    }
    if (basename(file) === 'presign-upload.mjs') {
      return await signs(module.handler as PresignHandler);
    }
    return true;
  } catch (error) {
    console.error(`${relative(ROOT, file)} does not load: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

type PresignHandler = (event: PresignUploadRequest, context: { awsRequestId: string }) => Promise<{ url: string }>;

/** The bundled presigner signs with the credentials of the environment, as it will in Lambda (no network needed). */
async function signs(handler: PresignHandler): Promise<boolean> {
  const signedAt = new Date();
  const { url } = await handler(
    {
      id: '01JBUNDLECHECK000000000000',
      contentType: 'image/jpeg',
      signedAt: signedAt.toISOString(),
      expiresAt: new Date(signedAt.getTime() + 60_000).toISOString(),
    },
    { awsRequestId: 'bundle-check' },
  );
  return new URL(url).searchParams.get('X-Amz-Credential')?.startsWith(`${process.env.AWS_ACCESS_KEY_ID}/`) ?? false;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  const checkLoading = !process.argv.includes('--no-load-check');
  await mkdir(OUT, { recursive: true });
  const results: FunctionSizes[] = [];
  for (const entry of await handlers()) {
    const bundled = await bundle(entry, 'bundled');
    const deployed = await bundle(entry, 'deployed');
    const external = await bundle(entry, 'sdkExternal');
    const target = TARGET_BYTES_OF[basename(entry, '.ts')] ?? TARGET_BYTES;
    results.push({
      name: basename(entry, '.ts'),
      entry: relative(ROOT, entry),
      bundled: bundled.size,
      deployed: deployed.size,
      sdkExternal: external.size,
      targetBytes: target,
      underTarget: {
        bundled: bundled.size.bytes < target,
        deployed: deployed.size.bytes < target,
        sdkExternal: external.size.bytes < target,
      },
      loads: checkLoading ? (await loads(bundled.file)) && (await loads(deployed.file)) : null,
    });
  }

  const report = {
    generatedAt: new Date().toISOString(),
    esbuild: esbuild.version,
    options: { format: 'esm', platform: 'node', target: 'node24', minify: true, treeShaking: true, sourcemap: 'linked, in a separate .map file (not counted)' },
    targetBytes: TARGET_BYTES,
    functions: results,
  };
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(RESULT, `${JSON.stringify(report, null, 2)}\n`);

  const cell = (size: VariantSize) => `${kb(size.bytes)} / ${kb(size.gzipBytes)}`.padEnd(24);
  console.log(`${'function'.padEnd(20)}${'SDK bundled'.padEnd(24)}${'deployed (see above)'.padEnd(24)}${'SDK external'.padEnd(24)}loads`);
  console.log(`${''.padEnd(20)}${'(minified / gzip)'.padEnd(24)}${''.padEnd(24)}${''.padEnd(24)}`);
  for (const result of results) {
    console.log(
      `${result.name.padEnd(20)}${cell(result.bundled)}${cell(result.deployed)}${cell(result.sdkExternal)}` +
        `${result.loads === null ? '-' : result.loads ? 'yes' : 'NO'}`,
    );
  }
  console.log(`\nwritten to ${relative(ROOT, RESULT)}`);
  if (results.some((result) => result.loads === false)) {
    process.exitCode = 1;
  }
}

await main();
