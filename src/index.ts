/**
 * eslint-plugin-coordination: the plugin object, with configs computed from each rule's
 * `meta.docs.recommended`.
 */
import { createRequire } from 'node:module';
import type { ESLint, Linter } from 'eslint';
import { type CoordinationRule, rules } from '../rules/index.js';
import { JS_TS_FILES } from './config-files.js';
import type { Confidence } from './model/site.js';

// A self-reference through the `exports` map resolves the same file from src/, dist/ and node_modules/.
const { name, version } = createRequire(import.meta.url)('eslint-plugin-coordination/package.json') as {
  name: string;
  version: string;
};

/** The namespace users write before each rule name: `coordination/no-global-lock`. */
const PLUGIN_NAMESPACE = 'coordination';

/**
 * A rule as the plugin exports it: typescript-eslint's rule type (with our `meta.docs` fields) and
 * ESLint's own rule definition. Both describe the same object; their declarations differ only in the
 * context types, so the intersection is what users' configs check it against.
 */
export type CoordinationPluginRule = CoordinationRule & NonNullable<ESLint.Plugin['rules']>[string];

/**
 * The plugin object: `meta`, `rules` and the flat configs `recommended` (high
 * confidence only), `strict` (medium and up) and `all` (every rule, every grade). Its configs are
 * ESLint's own `Linter.Config`, and the whole object is an `ESLint.Plugin`, so
 * `defineConfig([coordination.configs.recommended])` and `plugins: { coordination }` type-check in a
 * `// @ts-check` eslint.config.js or an eslint.config.ts.
 */
export interface CoordinationPlugin extends ESLint.Plugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: Readonly<Record<string, CoordinationPluginRule>>;
  readonly configs: { readonly recommended: Linter.Config; readonly strict: Linter.Config; readonly all: Linter.Config };
}

/**
 * A config of the rules `include` accepts, reporting sites graded `minConfidence` and up; `high` is
 * every rule's default, so those entries carry no options.
 */
function createConfig(configName: string, include: (rule: CoordinationRule) => boolean, minConfidence: Confidence): Linter.Config {
  const enabled: Record<string, Linter.RuleEntry> = {};
  for (const [ruleName, rule] of Object.entries(rules)) {
    if (include(rule)) enabled[`${PLUGIN_NAMESPACE}/${ruleName}`] = minConfidence === 'high' ? 'error' : ['error', { minConfidence }];
  }
  return {
    name: `${PLUGIN_NAMESPACE}/${configName}`,
    files: [...JS_TS_FILES],
    // A getter, because the plugin object is only complete once its configs exist.
    get plugins(): Record<string, ESLint.Plugin> {
      return { [PLUGIN_NAMESPACE]: plugin };
    },
    rules: enabled,
  };
}

const plugin: CoordinationPlugin = {
  meta: { name, version },
  rules: rules as Readonly<Record<string, CoordinationPluginRule>>,
  configs: {
    recommended: createConfig('recommended', (rule) => rule.meta.docs?.recommended === true, 'high'),
    // Every rule: a rule enters recommended only past the blind-audit bar, strict is for trying them all.
    strict: createConfig('strict', () => true, 'medium'),
    all: createConfig('all', () => true, 'low'),
  },
};

// Only a default export: `require()` of this ESM module then hands CommonJS users (and tools such as
// eslint-doc-generator) `{ default: plugin }` rather than a namespace of unrelated names.
export default plugin;
export type { CoordinationRule };
/** The shape of `settings.coordination` (docs/settings.md) and of its parts. */
export type { CoordinationSettingsInput } from './settings.js';
export type { CostModel } from './model/cost.js';
export type { BackendProfileName } from './model/backends.js';
export type { CalleeSpecifier } from './schema.js';
export type { ClientSpec, OperationSpec } from './model/catalog-types.js';
