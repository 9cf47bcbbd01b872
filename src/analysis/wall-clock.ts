/**
 * Wall-clock values: `Date.now()`, `new Date()` (the catalogue's `clockSources`, built-in and from
 * settings) and what is read from them, written here or returned
 * by a project function (`now()` in `lib/clock.ts` returning `Date.now()`), so a helper's clock flows
 * into an ordering exactly as a clock read in place does.
 */
import type * as TS from 'typescript';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { Catalog } from '../model/catalog.js';
import type { ClockSource } from '../model/catalog-types.js';
import { type FunctionInfo, calledFunction, summaryMemo, summaryTable } from './call-graph.js';
import type { FileAnalysis } from './file-analysis.js';
import { importSource, memberName, unwrap } from './shapes.js';
import { isFunction, walk } from './traverse.js';
import { variableOf } from './ast-helpers.js';

const { AST_NODE_TYPES } = TSESTree;

/** How many layers a clock is followed through (`currentDate()` → `now()` → `Date.now()`). */
const MAX_DEPTH = 4;

/** A clock source's callee, parsed: constructed or called, and its dotted path. */
interface ParsedClock {
  readonly source: ClockSource;
  readonly construct: boolean;
  readonly path: readonly string[];
}

const parsedClocks = new WeakMap<Catalog, readonly ParsedClock[]>();

/** The catalogue's wall clocks (monotonic ones left out), parsed once per catalogue. */
function wallClocks(catalog: Catalog): readonly ParsedClock[] {
  let parsed = parsedClocks.get(catalog);
  if (!parsed) {
    parsed = catalog.clockSources
      .filter((source) => !source.monotonic)
      .map((source) => {
        const construct = source.callee.startsWith('new ');
        return { source, construct, path: (construct ? source.callee.slice(4) : source.callee).split('.') };
      });
    parsedClocks.set(catalog, parsed);
  }
  return parsed;
}

/** `a.b.c` as `['a', 'b', 'c']` with the root identifier; undefined for any other shape. */
function calleePath(node: TSESTree.Node): { root: TSESTree.Identifier; path: string[] } | undefined {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Identifier) return { root: inner, path: [inner.name] };
  const name = memberName(inner);
  if (inner.type !== AST_NODE_TYPES.MemberExpression || name === undefined) return undefined;
  const object = calleePath(inner.object);
  return object && { root: object.root, path: [...object.path, name] };
}

/** The root of a clock's callee is the global it names (no binding shadows it), or an import from its package. */
function rootMatches(analysis: FileAnalysis, root: TSESTree.Identifier, source: ClockSource): boolean {
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(root), root.name);
  if (source.package === undefined) return !variable || variable.defs.length === 0;
  const def = variable?.defs[0];
  return def?.type === 'ImportBinding' && importSource(def.parent) === source.package;
}

/** The wall clock a call or construction reads: `Date.now()`, `new Date()`, a user's `clock.now()`. */
export function clockSourceOf(analysis: FileAnalysis, node: TSESTree.CallExpression | TSESTree.NewExpression): ClockSource | undefined {
  const construct = node.type === AST_NODE_TYPES.NewExpression;
  if (construct && node.arguments.length > 0) return undefined;
  const callee = calleePath(node.callee);
  if (!callee) return undefined;
  const clock = wallClocks(analysis.settings.catalog).find(
    (candidate) =>
      candidate.construct === construct &&
      candidate.path.length === callee.path.length &&
      candidate.path.every((segment, index) => segment === callee.path[index]) &&
      rootMatches(analysis, callee.root, candidate.source),
  );
  return clock?.source;
}

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
      if (clockSourceOf(analysis, inner)) return here;
      const callee = unwrap(inner.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = memberName(callee);
        const object = unwrap(callee.object);
        if (method && /^(getTime|valueOf|toISOString|toJSON)$/.test(method)) return wallClock(analysis, object, program, depth + 1);
      }
      return returnedClock(analysis, inner, program, depth);
    }
    case AST_NODE_TYPES.NewExpression: {
      if (clockSourceOf(analysis, inner)) return here;
      if (inner.callee.type !== AST_NODE_TYPES.Identifier || inner.callee.name !== 'Date' || !isGlobal(analysis, 'Date', inner.callee)) return undefined;
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
      const def = variableOf(sourceCode, object)?.defs[0];
      const init = def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator ? def.node.init : undefined;
      if (init?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
      const property = init.properties.find(
        (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === name,
      );
      return property ? wallClock(analysis, property.value, program, depth + 1) : undefined;
    }
    case AST_NODE_TYPES.Identifier: {
      const variable = variableOf(sourceCode, inner);
      const def = variable?.defs[0];
      if (variable?.defs.length !== 1 || def?.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
      return wallClock(analysis, def.node.init, program, depth + 1);
    }
    default:
      return undefined;
  }
}

const returnedClocks = summaryMemo<WallClock>();

/**
 * `now()`: a project function (any module) whose every `return` is a wall-clock read. Only calls without
 * arguments: a clock takes none, and most calls have some, so few callees are resolved at all. Memoised
 * per function and mode.
 */
function returnedClock(analysis: FileAnalysis, call: TSESTree.CallExpression, program: TS.Program | undefined, depth: number): WallClock | undefined {
  if (call.arguments.length > 0) return undefined;
  const target = calledFunction(analysis, call, 'project', program);
  if (!target) return undefined;
  const memo = summaryTable(returnedClocks, target.analysis, program);
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
