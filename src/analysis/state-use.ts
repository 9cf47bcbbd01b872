/**
 * What code does with a value: applies it to state (a loop or reduce that writes, a winner picked
 * from it) or shows it (returned, rendered, serialised, logged). The verbs and receivers that tell
 * them apart come from the catalogue's vocabulary.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import type { FileAnalysis } from './file-analysis.js';
import { memberName, nameOf, unwrap } from './shapes.js';
import { isFunction, walk } from './traverse.js';
import { variableOf } from './ast-helpers.js';

const { AST_NODE_TYPES } = TSESTree;

/** How sorted values are used. */
export type SortedUse = 'picked' | 'applied' | 'display' | 'unknown';

/** What happens to the result of `sort` (on `array`): one copy picked from it, applied to state, shown, or unknown. */
export function sortedUse(analysis: FileAnalysis, sort: TSESTree.CallExpression, array: TSESTree.Node): SortedUse {
  const { sourceCode } = analysis;
  const { identityProperties } = analysis.settings.catalog.vocabulary;
  let value: TSESTree.Node = sort;
  const parent = sort.parent;
  // const [winner] = [a, b].sort(byTime) / .sort(byTime)[0]: the sort picks the winning write
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === sort && parent.id.type === AST_NODE_TYPES.ArrayPattern) return 'picked';
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === sort && parent.computed && sourceCode.getText(parent.property) === '0') {
    // .sort(byCreatedAt)[0].id: the oldest record is chosen by its identity (a page to open), no write wins
    const first = parent.parent?.type === AST_NODE_TYPES.TSNonNullExpression ? parent.parent : parent;
    const next = first.parent;
    const identity = next?.type === AST_NODE_TYPES.MemberExpression && next.object === first && identityProperties.test(memberName(next) ?? '');
    return identity ? 'display' : 'picked';
  }
  // events.sort(...).forEach(apply) / .reduce(...)
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === sort) {
    const next = memberName(parent);
    if (next === 'reduce' || next === 'forEach' || next === 'map') return callbackApplies(analysis, parent.parent) ? 'applied' : next === 'reduce' ? 'applied' : 'unknown';
    return 'unknown';
  }
  if (parent?.type === AST_NODE_TYPES.ReturnStatement || parent?.type === AST_NODE_TYPES.ArrowFunctionExpression) return 'display';
  if (parent?.type === AST_NODE_TYPES.CallExpression && isDisplaySink(analysis, parent)) return 'display';
  // const sorted = events.sort(...); for (const e of sorted) apply(e)   —   or events.sort(...) in place
  let variable: TSESLint.Scope.Variable | null | undefined;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === sort && parent.id.type === AST_NODE_TYPES.Identifier) {
    variable = sourceCode.getDeclaredVariables(parent)[0];
  } else if (parent?.type === AST_NODE_TYPES.ExpressionStatement && unwrap(array).type === AST_NODE_TYPES.Identifier) {
    variable = variableOf(sourceCode, unwrap(array) as TSESTree.Identifier);
    value = array;
  }
  if (!variable) return 'unknown';
  let use: SortedUse = 'unknown';
  for (const reference of variable.references) {
    const identifier = reference.identifier;
    if (identifier.range[0] <= value.range[0]) continue;
    const at = identifier.parent;
    if (at?.type === AST_NODE_TYPES.ForOfStatement && at.right === identifier) {
      if (bodyApplies(analysis, at.body)) return 'applied';
    } else if (at?.type === AST_NODE_TYPES.MemberExpression && at.object === identifier && /^(reduce|forEach)$/.test(memberName(at) ?? '')) {
      if (memberName(at) === 'reduce' || callbackApplies(analysis, at.parent)) return 'applied';
    } else if (at?.type === AST_NODE_TYPES.ReturnStatement || (at?.type === AST_NODE_TYPES.CallExpression && isDisplaySink(analysis, at)) || at?.type === AST_NODE_TYPES.Property) {
      use = 'display';
    }
  }
  return use;
}

/** `res.json(x)`, `render(x)`, `console.log(x)`: a call that shows its argument. */
function isDisplaySink(analysis: FileAnalysis, call: TSESTree.CallExpression): boolean {
  const name = nameOf(unwrap(call.callee));
  return name !== undefined && analysis.settings.catalog.vocabulary.displaySinks.test(name);
}

/** `events.forEach(applyEvent)`, `events.forEach((e) => state.apply(e))`: the callback changes state. */
function callbackApplies(analysis: FileAnalysis, call: TSESTree.Node | undefined): boolean {
  if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
  const callback = call.arguments[0];
  if (!callback) return false;
  if (!isFunction(callback)) {
    // events.forEach(applyEvent)
    const name = analysis.sourceCode.getText(callback).split('.').pop() ?? '';
    return analysis.settings.catalog.vocabulary.stateVerbs.test(name);
  }
  return bodyApplies(analysis, callback.body ?? callback);
}

/** A body that changes state: calls a state verb (`apply`, `save`, `dispatch`, …) or assigns to a member. */
function bodyApplies(analysis: FileAnalysis, body: TSESTree.Node): boolean {
  const { stateVerbs, displaySinks, outputReceivers } = analysis.settings.catalog.vocabulary;
  let applies = false;
  walk(analysis.sourceCode, body, (node) => {
    if (applies) return false;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(node.callee);
      const name = nameOf(callee);
      const receiver = callee.type === AST_NODE_TYPES.MemberExpression ? unwrap(callee.object) : undefined;
      const shows = receiver !== undefined && outputReceivers.test(receiver.type === AST_NODE_TYPES.Identifier ? receiver.name : receiver.type === AST_NODE_TYPES.MemberExpression ? (memberName(receiver) ?? '') : '');
      if (name && stateVerbs.test(name) && !displaySinks.test(name) && name !== 'push' && !shows) applies = true;
    }
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.MemberExpression) applies = true;
    return undefined;
  });
  return applies;
}
