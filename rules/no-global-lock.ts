import { TSESTree } from '@typescript-eslint/types';
import { calleeText, enclosingFunctions, hasWordIn, isHttpCall, parameterIdentifier, someAwaitedCall, variableOf } from '../src/analysis/ast-helpers.js';
import { calledFunction, chainPath, coordinatingHelper, mayCallFunction, parameterLock, parameterLockAt } from '../src/analysis/call-graph.js';
import { type CallNode, type Site, classifyCall, mayBeSiteOf } from '../src/analysis/classify-call.js';
import { type ConstantKey, constantKey, mayBeConstantKey } from '../src/analysis/constant-key.js';
import { getFileAnalysis } from '../src/analysis/file-analysis.js';
import { fileHasRole } from '../src/analysis/file-role.js';
import { mayHoldLockText } from '../src/analysis/lock-text.js';
import { loopContextOf } from '../src/analysis/loop-context.js';
import { mayLeaveFile } from '../src/analysis/project-index.js';
import { catalogPrimitive, reportSite, specPrimitive, unreportedOnOneOffPath } from '../src/analysis/site.js';
import { byName, resolveValue } from '../src/analysis/resolve-value.js';
import { importSource, memberName, nameOf, unwrap } from '../src/analysis/shapes.js';
import { type EffectiveSite, effectiveSite, isWorkQueueLock, sqlLockKey, tableLockName } from '../src/analysis/sql.js';
import { criticalSection, isProcessWide } from '../src/analysis/process-lock.js';
import { splitWords } from '../src/analysis/words.js';
import { type ResolvedLevel, resolveLevel } from '../src/model/catalog.js';
import { DEFAULT_ALLOW_KEYS } from '../src/model/option-defaults.js';
import type { SitePrimitive } from '../src/model/site.js';
import type { CalleeSpecifier } from '../src/schema.js';
import { atomicIncrement } from '../src/fix/atomic-increment.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

export type Options = [
  {
    /** The lowest grade reported (default high). */
    minConfidence?: Confidence;
    /** Absent means {@link DEFAULT_ALLOW_KEYS}. */
    allowKeys?: string[];
    checkProcessLocks: boolean;
    checkNamedWrappers: boolean;
  },
];

export type MessageIds = 'globalLock' | 'tableLock' | 'processLock' | 'suggestEntityKey' | 'suggestAtomicIncrement';

export { DEFAULT_ALLOW_KEYS };

// What a same-file wrapper must do to count: take a lock, or run SQL (advisory locks live there).
const LOCK_KINDS = new Set(['lock', 'local-lock', 'sql'] as const);

const ADVICE =
  'Key the lock by the entity it protects, lock only the rows you change (SELECT … FOR UPDATE on them), make the change one atomic statement, or merge concurrent updates with a CRDT.';

/** What each report calls the smell, for the report's columns. */
const SMELLS = { globalLock: 'lock on a constant key', tableLock: 'table lock', processLock: 'process-wide lock' } as const;

/** The site kinds this rule judges: store and in-process locks, and SQL text (advisory locks, LOCK TABLE, FOR UPDATE). */
const LOCK_SITE_KINDS = ['lock', 'local-lock', 'sql'] as const;
// createRule hands every file of a config the same options object: compile its patterns once.
const compiledAllowKeys = new WeakMap<Options[0], readonly RegExp[]>();

function allowKeyPatterns(options: Options[0]): readonly RegExp[] {
  let patterns = compiledAllowKeys.get(options);
  if (!patterns) compiledAllowKeys.set(options, (patterns = (options.allowKeys ?? DEFAULT_ALLOW_KEYS).map((pattern) => new RegExp(pattern, 'i'))));
  return patterns;
}

