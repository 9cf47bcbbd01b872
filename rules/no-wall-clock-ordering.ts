import { TSESTree } from '@typescript-eslint/types';
import { clippedCode, enclosingFunction, enclosingFunctionName, hasWordIn, isSortCall } from '../src/analysis/ast-helpers.js';
import { chainPath } from '../src/analysis/call-graph.js';
import { type TimestampRead, advancesOnReceipt, fromTwoParties, inClaimingCall, inLogicalClock, readsLocalClock, takeoverTime, timestampOf } from '../src/analysis/clock.js';
import { mayHoldClockText } from '../src/analysis/clock-text.js';
import { enclosingClass } from '../src/analysis/resolve-value.js';
import { getFileAnalysis } from '../src/analysis/file-analysis.js';
import { mayLeaveFile } from '../src/analysis/project-index.js';
import { reportSite, specPrimitive } from '../src/analysis/site.js';
import { memberName, nameOf, propertyName, unwrap } from '../src/analysis/shapes.js';
import { sortedUse } from '../src/analysis/state-use.js';
import { isFunction, walk } from '../src/analysis/traverse.js';
import { type WallClock, wallClock } from '../src/analysis/wall-clock.js';
import { DEFAULT_TIMESTAMP_FIELDS, DEFAULT_VERSION_FIELDS } from '../src/model/option-defaults.js';
import { resolveLevel } from '../src/model/catalog.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

/** The comparisons that order two times. */
const ORDER_COMPARISONS: ReadonlySet<string> = new Set(['<', '>', '<=', '>=']);

export type Options = [
  {
    /** The lowest grade reported (default high). */
    minConfidence?: Confidence;
    versionFields: string[];
    timestampFields: string[];
    checkDisplaySorts: boolean;
  },
];

export type MessageIds = 'clockAsVersion' | 'lastWriteWins' | 'clockOrderedReplay' | 'remoteClockTakeover';

const RISK =
  'clocks drift 10–100 ppm and NTP skew reaches tens of milliseconds, so across nodes a later write can carry an earlier time: the site claims an order it cannot have';
const ADVICE =
  'Use a Lamport clock for a total order that respects causality, a hybrid logical clock where readable time matters (0 extra messages), or version vectors to detect concurrent writes instead of silently dropping one.';

/** What the report calls each smell. */
const SMELLS: Readonly<Record<MessageIds, string>> = {
  clockAsVersion: 'wall clock as version',
  lastWriteWins: 'last write wins by clock',
  clockOrderedReplay: 'replay in clock order',
  remoteClockTakeover: 'takeover by remote clock',
};


// Options are merged once per distinct value and shared by the files of a config: their sets too.
const fieldSetsOf = new WeakMap<Options[0], { readonly versionFields: ReadonlySet<string>; readonly timestampFields: ReadonlySet<string> }>();

function fieldSets(options: Options[0]): { readonly versionFields: ReadonlySet<string>; readonly timestampFields: ReadonlySet<string> } {
  let sets = fieldSetsOf.get(options);
  if (!sets) {
    const lower = (fields: readonly string[]): ReadonlySet<string> => new Set(fields.map((field) => field.toLowerCase()));
    sets = { versionFields: lower(options.versionFields), timestampFields: lower(options.timestampFields) };
    fieldSetsOf.set(options, sets);
  }
  return sets;
}

