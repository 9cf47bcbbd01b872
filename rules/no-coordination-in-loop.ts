import { isAbsolute, relative } from 'node:path';
import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import { type CoordinatingHelper, calledFunction, chainPath, coordinatingHelper } from '../src/analysis/call-graph.js';
import { memberName, nameOf, unwrap } from '../src/analysis/resolve-value.js';
import { hasArgumentShape } from '../src/analysis/argument-shapes.js';
import { contains, isFunction, walk } from '../src/analysis/traverse.js';
import { type CallNode, type Site, classifyCall } from '../src/analysis/classify-call.js';
import { type FileAnalysis, getFileAnalysis } from '../src/analysis/file-analysis.js';
import { type LoopContext, classifyIteration, loopBounds, loopContextOf } from '../src/analysis/loop-context.js';
import { catalogPrimitive, reportSite } from '../src/analysis/site.js';
import { type EffectiveSite, effectiveSite } from '../src/analysis/sql.js';
import type { PrimitiveKind } from '../src/model/catalog-types.js';
import type { Multiplier } from '../src/model/cost.js';
import { bulkSuggestion } from '../src/fix/bulk-suggestion.js';
import { batchedRead } from '../src/fix/batched-read.js';
import { outermostChain, readIsDependent } from '../src/analysis/read-dependence.js';
import { calleeText } from '../src/analysis/render.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

export type Options = [
  {
    /** The lowest grade reported (default high). */
    minConfidence?: Confidence;
    checkHelpers: boolean;
    checkParallel: boolean;
    checkReads: boolean;
    maxFixedIterations: number;
  },
];

export type MessageIds =
  | 'perItemWrite'
  | 'perItemQuorumWrite'
  | 'perItemReplicaWrite'
  | 'perItemConsensusWrite'
  | 'perItemTransaction'
  | 'perItemLock'
  | 'perItemRead'
  | 'suggestBulk'
  | 'suggestBatchedRead';

/** The kinds that pay coordination per call. Reads, clocks, local I/O and in-process locks do not. */
const COORDINATION_KINDS: ReadonlySet<PrimitiveKind> = new Set([
  'lock',
  'transaction',
  'consensus-write',
  'quorum-write',
  'replica-write',
  'remote-write',
]);

/** What the call graph looks for: the coordination kinds, and SQL whose text decides. */
const HELPER_KINDS: ReadonlySet<PrimitiveKind> = new Set([...COORDINATION_KINDS, 'sql']);

/** What the call graph looks for when a helper coordinates nowhere: a read, or SQL that turns out to be one. */
const READ_HELPER_KINDS: ReadonlySet<PrimitiveKind> = new Set(['remote-read', 'sql']);

type SmellMessageId = Exclude<MessageIds, 'suggestBulk' | 'suggestBatchedRead'>;

/** Options that pick a page of one query: `page`, `pageNumber`, `offset`, `skip`, `cursor`, `startAfter`, `pageToken`. */
const PAGE_KEY = /^(?:page|pageNumber|pageIndex|offset|skip|cursor|after|startAfter|pageToken|nextToken|ExclusiveStartKey)$/;

/** Nodes a value passes through unchanged on its way to a `return` or a binding. */
const PASS_THROUGH: ReadonlySet<string> = new Set([AST_NODE_TYPES.AwaitExpression, AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.ChainExpression]);

/** The message of each kind, and what the report calls its smell. */
const SMELL_BY_KIND: Partial<Record<PrimitiveKind, { readonly messageId: SmellMessageId; readonly smell: string }>> = {
  'remote-write': { messageId: 'perItemWrite', smell: 'write per item' },
  'quorum-write': { messageId: 'perItemQuorumWrite', smell: 'quorum write per item' },
  'replica-write': { messageId: 'perItemReplicaWrite', smell: 'replicated write per item' },
  'consensus-write': { messageId: 'perItemConsensusWrite', smell: 'consensus write per item' },
  transaction: { messageId: 'perItemTransaction', smell: 'transaction per item' },
  lock: { messageId: 'perItemLock', smell: 'lock per item' },
  'remote-read': { messageId: 'perItemRead', smell: 'read per item' },
};

