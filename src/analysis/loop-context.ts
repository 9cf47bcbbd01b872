/**
 * Loop context: which loop runs a node once per item, how the items are paid (sequential round
 * trips, parallel under `Promise.all`, floating promises), what the loop iterates, and whether it is
 * bounded by something that makes per-item calls the point (retry, poll, throttle, early exit,
 * cursor, chunk, migration run, shutdown).
 */
import type { TSESLint } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import { calleeWords, enclosingFunctionName, isAwaitedWithin, mentionsDelay, shortCode, variableOf } from './ast-helpers.js';
import { classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileMemo } from './memo.js';
import { memberName, unwrap } from './resolve-value.js';
import { contains, isFunction, walk, walkCode } from './traverse.js';
import { splitWords } from './words.js';

const { AST_NODE_TYPES } = TSESTree;

/** The loop shapes the analysis knows. */
export type LoopKind =
  | 'for'
  | 'for-of'
  | 'for-await'
  | 'for-in'
  | 'while'
  | 'do-while'
  | 'forEach'
  | 'map'
  | 'flatMap'
  | 'filter'
  | 'reduce';

/** How k iterations are paid: k sequential round trips, k calls in parallel, or k unawaited calls. */
export type IterationMode = 'sequential' | 'parallel' | 'floating';

/** Why a loop's per-item calls are intended rather than a missed batch. */
export type LoopBound = 'retry' | 'poll' | 'throttle' | 'early-exit' | 'cursor' | 'chunked' | 'migration' | 'shutdown';

/** The loop that runs a node once per item. */
export interface LoopContext {
  /** The loop statement, or the iterating call (`items.map(...)`). */
  readonly loop: TSESTree.Node;
  readonly kind: LoopKind;
  /** How the node's calls are paid across iterations. */
  readonly mode: IterationMode;
  /** The statement body, or the callback function. */
  readonly body: TSESTree.Node;
  /** What the loop iterates (`bookings` in `for (const b of bookings)`), when it iterates a collection. */
  readonly collection: TSESTree.Expression | undefined;
  /** A readable name for the collection (`bookings`, `this.replicas`, `items.filter(...)`). */
  readonly collectionName: string | undefined;
  /** The variables bound per item (`b`, the callback's element parameter, the index of a `for`). */
  readonly iterationVariables: readonly TSESLint.Scope.Variable[];
  /** The number of items when the collection is an array literal. */
  readonly knownIterations: number | undefined;
  /**
   * The collection is written in the code rather than read at run time: a literal, a constant
   * (`DEFAULT_TEAMS`, also imported, whose length syntax cannot see), or keys/values/entries of one.
   */
  readonly fixedInCode: boolean;
}

// A map, not an object literal: `items.constructor(fn)` must not find Object's own `constructor`.
const CALLBACK_KINDS: ReadonlyMap<string, LoopKind> = new Map([
  ['forEach', 'forEach'],
  ['map', 'map'],
  ['flatMap', 'flatMap'],
  ['filter', 'filter'],
  ['reduce', 'reduce'],
]);

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);

/** `Promise.all(<node>)` directly, or through a variable passed to it later. */
function flowsIntoPromiseCombinator(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  let parent = current.parent;
  while (parent && (parent.type === AST_NODE_TYPES.ChainExpression || parent.type === AST_NODE_TYPES.TSAsExpression)) {
    current = parent;
    parent = parent.parent;
  }
  if (parent && isPromiseCombinatorCall(parent) && parent.arguments[0] === current) return true;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current && parent.id.type === AST_NODE_TYPES.Identifier) {
    const [variable] = analysis.sourceCode.getDeclaredVariables(parent);
    return (
      variable?.references.some((reference) => {
        const use = reference.identifier.parent;
        return use !== undefined && isPromiseCombinatorCall(use) && use.arguments[0] === reference.identifier;
      }) ?? false
    );
  }
  return false;
}

/** `Promise.all(...)`, `Promise.allSettled(...)`, `Promise.any(...)`, `Promise.race(...)`. */
export function isPromiseCombinatorCall(node: TSESTree.Node): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(node.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Promise' &&
    PROMISE_COMBINATORS.has(memberName(callee) ?? '')
  );
}

