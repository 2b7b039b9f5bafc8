// Bundles every resolver and pipeline step listed in resolvers/manifest.ts into an APPSYNC_JS
// module (dist/resolvers/<code>.js), then refuses the build when:
// - a manifest field is not in schema.graphql, or a resolver file is not in the manifest;
// - a bundle does not parse, does not export `request` and `response`, or is over AppSync's size limit;
// - a bundle uses what the APPSYNC_JS runtime does not support (scripts/appsync-js-check.ts, which the local runtime also applies: it reads
//   the bundled bytes that AppSync will actually run, without type information).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildSchema, isObjectType } from 'graphql';
import { appsyncJsViolations } from './appsync-js-check.ts';
import { resolvers, type ResolverSpec } from '../resolvers/manifest.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resolversDir = path.join(root, 'resolvers');
const outDir = path.join(root, 'dist', 'resolvers');

/** AppSync refuses resolver and function code larger than 32 KB. */
const MAX_CODE_BYTES = 32 * 1024;

/** Every code file named by the manifest, relative to resolvers/ without extension. */
export function manifestCodes(specs: readonly ResolverSpec[]): string[] {
  const codes = specs.flatMap((spec) => (spec.kind === 'PIPELINE' ? [spec.code, ...spec.steps.map((s) => s.code)] : [spec.code]));
  return [...new Set(codes)];
}

function fail(problems: string[]): never {
  for (const problem of problems) {
    console.error(`build-resolvers: ${problem}`);
  }
  process.exit(1);
}

function checkManifestAgainstSchema(): string[] {
  const sdl = ['graphql/aws-appsync.graphql', 'schema.graphql'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const schema = buildSchema(sdl);
  const problems: string[] = [];
  for (const spec of resolvers) {
    const type = schema.getType(spec.typeName);
    if (!type || !isObjectType(type)) {
      problems.push(`manifest names type ${spec.typeName}, which schema.graphql does not define`);
    } else if (!type.getFields()[spec.fieldName]) {
      problems.push(`manifest names field ${spec.typeName}.${spec.fieldName}, which schema.graphql does not define`);
    }
    const unitCode = spec.kind === 'UNIT' ? spec.code : path.dirname(spec.code);
    if (!unitCode.startsWith(`${spec.typeName}.${spec.fieldName}`)) {
      problems.push(`code ${spec.code} does not live under ${spec.typeName}.${spec.fieldName}`);
    }
  }
  const seen = new Set(resolvers.map((r) => `${r.typeName}.${r.fieldName}`));
  if (seen.size !== resolvers.length) {
    problems.push('manifest lists a field twice');
  }
  return problems;
}

/** Resolver sources on disk that the manifest does not list (a file named for a field must resolve it). */
function strayResolverFiles(codes: readonly string[]): string[] {
  const listed = new Set(codes.map((c) => `${c}.ts`));
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [path.relative(resolversDir, full)];
    });
  return walk(resolversDir)
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('lib/') && f !== 'manifest.ts' && !listed.has(f))
    .map((f) => `resolvers/${f} is not in resolvers/manifest.ts`);
}

async function main(): Promise<void> {
  const codes = manifestCodes(resolvers);
  const problems = [...checkManifestAgainstSchema(), ...strayResolverFiles(codes)];
  for (const code of codes) {
    if (!existsSync(path.join(resolversDir, `${code}.ts`))) {
      problems.push(`resolvers/${code}.ts is named by the manifest but does not exist`);
    }
  }
  if (problems.length > 0) {
    fail(problems);
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: codes.map((code) => ({ in: path.join(resolversDir, `${code}.ts`), out: code })),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    minify: false,
    treeShaking: true,
    sourcemap: 'inline',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  if (result.errors.length > 0) {
    fail(result.errors.map((e) => e.text));
  }

  for (const code of codes) {
    const file = path.join(outDir, `${code}.js`);
    const source = readFileSync(file, 'utf8');
    const size = Buffer.byteLength(source);
    if (size > MAX_CODE_BYTES) {
      problems.push(`dist/resolvers/${code}.js is ${size} bytes, over AppSync's ${MAX_CODE_BYTES}`);
    }
    problems.push(...appsyncJsViolations(source, `dist/resolvers/${code}.js`));
  }
  if (problems.length > 0) {
    fail(problems);
  }
  console.log(`build-resolvers: ${codes.length} APPSYNC_JS bundles in ${path.relative(root, outDir)}/`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
