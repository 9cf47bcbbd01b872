/**
 * Where a fan-out waits for every target, as code writes it: the promises or observables a waiting call
 * collects, whatever way they were collected. Pure shape recognition (no catalogue, no names of
 * targets), so a rule and a project-index summary can ask the same question of any function body.
 */
import { TSESTree } from '@typescript-eslint/types';
import type { FileAnalysis } from './file-analysis.js';
import { isPromiseCombinatorCall } from './loop-context.js';
import { memberName, methodName, unwrap } from './shapes.js';
import { isFunction, walk } from './traverse.js';
import { variableOf } from './ast-helpers.js';
import { fileValue } from './memo.js';

const { AST_NODE_TYPES } = TSESTree;

/**
 * Where the per-target promises of a wait-for-all come from.
 * - `map`: one call per element, `targets.map((t) => t.write(x))`.
 * - `array`: written out, `[primary.set(k, v), secondary.set(k, v)]`.
 * - `pushed`: collected one by one, `pending.push(t.write(x))`, awaited together later.
 */
export type WaitAllSource =
  | { readonly kind: 'map'; readonly call: TSESTree.CallExpression }
  | { readonly kind: 'array'; readonly elements: readonly TSESTree.Node[] }
  | { readonly kind: 'pushed'; readonly calls: readonly TSESTree.CallExpression[] };

/** A call that settles only when every collected promise or observable has: the combinator and its source. */
export interface WaitAll {
  /** `all`, `allSettled`, `forkJoin`, `merge` (under a `lastValueFrom`): how it waits. */
  readonly combinator: string;
  /** The call to report: `Promise.all(…)`, `forkJoin(…)`, or the `lastValueFrom(…)` around a merge. */
  readonly node: TSESTree.CallExpression;
  readonly source: WaitAllSource;
}

/**
 * The wait-for-all a call is, if any: `Promise.all`/`allSettled` over a map, an array or a collected
 * variable; RxJS `forkJoin(…)`; `lastValueFrom`/`toPromise` of a `merge(…)` (completes when every inner
 * observable does). `Promise.any`/`race` and `firstValueFrom(merge(…))` resolve on the first answer: none.
 *
 * @example
 * // await Promise.all(pending) after `for (const r of relays) pending.push(r.publish(e))`
 * // → { combinator: 'all', source: { kind: 'pushed', calls: [r.publish(e)] } }
 */
export function waitAllOf(analysis: FileAnalysis, node: TSESTree.CallExpression): WaitAll | undefined {
  const call: TSESTree.Node = node;
  if (isPromiseCombinatorCall(call)) {
    const combinator = methodName(node)!;
    if (combinator !== 'all' && combinator !== 'allSettled') return undefined;
    const source = node.arguments[0] && sourceOf(analysis, node.arguments[0]);
    return source ? { combinator, node, source } : undefined;
  }
  // The observable shapes need an import from RxJS: most files have none, and most calls are no combinator.
  if (!importsRx(analysis)) return undefined;
  const callee = unwrap(node.callee);
  // forkJoin(targets.map(…)) / forkJoin(a$, b$): emits once, when every input has completed
  if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'forkJoin' && isImportedFromRx(analysis, callee)) {
    const source = observableSources(analysis, node);
    // Reported where it is waited for: `lastValueFrom(forkJoin(…))` reports the forkJoin.
    return source ? { combinator: 'forkJoin', node, source } : undefined;
  }
  // lastValueFrom(merge(...targets.map(…)).pipe(toArray())) / merge(…).toPromise()
  const inner = awaitedObservable(analysis, node);
  if (inner && inner.callee.type === AST_NODE_TYPES.Identifier && inner.callee.name === 'merge' && isImportedFromRx(analysis, inner.callee)) {
    const source = observableSources(analysis, inner);
    return source ? { combinator: 'merge', node, source } : undefined;
  }
  return undefined;
}