/** `promises.push(call)`: collected for a later `Promise.all`. */
function isCollected(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (
    parent?.type === AST_NODE_TYPES.CallExpression &&
    parent.arguments.includes(node as TSESTree.CallExpressionArgument) &&
    parent.callee.type === AST_NODE_TYPES.MemberExpression &&
    memberName(parent.callee) === 'push'
  );
}

function declaredIn(analysis: FileAnalysis, node: TSESTree.Node | null | undefined): TSESLint.Scope.Variable[] {
  return node ? [...analysis.sourceCode.getDeclaredVariables(node)] : [];
}

/** What a loop's contexts share, whichever node inside asks: all but the node's own mode. */
type LoopShape = Omit<LoopContext, 'mode'>;

// Every call in a loop body asks for its context: the loop's shape is read once per loop.
const loopShapes = fileMemo<TSESTree.Node, LoopShape>();

// One context object per shape and mode, shared by every call that has it, rather than a copy per call.
const contextsByMode = new WeakMap<LoopShape, Partial<Record<IterationMode, LoopContext>>>();

function withMode(shape: LoopShape, mode: IterationMode): LoopContext {
  let contexts = contextsByMode.get(shape);
  if (!contexts) contextsByMode.set(shape, (contexts = {}));
  return (contexts[mode] ??= { ...shape, mode });
}

function statementLoop(
  analysis: FileAnalysis,
  loop: TSESTree.Node,
  from: TSESTree.Node,
  node: TSESTree.Node,
): LoopContext | undefined {
  const mode = (): IterationMode => (isAwaitedWithin(node, loop) ? 'sequential' : isCollected(node) ? 'parallel' : 'floating');
  switch (loop.type) {
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.ForInStatement: {
      if (from !== loop.body) return undefined;
      const shape = loopShapes.get(analysis, loop, () => {
        const collection = loop.right;
        return {
          loop,
          kind: loop.type === AST_NODE_TYPES.ForInStatement ? 'for-in' : loop.await ? 'for-await' : 'for-of',
          body: loop.body,
          collection,
          collectionName: shortCode(analysis.sourceCode, collection),
          iterationVariables: loop.left.type === AST_NODE_TYPES.VariableDeclaration ? declaredIn(analysis, loop.left) : [],
          ...fixedness(analysis, collection),
        };
      });
      return withMode(shape, loop.type === AST_NODE_TYPES.ForOfStatement && loop.await ? 'sequential' : mode());
    }
    case AST_NODE_TYPES.ForStatement: {
      if (from !== loop.body && from !== loop.test) return undefined;
      const shape = loopShapes.get(analysis, loop, () => ({
        loop,
        kind: 'for',
        body: loop.body,
        collection: forCollection(loop),
        collectionName: shortCode(analysis.sourceCode, forCollection(loop)),
        iterationVariables: loop.init?.type === AST_NODE_TYPES.VariableDeclaration ? declaredIn(analysis, loop.init) : [],
        knownIterations: undefined,
        fixedInCode: false,
      }));
      return withMode(shape, mode());
    }
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement: {
      if (from !== loop.body && from !== loop.test) return undefined;
      const shape = loopShapes.get(analysis, loop, () => ({
        loop,
        kind: loop.type === AST_NODE_TYPES.WhileStatement ? 'while' : 'do-while',
        body: loop.body,
        collection: undefined,
        collectionName: undefined,
        iterationVariables: [],
        knownIterations: undefined,
        fixedInCode: false,
      }));
      return withMode(shape, mode());
    }
    default:
      return undefined;
  }
}

/** `for (let i = 0; i < items.length; i++)` iterates `items`. */
export function forCollection(loop: TSESTree.ForStatement): TSESTree.Expression | undefined {
  const test = loop.test;
  if (test?.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '<' && test.operator !== '<=')) return undefined;
  const right = test.right;
  if (right.type === AST_NODE_TYPES.MemberExpression && memberName(right) === 'length') return right.object;
  return undefined;
}

