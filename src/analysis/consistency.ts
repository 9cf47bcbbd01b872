/**
 * The consistency level a call asks for in its options (Cassandra's `{ consistency:
 * types.consistencies.quorum }`), and the level on the ladder it sets. The catalogue entry says where
 * the option sits and what each name waits for (`ConsistencyOption`).
 */
import { TSESTree } from '@typescript-eslint/types';
import type { ResolvedLevel } from '../model/catalog.js';
import type { ConsistencyOption } from '../model/catalog-types.js';
import type { FileAnalysis } from './file-analysis.js';
import { staticValue } from './argument-shapes.js';
import { unwrap } from './resolve-value.js';

const { AST_NODE_TYPES } = TSESTree;

/** The name of the level in `value`: a member `….consistencies.quorum`, or its number. */
function levelName(analysis: FileAnalysis, value: TSESTree.Node, option: ConsistencyOption): string | undefined {
  const node = unwrap(value);
  if (
    node.type === AST_NODE_TYPES.MemberExpression &&
    !node.computed &&
    node.property.type === AST_NODE_TYPES.Identifier &&
    (node.object.type === AST_NODE_TYPES.MemberExpression
      ? !node.object.computed && node.object.property.type === AST_NODE_TYPES.Identifier && node.object.property.name === option.enumName
      : node.object.type === AST_NODE_TYPES.Identifier && node.object.name === option.enumName)
  ) {
    return node.property.name;
  }
  const known = staticValue(analysis, node);
  if (known && typeof known.value === 'number') {
    return Object.entries(option.values ?? {}).find(([, number]) => number === known.value)?.[0];
  }
  return undefined;
}

/**
 * The level a call's own consistency option sets, or undefined when it names none this file can read
 * (the driver's default then holds, and so does the catalogue's level). A consistency the call asks
 * for holds whatever the deployment: the level is exact.
 */
export function consistencyLevel(analysis: FileAnalysis, call: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression, option: ConsistencyOption): ResolvedLevel | undefined {
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const argument = call.arguments[option.argument];
  const options = argument && unwrap(argument);
  if (options?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const property of options.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
    if (key !== option.property) continue;
    const name = levelName(analysis, property.value, option);
    if (name === undefined) return undefined;
    if (option.consensus?.includes(name)) return { level: 3, atLeast: false };
    if (option.all.includes(name)) return { level: 2, atLeast: false, shape: { all: true } };
    if (option.quorum.includes(name)) return { level: 2, atLeast: false };
    return undefined;
  }
  return undefined;
}
