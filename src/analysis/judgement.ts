/**
 * Judgement: the facts around a site that decide whether it matters where it stands (the code path
 * of the enclosing function, where a loop's items come from, what already wraps the call, whether an
 * iteration depends on its own earlier write), and the one place that grades them into a
 * {@link Confidence}. Rules never grade: `buildSite` asks here for every site.
 */
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { Confidence } from '../model/site.js';
import { classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { projectPath } from './file-role.js';
import { type LoopContext, itemReferences } from './loop-context.js';
import { fileMemo, fileValue } from './memo.js';
import { memberName, nameOf, unwrap } from './shapes.js';
import { contains, containsAny, isFunction, walk, walkCode } from './traverse.js';
import { splitWords } from './words.js';

const { AST_NODE_TYPES } = TSESTree;

/** Where the enclosing function runs. `unknown` is a value, not a guess. */
export type CodePath = 'request' | 'consumer' | 'scheduled' | 'startup' | 'shutdown' | 'migration' | 'seed' | 'script' | 'test' | 'unknown';

/** The code path and how it reads in a message (`the POST /orders handler`). */
export interface CodePathFact {
  readonly kind: CodePath;
  readonly label: string;
}

/** Where a loop's items come from. */
export type ItemsSource =
  | 'unlimited-query'
  | 'limited-page'
  | 'request-input'
  | 'entity-children'
  | 'fixed'
  | 'config'
  | 'parameter'
  | 'unknown';

export interface ItemsFact {
  readonly kind: ItemsSource;
  readonly label: string;
}

/** How a fact moves the grade: `drop` makes it low whatever else holds; `lower` and `raise` count against each other. */
export type Effect = 'drop' | 'lower' | 'raise' | 'none';

/** One piece of evidence: a short phrase for the message and the report, and its effect on the grade. */
export interface Fact {
  readonly phrase: string;
  readonly effect: Effect;
}

/** What a rule knows about its site that the shared analysis cannot see (a fan-out's fixed target list). */
export interface JudgementInput {
  readonly node: TSESTree.Node;
  readonly loop?: LoopContext | undefined;
  readonly facts?: readonly Fact[];
}

/** The judgement of a site: the context recorded on it, the grade, and the evidence as short phrases. */
export interface Judgement {
  readonly context: Readonly<Record<string, string>>;
  readonly confidence: Confidence;
  readonly evidence: readonly string[];
  /** The phrases a message states: the decisive ones first, at most two. */
  readonly decisive: readonly string[];
  /** Each iteration's write needs an earlier write's result: batching one call type does not fit. */
  readonly parentThenChild: boolean;
  /** The call runs inside a unit of work (an outer or framework-bound transaction). */
  readonly unitOfWork: boolean;
}

/**
 * The one grading rule. Any `drop` fact makes a site low; otherwise each `lower` fact counts one step
 * down and each `raise` fact cancels one: no net step is high, one is medium, two or more are low.
 */
export function grade(facts: readonly Fact[]): Confidence {
  if (facts.some((fact) => fact.effect === 'drop')) return 'low';
  const steps = facts.filter((fact) => fact.effect === 'lower').length - facts.filter((fact) => fact.effect === 'raise').length;
  return steps <= 0 ? 'high' : steps === 1 ? 'medium' : 'low';
}

// ---------------------------------------------------------------------------------------------
// Code path

const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
const NEST_HTTP = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options']);
const GRAPHQL_DECORATORS = new Set(['Query', 'Mutation', 'Subscription', 'ResolveField', 'FieldResolver']);
const SCHEDULE_DECORATORS = new Set(['Cron', 'Interval', 'Timeout']);
const CONSUMER_DECORATORS = new Set(['Process', 'Processor', 'EventPattern', 'MessagePattern', 'OnEvent', 'OnQueueActive', 'SqsMessageHandler', 'RabbitSubscribe', 'Consumer']);
const STARTUP_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);
const SHUTDOWN_HOOKS = new Set(['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown']);
/**
 * First words of a function name that say when it runs (`initVolumeBackupsCronJobs`, `shutdownWorkers`),
 * for functions without parameters: `start(workspaceId)` and `closeTicket(id)` are per-request work.
 */
const STARTUP_WORDS = new Set(['main', 'bootstrap', 'init', 'initialize', 'initialise', 'setup', 'startup', 'start', 'boot']);
const SHUTDOWN_WORDS = new Set(['shutdown', 'teardown', 'dispose', 'stop', 'close']);
const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'beforeExit', 'exit']);

/**
 * The path a file's role gives (its folder or suffix), or undefined: read from the path below the
 * working directory (`/ci/tests/app/src/orders.ts` is no test), once per file.
 */
function fileRole(analysis: FileAnalysis): CodePathFact | undefined {
  return fileRoleOf.get(analysis, () => roleOfPath(projectPath(analysis.filename, analysis.cwd)));
}

const fileRoleOf = fileValue<CodePathFact | undefined>();

