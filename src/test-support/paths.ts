import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** fixtures/typed, whose placeholder files (`src/file.ts`, `.js`, `.mjs`, `.cjs`) the typed cases lint under. */
export const typedRoot = fileURLToPath(new URL('../../fixtures/typed/', import.meta.url));

/** The repository's fixtures folder. */
export const fixturesRoot = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Every JavaScript and TypeScript source under `dir` (the fixtures by default), outside node_modules; declaration files only when asked. */
export function fixtureSources(dir: string = fixturesRoot, options: { readonly declarations?: boolean } = {}): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:[cm]?[jt]sx?)$/.test(entry.name) && (options.declarations || !/\.d\.[cm]?ts$/.test(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.split(sep).includes('node_modules'));
}
