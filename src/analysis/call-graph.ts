/**
 * The call graph: which functions coordinate, directly or through further functions, and with which
 * primitive. A loop that calls such a helper pays the helper's coordination per item, so rules report
 * at the call in the loop and name the path. With `scope: 'project'` the graph follows calls into other
 * modules of the project through the project index (imports, barrels, injected services, CommonJS).
 */
import type * as TS from 'typescript';
import { TSESTree } from '@typescript-eslint/types';
import type { PrimitiveKind } from '../model/catalog-types.js';
import { calleeText, enclosingClassBody, parameterIdentifier, variableOf } from './ast-helpers.js';
import { type CallNode, type Site, classifyCall, mayBeSiteOf } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { type FileMemo, fileMemo } from './memo.js';
import { type Declaration, classMember, displayPath, fieldDeclaration, identifierDeclaration, memberDeclaration } from './project-index.js';
import { memberName, unwrap } from './resolve-value.js';
import { effectiveSite, lockedTable } from './sql.js';
import { isFunction, walkCode } from './traverse.js';
import { typedFunction } from './typed-callee.js';

const { AST_NODE_TYPES } = TSESTree;

/** A function that coordinates, the site found inside, and the helper chain that leads to it. */
export interface CoordinatingHelper {
  readonly function: TSESTree.FunctionLike;
  /** Helpers from the called function to the one holding the site: `saveAll`, then `saveOne`. */
  readonly chain: readonly FunctionInfo[];
  readonly site: Site;
  /** The analysis of the module that holds the site (another module's, through the project index). */
  readonly analysis: FileAnalysis;
}

/** A function a call reaches, and the analysis of the module that declares it. */
export interface FunctionInfo {
  readonly node: TSESTree.FunctionLike;
  readonly name: string;
  readonly analysis: FileAnalysis;
}

/** A call in a function's body, as the helper searches read it. */
interface BodyCall {
  readonly node: CallNode;
  readonly classified: Site | undefined;
  /** A call whose callee a search may follow: not a client call the imports or the types settled. */
  readonly resolvable: boolean;
}

/**
 * The calls a function runs, in source order, classified: nested named functions are not run by it,
 * nested callbacks usually are. Read once per function for every helper search (the writer search and
 * the reader search walk the same bodies).
 */
function bodyCalls(analysis: FileAnalysis, fn: TSESTree.FunctionLike): readonly BodyCall[] {
  return bodyCallsOf.get(analysis, fn, () => {
    const calls: BodyCall[] = [];
    walkCode(analysis.sourceCode, fn.body ?? fn, (node) => {
      if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
        const classified = classifyCall(analysis, node);
        const resolvable = node.type === AST_NODE_TYPES.CallExpression && classified?.via !== 'import' && classified?.via !== 'type';
        if (classified || resolvable) calls.push({ node, classified, resolvable });
      }
      return undefined;
    });
    return calls;
  });
}

const bodyCallsOf = fileMemo<TSESTree.FunctionLike, readonly BodyCall[]>();

/** Where the call graph looks: this file only, or the project's other modules too. */
export type CallScope = 'file' | 'project';

/** How many functions deep a search goes from the called one: enough for controller → service → repository → client. */
const MAX_DEPTH = 4;

/**
 * The function a call invokes: `helper(x)`, `this.helper(x)`, `const helper = async () => …`; with
 * `scope: 'project'` also `saveUser(x)` imported from another module, `repo.save(x)` on a module
 * namespace or an instance of a project class, and `this.userService.save(x)` on an injected service.
 * In typed mode (`program`: the linted file's, handed down the chain into modules the index parsed)
 * the checker settles what syntax leaves open, such as the one implementation of an interface-typed
 * service; syntax answers first, so both modes agree wherever syntax resolves.
 */
export function calledFunction(
  analysis: FileAnalysis,
  call: TSESTree.CallExpression,
  scope: CallScope = 'file',
  program: TS.Program | undefined = analysis.services?.program,
): FunctionInfo | undefined {
  // Every rule and summary asks for the same calls: one answer per call, scope and the file's own mode.
  const local = sameFileFunctions.get(analysis, call, () => sameFileFunction(analysis, call));
  if (local || scope === 'file') return local;
  if (program !== analysis.services?.program) return otherModuleFunction(analysis, call, program);
  return projectFunctions.get(analysis, call, () => otherModuleFunction(analysis, call, program));
}

