/**
 * Whether a read in an iteration is one step of a chain the iteration walks: its key or its branch
 * comes from an earlier awaited result of the same iteration, or its own result picks the I/O that
 * follows (a cache lookup with a fallback, find-or-create). Such reads batch only by restructuring the
 * whole iteration, so the loop rule leaves them out and reports the reads keyed by the item alone.
 */
import { ASTUtils, type TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { FileAnalysis } from './file-analysis.js';
import { unwrap } from './resolve-value.js';
import { contains, isFunction, walk } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/** The whole call chain a call belongs to: `db.select().from(t).where(…)` for its `from(…)` call. */
export function outermostChain(node: TSESTree.Node): TSESTree.Node {
  let outer = node;
  for (;;) {
    const member = outer.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) return outer;
    const call = member.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return outer;
    outer = call;
  }
}

/** Does `root` (not its nested functions) hold an `await`, or is it inside a `for await` head? */
function holdsAwait(analysis: FileAnalysis, root: TSESTree.Node): boolean {
  let found = false;
  walk(analysis.sourceCode, root, (child) => {
    if (found || (child !== root && isFunction(child))) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression) found = true;
    return undefined;
  });
  return found;
}

/** A memo lookup: `byId[id]`, `cache.get(id)`. */
function isLookup(node: TSESTree.Node): boolean {
  const value = unwrap(node as TSESTree.Expression);
  if (value.type === AST_NODE_TYPES.MemberExpression) return value.computed;
  return value.type === AST_NODE_TYPES.CallExpression && value.callee.type === AST_NODE_TYPES.MemberExpression && !value.callee.computed && value.callee.property.type === AST_NODE_TYPES.Identifier && value.callee.property.name === 'get';
}

/** What the iteration learned before a read: values it awaited (`const user = await find(id)`), and memo lookups (`let e = dict[id]`). */
interface IterationValues {
  readonly awaited: ReadonlySet<TSESLint.Scope.Variable>;
  readonly lookedUp: ReadonlySet<TSESLint.Scope.Variable>;
}

/** Variables declared in `body` from an awaited value (`const user = await find(id)`, `const { a } = await b()`) or a memo lookup. */
function iterationValues(analysis: FileAnalysis, body: TSESTree.Node): IterationValues {
  const memo = (analysis.memo.get('iterationValues') ?? new WeakMap()) as WeakMap<TSESTree.Node, IterationValues>;
  analysis.memo.set('iterationValues', memo);
  const cached = memo.get(body);
  if (cached) return cached;
  const found = new Set<TSESLint.Scope.Variable>();
  const lookedUp = new Set<TSESLint.Scope.Variable>();
  walk(analysis.sourceCode, body, (child) => {
    if (child.type === AST_NODE_TYPES.VariableDeclarator && child.init && holdsAwait(analysis, child.init)) {
      for (const variable of analysis.sourceCode.getDeclaredVariables(child)) found.add(variable);
    } else if (child.type === AST_NODE_TYPES.VariableDeclarator && child.init && isLookup(child.init)) {
      for (const variable of analysis.sourceCode.getDeclaredVariables(child)) lookedUp.add(variable);
    }
    if (child.type === AST_NODE_TYPES.AssignmentExpression && child.left.type === AST_NODE_TYPES.Identifier && holdsAwait(analysis, child.right)) {
      const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(child), child.left);
      if (variable) found.add(variable);
    }
    return undefined;
  });
  const values = { awaited: found, lookedUp };
  memo.set(body, values);
  return values;
}

/** Does `root` name one of `variables`, or hold an `await` of its own? */
function usesAwaited(analysis: FileAnalysis, root: TSESTree.Node, variables: ReadonlySet<TSESLint.Scope.Variable>, excluded?: TSESTree.Node): boolean {
  let found = false;
  walk(analysis.sourceCode, root, (child) => {
    if (found || (excluded && child === excluded)) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression) found = true;
    if (child.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(child), child);
      if (variable && variables.has(variable)) found = true;
    }
    return undefined;
  });
  return found;
}

/**
 * The read runs on a branch an earlier awaited or looked-up value picks: `if (!cached) { … await
 * read(id) }`, `if (!byId[id]) byId[id] = await read(id)`, `cached ?? (await read(id))`,
 * `user ? await read(user.orgId) : null`, or after `if (cached) { …; continue; }`.
 */
function gatedByAwaited(analysis: FileAnalysis, read: TSESTree.Node, body: TSESTree.Node, awaited: ReadonlySet<TSESLint.Scope.Variable>): boolean {
  let child: TSESTree.Node = read;
  for (let current = read.parent; current && child !== body; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.BlockStatement) {
      const index = current.body.indexOf(child as TSESTree.Statement);
      const skipsOnHit = current.body
        .slice(0, Math.max(index, 0))
        .some((statement) => statement.type === AST_NODE_TYPES.IfStatement && leavesIteration(statement.consequent) && usesAwaited(analysis, statement.test, awaited));
      if (skipsOnHit) return true;
    }
    if (current.type === AST_NODE_TYPES.IfStatement && child !== current.test && usesAwaited(analysis, current.test, awaited)) return true;
    if (current.type === AST_NODE_TYPES.ConditionalExpression && child !== current.test && usesAwaited(analysis, current.test, awaited)) return true;
    if (current.type === AST_NODE_TYPES.LogicalExpression && child === current.right && usesAwaited(analysis, current.left, awaited)) return true;
  }
  return false;
}

