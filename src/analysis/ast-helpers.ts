/**
 * Small questions about AST nodes that several rules and analyses ask: which function or class a node
 * is in, whether a value is awaited, whether a call waits on purpose, and short renderings of code for
 * messages. Each is written once here.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { Catalog } from '../model/catalog.js';
import { memberName, methodName, nameOf, unwrap } from './shapes.js';
import { isFunction, walkCode } from './traverse.js';
import { splitWords } from './words.js';
import { detached } from '../util/detached.js';

/**
 * The variable an identifier names, looked up by name from the identifier's own scope. Handed the node,
 * `ASTUtils.findVariable` first descends from that scope through every child scope whose range holds the
 * node; ESLint's scope of a node is already the innermost, so the descent finds nothing and costs a pass
 * over the child scopes: at module level, every top-level function of the file, for each lookup.
 */
export function variableOf(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier.name);
}

const { AST_NODE_TYPES } = TSESTree;

// --- Enclosing functions and classes -----------------------------------------------------------

/** Every function around `node`, innermost first. */
export function* enclosingFunctions(node: TSESTree.Node): Generator<TSESTree.FunctionLike> {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) yield current;
  }
}

/** The innermost function around `node`. */
export function enclosingFunction(node: TSESTree.Node): TSESTree.FunctionLike | undefined {
  return enclosingFunctions(node).next().value ?? undefined;
}

/** The name of the function a node is in: `migrateSqlFiles`, `runMigrations`, a method, the variable holding an arrow. */
export function enclosingFunctionName(node: TSESTree.Node): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property) && parent.key.type === AST_NODE_TYPES.Identifier) {
    return parent.key.name;
  }
  return undefined;
}

/** The body of the class `node` is written in (through any functions). */
export function enclosingClassBody(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  let current: TSESTree.Node | undefined = node.parent;
  while (current && current.type !== AST_NODE_TYPES.ClassBody) current = current.parent;
  return current?.type === AST_NODE_TYPES.ClassBody ? current : undefined;
}

/** The identifier a parameter binds: `id`, `id = 0`, `private readonly id` (`undefined` for a pattern). */
export function parameterIdentifier(param: TSESTree.Parameter): TSESTree.Identifier | undefined {
  const target = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  const id = target.type === AST_NODE_TYPES.AssignmentPattern ? target.left : target;
  return id.type === AST_NODE_TYPES.Identifier ? id : undefined;
}

// --- Awaits ------------------------------------------------------------------------------------

/** Is the value of `node` itself waited for: `await x`, `x.then(...)`, or a variable holding it awaited later? */
export function isAwaited(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (parent.type === AST_NODE_TYPES.AwaitExpression) return true;
    if (parent.type === AST_NODE_TYPES.ChainExpression || parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.TSNonNullExpression) continue;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current && memberName(parent) === 'then') return true;
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current) {
      // const settled = Promise.allSettled(...); await settled
      const [variable] = sourceCode.getDeclaredVariables(parent);
      return variable?.references.some((reference) => reference.identifier.parent?.type === AST_NODE_TYPES.AwaitExpression) ?? false;
    }
    return false;
  }
  return false;
}

/** Is `node` awaited before `boundary` ends, directly or inside what is awaited (`await Promise.all([… node …])`, `for await`)? */
export function isAwaitedWithin(node: TSESTree.Node, boundary: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node;
  while (current && current !== boundary) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) return true;
    if (current.type === AST_NODE_TYPES.ForOfStatement && current.await) return true;
    if (isFunction(current)) return false;
    current = current.parent;
  }
  return false;
}

/** An awaited call and the `await` around it. */
export interface AwaitedCall {
  readonly call: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression;
  readonly await: TSESTree.AwaitExpression;
}

/**
 * Does `test` hold for a call awaited in `region` (`await f()`, `` await sql`…` ``)? Only awaits that
 * end after `after` and start before `before` count; nested functions are searched only with
 * `enterFunctions`.
 */
export function someAwaitedCall(
  sourceCode: Readonly<TSESLint.SourceCode>,
  region: TSESTree.Node,
  test: (awaited: AwaitedCall) => boolean,
  { after = -Infinity, before = Infinity, enterFunctions = false }: { after?: number; before?: number; enterFunctions?: boolean } = {},
): boolean {
  let found = false;
  walkCode(sourceCode, region, (child) => {
    if (found || child.range[0] >= before) return false;
    if (!enterFunctions && child !== region && isFunction(child)) return false;
    if (child.type !== AST_NODE_TYPES.AwaitExpression || child.range[1] <= after) return undefined;
    const call = unwrap(child.argument);
    if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.TaggedTemplateExpression) return undefined;
    if (test({ call, await: child })) found = true;
    return undefined;
  });
  return found;
}