const PER_ITEM = 'once per item of {{collection}}{{through}} ({{price}}). {{judgement}}{{advice}}{{site}}';

/**
 * Seeds, migrations (`migrations/`, `backgroundMigrations/`, `20240101-migrate-users.ts`, `cutover/`,
 * `backfill-plans.ts`), `scripts/`
 * folders and tests (`*.test.*`, `*.spec.*`, `__tests__/`, `test/`, `tests/`, `e2e/`).
 */
const ONE_OFF_SEGMENT = /(?:^|[\\/])[^\\/]*(?:seed|migrat|cutover|backfill)[^\\/]*(?:[\\/]|$)/i;
const SCRIPT_OR_TEST_FOLDER = /(?:^|[\\/])(?:scripts?|__tests__|__mocks__|tests?|e2e)[\\/]/i;
const TEST_FILE = /\.(?:test|spec|e2e-spec)\.[cm]?[jt]sx?$/i;

/** The path below the working directory, so that where the checkout lives (`/ci/tests/app/`) never counts. */
function projectPath(filename: string, cwd: string | undefined): string {
  if (!cwd) return filename;
  const path = relative(cwd, filename);
  return path.startsWith('..') || isAbsolute(path) ? filename : path;
}

/** `$transaction`, `$tx`, `transaction`, `withTransaction`, `runInTransaction`, `transact`. */
const TRANSACTION_CALL = /^\$?(?:tx|transaction|transact)$|Transaction$/i;

function isOneOffOrTestFile(filename: string): boolean {
  return ONE_OFF_SEGMENT.test(filename) || SCRIPT_OR_TEST_FOLDER.test(filename) || TEST_FILE.test(filename);
}