/** The variable `const x = await read(…)` binds, when the read's value goes straight into one. */
function boundResult(analysis: FileAnalysis, read: TSESTree.Node): TSESLint.Scope.Variable | undefined {
  let value: TSESTree.Node = read;
  while (value.parent?.type === AST_NODE_TYPES.AwaitExpression || value.parent?.type === AST_NODE_TYPES.TSAsExpression || value.parent?.type === AST_NODE_TYPES.TSNonNullExpression) {
    value = value.parent;
  }
  const declarator = value.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== value || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  return analysis.sourceCode.getDeclaredVariables(declarator)[0];
}

/** Does the statement leave the iteration (`continue`, `return`, `break`)? */
function leavesIteration(statement: TSESTree.Node): boolean {
  const inner = statement.type === AST_NODE_TYPES.BlockStatement && statement.body.length > 0 ? statement.body[statement.body.length - 1]! : statement;
  return inner.type === AST_NODE_TYPES.ContinueStatement || inner.type === AST_NODE_TYPES.ReturnStatement || inner.type === AST_NODE_TYPES.BreakStatement;
}

/**
 * The read's own result picks further I/O of the iteration: tested by an `if`, `?:`, `??` or `||`
 * whose branch awaits (`if (!cached) { row = await db.find(id); await cache.set(…) }`,
 * `existing ?? (await create(…))`), or that skips the iteration's later awaits on a hit
 * (`if (cached) continue;`). A cache lookup with a fallback, or find-or-create.
 */
function picksFurtherIo(analysis: FileAnalysis, read: TSESTree.Node, body: TSESTree.Node): boolean {
  const variable = boundResult(analysis, read);
  const tests: TSESTree.Node[] = [];
  if (variable) {
    for (const reference of variable.references) tests.push(reference.identifier);
  } else {
    tests.push(read);
  }
  const readEnd = read.range[1];
  return tests.some((use) => {
    let child: TSESTree.Node = use;
    for (let current = use.parent; current && child !== body; child = current, current = current.parent) {
      if (isFunction(current)) return false;
      if (current.type === AST_NODE_TYPES.IfStatement && child === current.test) {
        if (holdsAwait(analysis, current.consequent) || (current.alternate && holdsAwait(analysis, current.alternate))) return true;
        // `if (cached) continue;`: a hit skips the rest (`if (!row) continue` only skips a missing row)
        return current.test === use && leavesIteration(current.consequent) && awaitsAfter(analysis, body, current.range[1]);
      }
      if (current.type === AST_NODE_TYPES.ConditionalExpression && child === current.test) {
        return holdsAwait(analysis, current.consequent) || holdsAwait(analysis, current.alternate);
      }
      if (current.type === AST_NODE_TYPES.LogicalExpression && child === current.left && current.left.range[1] >= readEnd) {
        return holdsAwait(analysis, current.right);
      }
    }
    return false;
  });
}

/** Is something awaited in `body` after `offset`? */
function awaitsAfter(analysis: FileAnalysis, body: TSESTree.Node, offset: number): boolean {
  let found = false;
  walk(analysis.sourceCode, body, (child) => {
    if (found || child.range[1] <= offset) return false;
    if (child !== body && isFunction(child)) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression && child.range[0] >= offset) found = true;
    return undefined;
  });
  return found;
}

/**
 * Is this read (a call inside `body`, one iteration of a loop or the body of a helper) one step of a
 * chain the iteration walks? True when its key or the branch it runs on comes from an earlier
 * awaited value of the iteration, or when its own result decides further I/O (a cache with a
 * fallback, find-or-create).
 *
 * @example
 * // for (const id of ids) { const user = await db.user(id); const org = await db.org(user.orgId) }
 * readIsDependent(analysis, orgRead, loopBody) // → true: the org read waits on the user read
 */
export function readIsDependent(analysis: FileAnalysis, read: TSESTree.Node, body: TSESTree.Node): boolean {
  if (!contains(body, read)) return false;
  const { awaited, lookedUp } = iterationValues(analysis, body);
  const chain = outermostChain(unwrap(read as TSESTree.Expression));
  // Its own binding does not count: `const user = await find(user)` cannot name itself.
  const own = boundResult(analysis, read);
  const earlier = own ? new Set([...awaited].filter((variable) => variable !== own)) : awaited;
  let keyFromAwaited = false;
  walk(analysis.sourceCode, chain, (child) => {
    if (keyFromAwaited) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression && child.argument !== read) keyFromAwaited = true;
    if (child.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(child), child);
      if (variable && earlier.has(variable)) keyFromAwaited = true;
    }
    return undefined;
  });
  return keyFromAwaited || gatedByAwaited(analysis, read, body, new Set([...earlier, ...lookedUp])) || picksFurtherIo(analysis, read, body);
}
