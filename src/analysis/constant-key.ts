/**
 * Is a lock key the same for every caller? Literals, templates without expressions, `const`
 * bindings, enum members, properties of constant objects, same-file zero-argument functions that
 * return one, and arrays of resources that contain one (Redlock locks every listed resource).
 */
import { TSESTree } from '@typescript-eslint/types';
import { staticValue } from './argument-shapes.js';
import type { FileAnalysis } from './file-analysis.js';
import { memberName, unwrap } from './resolve-value.js';
import { walk } from './traverse.js';
import { variableOf } from './ast-helpers.js';

const { AST_NODE_TYPES } = TSESTree;

/** A constant key: the node that is constant and a readable rendering of it. */
export interface ConstantKey {
  /** The constant part (the array element for a resource list). */
  readonly node: TSESTree.Node;
  /** `'bookings-lock'`, `PgLock.EmailDomains (4201)`, `LOCK_KEY`. */
  readonly text: string;
  /** The value when it is known (`'bookings-lock'`, `4201`). */
  readonly value: string | number | undefined;
  /** Names written in the source (`PgLock`, `EmailDomains`, `LOCK_KEY`), for `allowKeys`. */
  readonly names: readonly string[];
}

function isEnumMember(analysis: FileAnalysis, node: TSESTree.MemberExpression): boolean {
  const object = unwrap(node.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return false;
  const def = variableOf(analysis.sourceCode, object)?.defs[0];
  return def?.node.type === AST_NODE_TYPES.TSEnumDeclaration;
}

/** A same-file function with no parameters whose every `return` is constant: `function lockKey() { return 'jobs'; }`. */
function constantReturn(analysis: FileAnalysis, call: TSESTree.CallExpression, depth: number): ConstantKey | undefined {
  if (call.arguments.length > 0) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const def = variableOf(analysis.sourceCode, callee)?.defs[0];
  let fn: TSESTree.Node | undefined;
  if (def?.type === 'FunctionName') fn = def.node;
  else if (def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator) fn = def.node.init ?? undefined;
  if (
    !fn ||
    (fn.type !== AST_NODE_TYPES.FunctionDeclaration &&
      fn.type !== AST_NODE_TYPES.FunctionExpression &&
      fn.type !== AST_NODE_TYPES.ArrowFunctionExpression) ||
    fn.params.length > 0
  ) {
    return undefined;
  }
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
    const key = constantKey(analysis, fn.body, depth + 1);
    return key && { ...key, names: [callee.name, ...key.names] };
  }
  const returns: TSESTree.Expression[] = [];
  walk(analysis.sourceCode, fn.body, (node) => {
    if (node !== fn && (node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression)) {
      return false;
    }
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) returns.push(node.argument);
    return undefined;
  });
  if (returns.length === 0) return undefined;
  const keys = returns.map((expression) => constantKey(analysis, expression, depth + 1));
  if (keys.some((key) => !key)) return undefined;
  return { ...keys[0]!, names: [callee.name, ...keys[0]!.names] };
}

function renderValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * Could `constantKey` find a constant here? A necessary condition read from the syntax and the scope
 * alone (no value is evaluated): a cheap filter before the lookups, for calls that rarely need them.
 * It rejects what `getStaticValue` cannot evaluate: a parameter, an import, a function or class name,
 * `this`, and anything built from one.
 */