export default createRule<Options, MessageIds>({
  name: 'no-coordination-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow a coordination call per item of a loop where one batched call would do',
      recommended: true,
      requiresTypeChecking: false,
      ladderLevels: [1, 2, 3, 4],
    },
    // The suggestions go through reportSite (src/analysis/site.ts), where this lint rule cannot follow them.
    // eslint-disable-next-line eslint-plugin/require-meta-has-suggestions
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          minConfidence: MIN_CONFIDENCE_SCHEMA,
          checkHelpers: {
            type: 'boolean',
            description: 'Also report calls in a loop to same-file functions that coordinate.',
          },
          checkParallel: {
            type: 'boolean',
            description: 'Also report per-item calls run in parallel (`Promise.all(items.map(...))`) or unawaited (`forEach`).',
          },
          checkReads: {
            type: 'boolean',
            description: 'Also report reads from a store or service once per item (N+1): `findUnique`, `GET`, `GetCommand` per id.',
          },
          maxFixedIterations: {
            type: 'integer',
            minimum: 0,
            description:
              'Loops over a collection fixed in the code (an array literal, a constant, `Object.entries` of a constant object) with at most this many items are not reported: each item is a distinct step. 0 reports them all.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ minConfidence: 'high', checkHelpers: true, checkParallel: true, checkReads: true, maxFixedIterations: 5 }],
    messages: {
      perItemWrite: `{{call}} writes ${PER_ITEM}`,
      perItemQuorumWrite: `{{call}} waits for a write quorum ${PER_ITEM}`,
      perItemReplicaWrite: `{{call}} waits for the in-sync replicas ${PER_ITEM}`,
      perItemConsensusWrite: `{{call}} runs a consensus round ${PER_ITEM}`,
      perItemTransaction: `{{call}} commits a transaction ${PER_ITEM}`,
      perItemLock: `{{call}} takes a lock ${PER_ITEM}`,
      perItemRead: `{{call}} reads ${PER_ITEM}`,
      suggestBulk: 'Batch the loop into one {{bulk}} ({{note}}).',
      suggestBatchedRead: 'Read every item with one {{bulk}} ({{note}}).',
    },
    // ESLint >= 10.2 reads this; ESLint 9 ignores it.
    languages: ['js/js'],
  },
  create(context, [options]) {
    // One-off and test code pays per item on purpose: seeds and migrations run once on bounded data,
    // scripts are run by hand, and tests write their own fixtures.
    if (isOneOffOrTestFile(projectPath(context.filename, context.cwd))) return {};
    const analysis = getFileAnalysis(context);
    const { sourceCode } = context;

    /** Does the rule report this kind: coordination always, a read unless `checkReads` is off? */
    function reported(kind: PrimitiveKind): boolean {
      return COORDINATION_KINDS.has(kind) || (options.checkReads && kind === 'remote-read');
    }

    /** The site's effective primitive when it coordinates (or reads) per call, else undefined; `where` is the site's module. */
    function perItemSite(site: Site, where: FileAnalysis = analysis): EffectiveSite | undefined {
      // Set-based calls batch already; writes through a transaction opened elsewhere are one unit.
      if (site.operation.batched || site.client.inTransaction) return undefined;
      if (!HELPER_KINDS.has(site.operation.kind) && !reported(site.operation.kind)) return undefined;
      // SQL counts by its statement: a lock, a write, or a SELECT (a read).
      const effective = effectiveSite(where, site);
      if (!reported(effective.kind)) return undefined;
      if (effective.kind === 'remote-read' && site.operation.readsByKey) return undefined;
      // prisma.$transaction([a(x), b(x)]): the operations in the array run inside the transaction.
      if (isTransactionOperand(site.node, where)) return undefined;
      return effective;
    }

    /**
     * Is this call an operation handed to a batched call that runs it: `$transaction([a(x)])`,
     * `$transaction(xs.map((x) => a(x)))`, `etcd.if(...).then(...xs.map((x) => etcd.put(x)))`?
     */
    function isTransactionOperand(node: CallNode, where: FileAnalysis): boolean {
      let value: TSESTree.Node = node;
      for (let depth = 0; depth < 6 && value.parent; depth++) {
        const parent: TSESTree.Node = value.parent;
        if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(value as TSESTree.CallExpressionArgument)) {
          return isBatchingCall(parent, where);
        }
        if (parent.type === AST_NODE_TYPES.ArrayExpression || parent.type === AST_NODE_TYPES.SpreadElement) {
          value = parent;
        } else if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === value && parent.parent?.type === AST_NODE_TYPES.CallExpression) {
          // a builder finished by a chained call: etcd.put(k).value(v)
          value = parent.parent;
        } else if (parent.type === AST_NODE_TYPES.ReturnStatement) {
          value = enclosingCallback(parent) ?? parent;
        } else if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value) {
          // ids.map((id) => prisma.x.delete(...)): the map call carries the operations
          const call: TSESTree.Node | undefined = parent.parent;
          if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
          value = call;
        } else {
          return false;
        }
      }
      return false;
    }

    /** A transaction or set-based call, or a builder chained on one (`etcd.if(...).then(...)`). */
    function isBatchingCall(call: TSESTree.CallExpression, where: FileAnalysis = analysis): boolean {
      for (let current: TSESTree.Node = call, depth = 0; depth < 4; depth++) {
        if (current.type !== AST_NODE_TYPES.CallExpression) return false;
        const site = classifyCall(where, current);
        if (site) return site.operation.kind === 'transaction' || site.operation.batched === true;
        const callee = unwrap(current.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
        current = unwrap(callee.object);
      }
      return false;
    }

    function enclosingCallback(statement: TSESTree.ReturnStatement): TSESTree.Node | undefined {
      const fn = statement.parent?.parent;
      return fn && (fn.type === AST_NODE_TYPES.ArrowFunctionExpression || fn.type === AST_NODE_TYPES.FunctionExpression) && fn.parent?.type === AST_NODE_TYPES.CallExpression
        ? fn.parent
        : undefined;
    }

    function loopFor(node: CallNode): LoopContext | undefined {
      const loop = loopContextOf(analysis, node);
      if (!loop) return undefined;
      if (!options.checkParallel && loop.mode !== 'sequential') return undefined;
      // A handful of items written down in the code: distinct steps, not a batch waiting to happen.
      // A constant whose length syntax cannot see (imported) counts as a handful unless the option is 0.
      const max = options.maxFixedIterations;
      if (loop.fixedInCode && (loop.knownIterations === undefined ? max > 0 : loop.knownIterations <= max)) return undefined;
      // The item must be the payload: when it is the receiver, no-sync-fan-out owns the node.
      if (classifyIteration(analysis, node, loop) !== 'payload') return undefined;
      // Retries, polls, throttles, early exits, cursors, chunks and migration runs pay per item on purpose.
      if (loopBounds(analysis, loop).size > 0) return undefined;
      // Each item handled on its own: failures caught per item, or the write waits on the item's own I/O.
      if (isolatedPerItem(node, loop.body, loop.mode) || settledOneByOne(loop) || dependsOnItemIo(node, loop.body)) return undefined;
      // Writes through a transaction the code opens around the loop are one unit, whatever the wrapper.
      if (throughTransactionCallback(node, loop.loop)) return undefined;
      return loop;
    }

    /** `Promise.allSettled(items.map(...))`: each item's outcome is kept apart from the others'. */
    function settledOneByOne(loop: LoopContext): boolean {
      const parent = loop.loop.parent;
      return (
        parent?.type === AST_NODE_TYPES.CallExpression &&
        parent.arguments[0] === loop.loop &&
        parent.callee.type === AST_NODE_TYPES.MemberExpression &&
        memberName(parent.callee) === 'allSettled'
      );
    }

    /**
     * `this.prisma.$tx(async (tx) => { for … tx.x.update(…) })`, `db.transaction(async (trx) => …)`: a
     * function handed to a call named for a transaction runs in it, and so do writes through its
     * parameter (the transaction's client). A write through the outer client there is not in it.
     */
    function throughTransactionCallback(write: CallNode, loop: TSESTree.Node): boolean {
      const receiver = receiverRoot(write);
      if (!receiver) return false;
      for (let current: TSESTree.Node | undefined = loop.parent; current; current = current.parent) {
        if (!isFunction(current)) continue;
        const call = current.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current as TSESTree.CallExpressionArgument)) continue;
        if (!TRANSACTION_CALL.test(nameOf(call.callee) ?? '')) continue;
        if ((current as TSESTree.FunctionLike).params.some((param) => param.type === AST_NODE_TYPES.Identifier && param.name === receiver)) return true;
      }
      return false;
    }

    /** `tx` of `tx.booking.update(…)`, `repo` of `repo.save(…)`: the variable a call is made on. */
    function receiverRoot(call: CallNode): string | undefined {
      const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrap(call.callee) : undefined;
      if (callee?.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      let root: TSESTree.Node = unwrap(callee.object);
      while (root.type === AST_NODE_TYPES.MemberExpression || root.type === AST_NODE_TYPES.CallExpression) {
        root = unwrap(root.type === AST_NODE_TYPES.MemberExpression ? root.object : root.callee);
      }
      return root.type === AST_NODE_TYPES.Identifier ? root.name : undefined;
    }

    /**
     * `try { await write(item) } catch { … }` without a rethrow, or `write(item).catch(…)`, between the
     * write and `region` (the loop body, or a helper's body): one failure must not stop the rest.
     */
    function isolatedPerItem(node: CallNode, region: TSESTree.Node, mode: LoopContext['mode']): boolean {
      let child: TSESTree.Node = node;
      for (let current: TSESTree.Node | undefined = node.parent; current && current !== region.parent; child = current, current = current.parent) {
        // `.catch` on the item's own promise (after any `.then`), awaited or collected: each item fails
        // on its own, which one batched call cannot offer. A fire-and-forget one only silences failures.
        if (current.type === AST_NODE_TYPES.MemberExpression && current.object === child && memberName(current) === 'catch') {
          return mode !== 'floating' || !isDiscarded(current.parent!);
        }
        if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler) {
          let rethrows = false;
          walk(sourceCode, current.handler.body, (inner) => {
            if (inner.type === AST_NODE_TYPES.ThrowStatement) rethrows = true;
          });
          if (!rethrows) return true;
        }
      }
      return false;
    }

    /**
     * The iteration (`region`: the loop body, or a helper's body) awaits a call the catalogue does not
     * know before the write or inside its arguments (an upload, an email, an HTTP call, a helper from
     * another file): each item is a unit of slow I/O of its own, and the write is one more step of it
     * rather than a batch waiting to happen.
     */
    function dependsOnItemIo(node: CallNode, region: TSESTree.Node, where: FileAnalysis = analysis): boolean {
      let found = false;
      walk(where.sourceCode, region, (child) => {
        if (found || child.range[0] >= node.range[1]) return false;
        if (child !== region && isFunction(child)) return false;
        // Not the await around the write itself.
        if (child.type !== AST_NODE_TYPES.AwaitExpression || (child.range[0] <= node.range[0] && child.range[1] >= node.range[1])) return undefined;
        const awaited = unwrap(child.argument);
        if (awaited.type !== AST_NODE_TYPES.CallExpression) return undefined;
        // A store call is coordination like the write; a same-file helper is judged by its body. A GET
        // to a service (a request named by its URL) is the item's own I/O, as any unknown call is.
        const known = classifyCall(where, awaited);
        const serviceRead = known?.operation.kind === 'remote-read' && known.operation.targetArgument !== undefined;
        if ((!known || serviceRead) && !calledFunction(where, awaited) && !isDelay(awaited)) found = true;
        return undefined;
      });
      return found;
    }

    /** The loop item is passed to the helper as the parameter its write is called on. */
    function itemBecomesReceiver(call: TSESTree.CallExpression, helper: { function: TSESTree.FunctionLike; site: Site }, loop: LoopContext): boolean {
      const itemRefs = new Set(loop.iterationVariables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
      const root = receiverRoot(helper.site.node);
      if (!root) return false;
      const index = helper.function.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === root);
      const passed = index === -1 ? undefined : call.arguments[index];
      const argument = passed && unwrap(passed);
      // the item itself, or `repositories[i]` in an index loop
      const item = argument?.type === AST_NODE_TYPES.MemberExpression && argument.computed ? unwrap(argument.property) : argument;
      return item !== undefined && itemRefs.has(item as TSESTree.Identifier);
    }

    /**
     * The helper's body is one `try { … } catch { … }` (after any setup) without a rethrow around the
     * write: the item fails on its own. A try deeper inside guards one step, not the item.
     */
    function catchesAllOfIt(site: CallNode, body: TSESTree.Node): boolean {
      if (body.type !== AST_NODE_TYPES.BlockStatement) return false;
      const statement = body.body.find((candidate) => contains(candidate, site));
      return statement?.type === AST_NODE_TYPES.TryStatement && contains(statement.block, site) && isolatedPerItem(site, statement, 'sequential');
    }

    function enclosingFunctionBody(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) {
        if (isFunction(current)) return (current as TSESTree.FunctionLike).body ?? undefined;
      }
      return undefined;
    }

    /** A value nobody keeps: a statement of its own, or what a `forEach` callback returns. */
    function isDiscarded(value: TSESTree.Node): boolean {
      let current = value;
      while (current.parent?.type === AST_NODE_TYPES.UnaryExpression && current.parent.operator === 'void') current = current.parent;
      const parent = current.parent;
      if (parent?.type === AST_NODE_TYPES.ExpressionStatement) return true;
      const fn = parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === current ? parent : undefined;
      const call = fn?.parent;
      return call?.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression && memberName(call.callee) === 'forEach';
    }

    /**
     * A lazy query the loop neither awaits nor runs: returned or kept (`forEach`, `map` outside a
     * promise combinator), or pushed into an array that a transaction or set-based call takes. One
     * chained with `.then`/`.catch`/`.finally` runs where it is.
     */
    function handedOn(node: CallNode, loop: LoopContext): boolean {
      const parent = node.parent;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && ['then', 'catch', 'finally'].includes(memberName(parent) ?? '')) return false;
      if (loop.mode === 'floating') return true;
      // updates.push(prisma.x.update(...)) … prisma.$transaction(updates)
      if (loop.mode !== 'parallel' || parent?.type !== AST_NODE_TYPES.CallExpression || parent.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const array = unwrap(parent.callee.object);
      if (array.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = ASTUtils.findVariable(sourceCode.getScope(array), array.name);
      return (variable?.references ?? []).some((reference) => {
        const use = reference.identifier.parent;
        return use?.type === AST_NODE_TYPES.CallExpression && use.arguments.includes(reference.identifier as TSESTree.Identifier) && isBatchingCall(use);
      });
    }

    function isDelay(call: TSESTree.CallExpression): boolean {
      return /^(sleep|delay|wait|setTimeout|timeout|pause)$/i.test(nameOf(call.callee) ?? '');
    }

    /** `path` is the calls from the loop to the client, outermost first; more than one when through a helper. */
    function report(node: CallNode, site: Site, effective: EffectiveSite, loop: LoopContext, path: readonly string[], where: FileAnalysis = analysis): void {
      const multipliers: Multiplier[] = [
        { kind: 'loop', mode: loop.mode, ...(loop.knownIterations === undefined ? {} : { iterations: loop.knownIterations }) },
      ];
      const bulk = site.operation.bulk;
      // Name the bulk form only where the call could use it (no nested writes, no result it lacks).
      const fits = bulk?.note !== undefined && !(bulk.declineWhen ?? []).some((shape) => hasArgumentShape(where, site.node, shape) === 'yes');
      const read = effective.kind === 'remote-read';
      const wayOut = read ? readWayOut(fits ? bulk!.note! : undefined) : fits ? `Batch the items: ${bulk!.note}.` : 'Batch the items into one set-based call, or one transaction over all of them.';
      const direct = path.length === 1;
      const suggestion = direct && !read ? bulkSuggestion(analysis, site, loop) : undefined;
      const readSuggestion = direct && read ? batchedRead(analysis, site, loop) : undefined;
      const { messageId, smell } = SMELL_BY_KIND[effective.kind] ?? SMELL_BY_KIND['remote-write']!;
      reportSite(
        context,
        analysis,
        node,
        { messageId, smell, primitive: catalogPrimitive(where, site, effective), level: effective.level, path, multipliers, wayOut, loop },
        {
          call: path[0]!,
          collection: loop.collectionName ?? 'the loop',
          through: direct ? '' : ` through ${path.slice(1).join(' → ')}`,
        },
        suggestion
          ? [{ messageId: 'suggestBulk', data: { bulk: suggestion.bulk, note: suggestion.note }, fix: suggestion.fix }]
          : readSuggestion
            ? [{ messageId: 'suggestBatchedRead', data: { bulk: readSuggestion.bulk, note: readSuggestion.note }, fix: readSuggestion.fix }]
            : [],
      );
    }

    /** The way out of a read per item: the client's batched read, and a DataLoader where GraphQL resolves per parent. */
    function readWayOut(note: string | undefined): string {
      const batch = note
        ? `Read the items at once: ${note}.`
        : 'Read the items at once: one set-based read (WHERE id IN (…), MGET, BatchGetCommand, a list endpoint), then map the results back by key.';
      return servesGraphql() ? `${batch} In a resolver, a DataLoader batches the reads of one request.` : batch;
    }

    /** The file imports a GraphQL server or schema package, where per-parent reads are the classic N+1. */
    function servesGraphql(): boolean {
      return sourceCode.ast.body.some(
        (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && /^(?:graphql|@nestjs\/graphql|type-graphql|@apollo\/server|apollo-server.*|graphql-yoga|mercurius)$/.test(String(statement.source.value)),
      );
    }

    function check(node: CallNode): void {
      const classified = classifyCall(analysis, node);
      // A client guessed from a name gives way to a function of the project the index finds for the call.
      const site =
        classified?.via === 'name' && options.checkHelpers && node.type === AST_NODE_TYPES.CallExpression && loopContextOf(analysis, node) && calledFunction(analysis, node, 'project')
          ? undefined
          : classified;
      if (site) {
        const effective = perItemSite(site);
        if (!effective) return;
        const loop = loopFor(node);
        // An unawaited lazy query has not run yet: whoever gets it decides (often one `$transaction`).
        if (!loop || (site.client.lazy && handedOn(node, loop))) return;
        // Commands issued together on one Redis connection share round trips: only awaiting each costs k.
        if (loop.mode !== 'sequential' && site.client.multiplexed) return;
        // A read keyed or branched by an earlier result of the iteration, or one whose result picks the
        // I/O that follows (a cache with a fallback): one step of a chain, not a batch waiting to happen.
        if (effective.kind === 'remote-read' && (readIsDependent(analysis, node, loop.body) || pagedByItem(node, loop))) return;
        report(node, site, effective, loop, [`${calleeText(sourceCode, node)}()`]);
        return;
      }
      // for (const b of bookings) await saveBooking(b): the helper's coordination, paid per item, wherever
      // the helper lives (this file, an imported module, an injected service).
      if (!options.checkHelpers || node.type !== AST_NODE_TYPES.CallExpression) return;
      // Cheapest tests first: most calls are in no loop, and resolving a callee may read another module.
      if (!loopContextOf(analysis, node) || !calledFunction(analysis, node, 'project')) return;
      const loop = loopFor(node);
      if (!loop) return;
      const found = perItemHelper(node);
      if (!found) return;
      const { helper, effective } = found;
      if (effective.kind === 'remote-read' && (readIsDependent(analysis, node, loop.body) || pagedByItem(node, loop))) return;
      // Redis commands a floating or parallel helper issues share the connection's round trips too.
      if (loop.mode !== 'sequential' && helper.site.client.multiplexed) return;
      // for (const repo of repositories) await this.purge(repo): the item is the helper's receiver.
      if (helper.chain.length === 1 && itemBecomesReceiver(node, helper, loop)) return;
      // The same per-item judgements inside the helper that writes: its whole work caught, its own I/O first.
      const body = enclosingFunctionBody(helper.site.node);
      if (body && (catchesAllOfIt(helper.site.node, body) || dependsOnItemIo(helper.site.node, body, helper.analysis))) return;
      report(node, helper.site, effective, loop, helperPath(node, helper), helper.analysis);
    }

    /**
     * `findAll({ page: i })`, `find({ skip: n * size })`: the item is a page number or offset, so the
     * loop walks pages of one query (a page cursor), not items.
     */
    function pagedByItem(node: CallNode, loop: LoopContext): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression) return false;
      const itemRefs = new Set<TSESTree.Node>(loop.iterationVariables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
      let paged = false;
      walk(sourceCode, outermostChain(node), (child) => {
        if (paged) return false;
        if (child.type !== AST_NODE_TYPES.Property || child.computed || child.key.type !== AST_NODE_TYPES.Identifier || !PAGE_KEY.test(child.key.name)) return undefined;
        walk(sourceCode, child.value, (part) => {
          if (itemRefs.has(part)) paged = true;
        });
        return undefined;
      });
      return paged;
    }

    /**
     * What a helper called per item pays: its coordination, or else (with `checkReads`) a read keyed by
     * one of its parameters and not chained on an earlier result of its own body.
     */
    function perItemHelper(node: TSESTree.CallExpression): { helper: CoordinatingHelper; effective: EffectiveSite } | undefined {
      const writer = coordinatingHelper(analysis, node, HELPER_KINDS, 'project');
      const written = writer && perItemSite(writer.site, writer.analysis);
      if (writer && written && written.kind !== 'remote-read') return { helper: writer, effective: written };
      if (!options.checkReads) return undefined;
      const reader = coordinatingHelper(analysis, node, READ_HELPER_KINDS, 'project');
      const read = reader && perItemSite(reader.site, reader.analysis);
      if (!reader || read?.kind !== 'remote-read') return undefined;
      // A getter of the project (`usersService.findOne(id)` → `repo.findOneBy({ id })`): at most two
      // calls deep, its read keyed by its parameter and returned, and no memo in front of it. A helper
      // that reads on the way to other work is judged by that work, not by its first read.
      if (reader.chain.length > 2) return undefined;
      const holder = reader.chain[reader.chain.length - 1]!;
      const fn = holder.node;
      const body = fn.body;
      if (!body || !keyedByParameter(reader.analysis, fn, reader.site.node) || !returnsRead(reader.analysis, fn, reader.site.node)) return undefined;
      if (readIsDependent(reader.analysis, reader.site.node, body) || memoisedBefore(reader.analysis, fn, reader.site.node)) return undefined;
      return { helper: reader, effective: read };
    }

    /** `return read(…)`, `return await read(…)`, `=> read(…)`, or `const row = await read(…); …; return row;` in `fn`. */
    function returnsRead(where: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
      let value: TSESTree.Node = outermostChain(read);
      while (value.parent && PASS_THROUGH.has(value.parent.type)) value = value.parent;
      const parent = value.parent;
      if (parent?.type === AST_NODE_TYPES.ReturnStatement) return enclosingFunction(parent) === fn;
      if (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value) return parent === fn;
      if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== value || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
      const [variable] = where.sourceCode.getDeclaredVariables(parent);
      return (variable?.references ?? []).some((reference) => {
        const use = reference.identifier.parent;
        return use?.type === AST_NODE_TYPES.ReturnStatement && enclosingFunction(use) === fn;
      });
    }

    /**
     * `if (cache[name]) return cache[name];` before the read, on a value that outlives the call (a
     * module-level map, `this.cache`): the read fills a memo once per key, not once per call.
     */
    function memoisedBefore(where: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
      if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
      return fn.body.body.some((statement) => {
        if (statement.range[0] >= read.range[0] || statement.type !== AST_NODE_TYPES.IfStatement) return false;
        const leaves = statement.consequent.type === AST_NODE_TYPES.ReturnStatement || (statement.consequent.type === AST_NODE_TYPES.BlockStatement && statement.consequent.body.at(-1)?.type === AST_NODE_TYPES.ReturnStatement);
        if (!leaves) return false;
        let outlives = false;
        walk(where.sourceCode, statement.test, (child) => {
          if (outlives || child.type !== AST_NODE_TYPES.MemberExpression) return undefined;
          let root: TSESTree.Node = child;
          while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
          if (root.type === AST_NODE_TYPES.ThisExpression) outlives = true;
          if (root.type === AST_NODE_TYPES.Identifier) {
            const def = ASTUtils.findVariable(where.sourceCode.getScope(root), root)?.defs[0];
            if (def && def.type !== 'Parameter' && !contains(fn, def.name)) outlives = true;
          }
          return undefined;
        });
        return outlives;
      });
    }

    function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
      return undefined;
    }

    /** The read's call chain names a parameter of `fn`, or a local built from one: the read is per call. */
    function keyedByParameter(where: FileAnalysis, fn: TSESTree.FunctionLike, read: CallNode): boolean {
      let keyed = false;
      const isParameter = (identifier: TSESTree.Identifier, depth: number): boolean => {
        const variable = ASTUtils.findVariable(where.sourceCode.getScope(identifier), identifier);
        const def = variable?.defs[0];
        if (!def) return false;
        if (def.type === 'Parameter') return def.node === fn;
        // const key = `user:${id}`: one step from a parameter
        const declarator = def.node;
        if (depth > 1 || declarator.type !== AST_NODE_TYPES.VariableDeclarator || !declarator.init || !contains(fn, declarator)) return false;
        let fromParameter = false;
        walk(where.sourceCode, declarator.init, (child) => {
          if (child.type === AST_NODE_TYPES.Identifier && isParameter(child, depth + 1)) fromParameter = true;
        });
        return fromParameter;
      };
      const chain = outermostChain(read);
      walk(where.sourceCode, chain, (child) => {
        if (keyed) return false;
        if (child.type === AST_NODE_TYPES.Identifier && isParameter(child, 0)) keyed = true;
        return undefined;
      });
      return keyed;
    }

    /**
     * The calls from the loop to the client: the call as written, each further helper, then the client
     * call, each with its module where the module changes (`insert() in src/users/repo.ts → prisma.user.create()`).
     */
    function helperPath(node: TSESTree.CallExpression, helper: CoordinatingHelper): string[] {
      const end = { text: `${calleeText(helper.analysis.sourceCode, helper.site.node)}()`, analysis: helper.analysis };
      return chainPath(analysis, node, helper.chain, end, context.cwd);
    }

    return {
      CallExpression: check,
      TaggedTemplateExpression: check,
    };
  },
});
