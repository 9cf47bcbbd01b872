/**
 * Rule testers for both modes: syntactic (typescript-eslint's parser without a program) and typed
 * (`projectService` over fixtures/typed). Every rule runs its shared case list through both.
 */
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';

/** fixtures/typed, whose placeholder files (`src/file.ts`, `.js`, `.mjs`, `.cjs`) the typed cases lint under. */
export const typedRoot = fileURLToPath(new URL('../../fixtures/typed/', import.meta.url));

/** Syntactic mode: types are never available. */
export function syntacticTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  });
}

/** Typed mode: a TypeScript program over fixtures/typed. */
export function typedTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: typedRoot,
      },
    },
    defaultFilenames: { ts: 'src/file.ts', tsx: 'src/file.tsx' },
  });
}

/** Both modes, labelled, for `describe.each`-style loops over the same case list. */
export const modes = [
  ['syntactic', syntacticTester],
  ['typed', typedTester],
] as const;