function roleOfPath(projectRelative: string): CodePathFact | undefined {
  const path = projectRelative.replace(/\\/g, '/');
  if (/(?:^|\/)(?:__tests__|__mocks__|tests?|e2e)\/|\.(?:test|spec|e2e-spec)\.[cm]?[jt]sx?$/i.test(path)) return { kind: 'test', label: 'a test' };
  if (/(?:^|\/)[^/]*(?:migrat|backfill|cutover)[^/]*(?:\/|$)/i.test(path)) return { kind: 'migration', label: 'a migration' };
  if (/(?:^|\/)[^/]*seed[^/]*(?:\/|$)/i.test(path)) return { kind: 'seed', label: 'a seed' };
  if (/(?:^|\/)(?:scripts?|bin|cli)\//i.test(path)) return { kind: 'script', label: 'a script' };
  if (/\.(?:schedule|cron|job)\.[cm]?[jt]s$|(?:^|\/)(?:crons?|schedules?|scheduler|jobs|tasks)\//i.test(path)) return { kind: 'scheduled', label: 'a scheduled job' };
  if (/\.(?:processor|worker|consumer|subscriber)\.[cm]?[jt]s$|(?:^|\/)(?:workers?|consumers?|processors?)\//i.test(path)) return { kind: 'consumer', label: 'a queue consumer' };
  if (/(?:^|\/)app\/(?:.*\/)?route\.[cm]?[jt]s$|(?:^|\/)pages\/api\//.test(path)) return { kind: 'request', label: 'a route handler' };
  return undefined;
}

function decoratorNames(node: TSESTree.Node | undefined): { name: string; argument: TSESTree.Node | undefined }[] {
  const decorators = node && 'decorators' in node ? ((node as { decorators?: TSESTree.Decorator[] }).decorators ?? []) : [];
  return decorators.map((decorator) => {
    const expression = decorator.expression;
    const call = expression.type === AST_NODE_TYPES.CallExpression ? expression : undefined;
    return { name: nameOf(call ? call.callee : expression) ?? '', argument: call?.arguments[0] };
  });
}

function literalText(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === 'string') return value.value;
  if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) return value.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The name a function is known by: its id, the variable or property holding it, or its method key. */
export function functionName(fn: TSESTree.FunctionLike): string | undefined {
  if ('id' in fn && fn.id?.type === AST_NODE_TYPES.Identifier) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.key.type === AST_NODE_TYPES.Identifier) {
    return parent.key.name;
  }
  return undefined;
}

/** The path a function's own declaration gives: decorators, lifecycle hook names, exported route verbs, its name. */
function declaredPath(analysis: FileAnalysis, fn: TSESTree.FunctionLike): CodePathFact | undefined {
  const holder = fn.parent;
  if (holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition) {
    for (const { name, argument } of decoratorNames(holder)) {
      if (NEST_HTTP.has(name)) {
        const route = literalText(argument);
        return { kind: 'request', label: `the ${name.toUpperCase()}${route ? ` ${route}` : ''} handler` };
      }
      if (GRAPHQL_DECORATORS.has(name)) return { kind: 'request', label: `a GraphQL ${name.toLowerCase()}` };
      if (SCHEDULE_DECORATORS.has(name)) return { kind: 'scheduled', label: `a @${name} job` };
      if (CONSUMER_DECORATORS.has(name)) {
        // NestJS Bull processors also run schedules: the file's role says which.
        const role = fileRole(analysis);
        return role?.kind === 'scheduled' ? role : { kind: 'consumer', label: `a @${name} consumer` };
      }
    }
  }
  const name = functionName(fn);
  if (name && STARTUP_HOOKS.has(name)) return { kind: 'startup', label: `${name}()` };
  if (name && SHUTDOWN_HOOKS.has(name)) return { kind: 'shutdown', label: `${name}()` };
  if (name && /^(GET|POST|PUT|PATCH|DELETE)$/.test(name) && fileRole(analysis)?.kind === 'request') return { kind: 'request', label: `the ${name} route handler` };
  const first = name && fn.params.length === 0 ? splitWords(name)[0] : undefined;
  if (first && STARTUP_WORDS.has(first)) return { kind: 'startup', label: `startup code (${name}())` };
  if (first && SHUTDOWN_WORDS.has(first)) return { kind: 'shutdown', label: `shutdown code (${name}())` };
  if (first && /^seed/.test(first)) return { kind: 'seed', label: `a seed (${name}())` };
  if (first && /^migrat/.test(first)) return { kind: 'migration', label: `a migration (${name}())` };
  return undefined;
}

/** The path a function gets from the call it is handed to: a route, a worker, a cron, a signal handler. */
function registeredPath(fn: TSESTree.FunctionLike): CodePathFact | undefined {
  const parent = fn.parent;
  // kafkajs: consumer.run({ eachMessage: async (…) => … }); GraphQL resolver maps: { Mutation: { f() {} } }
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === fn) {
    const key = parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : literalText(parent.key);
    if (key === 'eachMessage' || key === 'eachBatch') return { kind: 'consumer', label: `a Kafka ${key} handler` };
    const map = parent.parent?.parent;
    if (map?.type === AST_NODE_TYPES.Property) {
      const mapKey = map.key.type === AST_NODE_TYPES.Identifier ? map.key.name : literalText(map.key);
      if (mapKey === 'Mutation' || mapKey === 'Query') return { kind: 'request', label: `the ${key ?? ''} ${mapKey.toLowerCase()} resolver`.replace('  ', ' ') };
    }
    return undefined;
  }
  if (parent?.type !== AST_NODE_TYPES.CallExpression && parent?.type !== AST_NODE_TYPES.NewExpression) return undefined;
  if (!parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(parent.callee);
  const method = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : nameOf(callee);
  const first = literalText(parent.arguments[0]);
  if (parent.type === AST_NODE_TYPES.NewExpression) {
    if (method === 'Worker') return { kind: 'consumer', label: `a ${first ? `${first} ` : ''}queue worker` };
    if (method === 'CronJob') return { kind: 'scheduled', label: 'a cron job' };
    return undefined;
  }
  if (method && HTTP_VERBS.has(method.toLowerCase()) && first?.startsWith('/')) {
    return { kind: 'request', label: `the ${method.toUpperCase() === 'DEL' ? 'DELETE' : method.toUpperCase()} ${first} handler` };
  }
  // tRPC: publicProcedure.input(…).mutation(async ({ input }) => …)
  if ((method === 'mutation' || method === 'query') && callee.type === AST_NODE_TYPES.MemberExpression && /procedure/i.test(sourceTextOfChain(callee.object))) {
    return { kind: 'request', label: `a tRPC ${method}` };
  }
  if (method === 'process' || method === 'consume' || method === 'subscribe') return { kind: 'consumer', label: `a ${method}() handler` };
  if ((method === 'schedule' || method === 'scheduleJob') && parent.arguments.length >= 2) return { kind: 'scheduled', label: 'a cron job' };
  if (method === 'setInterval') return { kind: 'scheduled', label: 'a setInterval timer' };
  if ((method === 'on' || method === 'once') && first && SIGNALS.has(first)) return { kind: 'shutdown', label: `a ${first} handler` };
  if (method === 'listen') return { kind: 'startup', label: 'the listen() callback' };
  return undefined;
}

/** Calls that keep a function to run later, on an event or a timer: `bus.on('msg', fn)`, `setTimeout(fn)`. */
const LISTENER_CALL = /^(?:on|once|addListener|addEventListener|prependListener|subscribe|watch|register|setTimeout|setImmediate|nextTick|queueMicrotask|schedule\w*)$/;

function isListener(fn: TSESTree.FunctionLike): boolean {
  const parent = fn.parent;
  return (
    (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(fn as TSESTree.CallExpressionArgument) &&
    LISTENER_CALL.test(nameOf(parent.callee) ?? '')
  );
}

/** The identifiers along a member/call chain, joined: enough to see `procedure` in `t.procedure.input(x)`. */
function sourceTextOfChain(node: TSESTree.Node): string {
  const names: string[] = [];
  for (let current: TSESTree.Node | undefined = node, depth = 0; current && depth < 8; depth++) {
    current = unwrap(current);
    if (current.type === AST_NODE_TYPES.Identifier) {
      names.push(current.name);
      break;
    }
    if (current.type === AST_NODE_TYPES.MemberExpression) {
      names.push(memberName(current) ?? '');
      current = current.object;
    } else if (current.type === AST_NODE_TYPES.CallExpression) current = current.callee;
    else break;
  }
  return names.join('.');
}

/** Calls in this file to a function by its name (`name(…)`, `this.name(…)`), memoised per file. */
function callsByName(analysis: FileAnalysis): ReadonlyMap<string, readonly TSESTree.CallExpression[]> {
  return callsByNameMemo.get(analysis, () => collectCallsByName(analysis));
}

const callsByNameMemo = fileValue<ReadonlyMap<string, readonly TSESTree.CallExpression[]>>();

function collectCallsByName(analysis: FileAnalysis): ReadonlyMap<string, readonly TSESTree.CallExpression[]> {
  const calls = new Map<string, TSESTree.CallExpression[]>();
  walkCode(analysis.sourceCode, analysis.sourceCode.ast, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const callee = unwrap(node.callee);
    const name =
      callee.type === AST_NODE_TYPES.Identifier
        ? callee.name
        : callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.ThisExpression
          ? memberName(callee)
          : undefined;
    if (!name) return;
    const list = calls.get(name) ?? [];
    list.push(node);
    calls.set(name, list);
  });
  return calls;
}

/**
 * The code path of the function around `node`: the innermost function whose declaration, registration
 * or same-file callers say where it runs, else the file's role, else unknown.
 */
export function codePathOf(analysis: FileAnalysis, node: TSESTree.Node, depth = 0, seen = new Set<TSESTree.Node>()): CodePathFact {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    const fn = current as TSESTree.FunctionLike;
    const own = declaredPath(analysis, fn) ?? registeredPath(fn);
    if (own) return own;
    // A listener registered by the enclosing code runs when its event comes, not when that code runs.
    if (isListener(fn)) return { kind: 'unknown', label: 'an unknown path' };
    const viaCallers = callerPath(analysis, fn, depth, seen);
    if (viaCallers) return viaCallers;
  }
  return fileRole(analysis) ?? { kind: 'unknown', label: 'an unknown path' };
}

/** The path every same-file caller of `fn` agrees on (`init()` → `this.indexNamespace()`), if any. */
function callerPath(analysis: FileAnalysis, fn: TSESTree.FunctionLike, depth: number, seen: Set<TSESTree.Node>): CodePathFact | undefined {
  const name = functionName(fn);
  if (!name || depth >= 3 || seen.has(fn)) return undefined;
  seen.add(fn);
  const calls = (callsByName(analysis).get(name) ?? []).filter((call) => !contains(fn, call));
  if (calls.length === 0) return undefined;
  const paths = calls.map((call) => codePathOf(analysis, call, depth + 1, seen));
  const kind = paths[0]!.kind;
  if (kind === 'unknown' || paths.some((path) => path.kind !== kind)) return undefined;
  return { kind, label: `${paths[0]!.label}, through ${name}()` };
}

/**
 * Is `node` on a one-off path (a test, a seed, a script, startup or shutdown code), whose fact drops a
 * site there to `low`? The answer {@link judge} gives any site at `node`: a rule whose floor is above
 * `low` can report nothing there, and need not search.
 */
export function onOneOffPath(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  if (oneOffThroughout(analysis)) return true;
  // The path depends only on the functions around a node: one answer per innermost function.
  let fn: TSESTree.Node = analysis.sourceCode.ast;
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) {
      fn = current;
      break;
    }
  }
  return oneOffPaths.get(analysis, fn, () => pathFact(codePathOf(analysis, node), false)?.effect === 'drop');
}

