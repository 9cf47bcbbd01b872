/**
 * The flat config `coordination-ladder` uses when the project has no `eslint.config.*`: every rule of
 * `configs.all`, TypeScript files parsed by `@typescript-eslint/parser` when it can be resolved (from the
 * working directory first, then beside the plugin), and JavaScript only otherwise. Build output and
 * coverage folders are skipped, since linting generated bundles reports sites nobody wrote.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Linter } from 'eslint';
import plugin from '../index.js';

async function loadTypeScriptParser(): Promise<Linter.Parser | undefined> {
  const attempts = [
    () => createRequire(join(process.cwd(), 'package.json')).resolve('@typescript-eslint/parser'),
    () => createRequire(import.meta.url).resolve('@typescript-eslint/parser'),
  ];
  for (const attempt of attempts) {
    try {
      const module = (await import(pathToFileURL(attempt()).href)) as { default?: Linter.Parser } & Linter.Parser;
      return module.default ?? module;
    } catch {
      // Not installed here (or its `typescript` peer is missing): try the next place.
    }
  }
  return undefined;
}

const tsParser = await loadTypeScriptParser();

/** Whether TypeScript files are linted (the CLI notes it when they are not). */
export const typescriptParser = tsParser !== undefined;

const config: Linter.Config[] = [
  { name: 'coordination-ladder/ignores', ignores: ['**/dist/', '**/build/', '**/coverage/', '**/*.min.js'] },
  { name: 'coordination-ladder/jsx', files: ['**/*.jsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  ...(tsParser
    ? [{ name: 'coordination-ladder/typescript', files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser } }]
    : []),
  plugin.configs.all as Linter.Config,
];

export default config;
