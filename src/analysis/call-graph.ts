/**
 * The call graph: which functions coordinate, directly or through further functions, and with which
 * primitive. A loop that calls such a helper pays the helper's coordination per item, so rules report
 * at the call in the loop and name the path. With `scope: 'project'` the graph follows calls into other
 * modules of the project through the project index (imports, barrels, injected services, CommonJS).
 */
import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import type { PrimitiveKind } from '../model/catalog-types.js';
import { enclosingClassBody, parameterIdentifier } from './ast-helpers.js';
import { type Site, classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { type FileMemo, fileMemo } from './memo.js';
import { type Declaration, classMember, fieldDeclaration, identifierDeclaration, memberDeclaration } from './project-index.js';
import { memberName, unwrap } from './resolve-value.js';
import { isFunction, walk } from './traverse.js';

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

/** Where the call graph looks: this file only, or the project's other modules too. */
export type CallScope = 'file' | 'project';

/** How many functions deep a search goes from the called one: enough for controller → service → repository → client. */
const MAX_DEPTH = 4;

/**
 * The function a call invokes: `helper(x)`, `this.helper(x)`, `const helper = async () => …`; with
 * `scope: 'project'` also `saveUser(x)` imported from another module, `repo.save(x)` on a module
 * namespace or an instance of a project class, and `this.userService.save(x)` on an injected service.
 */
export function calledFunction(analysis: FileAnalysis, call: TSESTree.CallExpression, scope: CallScope = 'file'): FunctionInfo | undefined {
  const local = sameFileFunction(analysis, call);
  if (local || scope === 'file') return local;
  return projectFunction(analysis, call);
}

function asFunction(declaration: Declaration | undefined, name: string): FunctionInfo | undefined {
  return declaration?.kind === 'function' ? { node: declaration.node, name, analysis: declaration.analysis } : undefined;
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
    const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(callee), callee);
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
 * module that declares it, per kind set and scope.
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
  const target = calledFunction(analysis, call, scope);
  if (!target) return undefined;
  return search(target, kinds, scope, helperMemo(scope, kinds), new Set(), 0);
}

type HelperMemo = FileMemo<TSESTree.Node, CoordinatingHelper | undefined>;

// One memo per scope and kind set: what a function reaches depends on both.
const helperMemos = new Map<string, HelperMemo>();

function helperMemo(scope: CallScope, kinds: ReadonlySet<PrimitiveKind>): HelperMemo {
  const key = `${scope}:${[...kinds].sort().join(',')}`;
  let memo = helperMemos.get(key);
  if (!memo) helperMemos.set(key, (memo = fileMemo()));
  return memo;
}

function search(
  target: FunctionInfo,
  kinds: ReadonlySet<PrimitiveKind>,
  scope: CallScope,
  memo: HelperMemo,
  visiting: Set<TSESTree.Node>,
  depth: number,
): CoordinatingHelper | undefined {
  const { analysis } = target;
  const cached = memo.lookup(analysis, target.node);
  if (cached) return cached.value;
  if (visiting.has(target.node) || depth >= MAX_DEPTH) return undefined; // recursion, or too deep to say
  visiting.add(target.node);
  let direct: Site | undefined;
  const callees: FunctionInfo[] = [];
  walk(analysis.sourceCode, target.node.body ?? target.node, (node) => {
    if (direct) return false;
    // Nested named functions are not run by this one; nested callbacks usually are.
    if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      const classified = classifyCall(analysis, node);
      // A function the index finds says more than a client guessed from a name (`this.users.insert()`).
      const indexed = node.type === AST_NODE_TYPES.CallExpression && classified?.via !== 'import' && classified?.via !== 'type' ? calledFunction(analysis, node, scope) : undefined;
      const site = indexed ? undefined : classified;
      // A set-based call in a helper already batches: it is not per-item coordination.
      if (site && kinds.has(site.operation.kind) && !site.operation.batched) {
        direct = site;
        return false;
      }
      if (indexed) callees.push(indexed);
    }
    return undefined;
  });
  let result: CoordinatingHelper | undefined;
  if (direct) {
    result = { function: target.node, chain: [target], site: direct, analysis };
  } else {
    for (const callee of callees) {
      const found = search(callee, kinds, scope, memo, visiting, depth + 1);
      if (found) {
        result = { function: target.node, chain: [target, ...found.chain], site: found.site, analysis: found.analysis };
        break;
      }
    }
  }
  visiting.delete(target.node);
  // A result cut short by the depth bound or a cycle is not memoised as "nothing": it depends on the way in.
  if (result || depth === 0) memo.set(analysis, target.node, result);
  return result;
}