function callbackLoop(analysis: FileAnalysis, fn: TSESTree.FunctionLike, node: TSESTree.Node): LoopContext | undefined {
  const kind = iterationKind(fn);
  if (!kind) return undefined;
  const call = fn.parent as TSESTree.CallExpression;
  const callee = unwrap(call.callee) as TSESTree.MemberExpression;
  const shape = callbackShapes.get(analysis, call, () => {
    const collection = callee.object;
    const params = declaredIn(analysis, fn).filter((variable) => variable.defs[0]?.type === 'Parameter');
    const element = kind === 'reduce' ? params[1] : params[0];
    const index = kind === 'reduce' ? params[2] : params[1];
    return {
      loop: call,
      kind,
      // forEach floats its callbacks; map and the like run them in parallel when the results are awaited together.
      mode: kind === 'forEach' ? 'floating' : kind === 'reduce' || !flowsIntoPromiseCombinator(analysis, call) ? 'floating' : 'parallel',
      body: fn,
      collection: collection as TSESTree.Expression,
      collectionName: shortCode(analysis.sourceCode, collection),
      iterationVariables: [element, index].filter((v): v is TSESLint.Scope.Variable => v !== undefined),
      ...fixedness(analysis, collection),
    } satisfies LoopContext;
  });
  // items.reduce(async (prev, item) => { await prev; ... }, Promise.resolve()) chains the items; a
  // reduce that awaits nothing only builds a value (an array of queries, an object of promises).
  if (kind !== 'reduce') return shape;
  return withMode(shape, isAwaitedWithin(node, fn) ? 'sequential' : 'floating');
}

// The callback's shape and, but for `reduce`, its mode: once per iterating call.
const callbackShapes = fileMemo<TSESTree.CallExpression, LoopContext>();

function fixedness(analysis: FileAnalysis, collection: TSESTree.Node): Pick<LoopContext, 'knownIterations' | 'fixedInCode'> {
  const knownIterations = fixedSize(analysis, collection);
  return { knownIterations, fixedInCode: knownIterations !== undefined || isCodeConstant(collection) };
}

/** `DEFAULT_TEAMS_AND_ROLES`, `Object.entries(BLUEPRINTS)`, `config.REGIONS.filter(…)`: a constant by its name. */
function isCodeConstant(node: TSESTree.Node, depth = 0): boolean {
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.Identifier) return CONSTANT_NAME.test(value.name);
  if (value.type === AST_NODE_TYPES.MemberExpression) return CONSTANT_NAME.test(memberName(value) ?? '');
  if (value.type !== AST_NODE_TYPES.CallExpression || value.callee.type !== AST_NODE_TYPES.MemberExpression || depth > 2) return false;
  const method = memberName(value.callee);
  if (method === 'filter') return isCodeConstant(value.callee.object, depth + 1);
  const objectCall = value.callee.object.type === AST_NODE_TYPES.Identifier && value.callee.object.name === 'Object';
  return objectCall && (method === 'keys' || method === 'values' || method === 'entries') && !!value.arguments[0] && isCodeConstant(value.arguments[0], depth + 1);
}

/** SCREAMING_CASE: `REGIONS`, `DEFAULT_ROLES`, `V2_TABLES`. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** The initialiser of the `const` that `node` names (through `as const`, `satisfies`), or `node` itself. */
function constantValue(analysis: FileAnalysis, node: TSESTree.Node): TSESTree.Node {
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.Identifier) return value;
  const def = ASTUtils.findVariable(analysis.sourceCode.getScope(value), value.name)?.defs[0];
  const declarator = def?.node;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.parent.kind !== 'const' || !declarator.init) return value;
  return unwrap(declarator.init);
}

/**
 * How many items a collection fixed in the code holds: an array literal, a `const` bound to one,
 * `Object.keys`/`values`/`entries` of a constant object literal; `.filter()` of one keeps the bound.
 * Undefined for anything that depends on input.
 */