const oneOffPaths = fileMemo<TSESTree.Node, boolean>();

/**
 * Is every node of the file on a one-off path? So when its role drops a site and no function in it can
 * say otherwise: none is a listener (whose path is unknown), and no declaration or registration gives a
 * path that does not drop (a route handler, a consumer, a schedule). Then each path {@link codePathOf}
 * gives is one of those that drop: a function's own, the role, or what same-file callers agree on, which
 * are such paths again. Over typeorm's tests, asking per innermost function cost about 100 ms for
 * 43,292 questions of which 3 were no. Each function is read once, from the scope manager's function
 * scopes rather than by a walk.
 */
function oneOffThroughout(analysis: FileAnalysis): boolean {
  return oneOffThroughoutOf.get(analysis, () => {
    const scopes = analysis.sourceCode.scopeManager?.scopes;
    if (!scopes || !oneOffByPath(analysis)) return false;
    for (const { block } of scopes) {
      if (!isFunction(block)) continue;
      if (isListener(block)) return false;
      const own = declaredPath(analysis, block) ?? registeredPath(block);
      if (own && pathFact(own, false)?.effect !== 'drop') return false;
    }
    return true;
  });
}

const oneOffThroughoutOf = fileValue<boolean>();

/** Is the file one-off by its path (a test, a migration, a seed, a script)? The cheap question before {@link onOneOffPath}. */
export function oneOffByPath(analysis: FileAnalysis): boolean {
  const role = fileRole(analysis);
  return role !== undefined && pathFact(role, false)?.effect === 'drop';
}

