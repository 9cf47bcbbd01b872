/**
 * What the report formats say about a rule: its description, docs page and levels, read from the plugin's
 * own `meta.docs`, so SARIF rule descriptors and the links in Markdown and HTML follow the rules.
 */
import plugin, { type CoordinationRule } from '../index.js';
import { levelCode } from '../model/ladder.js';
import { DOCS_BASE_URL } from '../util/create-rule.js';
import { RULE_PREFIX } from './collect.js';
import type { LevelCode } from './report.js';

export interface RuleDoc {
  /** `coordination/no-global-lock`, as sites name it. */
  readonly id: string;
  /** `no-global-lock`. */
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly ladderLevels: readonly LevelCode[];
}

// `meta.docs` and its `url` are optional in ESLint's types; every rule sets them through `createRule`.
function docOf(name: string, rule: CoordinationRule): RuleDoc {
  const docs = rule.meta.docs;
  return {
    id: `${RULE_PREFIX}${name}`,
    name,
    description: docs?.description ?? name,
    url: docs?.url ?? `${DOCS_BASE_URL}${name}.md`,
    ladderLevels: (docs?.ladderLevels ?? []).map((level) => levelCode(level)),
  };
}

/** Every rule of the plugin, sorted by id. */
export const RULE_DOCS: readonly RuleDoc[] = Object.entries(plugin.rules)
  .map(([name, rule]) => docOf(name, rule))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

/** The docs of a rule by id; `undefined` for a rule this version does not have (a merged older report). */
export function ruleDoc(ruleId: string): RuleDoc | undefined {
  return RULE_DOCS.find((doc) => doc.id === ruleId);
}
