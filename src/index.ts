/**
 * eslint-plugin-coordination: the plugin object, with configs computed from each rule's
 * `meta.docs.recommended`.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { type CoordinationRule, rules } from '../rules/index.js';

// A self-reference through the `exports` map resolves the same file from src/, dist/ and node_modules/.
const { name, version } = createRequire(import.meta.url)('eslint-plugin-coordination/package.json') as {
  name: string;
  version: string;
};

/** The namespace users write before each rule name: `coordination/no-global-lock`. */
const PLUGIN_NAMESPACE = 'coordination';

type FlatConfig = TSESLint.FlatConfig.Config;

/** The plugin object: `meta`, `rules` and the flat configs `recommended` and `all`. */
export interface CoordinationPlugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: Readonly<Record<string, CoordinationRule>>;
  readonly configs: { readonly recommended: FlatConfig; readonly all: FlatConfig };
}

function createConfig(configName: string, include: (rule: CoordinationRule) => boolean): FlatConfig {
  const enabled: Record<string, 'error'> = {};
  for (const [ruleName, rule] of Object.entries(rules)) {
    if (include(rule)) enabled[`${PLUGIN_NAMESPACE}/${ruleName}`] = 'error';
  }
  return {
    name: `${PLUGIN_NAMESPACE}/${configName}`,
    // A getter, because the plugin object is only complete once its configs exist.
    get plugins() {
      return { [PLUGIN_NAMESPACE]: plugin as unknown as TSESLint.FlatConfig.Plugin };
    },
    rules: enabled,
  };
}

const plugin: CoordinationPlugin = {
  meta: { name, version },
  rules,
  configs: {
    recommended: createConfig('recommended', (rule) => rule.meta.docs?.recommended === true),
    all: createConfig('all', () => true),
  },
};

// Only a default export: `require()` of this ESM module then hands CommonJS users (and tools such as
// eslint-doc-generator) `{ default: plugin }` rather than a namespace of unrelated names.
export default plugin;
export type { CoordinationRule };