function fixedSize(analysis: FileAnalysis, node: TSESTree.Node, depth = 0): number | undefined {
  const value = constantValue(analysis, node);
  if (value.type === AST_NODE_TYPES.ArrayExpression) {
    // [...new Set([plan, DEFAULT])], [...BASE, extra]: spreads of fixed collections add their bound
    let size = 0;
    for (const element of value.elements) {
      if (element?.type !== AST_NODE_TYPES.SpreadElement) size += 1;
      else {
        const spread = depth > 2 ? undefined : fixedSize(analysis, element.argument, depth + 1);
        if (spread === undefined) return undefined;
        size += spread;
      }
    }
    return size;
  }
  if (value.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === 'Set' && value.arguments[0]) {
    return depth > 2 ? undefined : fixedSize(analysis, value.arguments[0], depth + 1);
  }
  if (value.type !== AST_NODE_TYPES.CallExpression || value.callee.type !== AST_NODE_TYPES.MemberExpression || depth > 2) return undefined;
  const method = memberName(value.callee);
  if (method === 'filter') return fixedSize(analysis, value.callee.object, depth + 1);
  const objectCall = value.callee.object.type === AST_NODE_TYPES.Identifier && value.callee.object.name === 'Object';
  if (!objectCall || (method !== 'keys' && method !== 'values' && method !== 'entries') || !value.arguments[0]) return undefined;
  const object = constantValue(analysis, value.arguments[0]);
  return object.type === AST_NODE_TYPES.ObjectExpression && object.properties.every((property) => property.type === AST_NODE_TYPES.Property)
    ? object.properties.length
    : undefined;
}

/**
 * The innermost loop that runs `node` once per item, or undefined. Function boundaries stop the
 * search, except iteration callbacks (`forEach`, `map`, `flatMap`, `filter`, `reduce`).
 *
 * @example
 * // for (const b of bookings) await prisma.booking.create({ data: b })
 * // → { kind: 'for-of', mode: 'sequential', collectionName: 'bookings', iterationVariables: [b] }
 */
export function loopContextOf(analysis: FileAnalysis, node: TSESTree.Node): LoopContext | undefined {
  // Three rules and the judgement ask for the same calls: one answer (and one object) per node.
  return loopContexts.get(analysis, node, () => findLoopContext(analysis, node));
}

const loopContexts = fileMemo<TSESTree.Node, LoopContext | undefined>();

/** The statement loops; `loopNesting` can count a subset of them. */
export type LoopStatementType =
  | TSESTree.ForStatement['type']
  | TSESTree.ForInStatement['type']
  | TSESTree.ForOfStatement['type']
  | TSESTree.WhileStatement['type']
  | TSESTree.DoWhileStatement['type'];

const STATEMENT_LOOPS: readonly LoopStatementType[] = [
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
];

/** Listeners that count loops around the node ESLint visits, and the count's one question. */
export interface LoopNesting {
  /** A new object per file, for the rule to add its own listeners to; no rule listens to these node types itself. */
  readonly listeners: Record<string, (node: TSESTree.Node) => void>;
  /** Is the node being visited inside a loop that {@link loopContextOf} could return? */
  inLoop(): boolean;
}

// The `Type` and `Type:exit` keys of each statement list a rule passes (a module constant): built once.
const exitKeys = new WeakMap<readonly LoopStatementType[], readonly string[]>();

/**
 * Counts, during ESLint's traversal, the loops around the node being visited: the `statements` given
 * and, with `callbacks`, the callbacks of iterating calls (`items.map(fn)`). Every ancestor is entered
 * before a node and left after it, so a count of 0 means no ancestor is such a loop, and
 * {@link loopContextOf} has none to find: the most common answer (most calls stand in no loop) costs no
 * walk up the tree. A count above 0 only says "ask" (a function between the loop and the node still
 * stops the search). With `counts`, only the statements it accepts count: a rule that asks about loops
 * of one kind (over targets, say) skips the rest as cheaply.
 */
export function loopNesting(
  statements: readonly LoopStatementType[] = STATEMENT_LOOPS,
  callbacks = true,
  counts?: (loop: TSESTree.Node) => boolean,
): LoopNesting {
  let depth = 0;
  // With `counts`, whether each statement being visited counted, innermost last.
  const counted: boolean[] = [];
  const enter = counts
    ? (node: TSESTree.Node): void => {
        const count = counts(node);
        counted.push(count);
        if (count) depth += 1;
      }
    : (): void => {
        depth += 1;
      };
  const leave = counts
    ? (): void => {
        if (counted.pop()) depth -= 1;
      }
    : (): void => {
        depth -= 1;
      };
  let keys = exitKeys.get(statements);
  if (!keys) exitKeys.set(statements, (keys = statements.map((type) => `${type}:exit`)));
  const listeners: Record<string, (node: TSESTree.Node) => void> = {};
  for (let i = 0; i < statements.length; i++) {
    listeners[statements[i]!] = enter;
    listeners[keys[i]!] = leave;
  }
  if (callbacks) {
    // Whether each function being visited counted, innermost last: its exit need not ask again.
    const countedFunctions: boolean[] = [];
    const enterFunction = (node: TSESTree.Node): void => {
      const callback = iterationKind(node as TSESTree.FunctionLike) !== undefined;
      countedFunctions.push(callback);
      if (callback) depth += 1;
    };
    const leaveFunction = (): void => {
      if (countedFunctions.pop()) depth -= 1;
    };
    listeners.ArrowFunctionExpression = enterFunction;
    listeners['ArrowFunctionExpression:exit'] = leaveFunction;
    listeners.FunctionExpression = enterFunction;
    listeners['FunctionExpression:exit'] = leaveFunction;
  }
  return { listeners, inLoop: () => depth > 0 };
}

