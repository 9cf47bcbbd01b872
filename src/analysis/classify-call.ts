/**
 * What coordination primitive is this call? `classifyCall` answers from the catalogue: it resolves
 * the receiver to a client (imports → types → name fallback) and picks the first operation whose
 * method, argument shape and command match.
 */
import { TSESTree } from '@typescript-eslint/types';
import { ANY_CLIENT, type Catalog, type IndexedClient, type ResolvedLevel, clientPackages, resolveLevel } from '../model/catalog.js';
import type { OperationSpec, PrimitiveKind } from '../model/catalog-types.js';
import { hasArgumentShape } from './argument-shapes.js';
import { consistencyLevel } from './consistency.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileMemo, fileValue } from './memo.js';
import { type Via, memberName, moduleRefOf, resolveClient, unwrap } from './resolve-value.js';
import { variableOf } from './ast-helpers.js';

const { AST_NODE_TYPES } = TSESTree;

/** A call the catalogue knows: what it is, how it was recognised, and its level. */
export interface Site {
  readonly node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression;
  /** The method called (`acquire`), or `()` for a call of the client itself (postgres.js sql``). */
  readonly method: string;
  readonly operation: OperationSpec;
  readonly client: IndexedClient;
  /** The module the client came from, when known. */
  readonly package: string | undefined;
  /** `import`: resolved through imports and bindings; `type`: through TypeScript types; `name`: by name only. */
  readonly via: Via;
  readonly level: ResolvedLevel;
  /** The receiver expression (`redlock` in `redlock.acquire(...)`), absent for self-calls. */
  readonly receiver: TSESTree.Expression | undefined;
}

/** Call-like nodes a rule can hand to {@link classifyCall}. */
export type CallNode = TSESTree.CallExpression | TSESTree.TaggedTemplateExpression;

