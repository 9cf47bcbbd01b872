import { fileURLToPath } from 'node:url';

/** fixtures/typed, whose placeholder files (`src/file.ts`, `.js`, `.mjs`, `.cjs`) the typed cases lint under. */
export const typedRoot = fileURLToPath(new URL('../../fixtures/typed/', import.meta.url));