/**
 * What a code path does to the grade: one-off paths drop it; a scheduled job lowers what is paid per item
 * (it runs rarely), not a wrong order or a global lock, which a timer makes no less wrong.
 */
function pathFact(path: CodePathFact, perItem: boolean): Fact | undefined {
  switch (path.kind) {
    case 'startup':
    case 'shutdown':
    case 'migration':
    case 'seed':
    case 'script':
    case 'test':
      return { phrase: `runs in ${path.label}, not per request`, effect: 'drop' };
    case 'scheduled':
      return { phrase: `in ${path.label}`, effect: perItem ? 'lower' : 'none' };
    case 'request':
    case 'consumer':
      return { phrase: `in ${path.label}`, effect: 'none' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Where a loop's items come from

const QUERY_METHOD = /^(?:find\w*|select\w*|query\w*|scan|list\w*|getAll\w*|getMany|toArray|all|where|fetchAll|aggregate|search\w*)$/;
const LIMIT_PROPERTY = /^(?:take|limit|first|last|top|pageSize|perPage|per_page|size|max|maxResults|Limit)$/;
const LIMIT_METHOD = /^(?:limit|take|first|top|paginate|page)$/;
const REQUEST_ROOTS = /^(?:req|request|ctx|context)$/;
const INPUT_NAMES = /^(?:body|input|dto|payload|args|variables)$/i;
const CONFIG_NAMES = /^(?:config|configs|configuration|options|opts|settings|env|process)$/i;
const PASS_THROUGH = new Set(['filter', 'map', 'flatMap', 'slice', 'reverse', 'sort', 'toSorted', 'concat', 'flat', 'values', 'keys', 'entries']);

/** The query call a value is a result of (`await repo.find(…)`, `.toArray()` of a find), with whether something limits it. */
function queryFact(analysis: FileAnalysis, call: TSESTree.CallExpression): ItemsFact | undefined {
  const chain: TSESTree.CallExpression[] = [];
  for (let current: TSESTree.Node = call, depth = 0; depth < 6; depth++) {
    const value = unwrap(current);
    if (value.type !== AST_NODE_TYPES.CallExpression) break;
    chain.push(value);
    const callee = unwrap(value.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) break;
    current = callee.object;
  }
  const named = chain.find((link) => QUERY_METHOD.test(nameOf(link.callee) ?? ''));
  const site = classifyCall(analysis, call);
  if (!named && site?.operation.kind !== 'remote-read' && site?.operation.kind !== 'sql') return undefined;
  const method = nameOf((named ?? call).callee) ?? 'query';
  const limited =
    /batch|page/i.test(method) ||
    chain.some((link) => LIMIT_METHOD.test(nameOf(link.callee) ?? '')) ||
    chain.some((link) => link.arguments.some((argument) => hasLimit(analysis, argument))) ||
    chain.some((link) => link.arguments.some((argument) => /\bLIMIT\s+\S/i.test(analysis.sourceCode.getText(argument))));
  return limited ? { kind: 'limited-page', label: `a limited page of ${method}()` } : { kind: 'unlimited-query', label: `rows of an unlimited ${method}()` };
}

function hasLimit(analysis: FileAnalysis, argument: TSESTree.Node): boolean {
  const value = unwrap(argument);
  if (value.type !== AST_NODE_TYPES.ObjectExpression) return false;
  return value.properties.some(
    (property) => property.type === AST_NODE_TYPES.Property && ((property.key.type === AST_NODE_TYPES.Identifier && LIMIT_PROPERTY.test(property.key.name)) || hasLimit(analysis, property.value)),
  );
}

/** The parameter a name is bound to, with its function and position, when `identifier` is one. */
function parameterOf(analysis: FileAnalysis, identifier: TSESTree.Identifier): { fn: TSESTree.FunctionLike; index: number; property: string | undefined } | undefined {
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(identifier), identifier.name);
  const def = variable?.defs[0];
  if (def?.type !== 'Parameter') return undefined;
  const fn = def.node as TSESTree.FunctionLike;
  const index = fn.params.findIndex((param) => contains(param, def.name));
  const param = fn.params[index];
  // ({ input }) => …: a destructured property of the argument
  const property =
    param?.type === AST_NODE_TYPES.ObjectPattern
      ? param.properties.find((prop): prop is TSESTree.Property => prop.type === AST_NODE_TYPES.Property && contains(prop, def.name))?.key
      : undefined;
  return { fn, index, property: property?.type === AST_NODE_TYPES.Identifier ? property.name : undefined };
}

/**
 * Where the items of `collection` come from, followed through local `const`s, pass-through array
 * methods, `await`, `?? []`, `Object.values(…)`, and the arguments same-file callers pass for a parameter.
 */
export function itemsSourceOf(analysis: FileAnalysis, collection: TSESTree.Node | undefined, fixedInCode = false, depth = 0): ItemsFact {
  if (fixedInCode) return { kind: 'fixed', label: 'a list fixed in the code' };
  if (!collection || depth > 6) return { kind: 'unknown', label: 'items of unknown origin' };
  const value = unwrap(collection);
  const next = (node: TSESTree.Node | undefined): ItemsFact => itemsSourceOf(analysis, node, false, depth + 1);
  switch (value.type) {
    case AST_NODE_TYPES.AwaitExpression:
      return next(value.argument);
    case AST_NODE_TYPES.LogicalExpression:
      return next(value.left);
    case AST_NODE_TYPES.ArrayExpression: {
      const spread = value.elements.find((element) => element?.type === AST_NODE_TYPES.SpreadElement);
      return spread ? next((spread as TSESTree.SpreadElement).argument) : { kind: 'fixed', label: 'a list fixed in the code' };
    }
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrap(value.callee);
      const method = nameOf(callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const object = unwrap(callee.object);
        if (object.type === AST_NODE_TYPES.Identifier && (object.name === 'Object' || object.name === 'Array')) {
          const argument = value.arguments[0];
          if (argument && isEnum(analysis, argument)) return { kind: 'fixed', label: `the members of enum ${analysis.sourceCode.getText(argument)}` };
          return next(argument);
        }
        const query = queryFact(analysis, value);
        if (query) return query;
        if (method && PASS_THROUGH.has(method)) return next(callee.object);
      }
      return queryFact(analysis, value) ?? { kind: 'unknown', label: `the result of ${method ?? 'a call'}()` };
    }
    case AST_NODE_TYPES.Identifier: {
      const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(value), value.name);
      const def = variable?.defs[0];
      if (def?.type === 'Variable' && def.node.init && def.node.id.type === AST_NODE_TYPES.Identifier) {
        const written = variable!.references.filter((reference) => reference.isWrite() && reference.identifier !== def.node.id);
        return written.length === 0 ? next(def.node.init) : { kind: 'unknown', label: `${value.name}, reassigned` };
      }
      if (def?.type === 'Parameter') return parameterSource(analysis, value, depth);
      return { kind: 'unknown', label: `${value.name} of unknown origin` };
    }
    case AST_NODE_TYPES.MemberExpression:
      return memberSource(analysis, value, depth);
    default:
      return { kind: 'unknown', label: 'items of unknown origin' };
  }
}

