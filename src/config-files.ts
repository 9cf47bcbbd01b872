/**
 * The files every config applies to: JavaScript and TypeScript. Other languages in the same config
 * (`@eslint/json`, `@eslint/markdown`, CSS) are left alone; a `.vue`, `.svelte` or `.astro` user adds a
 * config object of their own (README, "Other file types"). Not exported from the package entry, which
 * has only a default export.
 */
export const JS_TS_FILES: readonly string[] = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];