export function mayBeConstantKey(analysis: FileAnalysis, node: TSESTree.Node, depth = 0): boolean {
  if (depth > 4) return true; // too deep to tell cheaply: let constantKey decide
  const inner = unwrap(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Literal:
      return typeof inner.value === 'string' || typeof inner.value === 'number' || typeof inner.value === 'bigint';
    case AST_NODE_TYPES.ArrayExpression:
      return inner.elements.some((element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && mayBeConstantKey(analysis, element, depth + 1));
    case AST_NODE_TYPES.CallExpression:
      return inner.arguments.length === 0;
    case AST_NODE_TYPES.TemplateLiteral:
      return inner.expressions.every((expression) => mayBeConstantKey(analysis, expression, depth + 1));
    case AST_NODE_TYPES.BinaryExpression:
      return inner.left.type !== AST_NODE_TYPES.PrivateIdentifier && mayBeConstantKey(analysis, inner.left, depth + 1) && mayBeConstantKey(analysis, inner.right, depth + 1);
    case AST_NODE_TYPES.Identifier:
      return mayBeConstantBinding(analysis, inner, false);
    case AST_NODE_TYPES.MemberExpression: {
      // The root of `A.b.c` decides: an enum or a constant object may hold a constant, `this` or an import does not.
      let root: TSESTree.Node = unwrap(inner.object);
      while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
      if (root.type === AST_NODE_TYPES.ThisExpression || root.type === AST_NODE_TYPES.Super) return false;
      return root.type !== AST_NODE_TYPES.Identifier || mayBeConstantBinding(analysis, root, true);
    }
    default:
      return false;
  }
}

/**
 * Can `getStaticValue` (or the enum test) read a value through this name? Only a single variable
 * definition with an initialiser, an enum (as a member's object), or a global it knows by name.
 */
function mayBeConstantBinding(analysis: FileAnalysis, node: TSESTree.Identifier, asObject: boolean): boolean {
  const variable = variableOf(analysis.sourceCode, node);
  if (!variable || variable.defs.length === 0) return true; // a global such as `Number` or `Infinity`
  const def = variable.defs[0]!;
  if (asObject && def.node.type === AST_NODE_TYPES.TSEnumDeclaration) return true; // merged enums too
  if (variable.defs.length > 1) return false;
  return def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null;
}

/**
 * The constant part of a lock key, or undefined when the key has a per-caller part.
 *
 * @example
 * constantKey(analysis, `'bookings-lock'`) // { text: "'bookings-lock'", value: 'bookings-lock' }
 * constantKey(analysis, `['workspace-start', id]`) // { text: "'workspace-start'" }: Redlock locks both
 * constantKey(analysis, `` `order:${id}` ``) // undefined
 */
export function constantKey(analysis: FileAnalysis, node: TSESTree.Node, depth = 0): ConstantKey | undefined {
  if (depth > 4) return undefined;
  const inner = unwrap(node);
  const { sourceCode } = analysis;
  switch (inner.type) {
    case AST_NODE_TYPES.Literal: {
      // The common key, read without a scope lookup.
      const literal = inner.value;
      if (typeof literal !== 'string' && typeof literal !== 'number' && typeof literal !== 'bigint') return undefined;
      const value = typeof literal === 'bigint' ? Number(literal) : literal;
      return { node: inner, text: renderValue(value), value, names: [] };
    }
    case AST_NODE_TYPES.ArrayExpression: {
      for (const element of inner.elements) {
        if (!element || element.type === AST_NODE_TYPES.SpreadElement) continue;
        const key = constantKey(analysis, element, depth + 1);
        if (key) return key;
      }
      return undefined;
    }
    case AST_NODE_TYPES.MemberExpression:
      if (isEnumMember(analysis, inner)) {
        const known = staticValue(analysis, inner);
        const member = memberName(inner);
        const object = unwrap(inner.object) as TSESTree.Identifier;
        return {
          node: inner,
          text: sourceCode.getText(inner),
          value: known && (typeof known.value === 'string' || typeof known.value === 'number') ? known.value : undefined,
          names: [object.name, ...(member ? [member] : [])],
        };
      }
      break;
    case AST_NODE_TYPES.CallExpression: {
      const returned = constantReturn(analysis, inner, depth);
      if (returned) return { ...returned, node: inner, text: `${sourceCode.getText(inner)} (${returned.text})` };
      break;
    }
    default:
      break;
  }
  // Expression-free templates, `const` bindings and constant object properties.
  if (
    inner.type !== AST_NODE_TYPES.TemplateLiteral &&
    inner.type !== AST_NODE_TYPES.Identifier &&
    inner.type !== AST_NODE_TYPES.MemberExpression &&
    inner.type !== AST_NODE_TYPES.BinaryExpression
  ) {
    return undefined;
  }
  const known = staticValue(analysis, inner);
  if (!known || (typeof known.value !== 'string' && typeof known.value !== 'number' && typeof known.value !== 'bigint')) return undefined;
  const value = typeof known.value === 'bigint' ? Number(known.value) : known.value;
  const names: string[] = [];
  walk(sourceCode, inner, (child) => {
    if (child.type === AST_NODE_TYPES.Identifier) names.push(child.name);
  });
  const rendered = renderValue(value);
  const written = sourceCode.getText(inner);
  return {
    node: inner,
    text: written === rendered ? rendered : `${written} (${rendered})`,
    value,
    names,
  };
}
