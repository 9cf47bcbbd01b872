/**
 * Wall-clock values: `Date.now()`, `new Date()` and what is read from them, written here or returned
 * by a project function (`now()` in `lib/clock.ts` returning `Date.now()`), so a helper's clock flows
 * into an ordering exactly as a clock read in place does.
 */
import type * as TS from 'typescript';
import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import { type FunctionInfo, calledFunction, summaryMemo } from './call-graph.js';
import type { FileAnalysis } from './file-analysis.js';
import { memberName, unwrap } from './shapes.js';
import { isFunction, walk } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/** How many layers a clock is followed through (`currentDate()` → `now()` → `Date.now()`). */
const MAX_DEPTH = 4;

/** A wall-clock read: the expression that reads the clock, its module, and the functions that return it. */
export interface WallClock {
  readonly node: TSESTree.Node;
  readonly analysis: FileAnalysis;
  /** Project functions from the one called here to the one holding the read; empty for a read in place. */
  readonly chain: readonly FunctionInfo[];
}

function isGlobal(analysis: FileAnalysis, name: string, node: TSESTree.Node): boolean {
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(node), name);
  return !variable || variable.defs.length === 0;
}

/**
 * The wall-clock read `node` is: `Date.now()`, `new Date()` (or a `Date` of one), `.getTime()`/`.valueOf()`/
 * `.toISOString()` of one, `+new Date()`, `performance.timeOrigin + performance.now()`, a variable or
 * object field holding one, or a call without arguments of a project function every `return` of which is one.
 */
export function wallClock(analysis: FileAnalysis, node: TSESTree.Node, program: TS.Program | undefined = analysis.services?.program, depth = 0): WallClock | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const inner = unwrap(node);
  const here: WallClock = { node: inner, analysis, chain: [] };
  const { sourceCode } = analysis;
  switch (inner.type) {
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrap(inner.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = memberName(callee);
        const object = unwrap(callee.object);
        if (method === 'now' && object.type === AST_NODE_TYPES.Identifier && object.name === 'Date' && isGlobal(analysis, 'Date', object)) return here;
        if (method && /^(getTime|valueOf|toISOString|toJSON)$/.test(method)) return wallClock(analysis, object, program, depth + 1);
      }
      return returnedClock(analysis, inner, program, depth);
    }
    case AST_NODE_TYPES.NewExpression: {
      if (inner.callee.type !== AST_NODE_TYPES.Identifier || inner.callee.name !== 'Date' || !isGlobal(analysis, 'Date', inner.callee)) return undefined;
      if (inner.arguments.length === 0) return here;
      // new Date(now()): the same instant as a Date
      const [argument] = inner.arguments;
      return inner.arguments.length === 1 && argument && argument.type !== AST_NODE_TYPES.SpreadElement ? wallClock(analysis, argument, program, depth + 1) : undefined;
    }
    case AST_NODE_TYPES.UnaryExpression:
      return inner.operator === '+' ? wallClock(analysis, inner.argument, program, depth + 1) : undefined;
    case AST_NODE_TYPES.BinaryExpression:
      // performance.timeOrigin + performance.now()
      return inner.operator === '+' && /performance\.timeOrigin/.test(sourceCode.getText(inner)) && /performance\.now\(\)/.test(sourceCode.getText(inner)) ? here : undefined;
    case AST_NODE_TYPES.MemberExpression: {
      // const stamp = { at: Date.now() }; … stamp.at
      const object = unwrap(inner.object);
      const name = memberName(inner);
      if (object.type !== AST_NODE_TYPES.Identifier || !name) return undefined;
      const def = ASTUtils.findVariable(sourceCode.getScope(object), object)?.defs[0];
      const init = def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator ? def.node.init : undefined;
      if (init?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
      const property = init.properties.find(
        (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === name,
      );
      return property ? wallClock(analysis, property.value, program, depth + 1) : undefined;
    }
    case AST_NODE_TYPES.Identifier: {
      const variable = ASTUtils.findVariable(sourceCode.getScope(inner), inner);
      const def = variable?.defs[0];
      if (variable?.defs.length !== 1 || def?.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
      return wallClock(analysis, def.node.init, program, depth + 1);
    }
    default:
      return undefined;
  }
}

/**
 * `now()`: a project function (any module) whose every `return` is a wall-clock read. Only calls without
 * arguments: a clock takes none, and most calls have some, so few callees are resolved at all. Memoised
 * per function and mode.
 */
function returnedClock(analysis: FileAnalysis, call: TSESTree.CallExpression, program: TS.Program | undefined, depth: number): WallClock | undefined {
  if (call.arguments.length > 0) return undefined;
  const target = calledFunction(analysis, call, 'project', program);
  if (!target) return undefined;
  const memo = summaryMemo<WallClock>(target.analysis, 'wallClock', program);
  const cached = memo.get(target.node);
  if (cached !== undefined) return cached ? { ...cached, chain: [target, ...cached.chain] } : undefined;
  memo.set(target.node, null); // a recursive helper returns no clock of its own
  const returned: TSESTree.Node[] = [];
  const fn = target.node;
  if (fn.type === AST_NODE_TYPES.ArrowFunctionExpression && fn.expression) {
    returned.push(fn.body);
  } else if (fn.body) {
    walk(target.analysis.sourceCode, fn.body, (node) => {
      if (isFunction(node)) return false;
      if (node.type === AST_NODE_TYPES.ReturnStatement) returned.push(node.argument ?? node);
      return undefined;
    });
  }
  const reads = returned.map((value) => wallClock(target.analysis, value, program, depth + 1));
  const read = reads.length > 0 && reads.every((found) => found !== undefined) ? reads[0] : undefined;
  // Stored relative to the function: the chain below it.
  memo.set(target.node, read ?? null);
  return read ? { ...read, chain: [target, ...read.chain] } : undefined;
}