/** The loop `fn` is the body of as the first argument of an iterating call (`map` for `items.map(fn)`), if any. */
function iterationKind(fn: TSESTree.FunctionLike): LoopKind | undefined {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return undefined;
  const callee = unwrap(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? CALLBACK_KINDS.get(memberName(callee) ?? '') : undefined;
}

function findLoopContext(analysis: FileAnalysis, node: TSESTree.Node): LoopContext | undefined {
  let from: TSESTree.Node = node;
  let current = node.parent;
  while (current) {
    if (isFunction(current)) return callbackLoop(analysis, current, node);
    const context = statementLoop(analysis, current, from, node);
    if (context) return context;
    from = current;
    current = current.parent;
  }
  return undefined;
}

/** Names declared by `const`/`let` inside a loop body, memoised per body: the cheap filter below. */
function declaredNames(analysis: FileAnalysis, body: TSESTree.Node): ReadonlySet<string> {
  return declaredNamesOf.get(analysis, body, () => {
    const found = new Set<string>();
    walkCode(analysis.sourceCode, body, (node) => {
      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier) found.add(node.id.name);
    });
    return found;
  });
}

const declaredNamesOf = fileMemo<TSESTree.Node, ReadonlySet<string>>();

// Keyed by the loop: every context of one loop binds the same variables.
const itemReferencesOf = new WeakMap<TSESTree.Node, ReadonlySet<TSESTree.Node>>();