function parameterSource(analysis: FileAnalysis, identifier: TSESTree.Identifier, depth: number): ItemsFact {
  const param = parameterOf(analysis, identifier);
  if (param?.property && INPUT_NAMES.test(param.property) && /^(?:mutation|query)$/.test(nameOf((param.fn.parent as TSESTree.CallExpression | undefined)?.callee) ?? '')) {
    return { kind: 'request-input', label: `the request's ${param.property}` };
  }
  if (INPUT_NAMES.test(identifier.name) && param && codePathOf(analysis, identifier).kind === 'request') return { kind: 'request-input', label: `the request's ${identifier.name}` };
  // What callers in this file pass for the parameter, when they all agree.
  const name = param && !param.property ? functionName(param.fn) : undefined;
  const calls = name ? (callsByName(analysis).get(name) ?? []).filter((call) => !contains(param!.fn, call)) : [];
  const passed = calls.map((call) => call.arguments[param!.index]).filter((argument): argument is TSESTree.CallExpressionArgument => argument !== undefined);
  if (passed.length > 0 && passed.length === calls.length && depth < 4) {
    const sources = passed.map((argument) => itemsSourceOf(analysis, argument, false, depth + 2));
    if (sources.every((source) => source.kind === sources[0]!.kind) && sources[0]!.kind !== 'unknown') {
      return { kind: sources[0]!.kind, label: `${sources[0]!.label}, passed as ${identifier.name}` };
    }
  }
  return { kind: 'parameter', label: `${identifier.name}, a parameter of unknown origin` };
}