const sameFileFunctions = fileMemo<TSESTree.CallExpression, FunctionInfo | undefined>();
const projectFunctions = fileMemo<TSESTree.CallExpression, FunctionInfo | undefined>();

function otherModuleFunction(analysis: FileAnalysis, call: TSESTree.CallExpression, program: Program): FunctionInfo | undefined {
  const found = projectFunction(analysis, call);
  if (found || !program || !analysis.settings.projectIndex) return found;
  return typedFunction(analysis, call, program);
}

/** The program a search carries into other modules: typed mode's, else none. */
export type Program = TS.Program | undefined;

// Summaries depend on the mode: a typed search may settle more callees than a syntactic one.
const SYNTACTIC = {};

/**
 * The memo of one summary (a function's coordinating helper, parameter lock, returned clock): in the
 * module that declares each function, per program (typed) or syntactic, the answer for each function,
 * `null` for "none".
 */
export type SummaryMemo<T> = FileMemo<object, Map<TSESTree.Node, T | null>>;

/** A new summary memo, declared next to the summary it serves. */
export function summaryMemo<T>(): SummaryMemo<T> {
  return fileMemo();
}

/** The answers of `memo` stored in `analysis` for `program`'s mode. */
export function summaryTable<T>(memo: SummaryMemo<T>, analysis: FileAnalysis, program: Program): Map<TSESTree.Node, T | null> {
  return memo.get(analysis, program ?? SYNTACTIC, () => new Map());
}

/**
 * Runs `compute` for `target` once per summary and mode: a memoised answer, or undefined on a cycle or
 * past the depth bound. A result cut short by the bound or a cycle is not memoised as "nothing": it
 * depends on the way in, so of those only the outermost search's empty answer is stored.
 *
 * A deeper "nothing" that nothing cut short (no cycle, no bound, no earlier cut answer reused below
 * it) is the answer from any depth: stored as the outermost search's would be. Otherwise it is kept
 * with the depth it had left, when no cycle cut it short: a later request with no more depth left gets
 * the same answer without walking again, unless a search of the same summary has found something since
 * (a found answer is reused at any depth, so it could change one).
 */
function memoised<T>(target: FunctionInfo, summary: SummaryMemo<T>, program: Program, visiting: Set<TSESTree.Node>, depth: number, compute: () => T | undefined): T | undefined {
  const memo = summaryTable(summary, target.analysis, program);
  const cached = memo.get(target.node);
  if (cached !== undefined) return cached ?? undefined;
  if (visiting.has(target.node)) {
    cycleCuts += 1; // recursion: the answer depends on the way in
    return undefined;
  }
  const budget = MAX_DEPTH - depth;
  if (budget <= 0) {
    boundCuts += 1; // too deep to say
    return undefined;
  }
  const known = partialNones.get(memo)?.get(target.node);
  if (known && known.budget >= budget && known.generation === generation(summary)) {
    boundCuts += 1; // a nothing the bound cut short
    return undefined;
  }
  visiting.add(target.node);
  const cutsBefore = cycleCuts;
  const boundCutsBefore = boundCuts;
  const result = compute();
  visiting.delete(target.node);
  if (result !== undefined) foundAnswers.set(summary, generation(summary) + 1);
  // Every function below was searched to its end: more depth would walk the same calls again.
  const complete = cycleCuts === cutsBefore && boundCuts === boundCutsBefore;
  if (result !== undefined || depth === 0 || complete) memo.set(target.node, result ?? null);
  else if (cycleCuts === cutsBefore) {
    // Read again: the searches below may have made the table.
    let kept = partialNones.get(memo);
    if (!kept) partialNones.set(memo, (kept = new Map()));
    kept.set(target.node, { budget, generation: generation(summary) });
  }
  return result;
}

/** How many searches have run into a cycle: a "nothing" found meanwhile depended on the way in. */
let cycleCuts = 0;

/** How many searches the depth bound has stopped, or answered with a nothing it had cut short. */
let boundCuts = 0;

/** Per summary table: functions known to reach nothing within a depth budget, as of a count of found answers. */
const partialNones = new WeakMap<object, Map<TSESTree.Node, { readonly budget: number; readonly generation: number }>>();

/** Per summary: how many answers its searches have found (a partial "nothing" is valid only until the next). */
const foundAnswers = new WeakMap<object, number>();

function generation(summary: object): number {
  return foundAnswers.get(summary) ?? 0;
}

