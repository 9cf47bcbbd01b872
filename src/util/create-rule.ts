import { ESLintUtils } from '@typescript-eslint/utils';
import type { LevelId } from '../model/ladder.js';

/** Where rule docs live; the package test checks every rule's URL against its docs file. */
export const DOCS_BASE_URL = 'https://github.com/eslint-plugin-coordination/eslint-plugin-coordination/blob/main/docs/rules/';

/** Our fields in `meta.docs`, next to ESLint's `description` and `url`. */
export interface CoordinationRuleDocs {
  /** In `configs.recommended` (at `error`). */
  readonly recommended: boolean;
  /** Always false: type information only refines a rule, it is never required. */
  readonly requiresTypeChecking: false;
  /** The ladder levels the rule can report, for docs and the report. */
  readonly ladderLevels: readonly LevelId[];
}

/** `ESLintUtils.RuleCreator` with our docs URL and docs fields. */
export const createRule = ESLintUtils.RuleCreator<CoordinationRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
