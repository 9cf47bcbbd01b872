/**
 * Whether a read in an iteration is one step of a chain the iteration walks: its key or its branch
 * comes from an earlier awaited result of the same iteration, or its own result picks the I/O that
 * follows (a cache lookup with a fallback, find-or-create). Such reads batch only by restructuring the
 * whole iteration, so the loop rule leaves them out and reports the reads keyed by the item alone.
 * Also: a loop over page numbers, and the project getters a per-item read may hide behind.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import { enclosingFunction, variableOf } from './ast-helpers.js';
import type { CallNode } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { type LoopContext, itemReferences } from './loop-context.js';
import { fileMemo } from './memo.js';
import { unwrap } from './resolve-value.js';
import { contains, containsAny, isFunction, walk } from './traverse.js';

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
  return iterationValueMemo.get(analysis, body, () => collectIterationValues(analysis, body));
}

const iterationValueMemo = fileMemo<TSESTree.Node, IterationValues>();

function collectIterationValues(analysis: FileAnalysis, body: TSESTree.Node): IterationValues {
  const found = new Set<TSESLint.Scope.Variable>();
  const lookedUp = new Set<TSESLint.Scope.Variable>();
  walk(analysis.sourceCode, body, (child) => {
    if (child.type === AST_NODE_TYPES.VariableDeclarator && child.init && holdsAwait(analysis, child.init)) {
      for (const variable of analysis.sourceCode.getDeclaredVariables(child)) found.add(variable);
    } else if (child.type === AST_NODE_TYPES.VariableDeclarator && child.init && isLookup(child.init)) {
      for (const variable of analysis.sourceCode.getDeclaredVariables(child)) lookedUp.add(variable);
    }
    if (child.type === AST_NODE_TYPES.AssignmentExpression && child.left.type === AST_NODE_TYPES.Identifier && holdsAwait(analysis, child.right)) {
      const variable = variableOf(analysis.sourceCode, child.left);
      if (variable) found.add(variable);
    }
    return undefined;
  });
  return { awaited: found, lookedUp };
}

/** Does `root` name one of `variables`, or hold an `await` of its own? */
function usesAwaited(analysis: FileAnalysis, root: TSESTree.Node, variables: ReadonlySet<TSESLint.Scope.Variable>, excluded?: TSESTree.Node): boolean {
  let found = false;
  walk(analysis.sourceCode, root, (child) => {
    if (found || (excluded && child === excluded)) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression) found = true;
    if (child.type === AST_NODE_TYPES.Identifier) {
      const variable = variableOf(analysis.sourceCode, child);
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
      const variable = variableOf(analysis.sourceCode, child);
      if (variable && earlier.has(variable)) keyFromAwaited = true;
    }
    return undefined;
  });
  return keyFromAwaited || gatedByAwaited(analysis, read, body, new Set([...earlier, ...lookedUp])) || picksFurtherIo(analysis, read, body);
}

/**
 * `findAll({ page: i })`, `find({ skip: n * size })`: the item is a page number or offset (the
 * catalogue's `pageKeys`), so the loop walks pages of one query (a page cursor), not items.
 */
export function pagedByItem(analysis: FileAnalysis, node: CallNode, loop: LoopContext): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const { pageKeys } = analysis.settings.catalog.vocabulary;
  const itemRefs = itemReferences(loop);
  let paged = false;
  walk(analysis.sourceCode, outermostChain(node), (child) => {
    if (paged) return false;
    if (child.type !== AST_NODE_TYPES.Property || child.computed || child.key.type !== AST_NODE_TYPES.Identifier || !pageKeys.test(child.key.name)) return undefined;
    if (containsAny(child.value, itemRefs)) paged = true;
    return undefined;
  });
  return paged;
}

/**
 * A getter of the project (`usersService.findOne(id)` → `repo.findOneBy({ id })`): `fn` returns the
 * read, keyed by one of its parameters, not chained on an earlier result of its own body, and with no
 * memo in front of it. Then calling `fn` per item reads per item.
 */