/**
 * The calls from a call site to a primitive: the call as written, each further helper, then the
 * primitive, each with its module where the module changes (`insert() in src/users/repo.ts → prisma.user.create()`).
 */
export function chainPath(
  analysis: FileAnalysis,
  call: CallNode,
  chain: readonly FunctionInfo[],
  end: { readonly text: string; readonly analysis: FileAnalysis },
  cwd: string | undefined,
): string[] {
  let current = analysis;
  const step = (text: string, module: FileAnalysis): string => {
    const moved = module !== current;
    current = module;
    return moved ? `${text} in ${displayPath(module.filename, cwd)}` : text;
  };
  return [
    `${calleeText(analysis.sourceCode, call)}()`,
    ...chain.slice(1).map((link) => step(`${link.name}()`, link.analysis)),
    step(end.text, end.analysis),
  ];
}

function asFunction(declaration: Declaration | undefined, name: string): FunctionInfo | undefined {
  return declaration?.kind === 'function' ? { node: declaration.node, name, analysis: declaration.analysis } : undefined;
}

/**
 * Can {@link calledFunction} find a function for this call at all? Syntax settles it without type
 * information: the callee is a name (`save()`), a method of `this`, of a field of `this`, or of a name
 * (`repo.save()`); any other callee (`a.b.c()`, `f()()`, `expect(x).to.equal(1)`) resolves to nothing.
 * With a type program the checker may resolve any callee.
 */
export function mayCallFunction(analysis: FileAnalysis, call: TSESTree.CallExpression): boolean {
  if (analysis.services?.program) return true;
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return true;
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = unwrap(callee.object);
  return (
    object.type === AST_NODE_TYPES.ThisExpression ||
    object.type === AST_NODE_TYPES.Identifier ||
    (object.type === AST_NODE_TYPES.MemberExpression && unwrap(object.object).type === AST_NODE_TYPES.ThisExpression)
  );
}

function projectFunction(analysis: FileAnalysis, call: TSESTree.CallExpression): FunctionInfo | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const declaration = identifierDeclaration(analysis, callee);
    // A same-file function was found already: only what another module declares is new here.
    return declaration?.analysis === analysis ? undefined : asFunction(declaration, callee.name);
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = memberName(callee);
  if (!name) return undefined;
  const object = unwrap(callee.object);
  // this.method(): a method the class inherits from a project class
  if (object.type === AST_NODE_TYPES.ThisExpression) {
    const body = enclosingClassBody(callee);
    return body ? asFunction(classMember(analysis, body.parent as TSESTree.ClassDeclaration, name, false), name) : undefined;
  }
  // this.userService.save(): an injected or constructed instance of a project class
  if (object.type === AST_NODE_TYPES.MemberExpression && unwrap(object.object).type === AST_NODE_TYPES.ThisExpression) {
    const field = memberName(object);
    const body = field ? enclosingClassBody(object) : undefined;
    const instance = body && field ? fieldDeclaration(analysis, body, field) : undefined;
    return instance ? asFunction(memberDeclaration(instance, name), name) : undefined;
  }
  // repo.save(): a module namespace, an object of functions, a class's static method, an instance
  if (object.type === AST_NODE_TYPES.Identifier) {
    const declaration = identifierDeclaration(analysis, object);
    return declaration ? asFunction(memberDeclaration(declaration, name), name) : undefined;
  }
  return undefined;
}

/** The same-file function a call invokes: `helper(x)`, `this.helper(x)`, `const helper = async () => …`. */
function sameFileFunction(analysis: FileAnalysis, call: TSESTree.CallExpression): FunctionInfo | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(analysis.sourceCode, callee);
    const def = variable?.defs[0];
    if (!def) return undefined;
    if (def.type === 'FunctionName' && isFunction(def.node)) return { node: def.node, name: callee.name, analysis };
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && isFunction(def.node.init)) {
      return { node: def.node.init, name: callee.name, analysis };
    }
    return undefined;
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = memberName(callee);
    const classBody = enclosingClassBody(callee);
    if (!name || !classBody) return undefined;
    for (const member of classBody.body) {
      if (
        member.type === AST_NODE_TYPES.MethodDefinition &&
        member.kind === 'method' &&
        !member.computed &&
        member.key.type === AST_NODE_TYPES.Identifier &&
        member.key.name === name
      ) {
        return { node: member.value, name, analysis };
      }
      if (
        member.type === AST_NODE_TYPES.PropertyDefinition &&
        !member.computed &&
        member.key.type === AST_NODE_TYPES.Identifier &&
        member.key.name === name &&
        member.value &&
        isFunction(member.value)
      ) {
        return { node: member.value, name, analysis };
      }
    }
  }
  return undefined;
}

