// Flat config (ESLint 9).
// - resolvers/ (APPSYNC_JS code): AppSync's own rules, which need type information, so that nothing the
//   APPSYNC_JS runtime refuses (async, try/catch, classes, regex literals, unsupported methods...) gets in.
// - dist/resolvers/ (the bundles AppSync runs): AppSync's syntax rules once more, on the bytes deployed.
// - All other TypeScript: typescript-eslint's recommended rules; `any` is an error everywhere.
// - Rooms (docs/architecture.md): product code never imports the local cloud; resolvers never import functions (nor
//   the CDK app); domain/ imports none of them; a function reads its settings through loadConfig only.
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

/** An import pattern refused in a room, with the reason the lint names. */
const room = (folder, message) => ({ group: [`**/${folder}/**`, `**/${folder}`, `${folder}/**`], message });
const LOCAL = room('local', 'Product code never imports the local cloud: local and cloud differ by configuration only.');
const FUNCTIONS = room('functions', 'Resolvers and domain/ never import functions/: what both need lives in domain/.');
const INFRA = room('infra', 'Resolvers and domain/ never import the CDK app.');
const RESOLVERS = room('resolvers', 'domain/ is imported by resolvers, never the other way.');
const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    // dist/resolvers/ stays in: the bundles are what AppSync runs, so they pass AppSync's rules too.
    ignores: ['dist/*', '!dist/resolvers/', 'generated/**', 'client/dist/**', 'client/src/generated/**', 'cdk.out/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.d.ts'],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The bundled resolvers, as deployed: the syntax rules (type-aware rules need the TypeScript sources above).
    files: ['dist/resolvers/**/*.js'],
    ...appsync.configs.base,
  },
  {
    files: ['resolvers/**/*.ts'],
    ignores: ['resolvers/manifest.ts'],
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  // The rooms. A later block replaces an earlier one's rule for the files it names, so each lists every pattern.
  { files: ['functions/**/*.ts', 'infra/**/*.ts', 'scripts/**/*.ts', 'cli/**/*.ts', 'client/src/**/*.ts'], rules: restrictImports(LOCAL) },
  { files: ['resolvers/**/*.ts'], rules: restrictImports(LOCAL, FUNCTIONS, INFRA) },
  { files: ['domain/**/*.ts'], rules: restrictImports(LOCAL, FUNCTIONS, INFRA, RESOLVERS) },
  {
    // A function's settings are those its manifest entry declares: loadConfig reads them, nothing else reads the
    // environment (the logger excepted: Powertools' own service name).
    files: ['functions/**/*.ts'],
    ignores: ['functions/commons/logger.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']",
        message: 'Read settings through loadConfig(process.env, FUNCTIONS[<name>].settings) and declare them in functions/manifest.ts.',
      }],
    },
  },
);