function memberSource(analysis: FileAnalysis, member: TSESTree.MemberExpression, depth: number): ItemsFact {
  const text = analysis.sourceCode.getText(member);
  const property = memberName(member) ?? '';
  // Walk to the root: req.body.items, ctx.request.body.ids, input.ids, this.config.channels
  const names: string[] = [property];
  let root: TSESTree.Node = unwrap(member.object);
  while (root.type === AST_NODE_TYPES.MemberExpression) {
    names.push(memberName(root) ?? '');
    root = unwrap(root.object);
  }
  const rootName = root.type === AST_NODE_TYPES.Identifier ? root.name : root.type === AST_NODE_TYPES.ThisExpression ? 'this' : undefined;
  if (rootName) names.push(rootName);
  if (names.some((name) => name === 'body' || name === 'query') && names.some((name) => REQUEST_ROOTS.test(name))) return { kind: 'request-input', label: `the request's ${text}` };
  if (rootName && rootName !== 'this' && INPUT_NAMES.test(rootName) && root.type === AST_NODE_TYPES.Identifier && parameterOf(analysis, root)) {
    return { kind: 'request-input', label: `the input ${text}` };
  }
  if (names.some((name) => CONFIG_NAMES.test(name))) return { kind: 'config', label: `a configured list (${text})` };
  if (/^[A-Z][A-Z0-9_]*$/.test(property)) return { kind: 'fixed', label: `the constant ${text}` };
  // order.lines, dashboard.tiles: the children of one entity the function holds
  if (root.type === AST_NODE_TYPES.Identifier && member.object.type === AST_NODE_TYPES.Identifier && !isCollectionName(root.name) && depth < 6) {
    const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(root), root.name);
    if (variable && variable.defs.length > 0 && !/^[A-Z]/.test(root.name)) return { kind: 'entity-children', label: `the ${property} of one ${root.name}` };
  }
  return { kind: 'unknown', label: `${text} of unknown origin` };
}

/** `rows`, `items`, `results`: a name for many records, whose members are not one entity's children. */
function isCollectionName(name: string): boolean {
  const words = splitWords(name);
  const last = words[words.length - 1] ?? '';
  return /(?:s|list|array|set|map|result|response|res|data)$/i.test(last);
}

/** A TypeScript enum of this file, or a PascalCase import used with `Object.values(…)`. */
function isEnum(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.Identifier) return false;
  const def = ASTUtils.findVariable(analysis.sourceCode.getScope(value), value.name)?.defs[0];
  if (def?.node.type === AST_NODE_TYPES.TSEnumDeclaration) return true;
  return def?.type === 'ImportBinding' && /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)*(?:Type|Kind|Enum|Status|Role|Mode)s?$/.test(value.name);
}