/**
 * The coordination a call reaches through helpers, if any. `kinds` selects the primitives that count
 * (each rule has its own); set-based calls (`createMany`) never count. With `scope: 'project'` the
 * helpers may live in other modules. The result for each function is memoised in the analysis of the
 * module that declares it, per kind set, scope and mode.
 *
 * @example
 * // async function saveOne(b) { await prisma.booking.create({ data: b }) }
 * // for (const b of bookings) await saveOne(b)
 * coordinatingHelper(analysis, call, new Set(['remote-write'])) // → { chain: [saveOne], site: prisma.create }
 */
export function coordinatingHelper(
  analysis: FileAnalysis,
  call: TSESTree.CallExpression,
  kinds: ReadonlySet<PrimitiveKind>,
  scope: CallScope = 'file',
): CoordinatingHelper | undefined {
  const program = scope === 'project' ? analysis.services?.program : undefined;
  const target = calledFunction(analysis, call, scope, program);
  if (!target) return undefined;
  return search(target, kinds, scope, program, helperMemo(scope, kinds), new Set(), 0);
}

type HelperMemo = SummaryMemo<CoordinatingHelper>;

// One memo per scope and kind set: what a function reaches depends on both.
const helperMemos = new Map<string, HelperMemo>();

function helperMemo(scope: CallScope, kinds: ReadonlySet<PrimitiveKind>): HelperMemo {
  const key = `${scope}:${[...kinds].sort().join(',')}`;
  let memo = helperMemos.get(key);
  if (!memo) helperMemos.set(key, (memo = summaryMemo()));
  return memo;
}

function search(
  target: FunctionInfo,
  kinds: ReadonlySet<PrimitiveKind>,
  scope: CallScope,
  program: Program,
  memo: HelperMemo,
  visiting: Set<TSESTree.Node>,
  depth: number,
): CoordinatingHelper | undefined {
  return memoised(target, memo, program, visiting, depth, () => {
  const { analysis } = target;
  let direct: Site | undefined;
  // Calls to follow if the body itself coordinates nowhere: resolved only then, since resolving may parse a module.
  const later: TSESTree.CallExpression[] = [];
  for (const { node, classified, resolvable } of bodyCalls(analysis, target.node)) {
    // A set-based call in a helper already batches: it is not per-item coordination.
    const counts = classified !== undefined && kinds.has(classified.operation.kind) && !classified.operation.batched;
    // A function the index finds says more than a client guessed from a name (`this.users.insert()`).
    if (counts && !(resolvable && calledFunction(analysis, node as TSESTree.CallExpression, scope, program))) {
      direct = classified;
      break;
    }
    if (resolvable) later.push(node as TSESTree.CallExpression);
  }
  let result: CoordinatingHelper | undefined;
  if (direct) {
    result = { function: target.node, chain: [target], site: direct, analysis };
  } else {
    for (const call of later) {
      const callee = calledFunction(analysis, call, scope, program);
      const found = callee && search(callee, kinds, scope, program, memo, visiting, depth + 1);
      if (found) {
        result = { function: target.node, chain: [target, ...found.chain], site: found.site, analysis: found.analysis };
        break;
      }
    }
  }
  return result;
  });
}

/**
 * A per-function summary found through helpers: what the function (or a function it hands the
 * parameter to) does with one of its parameters, the functions on the way, and the module that holds
 * the call at the end. `index` is the parameter of the called function.
 */
interface ParameterSummary {
  readonly index: number | undefined;
  readonly chain: readonly FunctionInfo[];
  /** The analysis of the module that holds the call at the end of the chain. */
  readonly analysis: FileAnalysis;
}

/**
 * The generic search for parameter summaries: `direct` says what one call of a function body does with
 * the function's parameters (a found summary, or undefined to look further); otherwise a call of a
 * further function whose summary takes one of this function's parameters at its summarised position
 * carries the summary up. Memoised per function, summary and mode; bounded in depth; safe on cycles.
 */
