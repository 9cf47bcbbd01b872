import { TSESTree } from '@typescript-eslint/types';
import { calleeText, enclosingFunction, isDelayCall, someAwaitedCall } from '../src/analysis/ast-helpers.js';
import { type CoordinatingHelper, calledFunction, chainPath, coordinatingHelper } from '../src/analysis/call-graph.js';
import { unwrap } from '../src/analysis/shapes.js';
import { hasArgumentShape } from '../src/analysis/argument-shapes.js';
import { contains } from '../src/analysis/traverse.js';
import { type CallNode, type Site, classifyCall } from '../src/analysis/classify-call.js';
import { type FileAnalysis, getFileAnalysis } from '../src/analysis/file-analysis.js';
import { fileHasRole } from '../src/analysis/file-role.js';
import { type LoopContext, classifyIteration, itemReferences, loopBounds, loopContextOf, loopNesting } from '../src/analysis/loop-context.js';
import { mayLeaveFile } from '../src/analysis/project-index.js';
import { catalogPrimitive, reportSite } from '../src/analysis/site.js';
import { mayHoldSiteText } from '../src/analysis/site-text.js';
import { catchesAllOfIt, handedOn, isTransactionOperand, isolatedPerItem, receiverRoot, settledOneByOne, throughTransactionCallback } from '../src/analysis/per-item.js';
import { type EffectiveSite, effectiveSite } from '../src/analysis/sql.js';
import type { PrimitiveKind } from '../src/model/catalog-types.js';
import type { Multiplier } from '../src/model/cost.js';
import { bulkSuggestion } from '../src/fix/bulk-suggestion.js';
import { batchedRead } from '../src/fix/batched-read.js';
import { isKeyedGetter, pagedByItem, readIsDependent, servesGraphql } from '../src/analysis/read-dependence.js';
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

