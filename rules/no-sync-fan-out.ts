import { TSESTree } from '@typescript-eslint/types';
import { type Site, classifyCall } from '../src/analysis/classify-call.js';
import { type ParameterWrite, chainPath, parameterWrite, summaryMemo } from '../src/analysis/call-graph.js';
import { type FileAnalysis, getFileAnalysis } from '../src/analysis/file-analysis.js';
import { type LoopContext, type LoopStatementType, forCollection, loopContextOf, loopNesting } from '../src/analysis/loop-context.js';
import { catalogPrimitive, reportSite, specPrimitive, unreportedOnOneOffPath } from '../src/analysis/site.js';
import { elementClient, resolveClient } from '../src/analysis/resolve-value.js';
import { memberName, nameOf, unwrap } from '../src/analysis/shapes.js';
import { isTargetName, sendsCopyToTarget, siblingTables } from '../src/analysis/fan-out-targets.js';
import { effectiveSite } from '../src/analysis/sql.js';
import { type WaitAll, settledResultsRequired, waitAllOf } from '../src/analysis/fan-out-shapes.js';
import { isFunction, walk } from '../src/analysis/traverse.js';
import { type ResolvedLevel, resolveLevel } from '../src/model/catalog.js';
import type { SitePrimitive } from '../src/model/site.js';
import type { PrimitiveKind } from '../src/model/catalog-types.js';
import { majority } from '../src/model/ladder.js';
import { quorumSuggestion } from '../src/fix/quorum-suggestion.js';
import { calleeText, isAwaited, shortCode } from '../src/analysis/ast-helpers.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

/** Only `for` and `for…of` statements pay a sequential fan-out: their count settles most calls. */
const SEQUENTIAL_LOOPS: readonly LoopStatementType[] = [AST_NODE_TYPES.ForStatement, AST_NODE_TYPES.ForOfStatement];

export type Options = [
  {
    /** The lowest grade reported (default high). */
    minConfidence?: Confidence;
    checkSequential: boolean;
    checkAllSettled: boolean;
  },
];

export type MessageIds = 'fanOutAwaitAll' | 'fanOutSequential' | 'useQuorumWait';

const WRITE_KINDS: ReadonlySet<PrimitiveKind> = new Set(['remote-write', 'quorum-write', 'replica-write', 'consensus-write', 'transaction']);
/** Kinds a fan-out never counts as its write: reads, clocks, local I/O and locks. */
const NOT_WRITE_KINDS: ReadonlySet<PrimitiveKind> = new Set(['remote-read', 'fire-and-forget', 'clock-read', 'local-io', 'local-lock', 'lock']);

/** The way out: a quorum wait from 3 copies on, and asynchronous replication always. */
function advice(n: number | undefined): string {
  const handOff = 'replicate asynchronously through a durable hand-off (an outbox or a queue).';
  if (n === undefined) return `Wait for a quorum W = ⌊N/2⌋+1 and let the rest finish in the background, or ${handOff}`;
  if (n < 3) return `With ${n} copies a majority is all of them: ${handOff}`;
  return `Wait for a quorum W = ${majority(n)} of ${n} and let the rest finish in the background, or ${handOff}`;
}

/** What the report calls each smell. */
const SMELLS = { fanOutAwaitAll: 'fan-out, waits for all', fanOutSequential: 'fan-out, one by one' } as const;

/** A write to one target, and how it was recognised. */
interface TargetWrite {
  readonly call: TSESTree.CallExpression;
  readonly method: string;
  readonly level: ResolvedLevel;
  readonly primitive: SitePrimitive;
  /** Through a project function: the argument that names the target, and the calls down to the write. */
  readonly targetArgument?: number;
  readonly path?: readonly string[];
}

/** What each project function writes to its parameters, as {@link TargetWrite}s: one memo for the rule. */
const targetWrites = summaryMemo<ParameterWrite<TargetWrite>>();

