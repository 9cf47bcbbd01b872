/**
 * The same-file call graph: which functions of this file coordinate, directly or through further
 * same-file functions, and with which primitive. A loop that calls such a helper pays the helper's
 * coordination per item, so rules report at the call in the loop and name the helper.
 */
import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import type { PrimitiveKind } from '../model/catalog-types.js';
import { type Site, classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { memberName, unwrap } from './resolve-value.js';
import { isFunction, walk } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/** A same-file function that coordinates, the site found inside, and the helper chain that leads to it. */
export interface CoordinatingHelper {
  readonly function: TSESTree.FunctionLike;
  /** Helper names from the called function to the one holding the site: `['saveAll', 'saveOne']`. */
  readonly chain: readonly string[];
  readonly site: Site;
}

type FunctionInfo = { readonly node: TSESTree.FunctionLike; readonly name: string };

/** The same-file function a call invokes: `helper(x)`, `this.helper(x)`, `const helper = async () => …`. */
export function calledFunction(analysis: FileAnalysis, call: TSESTree.CallExpression): FunctionInfo | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(callee), callee);
    const def = variable?.defs[0];
    if (!def) return undefined;
    if (def.type === 'FunctionName' && isFunction(def.node)) return { node: def.node, name: callee.name };
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && isFunction(def.node.init)) {
      return { node: def.node.init, name: callee.name };
    }
    return undefined;
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = memberName(callee);
    let classBody: TSESTree.Node | undefined = callee.parent;
    while (classBody && classBody.type !== AST_NODE_TYPES.ClassBody) classBody = classBody.parent;
    if (!name || !classBody || classBody.type !== AST_NODE_TYPES.ClassBody) return undefined;
    for (const member of classBody.body) {
      if (
        member.type === AST_NODE_TYPES.MethodDefinition &&
        member.kind === 'method' &&
        !member.computed &&
        member.key.type === AST_NODE_TYPES.Identifier &&
        member.key.name === name
      ) {
        return { node: member.value, name };
      }
      if (
        member.type === AST_NODE_TYPES.PropertyDefinition &&
        !member.computed &&
        member.key.type === AST_NODE_TYPES.Identifier &&
        member.key.name === name &&
        member.value &&
        isFunction(member.value)
      ) {
        return { node: member.value, name };
      }
    }
  }
  return undefined;
}

/**
 * The coordination a call reaches through same-file helpers, if any. `kinds` selects the primitives
 * that count (each rule has its own); set-based calls (`createMany`) never count. The result for each
 * function is memoised per file and kind set.
 *
 * @example
 * // async function saveOne(b) { await prisma.booking.create({ data: b }) }
 * // for (const b of bookings) await saveOne(b)
 * coordinatingHelper(analysis, call, new Set(['remote-write'])) // → { chain: ['saveOne'], site: prisma.create }
 */
export function coordinatingHelper(
  analysis: FileAnalysis,
  call: TSESTree.CallExpression,
  kinds: ReadonlySet<PrimitiveKind>,
): CoordinatingHelper | undefined {
  const target = calledFunction(analysis, call);
  if (!target) return undefined;
  const memoKey = `callGraph:${[...kinds].sort().join(',')}`;
  let memo = analysis.memo.get(memoKey) as Map<TSESTree.Node, CoordinatingHelper | null> | undefined;
  if (!memo) {
    memo = new Map();
    analysis.memo.set(memoKey, memo);
  }
  return search(analysis, target, kinds, memo, new Set());
}

function search(
  analysis: FileAnalysis,
  target: FunctionInfo,
  kinds: ReadonlySet<PrimitiveKind>,
  memo: Map<TSESTree.Node, CoordinatingHelper | null>,
  visiting: Set<TSESTree.Node>,
): CoordinatingHelper | undefined {
  const cached = memo.get(target.node);
  if (cached !== undefined) return cached ?? undefined;
  if (visiting.has(target.node)) return undefined; // recursion
  visiting.add(target.node);
  let direct: Site | undefined;
  const callees: FunctionInfo[] = [];
  walk(analysis.sourceCode, target.node.body ?? target.node, (node) => {
    if (direct) return false;
    // Nested named functions are not run by this one; nested callbacks usually are.
    if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      const site = classifyCall(analysis, node);
      // A set-based call in a helper already batches: it is not per-item coordination.
      if (site && kinds.has(site.operation.kind) && !site.operation.batched) {
        direct = site;
        return false;
      }
      if (node.type === AST_NODE_TYPES.CallExpression) {
        const callee = calledFunction(analysis, node);
        if (callee) callees.push(callee);
      }
    }
    return undefined;
  });
  let result: CoordinatingHelper | undefined;
  if (direct) {
    result = { function: target.node, chain: [target.name], site: direct };
  } else {
    for (const callee of callees) {
      const found = search(analysis, callee, kinds, memo, visiting);
      if (found) {
        result = { function: target.node, chain: [target.name, ...found.chain], site: found.site };
        break;
      }
    }
  }
  visiting.delete(target.node);
  memo.set(target.node, result ?? null);
  return result;
}