/** The observable `lastValueFrom(x)` or `x.toPromise()` turns into a promise, through `.pipe(…)`. */
function awaitedObservable(analysis: FileAnalysis, node: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  const callee = unwrap(node.callee);
  let observable: TSESTree.Node | undefined;
  if (callee.type === AST_NODE_TYPES.Identifier && analysis.settings.catalog.vocabulary.observableLastValue.test(callee.name) && isImportedFromRx(analysis, callee)) {
    observable = node.arguments[0];
  } else if (callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === 'toPromise' && node.arguments.length === 0) {
    observable = callee.object;
  }
  for (let depth = 0; observable && depth < 4; depth++) {
    const inner = unwrap(observable);
    if (inner.type !== AST_NODE_TYPES.CallExpression) return undefined;
    // x.pipe(toArray(), map(…)): operators after the merge still wait for it to complete
    if (methodName(inner) === 'pipe' && inner.callee.type === AST_NODE_TYPES.MemberExpression) {
      observable = inner.callee.object;
      continue;
    }
    return inner;
  }
  return undefined;
}

/** `forkJoin(xs)`, `forkJoin([a, b])`, `forkJoin(a, b)`, `merge(...xs)`, `merge(a, b)`. */
function observableSources(analysis: FileAnalysis, call: TSESTree.CallExpression): WaitAllSource | undefined {
  const args = call.arguments;
  if (args.length === 1) return sourceOf(analysis, args[0]!);
  if (args.length >= 2 && args.every((argument) => argument.type !== AST_NODE_TYPES.SpreadElement)) return { kind: 'array', elements: args };
  return undefined;
}

/** Does the file import from an RxJS module at all? Once per file; imports stand at the top level. */
function importsRx(analysis: FileAnalysis): boolean {
  return hasRxImport.get(analysis, () => {
    const { observableModules } = analysis.settings.catalog.vocabulary;
    return analysis.sourceCode.ast.body.some((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && observableModules.test(String(statement.source.value)));
  });
}

const hasRxImport = fileValue<boolean>();

/** Is `identifier` bound to an import from an RxJS module (`rxjs`, `rxjs/operators`)? */
function isImportedFromRx(analysis: FileAnalysis, identifier: TSESTree.Identifier): boolean {
  const variable = variableOf(analysis.sourceCode, identifier);
  const definition = variable?.defs[0];
  if (definition?.type !== 'ImportBinding') return false;
  const declaration = definition.parent;
  return declaration?.type === AST_NODE_TYPES.ImportDeclaration && analysis.settings.catalog.vocabulary.observableModules.test(String(declaration.source.value));
}

/** What a combinator's argument collects: a map, an array, or a variable filled by `push` or bound to either. */
function sourceOf(analysis: FileAnalysis, argument: TSESTree.Node, depth = 0): WaitAllSource | undefined {
  if (depth > 2) return undefined;
  let value = unwrap(argument);
  if (value.type === AST_NODE_TYPES.SpreadElement) value = unwrap(value.argument);
  // [...targets.map(…)]: one spread element is the collection itself
  if (value.type === AST_NODE_TYPES.ArrayExpression && value.elements.length === 1 && value.elements[0]?.type === AST_NODE_TYPES.SpreadElement) {
    return sourceOf(analysis, value.elements[0].argument, depth + 1);
  }
  if (value.type === AST_NODE_TYPES.ArrayExpression) {
    const elements = value.elements.filter((element): element is TSESTree.Expression => element !== null && element.type !== AST_NODE_TYPES.SpreadElement);
    return elements.length === value.elements.length ? { kind: 'array', elements } : undefined;
  }
  if (value.type === AST_NODE_TYPES.CallExpression && /^(map|flatMap)$/.test(methodName(value) ?? '') && value.arguments[0] && isFunction(value.arguments[0])) {
    return { kind: 'map', call: value };
  }
  if (value.type === AST_NODE_TYPES.Identifier) return variableSource(analysis, value, depth);
  return undefined;
}

/** `const pending = targets.map(…)`, or `const pending = []` filled by `pending.push(call)` before the wait. */
function variableSource(analysis: FileAnalysis, identifier: TSESTree.Identifier, depth: number): WaitAllSource | undefined {
  const variable = variableOf(analysis.sourceCode, identifier);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type !== 'Variable' || definition.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return undefined;
  const init = unwrap(definition.node.init);
  if (init.type !== AST_NODE_TYPES.ArrayExpression || init.elements.length > 0) return sourceOf(analysis, init, depth + 1);
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of variable!.references) {
    const member = reference.identifier.parent;
    const push = member?.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier || memberName(member) !== 'push') continue;
    if (push?.type !== AST_NODE_TYPES.CallExpression || push.callee !== member || push.range[0] > identifier.range[0]) continue;
    for (const pushed of push.arguments) {
      const inner = unwrap(pushed.type === AST_NODE_TYPES.SpreadElement ? pushed.argument : pushed);
      if (inner.type === AST_NODE_TYPES.CallExpression) calls.push(inner);
    }
  }
  return calls.length > 0 ? { kind: 'pushed', calls } : undefined;
}

