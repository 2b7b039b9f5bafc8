// Where the CDK app finds the files it deploys, relative to the repository root.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const schemaPath = path.join(repoRoot, 'schema.graphql');
export const lockFilePath = path.join(repoRoot, 'package-lock.json');

/** dist/resolvers/<code>.js, written by `npm run build`. */
export function resolverBundlePath(code: string): string {
  const file = path.join(repoRoot, 'dist', 'resolvers', `${code}.js`);
  if (!existsSync(file)) {
    throw new Error(`resolver bundle ${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`);
  }
  return file;
}

/** functions/<handler>.ts, which exports `handler`. */
export function functionEntryPath(handler: string): string {
  const file = path.join(repoRoot, 'functions', `${handler}.ts`);
  if (!existsSync(file)) {
    throw new Error(
      `Lambda entry ${path.relative(repoRoot, file)} is missing (functions/manifest.ts declares it)`,
    );
  }
  return file;
}