/** The identifiers that read the loop's per-item variables (the item, the callback's index, a `for` counter). */
export function itemReferences(loop: LoopContext): ReadonlySet<TSESTree.Node> {
  let references = itemReferencesOf.get(loop.loop);
  if (!references) {
    references = new Set(loop.iterationVariables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
    itemReferencesOf.set(loop.loop, references);
  }
  return references;
}

/**
 * True when some identifier under `root`, outside the functions nested in it, reads the loop's item or a
 * variable the loop body declares from it.
 */
function refersToIteration(analysis: FileAnalysis, root: TSESTree.Node, context: LoopContext, depth = 0): boolean {
  // The item's own references first, by position: no walk of the subtree.
  for (const reference of itemReferences(context)) if (contains(root, reference) && !insideNestedFunction(reference, root)) return true;
  // A value computed inside the loop body from the item (`const row = toRow(b)`) is per item too.
  const localNames = declaredNames(analysis, context.body);
  if (depth > 3 || localNames.size === 0) return false;
  let found = false;
  walk(analysis.sourceCode, root, (child) => {
    if (found) return false;
    if (isFunction(child) && child !== root) return false;
    if (child.type !== AST_NODE_TYPES.Identifier || !localNames.has(child.name)) return undefined;
    const variable = variableOf(analysis.sourceCode, child);
    const def = variable?.defs[0];
    if (def && contains(context.body, def.name) && !context.iterationVariables.includes(variable!)) {
      const declarator = def.node;
      if (declarator.type === AST_NODE_TYPES.VariableDeclarator && declarator.init && refersToIteration(analysis, declarator.init, context, depth + 1)) {
        found = true;
      }
    }
    return undefined;
  });
  return found;
}

/** Does a function nested in `root` (not `root` itself) hold `node`? */
function insideNestedFunction(node: TSESTree.Node, root: TSESTree.Node): boolean {
  if (node === root) return false;
  for (let current = node.parent; current && current !== root; current = current.parent) if (isFunction(current)) return true;
  return false;
}

/** The iteration variable's role in a call: the target changes per item (fan-out) or the item does (per-item coordination). */
export type IterationRole = 'receiver' | 'payload' | 'none';

/**
 * For a call inside a loop: is the iteration variable the receiver (`replica.set(k, v)`: the same
 * payload to a different target each time, a fan-out) or the payload (`redis.set(item.id, item)`:
 * the same target gets a different item each time)? `no-sync-fan-out` owns receivers and
 * `no-coordination-in-loop` owns payloads, so the two rules never report the same node.
 */
export function classifyIteration(analysis: FileAnalysis, call: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression, context: LoopContext): IterationRole {
  const callee = unwrap(call.type === AST_NODE_TYPES.TaggedTemplateExpression ? call.tag : call.callee);
  const payload: TSESTree.Node[] = call.type === AST_NODE_TYPES.TaggedTemplateExpression ? [call.quasi] : [...call.arguments];
  // Builders continue after the call: etcd.delete().key(id), etcd.put(k).value(v).
  for (let outer: TSESTree.Node = call; ; ) {
    const member: TSESTree.Node | undefined = outer.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) break;
    const next: TSESTree.Node | undefined = member.parent;
    if (next?.type !== AST_NODE_TYPES.CallExpression || next.callee !== member) break;
    payload.push(...next.arguments);
    outer = next;
  }
  const targets: TSESTree.Node[] = [];
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    // The receiver's identity is its base and computed keys (replicas[i]); arguments of calls in its
    // chain (knex('t').where({ id: item.id })) are payload: the same target, a different item.
    let current: TSESTree.Node = unwrap(callee.object);
    for (;;) {
      if (current.type === AST_NODE_TYPES.MemberExpression) {
        if (current.computed) targets.push(current.property);
        current = unwrap(current.object);
      } else if (current.type === AST_NODE_TYPES.CallExpression) {
        payload.push(...current.arguments);
        current = unwrap(current.callee);
      } else {
        targets.push(current);
        break;
      }
    }
  }
  const refers = (node: TSESTree.Node): boolean => refersToIteration(analysis, node, context);
  if (targets.some(refers)) return 'receiver';
  // The payload next: a call whose payload holds no item holds none in the argument that names a target
  // either (it is one of the payload), so only the rest are classified, and most calls in a loop are not.
  if (!payload.some(refers)) return 'none';
  // A target named by an argument (an HTTP URL): the item decides it whole when the argument is a
  // binding or property (`hook.url`), not a URL built on a fixed base.
  const targetArgument = call.type === AST_NODE_TYPES.CallExpression ? classifyCall(analysis, call)?.operation.targetArgument : undefined;
  const named = targetArgument === undefined ? undefined : (call as TSESTree.CallExpression).arguments[targetArgument];
  const whole = named && unwrap(named);
  return whole && (whole.type === AST_NODE_TYPES.Identifier || whole.type === AST_NODE_TYPES.MemberExpression) && refers(whole) ? 'receiver' : 'payload';
}

const LIMITER_WORDS = new Set(['limiter', 'throttle', 'throttler', 'bottleneck', 'ratelimit', 'ratelimiter', 'limit']);
const RETRY_WORDS = new Set(['attempt', 'attempts', 'retry', 'retries', 'tries', 'try']);
const CURSOR_WORDS = new Set(['cursor', 'page', 'offset', 'token', 'next', 'after', 'marker', 'continuation', 'last', 'start', 'skip', 'since']);
const CHUNK_WORDS = new Set(['chunk', 'chunks', 'batch', 'batches', 'page', 'pages', 'slice', 'slices', 'group', 'groups', 'bucket', 'buckets', 'window', 'windows', 'partition', 'partitions']);
// A collection named `batch` holds items; one named `batches` holds batches.
const CHUNK_COLLECTION_WORDS = new Set(['chunks', 'batches', 'pages', 'slices', 'groups', 'buckets', 'windows', 'partitions']);
const MIGRATION_WORDS = new Set(['migration', 'migrations', 'migrate', 'migrator']);
const SHUTDOWN_WORDS = new Set(['close', 'shutdown', 'disconnect', 'quit', 'stop', 'destroy', 'dispose', 'end', 'teardown', 'cleanup']);

function hasWord(name: string | undefined, words: ReadonlySet<string>): boolean {
  return name !== undefined && splitWords(name).some((word) => words.has(word));
}

