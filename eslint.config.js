// Flat config (ESLint 9).
// - resolvers/ (APPSYNC_JS code): AppSync's own rules, which need type information, so that nothing the
//   APPSYNC_JS runtime refuses (async, try/catch, classes, regex literals, unsupported methods...) gets in.
// - dist/resolvers/ (the bundles AppSync runs): AppSync's syntax rules once more, on the bytes deployed.
// - All other TypeScript: typescript-eslint's recommended rules; `any` is an error everywhere.
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

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
);