function parameterSearch<T extends ParameterSummary>(
  target: FunctionInfo,
  memo: SummaryMemo<T>,
  program: Program,
  direct: (analysis: FileAnalysis, fn: TSESTree.FunctionLike, call: TSESTree.CallExpression, program: Program) => Omit<T, 'chain'> | 'stop' | undefined,
  visiting: Set<TSESTree.Node>,
  depth: number,
): T | undefined {
  return memoised(target, memo, program, visiting, depth, () => {
  const { analysis } = target;
  let found: T | undefined;
  walkCode(analysis.sourceCode, target.node.body ?? target.node, (node) => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const own = direct(analysis, target.node, node, program);
    if (own === 'stop') return undefined;
    if (own) {
      found = { ...own, chain: [target] } as unknown as T;
      return undefined;
    }
    const callee = calledFunction(analysis, node, 'project', program);
    const inner = callee ? parameterSearch(callee, memo, program, direct, visiting, depth + 1) : undefined;
    if (!inner) return undefined;
    if (inner.index === undefined) {
      found = { ...inner, chain: [target, ...inner.chain] };
      return undefined;
    }
    const passed = node.arguments[inner.index];
    const index = passed ? parameterFeeding(analysis, target.node, passed) : undefined;
    if (index !== undefined) found = { ...inner, index, chain: [target, ...inner.chain] };
    return undefined;
  });
  return found;
  });
}

/** A function that takes a store lock keyed by one of its parameters, or a lock on a whole table. */
export interface ParameterLock extends ParameterSummary {
  /**
   * The parameter the key comes from; for a table lock, the parameter that names the table, or
   * undefined when the function names the table itself.
   */
  readonly index: number | undefined;
  /** `key`: a lock on one key; `table`: `LOCK TABLE`, every writer of the table waits. */
  readonly scope: 'key' | 'table';
  /** The table a table lock names in its own SQL (`"Orders"`), when no parameter does. */
  readonly table?: string;
  readonly site: Site;
}

/** The index of the parameter of `fn` that `node` is, or is built from alone (`[key]`, `` `lock:${key}` ``, `'lock:' + key`). */
function parameterFeeding(analysis: FileAnalysis, fn: TSESTree.FunctionLike, node: TSESTree.Node): number | undefined {
  const leaf = feedingIdentifier(node);
  return leaf && parameterIndex(analysis, fn, leaf);
}

/** The index of the parameter of `fn` that the identifier `leaf` reads, by scope. */
function parameterIndex(analysis: FileAnalysis, fn: TSESTree.FunctionLike, leaf: TSESTree.Identifier): number | undefined {
  const def = variableOf(analysis.sourceCode, leaf)?.defs[0];
  if (def?.type !== 'Parameter' || def.node !== fn) return undefined;
  const index = fn.params.findIndex((param) => parameterIdentifier(param)?.name === leaf.name);
  return index === -1 ? undefined : index;
}