/** A function that takes a store lock keyed by one of its parameters, and the lock call inside. */
export interface ParameterLock {
  /** The parameter the key comes from. */
  readonly index: number;
  readonly site: Site;
  /** The analysis of the module that holds the lock call. */
  readonly analysis: FileAnalysis;
  /** Functions from the called one to the one holding the lock call. */
  readonly chain: readonly FunctionInfo[];
}

/** The index of the parameter of `fn` that `node` is, or is built from alone (`[key]`, `` `lock:${key}` ``, `'lock:' + key`). */
function parameterFeeding(analysis: FileAnalysis, fn: TSESTree.FunctionLike, node: TSESTree.Node, depth = 0): number | undefined {
  const value = unwrap(node);
  if (depth > 3) return undefined;
  switch (value.type) {
    case AST_NODE_TYPES.Identifier: {
      const def = ASTUtils.findVariable(analysis.sourceCode.getScope(value), value)?.defs[0];
      if (def?.type !== 'Parameter' || def.node !== fn) return undefined;
      const index = fn.params.findIndex((param) => parameterIdentifier(param)?.name === value.name);
      return index === -1 ? undefined : index;
    }
    case AST_NODE_TYPES.ArrayExpression:
      return value.elements.length === 1 && value.elements[0] && value.elements[0].type !== AST_NODE_TYPES.SpreadElement
        ? parameterFeeding(analysis, fn, value.elements[0], depth + 1)
        : undefined;
    case AST_NODE_TYPES.TemplateLiteral:
      return value.expressions.length === 1 ? parameterFeeding(analysis, fn, value.expressions[0]!, depth + 1) : undefined;
    case AST_NODE_TYPES.BinaryExpression: {
      if (value.operator !== '+') return undefined;
      if (value.left.type === AST_NODE_TYPES.Literal) return parameterFeeding(analysis, fn, value.right, depth + 1);
      if (value.right.type === AST_NODE_TYPES.Literal) return parameterFeeding(analysis, fn, value.left, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Does the function a call reaches take a store lock whose key is one of its parameters, directly or by
 * handing the parameter to a further function that does (`serialized(name, fn)` → `redlock.using([name], …)`)?
 * Then a caller's constant argument makes the lock global, and an entity's id keeps it per entity.
 */
export function parameterLock(analysis: FileAnalysis, call: TSESTree.CallExpression): ParameterLock | undefined {
  const target = calledFunction(analysis, call, 'project');
  return target ? lockSearch(target, new Set(), 0) : undefined;
}

function lockSearch(target: FunctionInfo, visiting: Set<TSESTree.Node>, depth: number): ParameterLock | undefined {
  const cached = parameterLocks.lookup(target.analysis, target.node);
  if (cached) return cached.value;
  if (visiting.has(target.node) || depth >= MAX_DEPTH) return undefined;
  visiting.add(target.node);
  const { analysis } = target;
  let found: ParameterLock | undefined;
  walk(analysis.sourceCode, target.node.body ?? target.node, (node) => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const site = classifyCall(analysis, node);
    const keyArgument = site?.operation.kind === 'lock' ? site.operation.keyArgument : undefined;
    if (site && keyArgument !== undefined) {
      const key = node.arguments[keyArgument];
      const index = key ? parameterFeeding(analysis, target.node, key) : undefined;
      if (index !== undefined) found = { index, site, analysis, chain: [target] };
      return undefined;
    }
    if (site) return undefined;
    const callee = calledFunction(analysis, node, 'project');
    const inner = callee ? lockSearch(callee, visiting, depth + 1) : undefined;
    const passed = inner ? node.arguments[inner.index] : undefined;
    const index = passed ? parameterFeeding(analysis, target.node, passed) : undefined;
    if (inner && index !== undefined) found = { ...inner, index, chain: [target, ...inner.chain] };
    return undefined;
  });
  visiting.delete(target.node);
  if (found || depth === 0) parameterLocks.set(analysis, target.node, found);
  return found;
}

const parameterLocks = fileMemo<TSESTree.Node, ParameterLock | undefined>();
