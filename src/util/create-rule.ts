import * as ESLintUtils from '@typescript-eslint/utils/eslint-utils';
import type { LevelId } from '../model/ladder.js';
import { contentCache } from './content-cache.js';

/** Where rule docs live; the package test checks every rule's URL against its docs file. */
export const DOCS_BASE_URL = 'https://github.com/eslint-plugin-coordination/eslint-plugin-coordination/blob/main/docs/rules/';

/** Our fields in `meta.docs`, next to ESLint's `description` and `url`. */
export interface CoordinationRuleDocs {
  /** In `configs.recommended` (at `error`): only once its blind-audit precision is at least 0.9 (README, Versioning). */
  readonly recommended: boolean;
  /** Always false: type information only refines a rule, it is never required. */
  readonly requiresTypeChecking: false;
  /** The ladder levels the rule can report, for docs and the report. */
  readonly ladderLevels: readonly LevelId[];
}

const baseCreateRule = ESLintUtils.RuleCreator<CoordinationRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);

/**
 * Whether a file's AST is a JavaScript/TypeScript one (an ESTree `Program` with a `body` array). Other
 * languages have other roots: `@eslint/json` a `Document` whose `body` is one node, `@eslint/markdown`
 * a `root`. ESLint 10 already refuses to run a rule on a language its `meta.languages` does not list;
 * ESLint 9 runs it anyway, so every rule checks this first.
 */
export function isJavaScriptAst(ast: unknown): boolean {
  const root = ast as { type?: unknown; body?: unknown } | null | undefined;
  return root?.type === 'Program' && Array.isArray(root.body);
}

/**
 * `ESLintUtils.RuleCreator` with our docs URL and docs fields, and one guard for every rule: on a file
 * of another language (JSON, Markdown, CSS alongside in one config) the rule does nothing.
 *
 * The options are merged with `meta.defaultOptions` once per distinct options value, not once per file
 * (ESLint hands each file a new, equal options array): RuleCreator's merge clones the defaults for every
 * file and rule. The merged options are frozen, since every file of a config shares them.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, CoordinationRuleDocs>>,
): ReturnType<typeof baseCreateRule<Options, MessageIds>> {
  const built = baseCreateRule(rule);
  const defaults = (rule.meta.defaultOptions ?? rule.defaultOptions ?? []) as Readonly<Options>;
  // A handful of distinct options per rule in any config.
  const merged = contentCache<Options>(64);
  const merge = (given: Readonly<Options>): Options => deepFreeze(ESLintUtils.applyDefault<Options, Options>(defaults, given));
  let mergedDefaults: Options | undefined;
  return {
    ...built,
    create(context) {
      // A JavaScript SourceCode says so without its AST being read: oxlint builds the JS AST of a file on
      // first access, and a rule whose text gate stays closed never needs it.
      const { sourceCode } = context as { sourceCode: { isESTree?: unknown; ast: unknown } };
      if (sourceCode.isESTree !== true && !isJavaScriptAst(sourceCode.ast)) return {};
      const given = context.options as Readonly<Options>;
      // A rule configured without options gets its own `meta.defaultOptions` objects back from ESLint
      // (>= 9.15; in a new array each file): nothing to compare, ours are not changed by anyone.
      const options = sameElements(given, defaults) ? (mergedDefaults ??= merge(given)) : merged(given, () => merge(given));
      return rule.create(context, options);
    },
  };
}

function sameElements(given: readonly unknown[], defaults: readonly unknown[]): boolean {
  if (given.length !== defaults.length || given.length === 0) return false;
  for (let index = 0; index < given.length; index++) if (given[index] !== defaults[index]) return false;
  return true;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