export default createRule<Options, MessageIds>({
  name: 'no-sync-fan-out',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow writes that wait for every one of N replicas, regions or peers',
      recommended: false,
      requiresTypeChecking: false,
      ladderLevels: [1, 2, 3],
    },
    // The suggestions go through reportSite (src/analysis/site.ts), where this lint rule cannot follow them.
    // eslint-disable-next-line eslint-plugin/require-meta-has-suggestions
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          minConfidence: MIN_CONFIDENCE_SCHEMA,
          checkSequential: {
            type: 'boolean',
            description: 'Also report `for (const replica of replicas) await replica.write(x)`: N sequential round trips.',
          },
          checkAllSettled: {
            type: 'boolean',
            description: 'Also report `Promise.allSettled` over the writes when its result is then required to be all fulfilled.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ minConfidence: 'high', checkSequential: true, checkAllSettled: true }],
    messages: {
      fanOutAwaitAll: '{{call}} waits for every one of {{n}} {{targets}}{{through}} ({{price}}); one failure fails them all. {{judgement}}{{advice}}{{site}}',
      fanOutSequential: '{{call}} writes to {{n}} {{targets}}{{through}} one after another ({{price}}); one failure stops the rest. {{judgement}}{{advice}}{{site}}',
      useQuorumWait: 'Wait for a quorum of {{w}} with {{helper}} instead of all {{n}}.',
    },
    // ESLint >= 10.2 reads this; ESLint 9 ignores it.
    languages: ['js/js'],
  },
  create(context, [options]) {
    const analysis = getFileAnalysis(context);
    const { sourceCode } = context;
    const { writeVerbs } = analysis.settings.fanOut;
    const { vocabulary, fallbacks } = analysis.settings.catalog;

    function isWriteVerb(method: string): boolean {
      // Verbs that manage a connection's lifetime or read: never a replicated write, whatever the verb list says.
      if (vocabulary.nonWriteVerbs.test(method)) return false;
      return writeVerbs.some((verb) => (verb.endsWith('*') ? method.startsWith(verb.slice(0, -1)) : method === verb));
    }

    /**
     * The write a call performs: through a project function (any module), what that function does with
     * the parameter the target is passed as (`replicate(peer, entry)` → `peer.put(…)`), never its name;
     * else the call itself.
     */
    function writeOf(call: TSESTree.CallExpression): TargetWrite | undefined {
      const layered = parameterWrite(analysis, call, targetWrites, directWrite);
      if (!layered) return directWrite(analysis, call);
      const found = layered.found;
      if (!found) return undefined; // it reads from its parameters, or writes elsewhere
      const end = { text: `${calleeText(found.analysis.sourceCode, found.call)}()`, analysis: found.analysis };
      return { ...found.write, call, targetArgument: found.index, path: chainPath(analysis, call, found.chain, end, context.cwd) };
    }

    /** The write a call of `within` performs, with its level: a catalogue write, or a write verb on an unknown target (L1). */
    function directWrite(within: FileAnalysis, call: TSESTree.CallExpression): TargetWrite | undefined {
      const callee = unwrap(call.callee);
      const method = nameOf(callee);
      if (!method) return undefined;
      const site: Site | undefined = classifyCall(within, call);
      if (site) {
        const effective = effectiveSite(within, site);
        if (WRITE_KINDS.has(effective.kind) && !site.operation.batched) {
          return { call, method, level: effective.level, primitive: catalogPrimitive(within, site, effective) };
        }
        if (NOT_WRITE_KINDS.has(effective.kind)) return undefined;
      }
      // A hand-off to a durable queue: the write reaches the targets later, not while the caller waits.
      if (vocabulary.handOffs.test(method) || !isWriteVerb(method)) return undefined;
      // client.send(new GetCommand(...)): the AWS SDK command names the operation
      const command = call.arguments[0] && unwrap(call.arguments[0]);
      if (command?.type === AST_NODE_TYPES.NewExpression && command.callee.type === AST_NODE_TYPES.Identifier && /Command$/.test(command.callee.name)) {
        if (!vocabulary.writeCommands.test(command.callee.name)) return undefined;
      }
      const level = resolveLevel(fallbacks.targetWrite.kind, fallbacks.targetWrite.level, undefined, analysis.settings.backends);
      return { call, method, level, primitive: specPrimitive(fallbacks.targetWrite) };
    }

    /** `[primary, secondary]` of clients, or elements whose names say they are targets. */
    function arrayOfTargets(node: TSESTree.Node): number | undefined {
      const array = unwrap(node);
      if (array.type !== AST_NODE_TYPES.ArrayExpression || array.elements.length < 2) return undefined;
      const all = array.elements.every((element) => {
        if (!element || element.type === AST_NODE_TYPES.SpreadElement) return false;
        // The name first: resolving a client follows the element's binding.
        return isTargetName(analysis, sourceCode.getText(element)) || resolveClient(analysis, element) !== undefined;
      });
      return all ? array.elements.length : undefined;
    }

    /** The targets a loop iterates, and N when the code fixes it (`const replicas = [a, b, c]`: the loop context knows). */
    function targetCount(loop: LoopContext): { known: number | undefined; name: string } | undefined {
      const targets = collectionTargets(loop.collection);
      return targets && { known: targets.literal ?? loop.knownIterations, name: targets.name };
    }

    /** Does a collection hold targets: an array of them (`literal`: how many), or a name or element type that says so? */
    function collectionTargets(collection: TSESTree.Node | undefined): { literal?: number; name: string } | undefined {
      if (!collection) return undefined;
      const inner = unwrap(collection);
      const literal = arrayOfTargets(inner);
      if (literal !== undefined) return { literal, name: 'targets' };
      const name = inner.type === AST_NODE_TYPES.Identifier ? inner.name : inner.type === AST_NODE_TYPES.MemberExpression ? memberName(inner) : undefined;
      // With types, elements the catalogue knows as store clients are targets whatever the name (`clients: Redis[]`).
      if (!isTargetName(analysis, name) && !elementClient(analysis, inner)) return undefined;
      return { name: shortCode(sourceCode, inner) ?? name ?? 'targets' };
    }

    /**
     * The write a per-target callback or loop body (or one collected call of it) performs for each
     * target: the target is the receiver (`replica.set(k, v)`), or the first argument of a write with an
     * unchanging payload (`deliver(inbox, activity)`).
     */
    function perTargetWrite(loop: LoopContext, root: TSESTree.Node = loop.body): TargetWrite | undefined {
      let found: TargetWrite | undefined;
      walk(sourceCode, root, (node) => {
        if (found) return false;
        if (node !== root && isFunction(node)) return false;
        if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
        if (loopContextOf(analysis, node)?.loop !== loop.loop) return undefined;
        const write = writeOf(node);
        if (write && sendsCopyToTarget(analysis, node, loop, write.targetArgument)) found = write;
        return undefined;
      });
      return found;
    }

    function report(
      node: TSESTree.CallExpression,
      messageId: keyof typeof SMELLS,
      write: TargetWrite,
      count: { known: number | undefined; name: string },
      mode: 'parallel' | 'sequential',
      all?: TSESTree.CallExpression,
    ): void {
      const suggestion = all ? quorumSuggestion(analysis, all, count.known, 'useQuorumWait') : undefined;
      const call = `${calleeText(sourceCode, node)}()`;
      // The combinator, then the write it waits for (through project functions, with their modules);
      // a sequential loop's write is the call itself.
      const written = write.path ?? [`${calleeText(sourceCode, write.call)}()`];
      const path = write.call === node ? (write.path ?? [call]) : [call, ...written];
      reportSite(
        context,
        analysis,
        node,
        {
          messageId,
          smell: SMELLS[messageId],
          primitive: write.primitive,
          level: write.level,
          path,
          multipliers: [{ kind: 'fan-out', mode, ...(count.known === undefined ? {} : { targets: count.known }) }],
          wayOut: advice(count.known),
        },
        { call, n: count.known === undefined ? 'N' : String(count.known), targets: count.name, through: write.path ? ` through ${path.slice(1).join(' → ')}` : '' },
        suggestion ? [suggestion] : [],
      );
    }

    /** `await`ed directly, or through `lastValueFrom`/`firstValueFrom`/`.toPromise()` and `.pipe(…)` for an observable. */
    function isWaited(shape: WaitAll): boolean {
      if (shape.combinator !== 'forkJoin') return isAwaited(sourceCode, shape.node);
      let current: TSESTree.Node = shape.node;
      for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
        if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current && /^(pipe|toPromise)$/.test(memberName(parent) ?? '')) {
          if (parent.parent?.type !== AST_NODE_TYPES.CallExpression) return false;
          parent = parent.parent;
          continue;
        }
        if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === current && /^(lastValueFrom|firstValueFrom)$/.test(nameOf(parent.callee) ?? '')) continue;
        return isAwaited(sourceCode, current);
      }
      return false;
    }

    function checkWaitAll(shape: WaitAll): void {
      const { node, source } = shape;
      if (shape.combinator === 'allSettled' && (!options.checkAllSettled || !settledResultsRequired(analysis, node))) return;
      if (!isWaited(shape)) return; // fire-and-forget, or handed to waitUntil: not a synchronous fan-out
      const all = shape.combinator === 'all' ? node : undefined;
      switch (source.kind) {
        // Promise.all([a.set(k, v), b.set(k, v)]): the same write to different stores
        case 'array': {
          const same = sameWriteToDifferentTargets(source.elements);
          if (same) report(node, 'fanOutAwaitAll', same, { known: source.elements.length, name: 'stores' }, 'parallel', all);
          return;
        }
        // Promise.all(replicas.map((r) => r.write(x)))
        case 'map': {
          const callback = source.call.arguments[0]!;
          const loop = loopContextOf(analysis, (callback as TSESTree.FunctionLike).body ?? callback);
          if (!loop || loop.loop !== source.call) return;
          const count = targetCount(loop);
          const write = count && perTargetWrite(loop);
          if (count && write) report(node, 'fanOutAwaitAll', write, count, 'parallel', all);
          return;
        }
        // for (const r of relays) pending.push(r.publish(e)); await Promise.all(pending)
        case 'pushed': {
          for (const call of source.calls) {
            const loop = loopContextOf(analysis, call);
            const count = loop && targetCount(loop);
            const write = loop && count && perTargetWrite(loop, call);
            if (count && write) {
              report(node, 'fanOutAwaitAll', write, count, 'parallel', all);
              return;
            }
          }
          return;
        }
      }
    }

    function sameWriteToDifferentTargets(elements: readonly TSESTree.Node[]): TargetWrite | undefined {
      const calls = elements.map((element) => unwrap(element));
      if (calls.length < 2 || !calls.every((call): call is TSESTree.CallExpression => call?.type === AST_NODE_TYPES.CallExpression)) return undefined;
      const shapes = calls.map((call) => {
        const callee = unwrap(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
        // The payload is the key and value; per-store options (a TTL's spelling) may differ.
        return { method: memberName(callee), receiver: sourceCode.getText(callee.object), args: call.arguments.slice(0, 2).map((a) => sourceCode.getText(a)).join(',') };
      });
      if (shapes.some((shape) => !shape?.method)) return undefined;
      const [first] = shapes;
      if (!shapes.every((shape) => shape!.method === first!.method && shape!.args === first!.args && first!.args.length > 0)) return undefined;
      if (new Set(shapes.map((shape) => shape!.receiver)).size !== shapes.length) return undefined;
      if (siblingTables(analysis, calls)) return undefined;
      return writeOf(calls[0]!);
    }

    function checkSequential(node: TSESTree.CallExpression): void {
      if (!options.checkSequential) return;
      // Cheapest first: most calls are in no loop over targets, and classifying a write resolves its receiver.
      if (!targetLoops.inLoop()) return;
      const loop = loopContextOf(analysis, node);
      if (!loop || loop.mode !== 'sequential' || !(loop.kind === 'for-of' || loop.kind === 'for')) return;
      // The collection's name before the write: most loops are over items, not targets, and finding the
      // write follows the callee into the project.
      const count = targetCount(loop);
      if (!count || unreported(node)) return;
      const write = writeOf(node);
      if (!write) return;
      if (!sendsCopyToTarget(analysis, node, loop, write.targetArgument)) return;
      report(node, 'fanOutSequential', write, { known: loop.knownIterations ?? count.known, name: count.name }, 'sequential');
    }

    // Only a loop whose collection holds targets counts: the loop a sequential fan-out runs in is the
    // innermost loop around the write, and most loops are over items.
    const targetLoops = loopNesting(SEQUENTIAL_LOOPS, false, (loop) =>
      collectionTargets(loop.type === AST_NODE_TYPES.ForOfStatement ? loop.right : forCollection(loop as TSESTree.ForStatement)) !== undefined,
    );
    // Nothing is searched behind a node on a one-off path below the rule's floor (tests wait for every
    // connection of a fixture as a matter of course).
    const unreported = unreportedOnOneOffPath(context, analysis);

    return Object.assign(targetLoops.listeners, {
      CallExpression(node: TSESTree.CallExpression) {
        const shape = waitAllOf(analysis, node);
        if (shape) {
          if (!unreported(shape.node)) checkWaitAll(shape);
        } else checkSequential(node);
      },
    });
  },
});