/** The one identifier `node` is built from alone, by syntax only: `key`, `[key]`, `` `lock:${key}` ``, `'lock:' + key`. */
function feedingIdentifier(node: TSESTree.Node, depth = 0): TSESTree.Identifier | undefined {
  const value = unwrap(node);
  if (depth > 3) return undefined;
  switch (value.type) {
    case AST_NODE_TYPES.Identifier:
      return value;
    case AST_NODE_TYPES.ArrayExpression:
      return value.elements.length === 1 && value.elements[0] && value.elements[0].type !== AST_NODE_TYPES.SpreadElement
        ? feedingIdentifier(value.elements[0], depth + 1)
        : undefined;
    case AST_NODE_TYPES.TemplateLiteral:
      return value.expressions.length === 1 ? feedingIdentifier(value.expressions[0]!, depth + 1) : undefined;
    case AST_NODE_TYPES.BinaryExpression: {
      if (value.operator !== '+') return undefined;
      if (value.left.type === AST_NODE_TYPES.Literal) return feedingIdentifier(value.right, depth + 1);
      if (value.right.type === AST_NODE_TYPES.Literal) return feedingIdentifier(value.left, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

const parameterLocks = summaryMemo<ParameterLock>();

/**
 * Does the function a call reaches take a store lock whose key is one of its parameters, directly or by
 * handing the parameter to a further function that does (`serialized(name, fn)` → `redlock.using([name], …)`)?
 * Then a caller's constant argument makes the lock global, and an entity's id keeps it per entity. A
 * `LOCK TABLE` (`lockTableExclusive(tx, 'Orders')` on a client subclass) locks the table whatever the key.
 */
export function parameterLock(analysis: FileAnalysis, call: TSESTree.CallExpression): ParameterLock | undefined {
  const program = analysis.services?.program;
  const target = calledFunction(analysis, call, 'project', program);
  return target ? parameterSearch(target, parameterLocks, program, lockIn, new Set(), 0) : undefined;
}

/** Per parameter position: what reaches a lock through that parameter (one memo per position, since the answers differ). */
const parameterFlowLocks: SummaryMemo<ParameterLock>[] = [];

/**
 * The lock a call's arguments at `positions` reach as its key, or as the table a `LOCK TABLE` names:
 * {@link parameterLock} narrowed to what those arguments flow into. The search follows only the calls
 * that are handed the parameter, so it resolves no other callee and parses no module they live in. A
 * table lock whose SQL names its table itself is not found here: that lock is the same whatever the
 * caller passes, and is reported where the table is named.
 */
export function parameterLockAt(analysis: FileAnalysis, call: TSESTree.CallExpression, positions: readonly number[]): ParameterLock | undefined {
  if (positions.length === 0) return undefined;
  const program = analysis.services?.program;
  const target = calledFunction(analysis, call, 'project', program);
  if (!target) return undefined;
  for (const position of positions) {
    const found = lockThrough(target, position, program, new Set(), 0);
    if (found) return found;
  }
  return undefined;
}

function lockThrough(target: FunctionInfo, position: number, program: Program, visiting: Set<TSESTree.Node>, depth: number): ParameterLock | undefined {
  const param = target.node.params[position];
  const name = param && param.type !== AST_NODE_TYPES.RestElement ? parameterIdentifier(param)?.name : undefined;
  if (name === undefined) return undefined;
  const memo = (parameterFlowLocks[position] ??= summaryMemo());
  return memoised(target, memo, program, visiting, depth, () => {
    const { analysis, node: fn } = target;
    let found: ParameterLock | undefined;
    walkCode(analysis.sourceCode, fn.body ?? fn, (node) => {
      if (found) return false;
      if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
      if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
      // Only a call handed the parameter can carry it further: by name first, then by scope.
      const handed: number[] = [];
      node.arguments.forEach((argument, index) => {
        const leaf = feedingIdentifier(argument);
        if (leaf?.name === name && parameterIndex(analysis, fn, leaf) === position) handed.push(index);
      });
      if (handed.length === 0) return undefined;
      if (mayBeSiteOf(analysis, node, LOCK_KINDS)) {
        const own = lockIn(analysis, fn, node, program);
        if (own !== 'stop' && own?.index === position) found = { ...own, chain: [target] };
        // A catalogue call is what it is: only a project function is followed further.
        if (own || classifyCall(analysis, node)) return undefined;
      }
      const callee = calledFunction(analysis, node, 'project', program);
      if (!callee || classifyCall(analysis, node)) return undefined;
      for (const index of handed) {
        const inner = lockThrough(callee, index, program, visiting, depth + 1);
        if (inner) {
          found = { ...inner, index: position, chain: [target, ...inner.chain] };
          break;
        }
      }
      return undefined;
    });
    return found;
  });
}

/** The site kinds a lock can come from: a store lock, or SQL text (advisory locks, LOCK TABLE). */
const LOCK_KINDS = ['lock', 'sql'] as const;

function lockIn(analysis: FileAnalysis, fn: TSESTree.FunctionLike, call: TSESTree.CallExpression, program: Program): Omit<ParameterLock, 'chain'> | 'stop' | undefined {
  // Any other catalogue call stops the search too, but it matters only where the search could go on:
  // classify it only when it reaches a project function.
  if (!mayBeSiteOf(analysis, call, LOCK_KINDS)) return calledFunction(analysis, call, 'project', program) && classifyCall(analysis, call) ? 'stop' : undefined;
  const site = classifyCall(analysis, call);
  if (!site) return undefined;
  const effective = effectiveSite(analysis, site);
  if (effective.pattern?.scope === 'table' && effective.sql) {
    const table = lockedTable(effective.sql);
    const index = table?.value ? parameterFeeding(analysis, fn, table.value) : undefined;
    return { index, scope: 'table', ...(index === undefined && table ? { table: table.text } : {}), site, analysis };
  }
  const keyArgument = site.operation.kind === 'lock' ? site.operation.keyArgument : undefined;
  const key = keyArgument === undefined ? undefined : call.arguments[keyArgument];
  const index = key ? parameterFeeding(analysis, fn, key) : undefined;
  // A client call is what it is: only a project function is followed further.
  return index === undefined ? 'stop' : { index, scope: 'key', site, analysis };
}

/** A function that writes to one of its parameters as the target: `replicate(target, entry)` → `target.put(…)`. */
export interface ParameterWrite<W> extends ParameterSummary {
  readonly index: number;
  /** The write at the end of the chain, as the caller's test `writeIn` described it. */
  readonly write: W;
  readonly call: TSESTree.CallExpression;
}

/**
 * The parameter of `fn` an endpoint expression comes from: the parameter itself, a member of it
 * (`peer.client`, `peer.url`), a URL or template built from it (`new URL(inbox)`, `` `${peer.url}/inbox` ``),
 * or a `const` holding one of those.
 */
function endpointParameter(analysis: FileAnalysis, fn: TSESTree.FunctionLike, node: TSESTree.Node, depth = 0): number | undefined {
  if (depth > 4) return undefined;
  const value = unwrap(node);
  switch (value.type) {
    case AST_NODE_TYPES.Identifier: {
      const index = parameterFeeding(analysis, fn, value);
      if (index !== undefined) return index;
      const def = variableOf(analysis.sourceCode, value)?.defs[0];
      const declarator = def?.type === 'Variable' ? def.node : undefined;
      return declarator?.parent.kind === 'const' && declarator.init ? endpointParameter(analysis, fn, declarator.init, depth + 1) : undefined;
    }
    case AST_NODE_TYPES.MemberExpression:
      return endpointParameter(analysis, fn, value.object, depth + 1);
    case AST_NODE_TYPES.TemplateLiteral:
      return value.expressions[0] ? endpointParameter(analysis, fn, value.expressions[0], depth + 1) : undefined;
    case AST_NODE_TYPES.NewExpression:
      return value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === 'URL' && value.arguments[0]
        ? endpointParameter(analysis, fn, value.arguments[0], depth + 1)
        : undefined;
    default:
      return undefined;
  }
}

/** The parameter of `fn` a write's target comes from: its receiver (`target.client.put`), or the URL argument of an HTTP write. */
function targetParameter(analysis: FileAnalysis, fn: TSESTree.FunctionLike, call: TSESTree.CallExpression, site: Site | undefined): number | undefined {
  const callee = unwrap(call.callee);
  const receiver = callee.type === AST_NODE_TYPES.MemberExpression ? endpointParameter(analysis, fn, callee.object) : undefined;
  if (receiver !== undefined) return receiver;
  const url = site?.operation.targetArgument === undefined ? undefined : call.arguments[site.operation.targetArgument];
  return url ? endpointParameter(analysis, fn, url) : undefined;
}

/**
 * Does the function a call reaches write to one of its parameters as the target, directly or through a
 * further function it hands the parameter to? `writeIn` is the caller's test of one call (it knows the
 * rule's write verbs). Undefined when the call reaches no project function; `{ reached: true }` alone
 * when it reaches one that writes to none of its parameters (it reads from them, or writes elsewhere).
 * `memo` is the caller's: the answers depend on its `writeIn`.
 */
export function parameterWrite<W>(
  analysis: FileAnalysis,
  call: TSESTree.CallExpression,
  memo: SummaryMemo<ParameterWrite<W>>,
  writeIn: (analysis: FileAnalysis, call: TSESTree.CallExpression) => W | undefined,
): { readonly found?: ParameterWrite<W> } | undefined {
  const program = analysis.services?.program;
  const target = calledFunction(analysis, call, 'project', program);
  if (!target) return undefined;
  const direct = (module: FileAnalysis, fn: TSESTree.FunctionLike, inner: TSESTree.CallExpression): Omit<ParameterWrite<W>, 'chain'> | 'stop' | undefined => {
    const site = classifyCall(module, inner);
    const write = writeIn(module, inner);
    if (write === undefined) return site ? 'stop' : undefined;
    const index = targetParameter(module, fn, inner, site);
    // A write elsewhere (a local cache) is not a write to the target; a project function is followed further.
    if (index === undefined) return site || !calledFunction(module, inner, 'project', program) ? 'stop' : undefined;
    return { index, write, call: inner, analysis: module };
  };
  const found = parameterSearch(target, memo, program, direct, new Set(), 0);
  return found ? { found } : {};
}