export function isKeyedGetter(analysis: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
  const body = fn.body;
  if (!body || !keyedByParameter(analysis, fn, read) || !returnsRead(analysis, fn, read)) return false;
  return !readIsDependent(analysis, read, body) && !memoisedBefore(analysis, fn, read);
}

/** Nodes a value passes through unchanged on its way to a `return` or a binding. */
const PASS_THROUGH: ReadonlySet<string> = new Set([AST_NODE_TYPES.AwaitExpression, AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.ChainExpression]);

/** `return read(…)`, `return await read(…)`, `=> read(…)`, or `const row = await read(…); …; return row;` in `fn`. */
function returnsRead(analysis: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
  let value: TSESTree.Node = outermostChain(read);
  while (value.parent && PASS_THROUGH.has(value.parent.type)) value = value.parent;
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement) return enclosingFunction(parent) === fn;
  if (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value) return parent === fn;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== value || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const [variable] = analysis.sourceCode.getDeclaredVariables(parent);
  return (variable?.references ?? []).some((reference) => {
    const use = reference.identifier.parent;
    return use?.type === AST_NODE_TYPES.ReturnStatement && enclosingFunction(use) === fn;
  });
}

/**
 * `if (cache[name]) return cache[name];` before the read, on a value that outlives the call (a
 * module-level map, `this.cache`): the read fills a memo once per key, not once per call.
 */
function memoisedBefore(analysis: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  return fn.body.body.some((statement) => {
    if (statement.range[0] >= read.range[0] || statement.type !== AST_NODE_TYPES.IfStatement) return false;
    const leaves = statement.consequent.type === AST_NODE_TYPES.ReturnStatement || (statement.consequent.type === AST_NODE_TYPES.BlockStatement && statement.consequent.body.at(-1)?.type === AST_NODE_TYPES.ReturnStatement);
    if (!leaves) return false;
    let outlives = false;
    walk(analysis.sourceCode, statement.test, (child) => {
      if (outlives || child.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      let root: TSESTree.Node = child;
      while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
      if (root.type === AST_NODE_TYPES.ThisExpression) outlives = true;
      if (root.type === AST_NODE_TYPES.Identifier) {
        const def = variableOf(analysis.sourceCode, root)?.defs[0];
        if (def && def.type !== 'Parameter' && !contains(fn, def.name)) outlives = true;
      }
      return undefined;
    });
    return outlives;
  });
}

/** The read's call chain names a parameter of `fn`, or a local built from one: the read is per call. */
function keyedByParameter(analysis: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
  let keyed = false;
  const isParameter = (identifier: TSESTree.Identifier, depth: number): boolean => {
    const variable = variableOf(analysis.sourceCode, identifier);
    const def = variable?.defs[0];
    if (!def) return false;
    if (def.type === 'Parameter') return def.node === fn;
    // const key = `user:${id}`: one step from a parameter
    const declarator = def.node;
    if (depth > 1 || declarator.type !== AST_NODE_TYPES.VariableDeclarator || !declarator.init || !contains(fn, declarator)) return false;
    let fromParameter = false;
    walk(analysis.sourceCode, declarator.init, (child) => {
      if (child.type === AST_NODE_TYPES.Identifier && isParameter(child, depth + 1)) fromParameter = true;
    });
    return fromParameter;
  };
  walk(analysis.sourceCode, outermostChain(read), (child) => {
    if (keyed) return false;
    if (child.type === AST_NODE_TYPES.Identifier && isParameter(child, 0)) keyed = true;
    return undefined;
  });
  return keyed;
}

/** The file imports a GraphQL server or schema package (the catalogue's `graphqlModules`), where per-parent reads are the classic N+1. */
export function servesGraphql(analysis: FileAnalysis): boolean {
  const { graphqlModules } = analysis.settings.catalog.vocabulary;
  return analysis.sourceCode.ast.body.some((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && graphqlModules.test(String(statement.source.value)));
}
