import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import type { TSESLint } from '@typescript-eslint/utils';
import { type Site, classifyCall } from '../src/analysis/classify-call.js';
import { getFileAnalysis } from '../src/analysis/file-analysis.js';
import { type LoopContext, classifyIteration, loopContextOf } from '../src/analysis/loop-context.js';
import { catalogPrimitive, reportSite, specPrimitive } from '../src/analysis/site.js';
import { elementClient, resolveClient } from '../src/analysis/resolve-value.js';
import { memberName, methodName, nameOf, unwrap } from '../src/analysis/shapes.js';
import { effectiveSite } from '../src/analysis/sql.js';
import { type WaitAll, settledResultsRequired, waitAllOf } from '../src/analysis/fan-out-shapes.js';
import { isFunction, walk } from '../src/analysis/traverse.js';
import { splitWords } from '../src/analysis/words.js';
import { type ResolvedLevel, resolveLevel } from '../src/model/catalog.js';
import { ADDRESS_PROPERTY_WORDS, UNKNOWN_TARGET_WRITE } from '../src/model/catalog-data.js';
import type { SitePrimitive } from '../src/model/site.js';
import type { PrimitiveKind } from '../src/model/catalog-types.js';
import { majority } from '../src/model/ladder.js';
import type { CalleeSpecifier } from '../src/schema.js';
import { calleeText } from '../src/analysis/render.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

const ADDRESS_WORDS: ReadonlySet<string> = new Set(ADDRESS_PROPERTY_WORDS);

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

/** Verbs that manage a connection's lifetime or read: never a replicated write, whatever the verb list says. */
const NOT_WRITES = /^(connect|disconnect|close|quit|end|stop|start|destroy|dispose|shutdown|cleanup|ready|dial|ping|health\w*|get\w*|fetch\w*|read\w*|load\w*|find\w*|list\w*|query\w*|scan\w*|exists?|has|head\w*|count\w*|subscribe|unsubscribe|watch|listen|on|once|emit|flush|sync)$/i;
/** Properties that identify a row rather than say where to send: `id`, `userId`, `key`, `uuid`. */
const KEY_PROPERTY = /^(?:id|_id|uuid|key|pk)$|(?:Id|Key|Uuid)$/;

/** Hand-offs to a durable queue: the write reaches the targets later, not while the caller waits. */
const HAND_OFF = /^(add|enqueue|push|schedule|triggerJob|dispatch|waitUntil)$/;

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
}

