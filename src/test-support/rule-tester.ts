/**
 * Rule testers for both modes: syntactic (typescript-eslint's parser without a program) and typed
 * (`projectService` over fixtures/typed). Every rule runs its shared case list through both.
 */
import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { typedRoot } from './paths.js';
import { addedDiagnostics, parseErrors, suggestionCases } from './suggestion-safety.js';

export { typedRoot };

/**
 * Runs the cases, then holds every suggestion output among them to suggestion safety: it parses, and
 * in TypeScript it compiles against real client declarations with no diagnostic its input lacks.
 */
class SuggestionSafeRuleTester extends RuleTester {
  override run<MessageIds extends string, Options extends readonly unknown[]>(
    ruleName: string,
    rule: TSESLint.RuleModule<MessageIds, Options>,
    tests: RunTests<MessageIds, Options>,
  ): void {
    super.run(ruleName, rule, tests);
    const cases = suggestionCases(ruleName, tests.invalid);
    if (cases.length === 0) return;
    describe(`${ruleName}: suggestion safety`, () => {
      it.each(cases.map((test) => [test.name, test] as const))('%s: the output parses', (_, test) => {
        expect(parseErrors(test.output, test.filename)).toEqual([]);
      });
      it('TypeScript outputs add no compiler diagnostic to their inputs', () => {
        const regressions = [...addedDiagnostics(cases)].filter(([, added]) => added.length > 0);
        expect(regressions.map(([test, added]) => ({ case: test.name, added }))).toEqual([]);
      });
    });
  }
}

/** Syntactic mode: types are never available. This mode also checks suggestion safety (once per case list). */
export function syntacticTester(): RuleTester {
  return new SuggestionSafeRuleTester({
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