export default createRule<Options, MessageIds>({
  name: 'no-wall-clock-ordering',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow wall-clock time as the order of events or the judge of which write wins',
      recommended: false,
      requiresTypeChecking: false,
      ladderLevels: [1],
    },
    schema: [
      {
        type: 'object',
        properties: {
          minConfidence: MIN_CONFIDENCE_SCHEMA,
          versionFields: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: 'Field names that hold an order or version (matched case-insensitively); replaces the default list.',
          },
          timestampFields: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: 'Field names that hold a timestamp (matched case-insensitively); replaces the default list.',
          },
          checkDisplaySorts: {
            type: 'boolean',
            description: 'Also report sorts by a timestamp whose result is returned, rendered or serialised rather than applied.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [
      {
        minConfidence: 'high',
        versionFields: [...DEFAULT_VERSION_FIELDS],
        timestampFields: [...DEFAULT_TIMESTAMP_FIELDS],
        checkDisplaySorts: false,
      },
    ],
    messages: {
      clockAsVersion: `{{field}} is set from {{clock}}, a wall clock ({{level}} clock read), and used as an order: ${RISK}. {{judgement}}{{advice}}{{site}}`,
      lastWriteWins: `{{expression}} picks the winning write by wall-clock time ({{level}} clock read): ${RISK}. {{judgement}}{{advice}}{{site}}`,
      clockOrderedReplay: `Events sorted by {{field}}, a wall-clock time ({{level}} clock read), are then applied to state: ${RISK}. {{judgement}}{{advice}}{{site}}`,
      remoteClockTakeover: `{{expression}} compares another node's time with the local clock to decide who takes over ({{level}} clock read): ${RISK}. {{judgement}}{{advice}}{{site}}`,
    },
    // ESLint >= 10.2 reads this; ESLint 9 ignores it.
    languages: ['js/js'],
  },
  create(context, [options]) {
    const { sourceCode } = context;
    const analysis = getFileAnalysis(context);
    const { vocabulary, fallbacks } = analysis.settings.catalog;
    const { versionFields, timestampFields } = fieldSets(options);
    // Where every search stays in the file, a file that reads no clock and names no timestamp has no site.
    if (analysis.services === undefined && !mayLeaveFile(analysis) && !mayHoldClockText(analysis, timestampFields)) return {};
    // Temporal workflows get deterministic, replayed time: Date.now() there is safe.
    const replayed = sourceCode.ast.body.some(
      (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && vocabulary.replayedClockPackages.test(statement.source.value),
    );
    if (replayed) return {};
    const clockSpec = fallbacks.wallClock;

    /** A clock site is judged by its level alone: what it costs is wrong answers, not messages. */
    function report(node: TSESTree.Node, messageId: MessageIds, data: Readonly<Record<string, string>>): void {
      const path = data['clock'] ? [data['clock']] : [];
      reportSite(
        context,
        analysis,
        node,
        {
          messageId,
          smell: SMELLS[messageId],
          primitive: specPrimitive(clockSpec),
          level: resolveLevel(clockSpec.kind, clockSpec.level, undefined, analysis.settings.backends),
          path,
          priced: false,
          wayOut: ADVICE,
        },
        data,
      );
    }

    /** `now() → Date.now() in src/lib/clock.ts`: the clock behind a project function, with its module. */
    function clockPath(value: TSESTree.Node, clock: WallClock): string {
      const inner = unwrap(value);
      if (clock.chain.length === 0 || inner.type !== AST_NODE_TYPES.CallExpression) return clippedCode(sourceCode, value);
      return chainPath(analysis, inner, clock.chain, { text: clock.analysis.sourceCode.getText(clock.node), analysis: clock.analysis }, context.cwd).join(' → ');
    }

    // version: Date.now() / record.seq = Date.now()
    function checkVersion(node: TSESTree.Node, field: string | undefined, value: TSESTree.Node): void {
      const clock = versionFields.has(field?.toLowerCase() ?? '') ? wallClock(analysis, value) : undefined;
      if (!field || !clock || inLogicalClock(analysis, node)) return;
      report(node, 'clockAsVersion', { field, clock: clockPath(value, clock) });
    }

    /**
     * Does this comparison decide which value is kept: a conditional or an `if`? Not when its branches
     * only return -1, 0 or 1: that is a comparator, which orders rather than picks (sorts are judged
     * by what is done with the sorted result).
     */
    function decidesWinner(comparison: TSESTree.Node): boolean {
      let current: TSESTree.Node = comparison;
      for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
        if (parent.type === AST_NODE_TYPES.LogicalExpression || parent.type === AST_NODE_TYPES.UnaryExpression) continue;
        if (parent.type === AST_NODE_TYPES.ConditionalExpression) return parent.test === current && !isOrdering(parent.consequent) && !isOrdering(parent.alternate);
        if (parent.type === AST_NODE_TYPES.IfStatement) return parent.test === current && !isOrdering(parent.consequent);
        return false;
      }
      return false;
    }

    /** `-1`, `1`, `0`, `return -1;`, `{ return 1; }`: a comparator's answer. */
    function isOrdering(node: TSESTree.Node | null | undefined): boolean {
      if (!node) return false;
      let inner: TSESTree.Node = node;
      if (inner.type === AST_NODE_TYPES.BlockStatement && inner.body.length === 1) inner = inner.body[0]!;
      if (inner.type === AST_NODE_TYPES.ReturnStatement && inner.argument) inner = inner.argument;
      return /^-?[01]$/.test(sourceCode.getText(inner).replace(/\s+/g, ''));
    }

    /** Inside the comparator of `sort`/`toSorted`: it orders, and the sort is judged by its use. */
    function inSortComparator(node: TSESTree.Node): boolean {
      return isSortCall(enclosingFunction(node)?.parent);
    }

    const timestamp = (node: TSESTree.Node): TimestampRead | undefined => timestampOf(analysis, node, timestampFields);

    function checkComparison(node: TSESTree.BinaryExpression): void {
      if (!ORDER_COMPARISONS.has(node.operator) || inLogicalClock(analysis, node)) return;
      const left = timestamp(node.left);
      const right = timestamp(node.right);
      // a.updatedAt > b.updatedAt: two records, one field, one winner
      if (left && right) {
        if (left.record === right.record || left.field !== right.field || inSortComparator(node)) return;
        // task.createdAt < filter.createdAt checks a query's range: it picks no write
        if ([left.root, right.root].some((root) => hasWordIn(root, vocabulary.queryBoundWords))) return;
        // Two copies stamped by two clocks, and no hybrid clock advanced past the received time.
        if (decidesWinner(node) && fromTwoParties(analysis, node, [left.record, right.record]) && !advancesOnReceipt(analysis, node, left.field, timestampFields)) {
          report(node, 'lastWriteWins', { expression: clippedCode(sourceCode, node) });
        }
        return;
      }
      // lease.expiresAt < Date.now(), Date.now() - leader.heartbeatAt > ttl: another node's time judged by ours
      const remote = takeoverTime(analysis, node.left, node.right) ?? takeoverTime(analysis, node.right, node.left);
      if (remote && decidesWinner(node)) report(node, 'remoteClockTakeover', { expression: clippedCode(sourceCode, node) });
    }

    /**
     * `{ lockHeartbeatAt: { $lt: staleThreshold } }` in an update's filter, with the threshold read from
     * the local clock: the query reclaims another node's lease by comparing its time with ours.
     */
    function checkClaimFilter(node: TSESTree.Property): void {
      if (node.computed || node.key.type !== AST_NODE_TYPES.Identifier || node.value.type !== AST_NODE_TYPES.ObjectExpression) return;
      if (!hasWordIn(node.key.name, vocabulary.takeoverWords)) return;
      const bound = node.value.properties.find(
        (property) => property.type === AST_NODE_TYPES.Property && vocabulary.rangeOperators.test(propertyName(property) ?? '') && readsLocalClock(analysis, property.value),
      );
      if (!bound || !inClaimingCall(analysis, node)) return;
      report(node, 'remoteClockTakeover', { expression: clippedCode(sourceCode, node) });
    }

    // events.sort((a, b) => a.ts - b.ts), then applied
    function checkSort(node: TSESTree.CallExpression): void {
      const callee = unwrap(node.callee);
      if (!isSortCall(node) || callee.type !== AST_NODE_TYPES.MemberExpression) return;
      const comparator = node.arguments[0];
      if (!comparator || !isFunction(comparator) || inLogicalClock(analysis, node)) return;
      const field = comparedField(comparator);
      if (!field) return;
      const use = sortedUse(analysis, node, callee.object);
      // [winner] = [existing, incoming].sort(byTime): a pick between copies needs copies from two clocks
      const picked = use === 'picked' && fromTwoParties(analysis, node, [sourceCode.getText(callee.object)]);
      if (picked || use === 'applied' || (use === 'display' && options.checkDisplaySorts)) report(node, 'clockOrderedReplay', { field });
    }

    /**
     * `redis.eval(ACQUIRE, 1, semaphoreKey, id, Date.now(), ttl)`: this node's clock handed to a script
     * that evicts other holders by comparing the times they wrote with it. Named for a claim (a lock,
     * lease, semaphore), not for a rate window.
     */
    function checkStoreScript(node: TSESTree.CallExpression): void {
      if (!vocabulary.storeScriptMethods.test(nameOf(node.callee))) return;
      const clock = node.arguments.find((argument) => readsLocalClock(analysis, argument));
      if (!clock) return;
      const names = [enclosingFunctionName(node) ?? '', enclosingClass(node)?.id?.name ?? '', ...node.arguments.filter((argument) => argument !== clock).map((argument) => sourceCode.getText(argument))];
      if (!names.some((text) => hasWordIn(text, vocabulary.takeoverWords))) return;
      report(clock, 'remoteClockTakeover', { expression: clippedCode(sourceCode, clock) });
    }

    /** The timestamp field a comparator orders by: `a.ts - b.ts`, `a.ts < b.ts ? -1 : 1`, `a.ts.localeCompare(b.ts)`. */
    function comparedField(comparator: TSESTree.FunctionLike): string | undefined {
      let field: string | undefined;
      walk(sourceCode, comparator.body ?? comparator, (node) => {
        if (field) return false;
        if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === '-' || ORDER_COMPARISONS.has(node.operator))) {
          const left = timestamp(node.left);
          const right = timestamp(node.right);
          if (left && right && left.field === right.field && left.record !== right.record) field = left.field;
        }
        if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression && memberName(node.callee) === 'localeCompare') {
          const left = timestamp(node.callee.object);
          const right = node.arguments[0] && timestamp(node.arguments[0]);
          if (left && right && left.field === right.field) field = left.field;
        }
        return undefined;
      });
      return field;
    }

    return {
      Property(node) {
        if (!node.computed && node.key.type === AST_NODE_TYPES.Identifier) checkVersion(node, node.key.name, node.value);
        checkClaimFilter(node);
      },
      AssignmentExpression(node) {
        if (node.left.type === AST_NODE_TYPES.MemberExpression) checkVersion(node, memberName(node.left), node.right);
      },
      BinaryExpression: checkComparison,
      CallExpression(node) {
        checkSort(node);
        checkStoreScript(node);
      },
    };
  },
});