export default createRule<Options, MessageIds>({
  name: 'no-sync-fan-out',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow writes that wait for every one of N replicas, regions or peers',
      recommended: true,
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
      fanOutAwaitAll: '{{call}} waits for every one of {{n}} {{targets}} ({{price}}); one failure fails them all. {{judgement}}{{advice}}{{site}}',
      fanOutSequential: '{{call}} writes to {{n}} {{targets}} one after another ({{price}}); one failure stops the rest. {{judgement}}{{advice}}{{site}}',
      useQuorumWait: 'Wait for a quorum of {{w}} with {{helper}} instead of all {{n}}.',
    },
    // ESLint >= 10.2 reads this; ESLint 9 ignores it.
    languages: ['js/js'],
  },
  create(context, [options]) {
    const analysis = getFileAnalysis(context);
    const { sourceCode } = context;
    const { targets, writeVerbs } = analysis.settings.fanOut;
    const targetWords = new Set(targets.map((word) => word.toLowerCase()));

    /** `replicas`, `this.peerNodes`, `DEFAULT_RELAYS`, `replicaA`: a name that says it holds copies or endpoints. */
    function isTargetName(name: string | undefined): boolean {
      if (!name) return false;
      const words = splitWords(name);
      return words.some((word, index) => {
        if (targetWords.has(word)) return true;
        if (word.endsWith('es') && targetWords.has(word.slice(0, -2))) return true;
        if (word.endsWith('s') && targetWords.has(word.slice(0, -1))) return true;
        // replicaA, region2: a target word followed by a one-letter or numeric suffix
        return index > 0 && /^(?:[a-z]|\d+)$/.test(word) && targetWords.has(words[index - 1]!);
      });
    }

    function isWriteVerb(method: string): boolean {
      if (NOT_WRITES.test(method)) return false;
      return writeVerbs.some((verb) => (verb.endsWith('*') ? method.startsWith(verb.slice(0, -1)) : method === verb));
    }

    /** The write a call performs, with its level: a catalogue write, or a write verb on an unknown target (L1). */
    function writeOf(call: TSESTree.CallExpression): TargetWrite | undefined {
      const callee = unwrap(call.callee);
      const method = nameOf(callee);
      if (!method) return undefined;
      const site: Site | undefined = classifyCall(analysis, call);
      if (site) {
        const effective = effectiveSite(analysis, site);
        if (WRITE_KINDS.has(effective.kind) && !site.operation.batched) {
          return { call, method, level: effective.level, primitive: catalogPrimitive(analysis, site, effective) };
        }
        if (NOT_WRITE_KINDS.has(effective.kind)) return undefined;
      }
      if (HAND_OFF.test(method) || !isWriteVerb(method)) return undefined;
      // client.send(new GetCommand(...)): the AWS SDK command names the operation
      const command = call.arguments[0] && unwrap(call.arguments[0]);
      if (command?.type === AST_NODE_TYPES.NewExpression && command.callee.type === AST_NODE_TYPES.Identifier && /Command$/.test(command.callee.name)) {
        if (!/^(Put|Update|Delete|BatchWrite|TransactWrite|Copy|Upload|Create|Send|Publish|Write|Append|Complete)/.test(command.callee.name)) return undefined;
      }
      const level = resolveLevel(UNKNOWN_TARGET_WRITE.kind, UNKNOWN_TARGET_WRITE.level, undefined, analysis.settings.backends);
      return { call, method, level, primitive: specPrimitive(UNKNOWN_TARGET_WRITE) };
    }

    /** Is the value of `node` waited for: `await x`, `return await x`, `x.then(...)`, `for await`? */
    function isAwaited(node: TSESTree.Node): boolean {
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

    /** `[primary, secondary]` of clients, or elements whose names say they are targets. */
    function arrayOfTargets(node: TSESTree.Node): number | undefined {
      const array = unwrap(node);
      if (array.type !== AST_NODE_TYPES.ArrayExpression || array.elements.length < 2) return undefined;
      const all = array.elements.every((element) => {
        if (!element || element.type === AST_NODE_TYPES.SpreadElement) return false;
        return resolveClient(analysis, element) !== undefined || isTargetName(sourceCode.getText(element));
      });
      return all ? array.elements.length : undefined;
    }

    /** The targets a loop iterates, and N when the code fixes it (`const replicas = [a, b, c]`: the loop context knows). */
    function targetCount(loop: LoopContext): { known: number | undefined; name: string } | undefined {
      const collection = loop.collection;
      if (!collection) return undefined;
      const inner = unwrap(collection);
      const literal = arrayOfTargets(inner);
      if (literal !== undefined) return { known: literal, name: 'targets' };
      const text = sourceCode.getText(inner);
      const name = inner.type === AST_NODE_TYPES.Identifier ? inner.name : inner.type === AST_NODE_TYPES.MemberExpression ? memberName(inner) : undefined;
      // With types, elements the catalogue knows as store clients are targets whatever the name (`clients: Redis[]`).
      if (!isTargetName(name) && !elementClient(analysis, inner)) return undefined;
      return { known: loop.knownIterations, name: text.length <= 40 ? text : (name ?? 'targets') };
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
        if (write && sendsCopyToTarget(node, loop)) found = write;
        return undefined;
      });
      return found;
    }

    /**
     * The same write goes to each target: the item is the receiver, or the endpoint a write names
     * first with an unchanging payload. Not when each target gets its own part (a scatter, a payload
     * built from the target: a signed webhook, a per-recipient notice), nor when the receiver is a
     * record the iteration loaded (`const row = await findOne(item); await row.save()`): a row, not a copy.
     */
    function sendsCopyToTarget(call: TSESTree.CallExpression, loop: LoopContext): boolean {
      if (isScatter(call, loop)) return false;
      const role = classifyIteration(analysis, call, loop);
      if (role === 'receiver') return !receiverLoadedPerItem(call, loop) && !payloadPerTarget(call, loop);
      return role === 'payload' && targetIsFirstArgument(call, loop);
    }

    /** The receiver is a variable of the loop body set from an awaited call: a record loaded per item. */
    function receiverLoadedPerItem(call: TSESTree.CallExpression, loop: LoopContext): boolean {
      const callee = unwrap(call.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      let root: TSESTree.Node = unwrap(callee.object);
      while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
      if (root.type !== AST_NODE_TYPES.Identifier) return false;
      const definition = ASTUtils.findVariable(sourceCode.getScope(root), root)?.defs[0];
      if (definition?.type !== 'Variable' || definition.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return false;
      if (loop.iterationVariables.some((variable) => variable.defs.some((def) => def.node === definition.node))) return false;
      let init: TSESTree.Node = definition.node.init;
      while (init.type === AST_NODE_TYPES.TSAsExpression || init.type === AST_NODE_TYPES.TSNonNullExpression) init = init.expression;
      return init.range[0] >= loop.body.range[0] && init.range[1] <= loop.body.range[1] && init.type === AST_NODE_TYPES.AwaitExpression;
    }

    /**
     * Besides naming the target, an argument is built from the item: each target gets its own payload
     * (`sign(body, hook.secret)`, `{ text: render(user) }`). The item under an address property
     * (`{ Bucket: mirror.bucket }`) still names where the same payload goes.
     */
    function payloadPerTarget(call: TSESTree.CallExpression, loop: LoopContext): boolean {
      const named = classifyCall(analysis, call)?.operation.targetArgument;
      const refs = new Set<TSESTree.Node>(loop.iterationVariables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
      return call.arguments.some((argument, index) => {
        if (index === named) return false;
        let own = false;
        walk(sourceCode, argument, (child) => {
          if (own) return false;
          if (child.type === AST_NODE_TYPES.Property && !child.computed && isAddressKey(child.key)) return false;
          if (refs.has(child)) own = true;
          return undefined;
        });
        return own;
      });
    }

    function isAddressKey(key: TSESTree.Node): boolean {
      const name = key.type === AST_NODE_TYPES.Identifier ? key.name : key.type === AST_NODE_TYPES.Literal ? String(key.value) : '';
      return splitWords(name).some((word) => ADDRESS_WORDS.has(word));
    }

    /** `backends.map((b, i) => b.upload(fragments[i]))`: each target gets its own part, not a copy. */
    function isScatter(call: TSESTree.CallExpression, loop: LoopContext): boolean {
      const index = loop.kind === 'for' ? loop.iterationVariables[0] : loop.kind === 'for-of' ? undefined : loop.iterationVariables[1];
      if (!index) return false;
      const refs = new Set<TSESTree.Node>(index.references.map((reference) => reference.identifier));
      let used = false;
      for (const argument of call.arguments) {
        walk(sourceCode, argument, (child) => {
          if (refs.has(child)) used = true;
        });
      }
      return used;
    }

    function targetIsFirstArgument(call: TSESTree.CallExpression, loop: LoopContext): boolean {
      const [first, ...rest] = call.arguments;
      if (!first || rest.length === 0) return false;
      const refs = new Set(loop.iterationVariables.flatMap((variable) => variable.references.map((reference) => reference.identifier)));
      const uses = (node: TSESTree.Node): boolean => {
        let hit = false;
        walk(sourceCode, node, (child) => {
          if (refs.has(child as TSESTree.Identifier)) hit = true;
        });
        return hit;
      };
      // the target varies, the payload does not: the same write to each endpoint
      return namesEndpoint(first, refs, uses) && rest.every((argument) => !uses(argument));
    }

    /**
     * The first argument names where the write goes: the item itself (`deliver(inbox, activity)`), a
     * property of it other than a key (`post(peer.url, body)`), a URL built from it, or a call on it.
     * An item's key (`repo.update(member.id, patch)`) or an object built from it (`new Joined(member)`)
     * makes the item a row to change, not a target.
     */
    function namesEndpoint(argument: TSESTree.Node, refs: ReadonlySet<TSESTree.Node>, uses: (node: TSESTree.Node) => boolean): boolean {
      const value = unwrap(argument);
      switch (value.type) {
        case AST_NODE_TYPES.Identifier:
          return refs.has(value);
        case AST_NODE_TYPES.MemberExpression:
          return uses(value.object) && !KEY_PROPERTY.test(memberName(value) ?? '');
        case AST_NODE_TYPES.TemplateLiteral:
        case AST_NODE_TYPES.BinaryExpression:
          // `${peer.url}/replicate`, `https://${host}/x`: an address; `topic:${userId}`: a key on one broker
          return uses(value) && startsAsAddress(value);
        case AST_NODE_TYPES.CallExpression:
          return uses(value);
        default:
          return false;
      }
    }

    /** A built string that starts with the item or a scheme, not with a fixed prefix such as `channel:`. */
    function startsAsAddress(value: TSESTree.TemplateLiteral | TSESTree.BinaryExpression): boolean {
      let head: TSESTree.Node = value;
      while (head.type === AST_NODE_TYPES.BinaryExpression) head = head.left;
      const prefix = head.type === AST_NODE_TYPES.TemplateLiteral ? head.quasis[0]!.value.raw : head.type === AST_NODE_TYPES.Literal && typeof head.value === 'string' ? head.value : '';
      return prefix === '' || prefix.includes('://');
    }

    function report(
      node: TSESTree.CallExpression,
      messageId: keyof typeof SMELLS,
      write: TargetWrite,
      count: { known: number | undefined; name: string },
      mode: 'parallel' | 'sequential',
      all?: TSESTree.CallExpression,
    ): void {
      const suggestion = all ? quorumSuggestion(all, count) : undefined;
      const call = `${calleeText(sourceCode, node)}()`;
      // The combinator, then the write it waits for; a sequential loop's write is the call itself.
      const path = write.call === node ? [call] : [call, `${calleeText(sourceCode, write.call)}()`];
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
        { call, n: count.known === undefined ? 'N' : String(count.known), targets: count.name },
        suggestion ? [suggestion] : [],
      );
    }

    /** With `settings.coordination.quorumHelper`: `Promise.all(xs)` → `await helper(xs, { count: W })`, plus its import. */
    function quorumSuggestion(
      all: TSESTree.CallExpression,
      count: { known: number | undefined; name: string },
    ): TSESLint.SuggestionReportDescriptor<MessageIds> | undefined {
      const helper = analysis.settings.quorumHelper;
      if (!helper || all.arguments.length !== 1 || methodName(all) !== 'all') return undefined;
      const spec = helper.specifier as CalleeSpecifier;
      if (typeof spec === 'string' || spec.from !== 'package') return undefined;
      const exported = typeof spec.name === 'string' ? spec.name : spec.name[0]!;
      const argument = all.arguments[0]!;
      let w: string;
      if (count.known !== undefined) {
        // A majority of 2 is both: a quorum only helps from 3 copies.
        if (majority(count.known) >= count.known) return undefined;
        w = String(majority(count.known));
      } else {
        // ⌊N/2⌋+1 of the collection: only when reading it twice is free (a name, not a call)
        const inner = unwrap(argument);
        const collection = inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression ? unwrap(inner.callee.object) : undefined;
        if (!collection || (collection.type !== AST_NODE_TYPES.Identifier && collection.type !== AST_NODE_TYPES.MemberExpression)) return undefined;
        w = `Math.floor(${sourceCode.getText(collection)}.length / 2) + 1`;
      }
      const program = sourceCode.ast;
      const existing = findImport(program, spec.package, exported);
      const local = existing ?? (exported === 'default' ? 'quorum' : exported);
      const imports = program.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration);
      const lastImport = imports[imports.length - 1];
      const importText =
        exported === 'default' ? `import ${local} from '${spec.package}';` : `import { ${exported} } from '${spec.package}';`;
      if (!existing && (program.sourceType !== 'module' || ASTUtils.findVariable(sourceCode.getScope(all), local))) return undefined;
      return {
        messageId: 'useQuorumWait',
        data: { w, helper: `${local}()`, n: count.known === undefined ? 'N' : String(count.known) },
        fix: (fixer) => {
          const fixes = [fixer.replaceText(all, `${local}(${sourceCode.getText(argument)}, { ${helper.countOption}: ${w} })`)];
          if (!existing) fixes.push(lastImport ? fixer.insertTextAfter(lastImport, `\n${importText}`) : fixer.insertTextBeforeRange([0, 0], `${importText}\n`));
          return fixes;
        },
      };
    }

    /** `await`ed directly, or through `lastValueFrom`/`firstValueFrom`/`.toPromise()` and `.pipe(…)` for an observable. */
    function isWaited(shape: WaitAll): boolean {
      if (shape.combinator !== 'forkJoin') return isAwaited(shape.node);
      let current: TSESTree.Node = shape.node;
      for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
        if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current && /^(pipe|toPromise)$/.test(memberName(parent) ?? '')) {
          if (parent.parent?.type !== AST_NODE_TYPES.CallExpression) return false;
          parent = parent.parent;
          continue;
        }
        if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === current && /^(lastValueFrom|firstValueFrom)$/.test(nameOf(parent.callee) ?? '')) continue;
        return isAwaited(current);
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
      if (siblingTables(calls)) return undefined;
      return writeOf(calls[0]!);
    }

    /**
     * `models.Orders.updateMany(f, u)`, `models.Holds.updateMany(f, u)`: members of one registry that
     * differ in the last name are tables of one store, not copies, unless the names say copies
     * (`caches.primary`, `this.l1`/`this.l2` fields hold separate clients).
     */
    function siblingTables(calls: readonly TSESTree.CallExpression[]): boolean {
      const receivers = calls.map((call) => unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object));
      if (!receivers.every((receiver) => receiver.type === AST_NODE_TYPES.MemberExpression && !receiver.computed)) return false;
      const owners = new Set(receivers.map((receiver) => sourceCode.getText((receiver as TSESTree.MemberExpression).object)));
      if (owners.size !== 1 || unwrap((receivers[0] as TSESTree.MemberExpression).object).type === AST_NODE_TYPES.ThisExpression) return false;
      if (receivers.every((receiver) => isTargetName(sourceCode.getText(receiver)))) return false;
      // env.ASSETS_PRIMARY / env.ASSETS_BACKUP: one name in two roles, so two copies of one store
      const [first, ...rest] = receivers.map((receiver) => new Set(splitWords(memberName(receiver) ?? '')));
      return ![...first!].some((word) => rest.every((words) => words.has(word)));
    }

    function checkSequential(node: TSESTree.CallExpression): void {
      if (!options.checkSequential) return;
      // Cheapest first: most calls are in no sequential loop, and classifying a write resolves its receiver.
      const loop = loopContextOf(analysis, node);
      if (!loop || loop.mode !== 'sequential' || !(loop.kind === 'for-of' || loop.kind === 'for')) return;
      const write = writeOf(node);
      if (!write) return;
      const count = targetCount(loop);
      if (!count) return;
      if (!sendsCopyToTarget(node, loop)) return;
      report(node, 'fanOutSequential', write, { known: loop.knownIterations ?? count.known, name: count.name }, 'sequential');
    }

    return {
      CallExpression(node) {
        const shape = waitAllOf(analysis, node);
        if (shape) checkWaitAll(shape);
        else checkSequential(node);
      },
    };
  },
});

function findImport(program: TSESTree.Program, pkg: string, exported: string): string | undefined {
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.source.value !== pkg) continue;
    for (const specifier of statement.specifiers) {
      if (exported === 'default' && specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return specifier.local.name;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.imported.type === AST_NODE_TYPES.Identifier && specifier.imported.name === exported) {
        return specifier.local.name;
      }
    }
  }
  return undefined;
}