function itemsFact(items: ItemsFact): Fact | undefined {
  switch (items.kind) {
    case 'unlimited-query':
      return { phrase: `k = ${items.label}`, effect: 'raise' };
    case 'request-input':
      return { phrase: `k = items of ${items.label}`, effect: 'raise' };
    case 'limited-page':
      return { phrase: `k ≤ ${items.label}`, effect: 'lower' };
    case 'entity-children':
      return { phrase: `k = ${items.label}`, effect: 'lower' };
    case 'config':
      return { phrase: `k = ${items.label}`, effect: 'lower' };
    case 'fixed':
      return { phrase: `k = ${items.label}`, effect: 'drop' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// What wraps the call, and whether an iteration depends on its own earlier write

const TRANSACTION_PARAM = /^(?:tx|trx|txn|transaction|manager|entityManager|em|queryRunner|session|unitOfWork|uow)$/;
const TRANSACTION_TYPE = /Transaction|EntityManager|QueryRunner|ClientSession|UnitOfWork/;
const CONTEXT_ARGUMENT = /^(?:ctx|context|req|request|tx|trx|em|manager|entityManager|queryRunner|session)$/;
const LOCK_CALL = /^(?:acquire|using|runExclusive|withLock|lock|exclusive|withMutex)$/;

/** The root identifier a call is made on (`tx` of `tx.booking.update(…)`) and the calls along the way. */
function receiverChain(call: TSESTree.Node): { root: TSESTree.Node | undefined; calls: TSESTree.CallExpression[] } {
  const calls: TSESTree.CallExpression[] = [];
  if (call.type !== AST_NODE_TYPES.CallExpression) return { root: undefined, calls };
  let current: TSESTree.Node = unwrap(call.callee);
  for (let depth = 0; depth < 10; depth++) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = unwrap(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) {
      calls.push(current);
      current = unwrap(current.callee);
    } else break;
  }
  return { root: current, calls };
}

/** A transaction or unit of work opened outside the call, or a lock around it. */
function wrapperFacts(analysis: FileAnalysis, node: TSESTree.Node): { facts: Fact[]; unitOfWork: boolean } {
  const facts: Fact[] = [];
  let unitOfWork = false;
  const { root, calls } = receiverChain(node);
  if (root?.type === AST_NODE_TYPES.Identifier) {
    const def = ASTUtils.findVariable(analysis.sourceCode.getScope(root), root.name)?.defs[0];
    const annotation = def?.type === 'Parameter' && def.name.type === AST_NODE_TYPES.Identifier && def.name.typeAnnotation ? analysis.sourceCode.getText(def.name.typeAnnotation) : '';
    if (def?.type === 'Parameter' && (TRANSACTION_PARAM.test(root.name) || TRANSACTION_TYPE.test(annotation))) {
      unitOfWork = true;
      facts.push({ phrase: `inside the caller's transaction (${root.name})`, effect: 'lower' });
    }
  }
  // getRepository(ctx, Order), this.repo(req).save(…): a repository bound to the request's unit of work
  const bound = calls.find((call) =>
    call.arguments.some((argument) => {
      const value = unwrap(argument);
      return value.type === AST_NODE_TYPES.Identifier && CONTEXT_ARGUMENT.test(value.name);
    }),
  );
  if (!unitOfWork && bound) {
    unitOfWork = true;
    facts.push({ phrase: `through ${nameOf(bound.callee) ?? 'a repository'}() bound to the request's unit of work`, effect: 'lower' });
  }
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    const holder = current.parent;
    if (!unitOfWork && (holder?.type === AST_NODE_TYPES.MethodDefinition) && decoratorNames(holder).some((decorator) => decorator.name === 'Transactional')) {
      unitOfWork = true;
      facts.push({ phrase: 'inside a @Transactional() method', effect: 'lower' });
    }
    if (holder?.type === AST_NODE_TYPES.CallExpression && holder.arguments.includes(current as TSESTree.CallExpressionArgument) && LOCK_CALL.test(nameOf(holder.callee) ?? '')) {
      facts.push({ phrase: `under a lock (${nameOf(holder.callee)}())`, effect: 'lower' });
      break;
    }
  }
  if (!unitOfWork && startsTransactionBefore(analysis, node)) {
    unitOfWork = true;
    facts.push({ phrase: 'after startTransaction() in the same function', effect: 'lower' });
  }
  return { facts, unitOfWork };
}

/** `await queryRunner.startTransaction()` / `session.startTransaction()` earlier in the enclosing function. */
function startsTransactionBefore(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  let fn: TSESTree.Node | undefined = node.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  if (!fn) return false;
  let found = false;
  walk(analysis.sourceCode, fn, (child) => {
    if (found || child.range[0] >= node.range[0]) return false;
    if (child.type === AST_NODE_TYPES.CallExpression && /^(?:startTransaction|beginTransaction)$/.test(nameOf(child.callee) ?? '')) found = true;
    return undefined;
  });
  return found;
}

const WRITE_METHOD = /^(?:create|insert|save|upsert|add|put|persist)\w*$/i;

/** Is this call a write whose result a later step may need (a create, insert, save)? */
function isWriteCall(analysis: FileAnalysis, call: TSESTree.Node): boolean {
  const value = unwrap(call);
  if (value.type !== AST_NODE_TYPES.CallExpression) return false;
  const kind = classifyCall(analysis, value)?.operation.kind;
  if (kind === 'remote-read' || kind === 'clock-read') return false;
  return WRITE_METHOD.test(nameOf(value.callee) ?? '');
}

/** The variables a loop body binds from the results of writes, before `node` (`const order = await create(…)`). */
function parentWriteResults(analysis: FileAnalysis, body: TSESTree.Node, before: number): Set<string> {
  const names = new Set<string>();
  walk(analysis.sourceCode, body, (child) => {
    if (child.range[0] >= before) return false;
    if (child !== body && isFunction(child) && child.parent?.type !== AST_NODE_TYPES.CallExpression) return false;
    if (child.type === AST_NODE_TYPES.VariableDeclarator && child.id.type === AST_NODE_TYPES.Identifier && child.init && isWriteCall(analysis, unwrap(child.init).type === AST_NODE_TYPES.AwaitExpression ? (unwrap(child.init) as TSESTree.AwaitExpression).argument : child.init)) {
      names.add(child.id.name);
    }
    return undefined;
  });
  return names;
}

function mentions(analysis: FileAnalysis, root: TSESTree.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(analysis.sourceCode, root, (child) => {
    if (found) return false;
    if (child.type === AST_NODE_TYPES.Identifier && names.has(child.name)) found = true;
    return undefined;
  });
  return found;
}

/** The write of a loop's item feeds a later write of the same item, or needs an earlier one's result. */
function parentThenChild(analysis: FileAnalysis, node: TSESTree.Node, loop: LoopContext): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  // Child: the call's arguments use what an earlier write of this iteration returned.
  const parents = parentWriteResults(analysis, loop.body, node.range[0]);
  if (parents.size > 0 && node.arguments.some((argument) => mentions(analysis, argument, parents))) return true;
  // Parent: the call's result is bound, and a later write in the iteration uses it.
  let holder: TSESTree.Node | undefined = node.parent;
  while (holder && (holder.type === AST_NODE_TYPES.AwaitExpression || holder.type === AST_NODE_TYPES.TSAsExpression || holder.type === AST_NODE_TYPES.TSNonNullExpression)) holder = holder.parent;
  if (holder?.type !== AST_NODE_TYPES.VariableDeclarator || holder.id.type !== AST_NODE_TYPES.Identifier) return false;
  const bound = new Set([holder.id.name]);
  let used = false;
  walk(analysis.sourceCode, loop.body, (child) => {
    if (used) return false;
    if (child.range[0] <= node.range[1] || child.type !== AST_NODE_TYPES.CallExpression) return undefined;
    if (isWriteCall(analysis, child) && child.arguments.some((argument) => mentions(analysis, argument, bound))) used = true;
    return undefined;
  });
  return used;
}