/** Is there a `throw` anywhere under `node` (nested functions included)? */
export function containsThrow(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  let found = false;
  walkCode(sourceCode, node, (child) => {
    if (found) return false;
    if (child.type === AST_NODE_TYPES.ThrowStatement) found = true;
    return undefined;
  });
  return found;
}

/** `xs.sort(…)`, `xs.toSorted(…)`. */
export function isSortCall(node: TSESTree.Node | undefined): node is TSESTree.CallExpression {
  if (node?.type !== AST_NODE_TYPES.CallExpression) return false;
  const method = methodName(node);
  return method === 'sort' || method === 'toSorted';
}

// --- Calls that wait on purpose ------------------------------------------------------------------

/** The names a call is known by: the function or method, and for a method its receiver's name (`limiter`, `this.limiter`). */
export function calleeWords(call: TSESTree.CallExpression | TSESTree.NewExpression): string[] {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return [callee.name];
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const names = [memberName(callee) ?? ''];
    const object = unwrap(callee.object);
    if (object.type === AST_NODE_TYPES.Identifier) names.push(object.name);
    if (object.type === AST_NODE_TYPES.MemberExpression) names.push(memberName(object) ?? '');
    return names;
  }
  return [];
}

/** Does a name hold a word of `list` (`withLock` holds `lock`)? */
export function hasWordIn(name: string | undefined, list: { test(word: string): boolean }): boolean {
  if (name === undefined) return false;
  // Rules ask this of every callee name (`pipe`, `map`, `get` over and over): one answer per list and name.
  let answers = wordAnswers.get(list);
  if (!answers) wordAnswers.set(list, (answers = new Map()));
  let answer = answers.get(name);
  if (answer === undefined) {
    if (answers.size > 20_000) answers.clear(); // a bound keeps memory flat
    answer = splitWords(name).some((word) => list.test(word));
    answers.set(detached(name), answer);
  }
  return answer;
}

const wordAnswers = new WeakMap<object, Map<string, boolean>>();

/** A call that is a delay by its own name: `sleep(ms)`, `delay()`, `setTimeout(…)`, `this.wait()` (the catalogue's delay words). */
export function isDelayCall(catalog: Catalog, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  return catalog.vocabulary.delayWords.test(nameOf(call.callee));
}

/**
 * A call whose names mention a delay anywhere: `sleepWithJitter()`, `backoff.next()`, `this.throttler.run()`.
 * Looser than {@link isDelayCall}: it says a loop paces itself, not that one call is only a pause.
 */
export function mentionsDelay(catalog: Catalog, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  return calleeWords(call).some((name) => hasWordIn(name, catalog.vocabulary.delayWords));
}

/** An HTTP request: a catalogue HTTP function (`fetch(url)`) or a method of an HTTP client (`axios.post`). */
export function isHttpCall(catalog: Catalog, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return catalog.vocabulary.httpFunctions.test(callee.name);
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = unwrap(callee.object);
    return object.type === AST_NODE_TYPES.Identifier && catalog.vocabulary.httpClients.test(object.name);
  }
  return false;
}

// --- Code as text, for messages ----------------------------------------------------------------

/** The callee of a call as written, without spaces, cut to its last 48 characters: `prisma.booking.create`. */
export function calleeText(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression): string {
  const callee = node.type === AST_NODE_TYPES.TaggedTemplateExpression ? node.tag : node.callee;
  const text = sourceCode.getText(callee).replace(/\s+/g, '');
  return text.length > 48 ? `…${text.slice(-47)}` : text;
}

/** An expression as written when it is short and on one line (`this.replicas`, `items`), else `undefined`. */
export function shortCode(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node | undefined, max = 40): string | undefined {
  if (!node) return undefined;
  const text = sourceCode.getText(node);
  return text.length <= max && !text.includes('\n') ? text : undefined;
}

/** An expression on one line, cut to `max` characters with an ellipsis: `a.updatedAt > b.updatedAt`. */
export function clippedCode(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, max = 40): string {
  const text = sourceCode.getText(unwrap(node)).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