/** Does `loop`'s own body (not nested functions) contain a `break`/`return` that leaves it? */
function exitsEarly(analysis: FileAnalysis, context: LoopContext): boolean {
  let exits = false;
  // A `return` leaves a statement loop; in a callback it only ends that item.
  const isStatementLoop = !isFunction(context.body);
  walkCode(analysis.sourceCode, context.body, (node) => {
    if (exits) return false;
    if (node !== context.body && isFunction(node)) return false;
    if (isStatementLoop && node.type === AST_NODE_TYPES.ReturnStatement) exits = true;
    if (node.type === AST_NODE_TYPES.BreakStatement && node.label === null && breakTarget(node) === context.loop) exits = true;
    return undefined;
  });
  return exits;
}

function breakTarget(node: TSESTree.BreakStatement): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.SwitchStatement:
        return current;
      default:
        if (isFunction(current)) return undefined;
    }
  }
  return undefined;
}

/** The body tests `i % N` in an `if`: it does something (a flush, a pause) once every N items. */
function flushesEveryN(analysis: FileAnalysis, body: TSESTree.Node): boolean {
  let found = false;
  walkCode(analysis.sourceCode, body, (node) => {
    if (found || (node !== body && isFunction(node))) return false;
    if (node.type !== AST_NODE_TYPES.IfStatement) return undefined;
    walkCode(analysis.sourceCode, node.test, (part) => {
      if (part.type === AST_NODE_TYPES.BinaryExpression && part.operator === '%') found = true;
    });
    return undefined;
  });
  return found;
}

/**
 * Why this loop's per-item calls may be intended: the shared classifier the rules reuse.
 *
 * - `retry`: the loop counts attempts (`for (let attempt = 0; …)`, `while (retries-- > 0)`).
 * - `poll`: a loop without a collection that waits between passes (`while (!done) { await sleep(); … }`).
 * - `throttle`: a collection loop that waits or goes through a limiter per item.
 * - `early-exit`: the body leaves the loop (`break`, `return`) on a match.
 * - `cursor`: iterations depend on each other (a cursor, page token or offset carried to the next pass).
 * - `chunked`: each iteration handles a chunk (`for (const batch of chunk(items, 100))`).
 * - `migration`: an ordered run of migrations.
 * - `shutdown`: closing or disconnecting clients.
 */
export function loopBounds(analysis: FileAnalysis, context: LoopContext): ReadonlySet<LoopBound> {
  return boundsOf.get(analysis, context.loop, () => computeLoopBounds(analysis, context));
}

const boundsOf = fileMemo<TSESTree.Node, ReadonlySet<LoopBound>>();

/** Each bound is decided by its own reader; they run in the order the bounds are listed above. */
function computeLoopBounds(analysis: FileAnalysis, context: LoopContext): ReadonlySet<LoopBound> {
  const bounds = new Set<LoopBound>();
  const body = bodyFacts(analysis, context);
  if (countsAttempts(analysis, context)) bounds.add('retry');
  for (const bound of pacing(context, body)) bounds.add(bound);
  if (exitsEarly(analysis, context)) bounds.add('early-exit');
  if (carriesCursor(context, body)) bounds.add('cursor');
  if (isChunked(analysis, context)) bounds.add('chunked');
  if (runsMigrations(context)) bounds.add('migration');
  if (hasWord(context.collectionName, SHUTDOWN_WORDS)) bounds.add('shutdown');
  return bounds;
}

/** What one walk of the loop body finds: waits, limiters, and outer variables it assigns. */
interface BodyFacts {
  readonly delays: boolean;
  readonly limited: boolean;
  readonly outerAssigned: ReadonlySet<string>;
}

function bodyFacts(analysis: FileAnalysis, context: LoopContext): BodyFacts {
  let delays = false;
  let limited = false;
  const outerAssigned = new Set<string>();
  walkCode(analysis.sourceCode, context.body, (node) => {
    if (node !== context.body && node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
      const words = calleeWords(node);
      if (mentionsDelay(analysis.settings.catalog, node)) delays = true;
      if (words.slice(1).some((word) => hasWord(word, LIMITER_WORDS)) || words.some((word) => /^(?:limit|throttle|schedule)$/.test(word) && node.type === AST_NODE_TYPES.CallExpression && unwrap(node.callee).type === AST_NODE_TYPES.Identifier)) {
        limited = true;
      }
    }
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.Identifier) {
      const variable = analysis.sourceCode.getScope(node).references.find((r) => r.identifier === node.left)?.resolved;
      const def = variable?.defs[0];
      if (def && !contains(context.loop, def.name)) outerAssigned.add(node.left.name);
    }
    return undefined;
  });
  return { delays, limited, outerAssigned };
}