function sendsCommand(analysis: FileAnalysis, call: CallNode, command: NonNullable<OperationSpec['command']>): boolean {
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const argument = call.arguments[0] && unwrap(call.arguments[0]);
  if (argument?.type !== AST_NODE_TYPES.NewExpression || argument.callee.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = variableOf(analysis.sourceCode, argument.callee);
  const ref = variable ? moduleRefOf(variable) : undefined;
  if (ref) return command.packages.includes(ref.package) && ref.path[ref.path.length - 1] === command.name;
  // An unresolvable command class still names itself.
  return argument.callee.name === command.name && (!variable || variable.defs.length === 0);
}

interface CallableClients {
  /** Packages of the root clients from which a client with `()` operations is reached. */
  readonly packages: ReadonlySet<string>;
  /** Ids of those root clients. */
  readonly roots: ReadonlySet<string>;
  /** Some client on the way has name-fallback words: any callee could reach it by name. */
  readonly named: boolean;
  /** Global names of those root clients (`fetch`). */
  readonly globals: ReadonlySet<string>;
}

const callableByCatalog = new WeakMap<Catalog, CallableClients>();

function callableClients(catalog: Catalog): CallableClients {
  let callable = callableByCatalog.get(catalog);
  if (callable) return callable;
  const packages = new Set<string>();
  const roots = new Set<string>();
  const globals = new Set<string>();
  let named = false;
  for (const [clientId, byMethod] of catalog.operations) {
    if (!byMethod.has('()')) continue;
    for (let client = catalog.clients.get(clientId); client; client = client.from === undefined ? undefined : catalog.clients.get(client.from)) {
      if ((client.names?.length ?? 0) > 0) named = true;
      if (client.from === undefined) {
        roots.add(client.id);
        for (const pkg of client.packages ?? []) packages.add(pkg);
        for (const name of client.globals ?? []) globals.add(name);
      }
    }
  }
  // A root client without operations marks values that run nothing (drizzle's and slonik's sql tags):
  // a file importing its package must resolve plain calls, or the tag would pass for SQL run by name.
  for (const client of catalog.clients.values()) {
    if (client.from !== undefined || client.children.length > 0 || catalog.operations.has(client.id)) continue;
    roots.add(client.id);
    for (const pkg of client.packages ?? []) packages.add(pkg);
  }
  callable = { packages, roots, named, globals };
  callableByCatalog.set(catalog, callable);
  return callable;
}

/** Does the file refer to one of `names` as a global: undeclared, or an implicit (lib or configured) global? */
function usesGlobal(analysis: FileAnalysis, names: ReadonlySet<string>): boolean {
  const globalScope = analysis.sourceCode.scopeManager?.globalScope;
  if (names.size === 0 || !globalScope) return false;
  if (globalScope.through.some((reference) => names.has(reference.identifier.name))) return true;
  return [...names].some((name) => {
    const variable = globalScope.set.get(name);
    return variable !== undefined && variable.defs.length === 0 && variable.references.length > 0;
  });
}

/**
 * Can a callee of this file be a client with `()` operations? Only with types, by a name the
 * catalogue gives such a client, or through an import or require of its package (type imports too).
 */
function mayReachCallableClient(analysis: FileAnalysis): boolean {
  return reachesCallableClient.get(analysis, () => {
    const callable = callableClients(analysis.settings.catalog);
    return (
      analysis.services !== undefined ||
      callable.named ||
      [...analysis.origins().values()].some((origin) => callable.roots.has(origin.client.id)) ||
      analysis.sourceCode.ast.body.some((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && callable.packages.has(statement.source.value)) ||
      usesGlobal(analysis, callable.globals)
    );
  });
}

const reachesCallableClient = fileValue<boolean>();

/** SQL text passed to a query call whose receiver nothing else settles: a site by name. */
function anyReceiverSite(analysis: FileAnalysis, node: CallNode, method: string, receiver: TSESTree.Expression | undefined): Site | undefined {
  for (const operation of analysis.settings.catalog.anyReceiver.get(method) ?? []) {
    if (operation.when && hasArgumentShape(analysis, node, operation.when) !== 'yes') continue;
    return {
      node,
      method,
      operation,
      client: ANY_CLIENT,
      package: undefined,
      via: 'name',
      level: resolveLevel(operation.kind, operation.level, undefined, analysis.settings.backends),
      receiver,
    };
  }
  return undefined;
}

/**
 * Classifies a call against the catalogue. Pure: the same node and analysis give the same answer.
 *
 * @example
 * // import Redlock from 'redlock'; const redlock = new Redlock([redis]);
 * // redlock.acquire(['jobs'], 5000)  → { operation: redlock.acquire (lock, L3), via: 'import' }
 * // cache.set('k', 1)                 → undefined (cache is a Map)
 */
export function classifyCall(analysis: FileAnalysis, node: CallNode): Site | undefined {
  // Every rule classifies the same calls, some more than once (helpers, batching calls): once per file.
  return classified.get(analysis, node, () => classifyUncached(analysis, node));
}

const classified = fileMemo<CallNode, Site | undefined>();

/**
 * Can `classifyCall` find a site of one of `kinds` here? A test of the method name alone, against the
 * operations of those kinds (SQL text passed to any receiver included): a rule that asks about a few
 * kinds skips resolving the receiver of every other call.
 */
export function mayBeSiteOf(analysis: FileAnalysis, node: CallNode, kinds: readonly PrimitiveKind[]): boolean {
  const callee = unwrap(node.type === AST_NODE_TYPES.TaggedTemplateExpression ? node.tag : node.callee);
  if (callee.type === AST_NODE_TYPES.Super) return false;
  const method = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : '()';
  return method !== undefined && methodsOfKinds(analysis.settings.catalog, kinds).has(method);
}

// Callers pass a module constant for `kinds`: one method set per catalogue and kinds array.
const methodsByKinds = new WeakMap<Catalog, WeakMap<readonly PrimitiveKind[], ReadonlySet<string>>>();

function methodsOfKinds(catalog: Catalog, kinds: readonly PrimitiveKind[]): ReadonlySet<string> {
  let byKinds = methodsByKinds.get(catalog);
  if (!byKinds) methodsByKinds.set(catalog, (byKinds = new WeakMap()));
  let methods = byKinds.get(kinds);
  if (!methods) {
    const found = new Set<string>();
    const wanted = new Set<string>(kinds);
    const add = (byMethod: ReadonlyMap<string, readonly OperationSpec[]>): void => {
      for (const [method, operations] of byMethod) if (operations.some((operation) => wanted.has(operation.kind))) found.add(method);
    };
    for (const byMethod of catalog.operations.values()) add(byMethod);
    add(catalog.anyReceiver);
    byKinds.set(kinds, (methods = found));
  }
  return methods;
}

function classifyUncached(analysis: FileAnalysis, node: CallNode): Site | undefined {
  const { catalog, backends } = analysis.settings;
  const callee = unwrap(node.type === AST_NODE_TYPES.TaggedTemplateExpression ? node.tag : node.callee);
  let method: string | undefined;
  let receiver: TSESTree.Expression | undefined;
  let target: TSESTree.Node;
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    method = memberName(callee);
    // The cheap filter first: most calls in a file have a method no catalogue entry names.
    if (method === undefined || !catalog.methodNames.has(method)) return undefined;
    receiver = callee.object;
    target = callee.object;
  } else {
    method = '()';
    if (!catalog.methodNames.has(method) || callee.type === AST_NODE_TYPES.Super) return undefined;
    // A plain call `f(x)` is an operation only on a client that is itself callable (postgres.js sql):
    // in a file that cannot reach one, resolving every callee is wasted work (a third of all calls).
    if (!mayReachCallableClient(analysis)) return anyReceiverSite(analysis, node, method, undefined);
    target = callee;
  }
  const client = resolveClient(analysis, target);
  if (!client) return anyReceiverSite(analysis, node, method, receiver);
  const operations = catalog.operations.get(client.client.id)?.get(method);
  if (!operations) return undefined;
  for (const operation of operations) {
    if (operation.when && hasArgumentShape(analysis, node, operation.when) !== 'yes') continue;
    if (operation.command && !sendsCommand(analysis, node, operation.command)) continue;
    // A backend key names the module imported or any package of the same client (`mysql2` covers `mysql2/promise`).
    const deployed = resolveLevel(operation.kind, operation.level, [client.package, ...clientPackages(catalog, client.client.id)], backends, operation.intrinsic);
    // A consistency level the call asks for holds whatever the deployment, unless the deployment pays more.
    const asked = operation.consistency && consistencyLevel(analysis, node, operation.consistency);
    return {
      node,
      method,
      operation,
      client: client.client,
      package: client.package,
      via: client.via,
      level: asked && asked.level >= deployed.level ? asked : deployed,
      receiver,
    };
  }
  return undefined;
}
