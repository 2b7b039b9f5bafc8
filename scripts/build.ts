// `npm run build`: generates the GraphQL types, bundles the resolvers, checks the functions against their manifest
// (scripts/check-functions.ts) and builds the client package, each only when its inputs changed since the last build
// (content hashes kept in dist/.build-stamps.json), so that `npm start` does not pay for a build it already has.
// `--force` rebuilds everything; step names (`client`) build only those steps (`npm install` builds the client
// package that way: the CLI imports it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampsFile = path.join(root, 'dist', '.build-stamps.json');

export interface Step {
  name: string;
  /** Files and folders whose content decides the output. */
  inputs: string[];
  /** Outputs that must exist for the stamp to count. */
  outputs: string[];
  command: string[];
  /** Removed before the command runs, so nothing stale stays. */
  clean?: string[];
}

export const BUILD_STEPS: Step[] = [
  {
    name: 'codegen',
    inputs: ['schema.graphql', 'graphql', 'client/src/operations.graphql', 'scripts/codegen.ts', 'package-lock.json'],
    outputs: ['generated/graphql.ts', 'generated/operations.ts', 'generated/documents.ts', 'client/src/generated/operations.ts'],
    command: [process.execPath, '--import', 'tsx', 'scripts/codegen.ts'],
  },
  {
    name: 'resolvers',
    inputs: ['schema.graphql', 'graphql', 'resolvers', 'domain', 'generated', 'scripts/build-resolvers.ts', 'scripts/appsync-js-check.ts', 'package-lock.json'],
    outputs: ['dist/resolvers'],
    command: [process.execPath, '--import', 'tsx', 'scripts/build-resolvers.ts'],
  },
  {
    name: 'functions',
    inputs: ['functions', 'resolvers/manifest.ts', 'domain', 'generated', 'scripts/check-functions.ts', 'tsconfig.json', 'package-lock.json'],
    outputs: [],
    command: [process.execPath, '--import', 'tsx', 'scripts/check-functions.ts'],
  },
  {
    // The client package's JavaScript and declarations (client/dist), as it is published.
    name: 'client',
    inputs: ['client/src', 'client/package.json', 'client/tsconfig.json', 'package-lock.json'],
    outputs: ['client/dist/index.js', 'client/dist/node.js'],
    command: [process.execPath, path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'client'],
    clean: ['client/dist'],
  },
];

function filesUnder(relative: string): string[] {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(path.join(relative, entry.name)));
}

function hashOf(inputs: string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesUnder)) {
    hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

function readStamps(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(stampsFile, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function build(force: boolean, only: readonly string[]): void {
  const unknown = only.filter((name) => !BUILD_STEPS.some((step) => step.name === name));
  if (unknown.length > 0) {
    console.error(`build: no step ${unknown.join(', ')} (steps: ${BUILD_STEPS.map((step) => step.name).join(', ')})`);
    process.exit(2);
  }
  const stamps = readStamps();
  for (const step of BUILD_STEPS.filter((candidate) => only.length === 0 || only.includes(candidate.name))) {
    const hash = hashOf(step.inputs);
    const built = step.outputs.every((output) => existsSync(path.join(root, output)));
    if (!force && built && stamps[step.name] === hash) {
      console.log(`build: ${step.name} up to date`);
      continue;
    }
    for (const stale of step.clean ?? []) rmSync(path.join(root, stale), { recursive: true, force: true });
    const [command, ...args] = step.command;
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`build: ${step.name} failed`);
      process.exit(result.status ?? 1);
    }
    // Hash again: codegen writes an input of the next step.
    stamps[step.name] = hashOf(step.inputs);
    mkdirSync(path.dirname(stampsFile), { recursive: true });
    writeFileSync(stampsFile, JSON.stringify(stamps, null, 2) + '\n');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build(process.argv.includes('--force'), process.argv.slice(2).filter((arg) => !arg.startsWith('--')));
}