/** Retry: a counter named like attempts in the loop header, or an item or collection named so. */
function countsAttempts(analysis: FileAnalysis, context: LoopContext): boolean {
  const { loop } = context;
  const header =
    loop.type === AST_NODE_TYPES.ForStatement
      ? [loop.init, loop.test, loop.update]
      : loop.type === AST_NODE_TYPES.WhileStatement || loop.type === AST_NODE_TYPES.DoWhileStatement
        ? [loop.test]
        : [];
  let counted = false;
  for (const part of header) {
    if (!part) continue;
    walk(analysis.sourceCode, part, (node) => {
      if (node.type === AST_NODE_TYPES.Identifier && hasWord(node.name, RETRY_WORDS)) counted = true;
    });
  }
  return counted || context.iterationVariables.some((variable) => hasWord(variable.name, RETRY_WORDS)) || hasWord(context.collectionName, RETRY_WORDS);
}

/** Poll: a loop without a collection that waits between passes. Throttle: a collection loop that waits or goes through a limiter, or any loop through a limiter. */
function pacing(context: LoopContext, body: BodyFacts): LoopBound[] {
  const iteratesCollection = context.collection !== undefined;
  const bounds: LoopBound[] = [];
  if (body.delays && !iteratesCollection) bounds.push('poll');
  if ((body.delays || body.limited) && iteratesCollection) bounds.push('throttle');
  if (body.limited && !iteratesCollection) bounds.push('throttle');
  return bounds;
}

/** Cursor: a loop without a collection that carries state (a cursor, page token, offset) to the next pass. */
function carriesCursor(context: LoopContext, body: BodyFacts): boolean {
  if (context.collection !== undefined) return false;
  return [...body.outerAssigned].some((name) => hasWord(name, CURSOR_WORDS)) || (body.outerAssigned.size > 0 && context.loop.type !== AST_NODE_TYPES.ForStatement);
}

/** Chunks: the item is itself a batch, the index steps by a chunk size, the collection is a window, or the body flushes every N items. */
function isChunked(analysis: FileAnalysis, context: LoopContext): boolean {
  const { loop, collectionName } = context;
  const collectionCall = context.collection && unwrap(context.collection);
  const chunkCall = collectionCall?.type === AST_NODE_TYPES.CallExpression && calleeWords(collectionCall).some((word) => hasWord(word, CHUNK_WORDS));
  const collectionWords = collectionName === undefined || chunkCall ? [] : splitWords(collectionName);
  if (
    context.iterationVariables.some((variable) => hasWord(variable.name, CHUNK_WORDS)) ||
    (collectionWords.length > 0 && CHUNK_COLLECTION_WORDS.has(collectionWords[collectionWords.length - 1]!)) ||
    chunkCall
  ) {
    return true;
  }
  // for (let i = 0; i < n; i += size) items.slice(i, i + size)
  if (loop.type === AST_NODE_TYPES.ForStatement && loop.update?.type === AST_NODE_TYPES.AssignmentExpression && loop.update.operator === '+=') return true;
  // rows.slice(i, i + 50).map(...), or a const chunk = rows.slice(i, i + 50): a window of a chunked outer loop
  const window = context.collection && constantValue(analysis, context.collection);
  if (window?.type === AST_NODE_TYPES.CallExpression && window.arguments.length === 2 && window.callee.type === AST_NODE_TYPES.MemberExpression && memberName(window.callee) === 'slice') {
    return true;
  }
  // if (i % 10 === 0) await Promise.all(pending): a flush every N items
  return flushesEveryN(analysis, context.body);
}

/** Migration: an ordered run of migrations, by the collection's, item's or function's name. */
function runsMigrations(context: LoopContext): boolean {
  return (
    hasWord(context.collectionName, MIGRATION_WORDS) ||
    context.iterationVariables.some((variable) => hasWord(variable.name, MIGRATION_WORDS)) ||
    hasWord(enclosingFunctionName(context.loop), MIGRATION_WORDS)
  );
}
