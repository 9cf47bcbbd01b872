// Lints the plugin's own sources with eslint-plugin-eslint-plugin (rules and tests).
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tsParser from '@typescript-eslint/parser';

export default [
  { ignores: ['dist/', 'coverage/', 'fixtures/', 'node_modules/', '.scratch/', 'fuzz-failures/'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
  },
  {
    ...eslintPlugin.configs.all,
    files: ['rules/**/*.ts', 'src/**/*.ts'],
    rules: {
      ...eslintPlugin.configs.all.rules,
      // RuleCreator builds docs.url from the rule name; the package test checks every URL instead.
      'eslint-plugin/require-meta-docs-url': 'off',
      // meta.languages is read by ESLint >= 10.2 and ignored by 9; rules set it, but the typing is new.
      'eslint-plugin/require-meta-languages': 'off',
      // Descriptions are sentences in imperative mood with a capital, as in typescript-eslint.
      'eslint-plugin/require-meta-docs-description': ['error', { pattern: '^(Enforce|Require|Disallow)' }],
    },
  },
  {
    // What the plugin imports at run time, it loads with itself: oxlint starts it without ESLint or TypeScript.
    files: ['rules/**/*.ts', 'src/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/test-support/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@typescript-eslint/utils', message: 'It loads ESLint: import from @typescript-eslint/types, …/utils/ast-utils or …/utils/eslint-utils.', allowTypeImports: true },
            { name: '@typescript-eslint/typescript-estree', message: 'It loads TypeScript: load it with loadOnFirstUse (src/util/load-on-first-use.ts).', allowTypeImports: true },
            { name: '@typescript-eslint/scope-manager', message: 'Load it with loadOnFirstUse (src/util/load-on-first-use.ts).', allowTypeImports: true },
            { name: 'oxc-resolver', message: 'Load it with loadOnFirstUse (src/util/load-on-first-use.ts).', allowTypeImports: true },
            { name: 'typescript', message: 'Type information comes from the parser: import its types only.', allowTypeImports: true },
            { name: 'eslint', message: 'The plugin runs without ESLint (oxlint): import its types only.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['rules/**/*.test.ts'],
    rules: { 'eslint-plugin/require-test-error-positions': 'error' },
  },
];