export default createRule<Options, MessageIds>({
  name: 'no-coordination-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow a coordination call per item of a loop where one batched call would do',
      recommended: false,
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
    const analysis = getFileAnalysis(context);
    const { sourceCode } = context;
    const { catalog } = analysis.settings;
    // Where every search stays in the file, a file without the text of a site has none to pay per item
    // (asked first: most files end here, and the file's roles need not be read for them).
    if (analysis.services === undefined && !mayLeaveFile(analysis) && !mayHoldSiteText(analysis)) return {};
    // One-off and test code pays per item on purpose: seeds and migrations run once on bounded data,
    // scripts are run by hand, and tests write their own fixtures.
    if (fileHasRole(analysis, ['migration', 'oneOff', 'script', 'test'])) return {};

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

    function loopFor(node: CallNode): LoopContext | undefined {
      const loop = itemLoopFor(node);
      return loop && perItemLoop(node, loop);
    }

    /** The loop, when it pays this call once per item as its payload: the cheap half of {@link loopFor}, read from the loop alone. */
    function itemLoopFor(node: CallNode): LoopContext | undefined {
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
      return loop;
    }

    /** The rest of {@link loopFor}: what the iteration does around the call. */
    function perItemLoop(node: CallNode, loop: LoopContext): LoopContext | undefined {
      // Each item handled on its own: failures caught per item, or the write waits on the item's own I/O.
      if (isolatedPerItem(sourceCode, node, loop.body, loop.mode) || settledOneByOne(loop) || dependsOnItemIo(node, loop.body)) return undefined;
      // Writes through a transaction the code opens around the loop are one unit, whatever the wrapper.
      if (throughTransactionCallback(analysis, node, loop.loop)) return undefined;
      return loop;
    }

    /**
     * The iteration (`region`: the loop body, or a helper's body) awaits a call the catalogue does not
     * know before the write or inside its arguments (an upload, an email, an HTTP call, a helper from
     * another file): each item is a unit of slow I/O of its own, and the write is one more step of it
     * rather than a batch waiting to happen.
     */
    function dependsOnItemIo(node: CallNode, region: TSESTree.Node, where: FileAnalysis = analysis): boolean {
      return someAwaitedCall(
        where.sourceCode,
        region,
        ({ call, await: around }) => {
          // Not the await around the write itself. A store call is coordination like the write; a
          // same-file helper is judged by its body; a delay is no I/O. A GET to a service (a request
          // named by its URL) is the item's own I/O, as any unknown call is.
          if (contains(around, node) || call.type !== AST_NODE_TYPES.CallExpression) return false;
          const known = classifyCall(where, call);
          const serviceRead = known?.operation.kind === 'remote-read' && known.operation.targetArgument !== undefined;
          return (!known || serviceRead) && !calledFunction(where, call) && !isDelayCall(catalog, call);
        },
        { before: node.range[1] },
      );
    }

    /** The loop item is passed to the helper as the parameter its write is called on. */
    function itemBecomesReceiver(call: TSESTree.CallExpression, helper: { function: TSESTree.FunctionLike; site: Site }, loop: LoopContext): boolean {
      const itemRefs = itemReferences(loop);
      const root = receiverRoot(helper.site.node);
      if (!root) return false;
      const index = helper.function.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === root);
      const passed = index === -1 ? undefined : call.arguments[index];
      const argument = passed && unwrap(passed);
      // the item itself, or `repositories[i]` in an index loop
      const item = argument?.type === AST_NODE_TYPES.MemberExpression && argument.computed ? unwrap(argument.property) : argument;
      return item !== undefined && itemRefs.has(item);
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
      return servesGraphql(analysis) ? `${batch} In a resolver, a DataLoader batches the reads of one request.` : batch;
    }

    function check(node: CallNode): void {
      // Every report is per item of a loop: a call in no loop is settled before anything is resolved.
      if (!loops.inLoop() || !loopContextOf(analysis, node)) return;
      const classified = classifyCall(analysis, node);
      // A client guessed from a name gives way to a function of the project the index finds for the call.
      const site =
        classified?.via === 'name' && options.checkHelpers && node.type === AST_NODE_TYPES.CallExpression && calledFunction(analysis, node, 'project')
          ? undefined
          : classified;
      if (site) {
        const effective = perItemSite(site);
        if (!effective) return;
        const loop = loopFor(node);
        // An unawaited lazy query has not run yet: whoever gets it decides (often one `$transaction`).
        if (!loop || (site.client.lazy && handedOn(analysis, node, loop))) return;
        // Commands issued together on one Redis connection share round trips: only awaiting each costs k.
        if (loop.mode !== 'sequential' && site.client.multiplexed) return;
        // A read keyed or branched by an earlier result of the iteration, or one whose result picks the
        // I/O that follows (a cache with a fallback): one step of a chain, not a batch waiting to happen.
        if (effective.kind === 'remote-read' && (readIsDependent(analysis, node, loop.body) || pagedByItem(analysis, node, loop))) return;
        report(node, site, effective, loop, [`${calleeText(sourceCode, node)}()`]);
        return;
      }
      // for (const b of bookings) await saveBooking(b): the helper's coordination, paid per item, wherever
      // the helper lives (this file, an imported module, an injected service).
      if (!options.checkHelpers || node.type !== AST_NODE_TYPES.CallExpression) return;
      // Resolving a callee may read another module: then only for a call a loop pays per item. Where it
      // cannot (a function of this file, or no index to leave it by), the callee is settled first, and
      // the loop is read only behind a function. Where no search can leave the file, what the helper
      // pays is settled before the loop too: one search per helper (kept), against a look at the loop
      // for every call (most helpers of a library pay nothing).
      const staysInFile = !mayLeaveFile(analysis);
      const settledFirst = staysInFile || calledFunction(analysis, node) !== undefined;
      if (settledFirst && !calledFunction(analysis, node, 'project')) return;
      const paid = staysInFile ? perItemHelper(node) : undefined;
      if (staysInFile && !paid) return;
      const itemLoop = itemLoopFor(node);
      if (!itemLoop || (!settledFirst && !calledFunction(analysis, node, 'project'))) return;
      const loop = perItemLoop(node, itemLoop);
      if (!loop) return;
      const found = paid ?? perItemHelper(node);
      if (!found) return;
      const { helper, effective } = found;
      if (effective.kind === 'remote-read' && (readIsDependent(analysis, node, loop.body) || pagedByItem(analysis, node, loop))) return;
      // Redis commands a floating or parallel helper issues share the connection's round trips too.
      if (loop.mode !== 'sequential' && helper.site.client.multiplexed) return;
      // for (const repo of repositories) await this.purge(repo): the item is the helper's receiver.
      if (helper.chain.length === 1 && itemBecomesReceiver(node, helper, loop)) return;
      // The same per-item judgements inside the helper that writes: its whole work caught, its own I/O first.
      const body = enclosingFunction(helper.site.node)?.body ?? undefined;
      if (body && (catchesAllOfIt(sourceCode, helper.site.node, body) || dependsOnItemIo(helper.site.node, body, helper.analysis))) return;
      report(node, helper.site, effective, loop, helperPath(node, helper), helper.analysis);
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
      if (!isKeyedGetter(reader.analysis, holder.node, reader.site.node)) return undefined;
      return { helper: reader, effective: read };
    }

    /**
     * The calls from the loop to the client: the call as written, each further helper, then the client
     * call, each with its module where the module changes (`insert() in src/users/repo.ts → prisma.user.create()`).
     */
    function helperPath(node: TSESTree.CallExpression, helper: CoordinatingHelper): string[] {
      const end = { text: `${calleeText(helper.analysis.sourceCode, helper.site.node)}()`, analysis: helper.analysis };
      return chainPath(analysis, node, helper.chain, end, context.cwd);
    }

    const loops = loopNesting();

    return Object.assign(loops.listeners, {
      CallExpression: check,
      TaggedTemplateExpression: check,
    });
  },
});