/** An `if (item.id === wanted)` between the loop body and the call: at most one item matches. */
function atMostOneMatch(node: TSESTree.Node, loop: LoopContext): boolean {
  const itemRefs = itemReferences(loop);
  const refersToItem = (part: TSESTree.Node): boolean => containsAny(part, itemRefs);
  for (let current = node.parent; current && current !== loop.body; current = current.parent) {
    if (current.type !== AST_NODE_TYPES.IfStatement || !contains(current.consequent, node)) continue;
    const test = unwrap(current.test);
    if (test.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '===' && test.operator !== '==')) continue;
    const sides = [test.left, test.right];
    // The item's own identity: `team.ownerId === userId` matches many teams, `entity.id === storeId` one.
    const keyed = sides.find((side) => side.type === AST_NODE_TYPES.MemberExpression && /^(?:id|_id|uuid|key)$/.test(memberName(side) ?? '') && refersToItem(side));
    const other = sides.find((side) => side !== keyed);
    if (keyed && other && !refersToItem(other)) return true;
  }
  return false;
}

/** Awaited calls of one iteration besides the site (nested loops included, nested functions not). */
function otherAwaitedSteps(analysis: FileAnalysis, node: TSESTree.Node, loop: LoopContext): number {
  let steps = 0;
  walk(analysis.sourceCode, loop.body, (child) => {
    if (child !== loop.body && isFunction(child)) return false;
    if (child.type === AST_NODE_TYPES.AwaitExpression && !contains(child, node) && unwrap(child.argument).type === AST_NODE_TYPES.CallExpression) steps += 1;
    return undefined;
  });
  return steps;
}

/** From this many other awaited calls an iteration is a workflow of its own, not one write waiting for a batch. */
const MULTI_STEP = 3;

// ---------------------------------------------------------------------------------------------
// The judgement

const GRADE_WORD: Readonly<Record<Confidence, string>> = { high: 'High', medium: 'Medium', low: 'Low' };

/**
 * Judges a site: gathers the facts, grades them with {@link grade}, and keeps the context and the
 * evidence phrases. Memoised per node, so a rule that asks before reporting pays once.
 */
export function judge(analysis: FileAnalysis, input: JudgementInput): Judgement {
  // Only a judgement without the rule's own facts is the same for every asker.
  const plain = input.facts === undefined || input.facts.length === 0;
  return plain ? judgements.get(analysis, input.node, () => judgeSite(analysis, input)) : judgeSite(analysis, input);
}

const judgements = fileMemo<TSESTree.Node, Judgement>();

function judgeSite(analysis: FileAnalysis, input: JudgementInput): Judgement {

  const facts: Fact[] = [];
  const context: Record<string, string> = {};
  const path = codePathOf(analysis, input.node);
  context['path'] = path.kind;
  if (path.kind !== 'unknown') context['pathLabel'] = path.label;
  // A unit of work or a lock around per-item calls makes them one unit; around a lock, it is the smell.
  const wrappers = input.loop ? wrapperFacts(analysis, input.node) : { facts: [], unitOfWork: false };
  let dependent = false;
  if (input.loop) {
    const items = itemsSourceOf(analysis, input.loop.collection, input.loop.fixedInCode);
    context['items'] = items.kind;
    const fact = itemsFact(items);
    if (fact) facts.push(fact);
    if (atMostOneMatch(input.node, input.loop)) facts.push({ phrase: 'an id match: at most one item writes', effect: 'drop' });
    const steps = otherAwaitedSteps(analysis, input.node, input.loop);
    if (steps >= MULTI_STEP) facts.push({ phrase: `each item is a unit of ${steps + 1} awaited steps`, effect: 'lower' });
    dependent = parentThenChild(analysis, input.node, input.loop);
    if (dependent) {
      context['dependence'] = 'parent-then-child';
      facts.push({ phrase: "each child write needs the id its parent's write returned", effect: 'lower' });
    }
  }
  facts.push(...wrappers.facts);
  if (wrappers.unitOfWork) context['wraps'] = 'unit-of-work';
  facts.push(...(input.facts ?? []));
  const pathEvidence = pathFact(path, input.loop !== undefined);
  if (pathEvidence) facts.push(pathEvidence);

  const confidence = grade(facts);
  const order: Readonly<Record<Effect, number>> =
    confidence === 'high' ? { raise: 0, none: 1, lower: 2, drop: 3 } : { drop: 0, lower: 1, raise: 2, none: 3 };
  const ranked = facts.filter((fact) => fact.effect !== 'none' || confidence === 'high').sort((a, b) => order[a.effect] - order[b.effect]);
  const decisive = ranked.slice(0, 2).map((fact) => fact.phrase);
  const judgement: Judgement = {
    context,
    confidence,
    evidence: facts.map((fact) => fact.phrase),
    decisive,
    parentThenChild: dependent,
    unitOfWork: wrappers.unitOfWork,
  };
  return judgement;
}

/** The sentence a message states about the grade: `High confidence: k = rows of an unlimited findMany(), in the POST /orders handler.` */
export function judgementSentence(judgement: Pick<Judgement, 'confidence' | 'decisive'>): string {
  const why = judgement.decisive.length > 0 ? judgement.decisive.join('; ') : 'nothing bounds it or marks it one-off';
  return `${GRADE_WORD[judgement.confidence]} confidence: ${why}.`;
}
