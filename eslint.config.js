import tseslint from 'typescript-eslint';

// Only rules that catch real bugs or guard the architecture; formatting is Prettier's.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'libs/database/src/generated/**', 'apps/admin/src/dashboard/public/**', 'bench/results/**', 'reliability/results/**', 'test-artifacts/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['prisma.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*/src/*', '!**/libs/*/src/index.js'], message: 'Import a lib through its alias (#database, #dynamic-cors, …), never its internals.' },
          ],
        },
      ],
    },
  },
  {
    // The CLI is a client of the admin API: of the admin app it may use only the offline
    // validation (pure: no Nest, no database), so that `validate` judges by the API's own rules.
    files: ['apps/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*/src/*', '!**/libs/*/src/index.js'], message: 'Import a lib through its alias (#database, #dynamic-cors, …), never its internals.' },
            { regex: 'admin/src/(?!config-as-code/offline-validation\\.js$)', message: 'The CLI talks to the admin API; of the admin app it may import only config-as-code/offline-validation.js.' },
          ],
        },
      ],
    },
  },
  {
    // The dynamic-CORS library is published on its own (@corsmesh/dynamic-cors): nothing else of
    // this repository may reach it, so no alias imports, and the PostgreSQL source stays behind
    // its own entry (`./postgres`), never loaded by the rest of the library.
    files: ['libs/dynamic-cors/src/**/*.ts'],
    ignores: ['libs/dynamic-cors/src/postgres/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['#*'], message: 'The library is published alone: import only its own files and its declared dependencies.' },
            { group: ['**/postgres/*', 'pg'], message: 'Only @corsmesh/dynamic-cors/postgres may load pg.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/dynamic-cors/src/postgres/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['#*'], message: 'The library is published alone: import only its own files and its declared dependencies.' }] }],
    },
  },
  {
    // Preact event handlers may be async: they report their own errors on the page.
    files: ['apps/admin/src/dashboard/web/**/*.tsx'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }] },
  },
  {
    // Tests and tooling may reach into a lib's internals (the embedded server, the migrator).
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**', 'bench/**', 'reliability/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