/**
 * After `const results = await Promise.allSettled(…)`, the code requires every target, or a count of
 * them, to have succeeded: a throw on any rejection, `results.every(…)`, or a count of the fulfilled
 * compared with a threshold. Checked only once every target has answered, a threshold is still a wait
 * for all. Logging the results, or keeping the successes, tolerates failures: none.
 */
export function settledResultsRequired(analysis: FileAnalysis, call: TSESTree.CallExpression): boolean {
  const { sourceCode } = analysis;
  let statement: TSESTree.Node | undefined = call;
  while (statement?.parent && statement.parent.type !== AST_NODE_TYPES.BlockStatement && statement.parent.type !== AST_NODE_TYPES.Program) {
    statement = statement.parent;
  }
  const block = statement?.parent;
  if (!statement || !block || (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program)) return false;
  if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  const variables = sourceCode.getDeclaredVariables(statement);
  if (variables.length === 0) return false;
  const uses = new Set<TSESTree.Node>(variables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
  // results, and what is computed from them (`const acked = results.filter(…).length`)
  const outcomeNames = new Set(variables.map((variable) => variable.name));
  const following = block.body.slice(block.body.indexOf(statement as TSESTree.Statement) + 1);
  let checked = false;
  for (const next of following) {
    let readsOutcome = false;
    let counts = false;
    walk(sourceCode, next, (node) => {
      if (!uses.has(node)) return undefined;
      const text = sourceCode.getText(enclosingExpression(node));
      if (/rejected|fulfilled|\.every\(|\.status\b/.test(text)) readsOutcome = true;
      return undefined;
    });
    if (readsOutcome) {
      checked = true;
      if (next.type === AST_NODE_TYPES.VariableDeclaration) for (const variable of sourceCode.getDeclaredVariables(next)) outcomeNames.add(variable.name);
    }
    if (!checked) continue;
    walk(sourceCode, next, (node) => {
      if (node.type === AST_NODE_TYPES.ThrowStatement) counts = true;
      // return successes.length >= quorum / return results.every(ok): the answer is the threshold
      if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument && isThreshold(analysis, node.argument, outcomeNames)) counts = true;
      // if (okCount < quorum) return false
      if (node.type === AST_NODE_TYPES.IfStatement && isThreshold(analysis, node.test, outcomeNames) && leaves(analysis, node.consequent)) counts = true;
      return undefined;
    });
    if (counts) return true;
  }
  return false;
}

/** `ok.length >= quorum`, `acked < n`, `results.every(isOk)`: a count of the outcome against a bound. */
function isThreshold(analysis: FileAnalysis, node: TSESTree.Node, outcomeNames: ReadonlySet<string>): boolean {
  let found = false;
  walk(analysis.sourceCode, node, (child) => {
    if (found || (child !== node && isFunction(child))) return false;
    if (child.type === AST_NODE_TYPES.CallExpression && methodName(child) === 'every') found = true;
    if (child.type === AST_NODE_TYPES.BinaryExpression && /^[<>]=?$/.test(child.operator) && [child.left, child.right].some((side) => mentions(analysis, side, outcomeNames))) found = true;
    return undefined;
  });
  return found;
}

/** `side` reads one of `names` (`acked`, `results.filter(…).length`). */
function mentions(analysis: FileAnalysis, side: TSESTree.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(analysis.sourceCode, side, (child) => {
    if (child.type === AST_NODE_TYPES.Identifier && names.has(child.name)) found = true;
  });
  return found;
}

/** A branch that ends the call: a return or a throw. */
function leaves(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  let found = false;
  walk(analysis.sourceCode, node, (child) => {
    if (child.type === AST_NODE_TYPES.ReturnStatement || child.type === AST_NODE_TYPES.ThrowStatement) found = true;
  });
  return found;
}

/** The whole expression statement or declaration a reference sits in: where its outcome is read. */
function enclosingExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent && !/Statement$|Declaration$/.test(current.parent.type)) current = current.parent;
  return current.parent ?? current;
}