export default createRule<Options, MessageIds>({
  name: 'no-global-lock',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow locks whose key is the same for every caller while the work they guard is per entity',
      recommended: false,
      requiresTypeChecking: false,
      ladderLevels: [0, 3],
    },
    // The suggestions go through reportSite (src/analysis/site.ts), where this lint rule cannot follow them.
    // eslint-disable-next-line eslint-plugin/require-meta-has-suggestions
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          minConfidence: MIN_CONFIDENCE_SCHEMA,
          allowKeys: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description:
              'Regular expressions (case-insensitive) for constant keys that name a once-per-cluster duty (cron, migration, leader election); replaces the default list.',
          },
          checkProcessLocks: {
            type: 'boolean',
            description: 'Also report a module-level in-process lock (async-mutex, async-lock) held across awaited network calls.',
          },
          checkNamedWrappers: {
            type: 'boolean',
            description:
              'Also report project-local lock functions recognised by name (withLock, acquireLock, lockService.acquire) besides those in settings.coordination.lockWrappers.',
          },
        },
        additionalProperties: false,
      },
    ],
    // allowKeys defaults to DEFAULT_ALLOW_KEYS in create(), not here: ESLint merges meta.defaultOptions
    // into the options before validating them and prints the merged object when a key is mistyped,
    // which would be 600 characters of regular expression around the key that is wrong.
    defaultOptions: [{ minConfidence: 'high', checkProcessLocks: true, checkNamedWrappers: true }],
    messages: {
      globalLock: '{{call}} locks {{key}}{{through}}, the same key for every caller ({{price}}). {{judgement}}{{advice}}{{site}}',
      tableLock: '{{call}} locks the whole table {{key}}{{through}}: every writer of the table waits ({{price}}). {{judgement}}{{advice}}{{site}}',
      processLock:
        '{{call}} holds a process-wide lock across awaited network calls ({{price}}): every request of this process queues behind that I/O. {{judgement}}{{advice}}{{site}}',
      suggestEntityKey: 'Key the lock by {{entity}}: {{key}}.',
      suggestAtomicIncrement:
        'Make the read-modify-write one atomic {{replacement}}: the store adds atomically, so the counter needs no lock (remove the lock once it guards nothing else), or count with a CRDT counter.',
    },
    // ESLint >= 10.2 reads this; ESLint 9 ignores it.
    languages: ['js/js'],
  },
  create(context, [options]) {
    const analysis = getFileAnalysis(context);
    const { sourceCode } = context;
    const { vocabulary, fallbacks } = analysis.settings.catalog;
    // No lock text (lock-text.ts): no lock of the file's own, only one behind a call into another module.
    const ownLocks = mayHoldLockText(analysis);
    if (!ownLocks && !mayLeaveFile(analysis)) return {};
    // Migrations take locks on purpose: DDL and one-off data moves.
    if (fileHasRole(analysis, ['migration'])) return {};
    // Nothing is searched behind a call on a one-off path below the rule's floor.
    const unreported = unreportedOnOneOffPath(context, analysis);

    const allowKeys = allowKeyPatterns(options);
    const wrappers = analysis.settings.lockWrappers;

    function isAllowedKey(key: ConstantKey): boolean {
      const texts = [String(key.value ?? ''), key.text, ...key.names];
      return allowKeys.some((pattern) => texts.some((text) => pattern.test(splitWords(text).join('-')) || pattern.test(text)));
    }

    function report(
      node: CallNode,
      messageId: keyof typeof SMELLS,
      key: ConstantKey | undefined,
      keyText: string,
      primitive: SitePrimitive,
      level: ResolvedLevel,
      multiplier: 'constant-lock-key' | 'process-lock',
      path?: readonly string[],
    ): void {
      // A counter's read-modify-write needs no lock at all; otherwise key the lock by the entity.
      const section = node.type === AST_NODE_TYPES.CallExpression ? criticalSection(node) : undefined;
      const atomic = section ? atomicIncrement(analysis, section.body, section.after) : undefined;
      const entity = !atomic && key && messageId === 'globalLock' ? entityInScope(node) : undefined;
      const rewritten = entity && key ? entityKey(key, entity) : undefined;
      const call = `${calleeText(sourceCode, node)}()`;
      reportSite(
        context,
        analysis,
        node,
        { messageId, smell: SMELLS[messageId], primitive, level, path: path ?? [call], multipliers: [{ kind: multiplier }], wayOut: ADVICE },
        { call, key: keyText, through: path && path.length > 1 ? ` through ${path.slice(1).join(' → ')}` : '' },
        atomic
          ? [{ messageId: 'suggestAtomicIncrement', data: { replacement: atomic.replacement }, fix: atomic.fix }]
          : rewritten && key
            ? [{ messageId: 'suggestEntityKey', data: { entity: entity!, key: rewritten }, fix: (fixer) => fixer.replaceText(key.node, rewritten) }]
            : [],
      );
    }

    /** `id`, `roomId`, `req.roomId` parameters of the enclosing function: what the work is per. */
    function entityInScope(node: TSESTree.Node): string | undefined {
      for (const fn of enclosingFunctions(node)) {
        for (const param of fn.params) {
          const name = parameterIdentifier(param)?.name;
          if (name && vocabulary.entityParameters.test(name)) return name;
        }
      }
      return undefined;
    }

    /** The key with the entity appended: `'bookings-lock'` → `` `bookings-lock:${roomId}` ``. */
    function entityKey(key: ConstantKey, entity: string): string | undefined {
      if (key.node.type !== AST_NODE_TYPES.Literal || typeof key.value !== 'string') return undefined;
      return `\`${key.value.replace(/[`\\$]/g, '\\$&')}:\${${entity}}\``;
    }

    /** Does the call run work that differs per caller: inside a function with parameters, or per item of a loop? */
    function perCallerWork(node: TSESTree.Node): { inLoop: boolean; perCaller: boolean } {
      const inLoop = loopContextOf(analysis, node) !== undefined;
      // The `(signal) => …` routine handed to the lock call itself does not count as the caller's function.
      const perCaller = inLoop || [...enclosingFunctions(node)].some((fn) => fn.params.length > 0 && fn.parent !== node);
      return { inLoop, perCaller };
    }

    function checkStoreLock(node: CallNode, site: Site, effective: EffectiveSite): void {
      // LOCK TABLE … / LOCK TABLES … WRITE: the whole table, whatever the key.
      if (effective.pattern?.scope === 'table') {
        if (!perCallerWork(node).perCaller) return;
        // LOCK TABLE "${table}" with the table a parameter: each caller names the table, and is reported there.
        const table = tableLockName(analysis, effective.sql!);
        if (table !== undefined) report(node, 'tableLock', undefined, table, catalogPrimitive(analysis, site, effective), effective.level, 'constant-lock-key');
        return;
      }
      // FOR UPDATE SKIP LOCKED is a work queue, not a mutex.
      if (effective.sql && isWorkQueueLock(effective.sql)) return;
      const key = effective.sql ? sqlLockKey(analysis, node, effective) : keyArgument(site);
      if (!key) return;
      const work = perCallerWork(node);
      if (!work.perCaller) return; // a parameterless duty: the constant key is the point
      // A duty key, unless taken per item or for one entity (`render(userId)`).
      if (!work.inLoop && !entityInScope(node) && isAllowedKey(key)) return;
      report(node, 'globalLock', key, key.text, catalogPrimitive(analysis, site, effective), effective.level, 'constant-lock-key');
    }

    function keyArgument(site: Site): ConstantKey | undefined {
      const index = site.operation.keyArgument;
      if (index === undefined || site.node.type !== AST_NODE_TYPES.CallExpression) return undefined;
      const argument = site.node.arguments[index];
      return argument ? constantKey(analysis, argument) : undefined;
    }

    /** A module-level (or static) in-process lock held across awaited network calls. */
    function checkProcessLock(node: CallNode, site: Site, effective: EffectiveSite): void {
      if (!options.checkProcessLocks || node.type !== AST_NODE_TYPES.CallExpression || !site.receiver) return;
      if (!isProcessWide(analysis, site.receiver)) return;
      // async-lock: lock.acquire(key, fn) serialises per key; only a constant key is process-wide.
      if (site.operation.keyArgument !== undefined) {
        const argument = node.arguments[site.operation.keyArgument];
        if (!argument || !constantKey(analysis, argument)) return;
      }
      if (!perCallerWork(node).perCaller) return;
      const section = criticalSection(node);
      if (!section || !awaitsNetwork(section.body, section.after)) return;
      report(node, 'processLock', undefined, '', catalogPrimitive(analysis, site, effective), effective.level, 'process-lock');
    }

    /** The section awaits a store call above L0 or an HTTP request after `after`. */
    function awaitsNetwork(body: TSESTree.Node, after: number): boolean {
      const network = ({ call }: { call: CallNode }): boolean =>
        (classifyCall(analysis, call)?.level.level ?? 0) > 0 || (call.type === AST_NODE_TYPES.CallExpression && isHttpCall(analysis.settings.catalog, call));
      return someAwaitedCall(sourceCode, body, network, { after, enterFunctions: true });
    }

    /** Project-local lock wrappers: `withLock(KEY, fn)`, `lockService.acquire(KEY)`, from settings or by name. */
    function checkWrapper(node: TSESTree.CallExpression): void {
      const match = wrapperMatch(node);
      if (!match) return;
      const argument = node.arguments[match.keyArgument];
      const key = argument && constantKey(analysis, argument);
      if (!key) return;
      const work = perCallerWork(node);
      if (!work.perCaller || (!work.inLoop && !entityInScope(node) && isAllowedKey(key)) || isOtherSite(node)) return;
      const wrapper = fallbacks.lockWrapper;
      const level = resolveLevel(wrapper.kind, wrapper.level, undefined, analysis.settings.backends);
      report(node, 'globalLock', key, key.text, specPrimitive(wrapper), level, 'constant-lock-key');
    }

    function wrapperMatch(node: TSESTree.CallExpression): { keyArgument: number } | undefined {
      const callee = unwrap(node.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
      if (name === undefined) return undefined;
      for (const wrapper of wrappers) {
        const keyArgument = matchesWrapper(wrapper, name, callee);
        if (keyArgument !== undefined) return { keyArgument };
      }
      if (!options.checkNamedWrappers) return undefined;
      // withLock(KEY, fn), acquireLock(KEY), runWithMutex(KEY, fn)
      if (callee.type === AST_NODE_TYPES.Identifier && hasWordIn(name, vocabulary.lockWords)) {
        // A function of this file is a wrapper only when its body takes a lock; an import is judged by its name.
        if (!calledFunction(analysis, node) || coordinatingHelper(analysis, node, LOCK_KINDS)) return { keyArgument: 0 };
      }
      // lockService.acquire(KEY), this.locks.using(KEY, fn): a receiver named like a lock, a lock method
      if (callee.type === AST_NODE_TYPES.MemberExpression && vocabulary.lockMethods.test(name)) {
        if (hasWordIn(nameOf(callee.object), vocabulary.lockWords)) {
          const resolved = resolveValue(analysis, callee.object);
          // A receiver the catalogue knows was handled as a site; a local non-client (a Map) is not a lock.
          // A name that guesses a client without this method (`mutex.using` is no async-mutex call) is a wrapper.
          const named = resolved.kind === 'unknown' ? byName(analysis, resolved.hints) : undefined;
          const known = named && analysis.settings.catalog.operations.get(named.client.id)?.has(name);
          if (resolved.kind === 'unknown' && !known) return { keyArgument: 0 };
        }
      }
      return undefined;
    }

    function matchesWrapper(wrapper: CalleeSpecifier, name: string, callee: TSESTree.Node): number | undefined {
      if (typeof wrapper === 'string') return wrapper === name ? 0 : undefined;
      const names = typeof wrapper.name === 'string' ? [wrapper.name] : wrapper.name;
      const keyArgument = wrapper.keyArgument ?? 0;
      if (wrapper.from === 'file') {
        // `Class#method` or a plain function name
        return names.some((candidate) => candidate === name || candidate.endsWith(`#${name}`)) ? keyArgument : undefined;
      }
      if (callee.type !== AST_NODE_TYPES.Identifier || !names.includes(name)) return undefined;
      const def = variableOf(sourceCode, callee)?.defs[0];
      return def?.type === 'ImportBinding' && importSource(def.parent) === wrapper.package ? keyArgument : undefined;
    }

    function check(node: CallNode): void {
      if (unreported(node)) return;
      // Only a lock, or SQL text that may take one, is a lock site: other calls are not resolved here.
      const site = mayBeSiteOf(analysis, node, LOCK_SITE_KINDS) ? classifyCall(analysis, node) : undefined;
      if (site) {
        const effective = effectiveSite(analysis, site);
        if (effective.kind === 'lock') checkStoreLock(node, site, effective);
        else if (effective.kind === 'local-lock') checkProcessLock(node, site, effective);
        return;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression) return;
      if (!checkLayeredLock(node)) checkWrapper(node);
    }

    /** A catalogue call of another kind (a write, a read) is no wrapper: asked only before a report, which is rare. */
    function isOtherSite(node: TSESTree.CallExpression): boolean {
      return classifyCall(analysis, node) !== undefined;
    }

    /**
     * `serialized('orders', fn)` where `serialized` (this file or another module) takes a store lock
     * keyed by that parameter: the caller's constant makes it a lock on one key for every caller. Judged
     * by what the function does with the constant, whatever its name. A function that runs `LOCK TABLE`
     * locks the table at a caller that names the table (`lockTableExclusive(tx, 'Orders')`) or calls it
     * by a lock name (`lockOrders()`); a table its own SQL names is reported there, not at every caller
     * that happens to pass some constant. True when the call reaches such a function at all.
     */
    function checkLayeredLock(node: TSESTree.CallExpression): boolean {
      // Cheapest first: a callee that can be a function of the project at all; a global lock needs a
      // constant argument, and most calls have none; a table lock behind a name that says lock needs
      // none. The search behind the callee runs last.
      if (!mayCallFunction(analysis, node)) return false;
      // Nothing found here could be reported (and check() has asked already in a file with lock text):
      // asked once per function, before the arguments of each call are evaluated.
      if (!ownLocks && unreported(node)) return false;
      // Without lock text no name in the file holds a lock word (lock-text.ts).
      const lockName = ownLocks && hasWordIn(nameOf(unwrap(node.callee)), vocabulary.lockWords);
      const constants = node.arguments.map((argument) =>
        argument.type !== AST_NODE_TYPES.SpreadElement && mayBeConstantKey(analysis, argument) ? constantKey(analysis, argument) : undefined,
      );
      if (!lockName && !constants.some((key) => key !== undefined)) return false;
      // Behind a name that says lock, whatever the function locks; behind any other name, only a lock
      // the constant arguments flow into (key or table): a search that follows those arguments alone.
      const lock = lockName
        ? parameterLock(analysis, node)
        : parameterLockAt(
            analysis,
            node,
            constants.flatMap((key, index) => (key ? [index] : [])),
          );
      if (!lock) return false;
      // A catalogue call of another kind is what it is, whatever a same-named project function does.
      if (isOtherSite(node)) return true;
      const effective = effectiveSite(lock.analysis, lock.site);
      const path = chainPath(analysis, node, lock.chain, { text: `${calleeText(lock.analysis.sourceCode, lock.site.node)}()`, analysis: lock.analysis }, context.cwd);
      const primitive = catalogPrimitive(lock.analysis, lock.site, effective);
      if (lock.scope === 'table') {
        if (!perCallerWork(node).perCaller) return true;
        const named = lock.index === undefined ? undefined : node.arguments[lock.index];
        const table = named ? (constants[lock.index!]?.text ?? sourceCode.getText(named)) : (lock.table ?? 'the table');
        report(node, 'tableLock', undefined, table, primitive, effective.level, 'constant-lock-key', path);
        return true;
      }
      const key = lock.index === undefined ? undefined : constants[lock.index];
      const work = key ? perCallerWork(node) : undefined;
      if (!key || !work?.perCaller || (!work.inLoop && !entityInScope(node) && isAllowedKey(key))) return true;
      report(node, 'globalLock', key, key.text, primitive, effective.level, 'constant-lock-key', path);
      return true;
    }

    if (!ownLocks) return { CallExpression: checkLayeredLock };
    return { CallExpression: check, TaggedTemplateExpression: check };
  },
});

