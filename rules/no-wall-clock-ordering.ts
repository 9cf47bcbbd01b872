import { ASTUtils, TSESTree } from '@typescript-eslint/utils';
import type { TSESLint } from '@typescript-eslint/utils';
import { getFileAnalysis } from '../src/analysis/file-analysis.js';
import { reportSite, specPrimitive } from '../src/analysis/site.js';
import { memberName, methodName, nameOf, unwrap } from '../src/analysis/shapes.js';
import { enclosingFunctionName } from '../src/analysis/loop-context.js';
import { enclosingClass } from '../src/analysis/resolve-value.js';
import { contains, isFunction, walk } from '../src/analysis/traverse.js';
import { splitWords } from '../src/analysis/words.js';
import { CLAIM_WORDS, DURATION_WORDS, GLOBALS, HOLDER_FIELD_WORDS, LOCAL_COPY_WORDS, LOCKOUT_RECORD_WORDS, MERGE_FUNCTION_WORDS, OTHER_PARTY_WORDS, STORE_SCRIPT_METHODS } from '../src/model/catalog-data.js';
import { resolveLevel } from '../src/model/catalog.js';
import type { Confidence } from '../src/model/site.js';
import { MIN_CONFIDENCE_SCHEMA } from '../src/schema.js';
import { createRule } from '../src/util/create-rule.js';

const { AST_NODE_TYPES } = TSESTree;

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

/** The catalogue's wall clock: the primitive, and the level, of every site this rule reports. */
const WALL_CLOCK = GLOBALS.find((global) => global.id === 'clock.date-now')!;

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

/** Field names that read as a point in time. */
const TEMPORAL_NAME = /(At|_at|Time|_time|Ts|_ts|Date|_date|Stamp|stamp)$|^(at|ts|time|when)$/;

/** Properties that name a record rather than carry its state: `id`, `workspaceId`, `slug`. */
const IDENTITY_PROPERTY = /^(?:id|_id|uuid|key|slug|name)$|(?:Id|Key)$/;

/** Range operators of query filters: MongoDB's `$lt`, Prisma's and Sequelize's `lt`. */
const RANGE_OPERATOR = /^\$?(?:lt|lte|gt|gte)$/;
/** Calls that change the rows their filter matches: the filter decides who wins them. */
const CLAIMING_METHOD = /update|modify|upsert|replace|claim|acquire/i;

/** Names that mark another node's claim on a shared role: lease, leader, lock holder. */
const TAKEOVER_WORDS: ReadonlySet<string> = new Set(CLAIM_WORDS);
const OTHER_PARTY: ReadonlySet<string> = new Set(OTHER_PARTY_WORDS);
const MERGE_WORDS: ReadonlySet<string> = new Set(MERGE_FUNCTION_WORDS);
const DURATIONS: ReadonlySet<string> = new Set(DURATION_WORDS);
const LOCKOUTS: ReadonlySet<string> = new Set(LOCKOUT_RECORD_WORDS);
const LOCAL: ReadonlySet<string> = new Set(LOCAL_COPY_WORDS);
const HOLDER_FIELDS: ReadonlySet<string> = new Set(HOLDER_FIELD_WORDS);

/** The identifier words of a source text: `[existing ?? incoming]` → existing, incoming. */
function textWords(text: string): string[] {
  return text.split(/[^A-Za-z0-9_$]+/).flatMap((part) => splitWords(part));
}
/** Functions and classes that implement logical clocks, where `Math.max(wall, counter)` is the point. */
const LOGICAL_CLOCK = /lamport|hlc|hybrid|clock|tick|vector|crdt/i;
/** Names of a query's bounds: `task.createdAt < filter.createdAt` checks a range, it picks no write. */
const QUERY_BOUND_WORDS = new Set(['filter', 'filters', 'query', 'criteria', 'where', 'range', 'bounds', 'cutoff', 'window', 'selector', 'conditions']);
const STATE_VERBS = /^(apply|replay|reduce|dispatch|handle|process|project|fold|merge|commit|save|set|put|upsert|update|insert|write|persist|emit|push|enqueue|execute|run|on[A-Z])/;
/** Receivers whose writes show rather than change state: streams, responses, loggers. */
const OUTPUT_RECEIVERS = /^(out|output|stdout|stderr|stream|res|response|reply|console|logger|log|writer|socket)$/i;
const DISPLAY_SINKS = /^(json|send|render|respond|reply|status|stringify|log|info|debug|warn|error|print|table)$/;

export default createRule<Options, MessageIds>({
  name: 'no-wall-clock-ordering',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow wall-clock time as the order of events or the judge of which write wins',
      recommended: true,
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
        versionFields: ['seq', 'sequence', 'version', 'rev', 'revision', 'order', 'lamport', 'clock', 'generation', 'epoch'],
        timestampFields: ['ts', 'timestamp', 'time', 'updatedAt', 'updated_at', 'modifiedAt', 'modified_at', 'createdAt', 'created_at', 'lastModified', 'last_modified', 'mtime'],
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
    // Temporal workflows get deterministic, replayed time: Date.now() there is safe.
    const program = sourceCode.ast;
    if (
      program.body.some(
        (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === '@temporalio/workflow',
      )
    ) {
      return {};
    }
    // Validates settings.coordination like every rule, even though this one needs no callee resolution.
    const analysis = getFileAnalysis(context);
    const clockLevel = resolveLevel(WALL_CLOCK.kind, WALL_CLOCK.level, undefined, analysis.settings.backends);

    /** A clock site is judged by its level alone: what it costs is wrong answers, not messages. */
    function report(node: TSESTree.Node, messageId: MessageIds, data: Readonly<Record<string, string>>): void {
      const path = data['clock'] ? [data['clock']] : [];
      reportSite(
        context,
        analysis,
        node,
        { messageId, smell: SMELLS[messageId], primitive: specPrimitive(WALL_CLOCK), level: clockLevel, path, priced: false, wayOut: ADVICE },
        data,
      );
    }
    const versionFields = new Set(options.versionFields.map((field) => field.toLowerCase()));
    const timestampFields = new Set(options.timestampFields.map((field) => field.toLowerCase()));
    let clockFields: Set<string> | undefined;

    /** Field names assigned a wall-clock value somewhere in this file (`{ seenAt: Date.now() }`). */
    function clockAssignedFields(): Set<string> {
      if (clockFields) return clockFields;
      clockFields = new Set();
      const found = clockFields;
      walk(sourceCode, program, (node) => {
        if (node.type === AST_NODE_TYPES.Property && !node.computed && node.key.type === AST_NODE_TYPES.Identifier && isWallClock(node.value)) {
          found.add(node.key.name.toLowerCase());
        }
        if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.MemberExpression && isWallClock(node.right)) {
          const name = memberName(node.left);
          if (name) found.add(name.toLowerCase());
        }
      });
      return found;
    }

    function isGlobal(name: string, node: TSESTree.Node): boolean {
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), name);
      return !variable || variable.defs.length === 0;
    }

    /** `Date.now()`, `new Date()`, `.getTime()`/`.valueOf()`/`.toISOString()` of one, `+new Date()`, `performance.timeOrigin + performance.now()`, or a variable holding one. */
    function isWallClock(node: TSESTree.Node, depth = 0): boolean {
      if (depth > 3) return false;
      const inner = unwrap(node);
      switch (inner.type) {
        case AST_NODE_TYPES.CallExpression: {
          const callee = unwrap(inner.callee);
          if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
          const method = memberName(callee);
          const object = unwrap(callee.object);
          if (method === 'now' && object.type === AST_NODE_TYPES.Identifier && object.name === 'Date' && isGlobal('Date', object)) return true;
          if (method && /^(getTime|valueOf|toISOString|toJSON)$/.test(method)) return isWallClock(object, depth + 1);
          return false;
        }
        case AST_NODE_TYPES.NewExpression:
          return inner.arguments.length === 0 && inner.callee.type === AST_NODE_TYPES.Identifier && inner.callee.name === 'Date' && isGlobal('Date', inner.callee);
        case AST_NODE_TYPES.UnaryExpression:
          return inner.operator === '+' && isWallClock(inner.argument, depth + 1);
        case AST_NODE_TYPES.BinaryExpression:
          // performance.timeOrigin + performance.now()
          return inner.operator === '+' && /performance\.timeOrigin/.test(sourceCode.getText(inner)) && /performance\.now\(\)/.test(sourceCode.getText(inner));
        case AST_NODE_TYPES.MemberExpression: {
          // const stamp = { at: Date.now() }; … stamp.at
          const object = unwrap(inner.object);
          const name = memberName(inner);
          if (object.type !== AST_NODE_TYPES.Identifier || !name) return false;
          const def = ASTUtils.findVariable(sourceCode.getScope(object), object)?.defs[0];
          const init = def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator ? def.node.init : undefined;
          if (init?.type !== AST_NODE_TYPES.ObjectExpression) return false;
          const property = init.properties.find(
            (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === name,
          );
          return property !== undefined && isWallClock(property.value, depth + 1);
        }
        case AST_NODE_TYPES.Identifier: {
          const variable = ASTUtils.findVariable(sourceCode.getScope(inner), inner);
          const def = variable?.defs[0];
          if (variable?.defs.length !== 1 || def?.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
          return isWallClock(def.node.init, depth + 1);
        }
        default:
          return false;
      }
    }

    function isTimestampField(name: string | undefined): boolean {
      if (!name) return false;
      const lower = name.toLowerCase();
      // A field the file fills from a clock counts when its name says time (`seenAt`, `lastPingTime`):
      // a bare `start` or `value` set from Date.now() once does not make every `.start` a timestamp.
      return timestampFields.has(lower) || (TEMPORAL_NAME.test(name) && clockAssignedFields().has(lower));
    }

    /**
     * Inside a logical-clock implementation: a function, method or class named like lamport, hlc,
     * clock or tick whose body takes `Math.max` of a counter or clock (the Lamport/HLC update).
     */
    function inLogicalClock(node: TSESTree.Node): boolean {
      for (let current = node.parent; current; current = current.parent) {
        const name =
          current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression
            ? current.id?.name
            : current.type === AST_NODE_TYPES.MethodDefinition && current.key.type === AST_NODE_TYPES.Identifier
              ? current.key.name
              : current.type === AST_NODE_TYPES.VariableDeclarator && current.id.type === AST_NODE_TYPES.Identifier
                ? current.id.name
                : undefined;
        if (name && LOGICAL_CLOCK.test(name) && /\bMath\.max\s*\(/.test(sourceCode.getText(current))) return true;
      }
      return false;
    }

    function clockText(node: TSESTree.Node): string {
      const text = sourceCode.getText(unwrap(node)).replace(/\s+/g, ' ');
      return text.length > 40 ? `${text.slice(0, 39)}…` : text;
    }

    // version: Date.now() / record.seq = Date.now()
    function checkVersion(node: TSESTree.Node, field: string | undefined, value: TSESTree.Node): void {
      if (!field || !versionFields.has(field.toLowerCase()) || !isWallClock(value) || inLogicalClock(node)) return;
      report(node, 'clockAsVersion', { field, clock: clockText(value) });
    }

    /** `record.updatedAt`, `record.updatedAt.getTime()`, `new Date(record.ts)`, `+record.ts`, `Date.parse(record.ts)`: the record and its field. */
    function timestampOf(node: TSESTree.Node): { record: string; field: string; root: string } | undefined {
      let inner = unwrap(node);
      for (let depth = 0; depth < 3; depth++) {
        if (inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && /^(getTime|valueOf)$/.test(memberName(inner.callee) ?? '')) {
          inner = unwrap(inner.callee.object);
        } else if ((inner.type === AST_NODE_TYPES.NewExpression || inner.type === AST_NODE_TYPES.CallExpression) && inner.arguments.length === 1 && /^(Date|Date\.parse|Number)$/.test(sourceCode.getText(inner.callee))) {
          inner = unwrap(inner.arguments[0]!);
        } else if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === '+') {
          inner = unwrap(inner.argument);
        } else {
          break;
        }
      }
      if (inner.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const field = memberName(inner);
      if (!isTimestampField(field)) return undefined;
      let root: TSESTree.Node = inner.object;
      while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
      return { record: sourceCode.getText(inner.object), field: field!, root: sourceCode.getText(root) };
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

    function inSortComparator(node: TSESTree.Node): boolean {
      for (let current = node.parent; current; current = current.parent) {
        if (isFunction(current)) {
          const call = current.parent;
          return call?.type === AST_NODE_TYPES.CallExpression && /^(sort|toSorted)$/.test(methodName(call) ?? '');
        }
      }
      return false;
    }

    function checkComparison(node: TSESTree.BinaryExpression): void {
      if (!['<', '>', '<=', '>='].includes(node.operator) || inLogicalClock(node)) return;
      const left = timestampOf(node.left);
      const right = timestampOf(node.right);
      // a.updatedAt > b.updatedAt: two records, one field, one winner
      if (left && right) {
        if (left.record === right.record || left.field !== right.field || inSortComparator(node)) return;
        if ([left.root, right.root].some((root) => splitWords(root).some((word) => QUERY_BOUND_WORDS.has(word)))) return;
        // Two copies stamped by two clocks, and no hybrid clock advanced past the received time.
        if (decidesWinner(node) && fromTwoParties(node, [left.record, right.record]) && !advancesOnReceipt(node, left.field)) {
          report(node, 'lastWriteWins', { expression: clockText(node) });
        }
        return;
      }
      // lease.expiresAt < Date.now(), Date.now() - leader.heartbeatAt > ttl: another node's time judged by ours
      const remote = takeoverTime(node.left, node.right) ?? takeoverTime(node.right, node.left);
      if (remote && decidesWinner(node)) {
        report(node, 'remoteClockTakeover', { expression: clockText(node) });
      }
    }

    /**
     * The compared copies were stamped by different parties: one side is named for another party
     * (`incoming`, `remote`, `peer`, `server`), the comparison sits in a function that merges copies
     * (`mergeDocs`, `resolveConflict`, `syncContacts`), or it picks the newest of a collection so named
     * (`peerVersions.reduce((a, b) => …)`). Two rows of one database, stamped by it, compared for a
     * business rule are not: their order is the database's.
     */
    function fromTwoParties(node: TSESTree.Node, records: readonly string[]): boolean {
      const named = (text: string): boolean => textWords(text).some((word) => OTHER_PARTY.has(word));
      if (records.some(named)) return true;
      // local.updatedAt vs change.updatedAt: one side is this node's copy, so the other is not
      if (records.some((record) => textWords(record).some((word) => LOCAL.has(word)))) return true;
      if (textWords(enclosingFunctionName(node) ?? '').some((word) => MERGE_WORDS.has(word))) return true;
      const collection = reducedCollection(node);
      return collection !== undefined && named(sourceCode.getText(collection));
    }

    /** `xs` of `xs.reduce((a, b) => …)` (or `maxBy(xs, …)`), when the node is in that callback. */
    function reducedCollection(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) {
        if (!isFunction(current)) continue;
        const call = current.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current as TSESTree.CallExpressionArgument)) return undefined;
        const callee = unwrap(call.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === 'reduce') return callee.object;
        if (/^(maxBy|minBy)$/.test(nameOf(callee) ?? '')) return call.arguments[0];
        return undefined;
      }
      return undefined;
    }

    /**
     * The function that compares also advances the local clock past the received time
     * (`this.clock = Math.max(this.clock, incoming.ts)`): a hybrid logical clock's receive step.
     */
    function advancesOnReceipt(node: TSESTree.Node, field: string): boolean {
      let fn: TSESTree.Node | undefined = node.parent;
      while (fn && !isFunction(fn)) fn = fn.parent;
      if (!fn) return false;
      let advances = false;
      walk(sourceCode, fn, (child) => {
        if (advances) return false;
        if (child.type === AST_NODE_TYPES.CallExpression && /^Math\.max$/.test(sourceCode.getText(child.callee))) {
          advances = child.arguments.some((argument) => timestampOf(argument)?.field === field || new RegExp(`\\.${field}\\b`).test(sourceCode.getText(argument)));
        }
        return undefined;
      });
      return advances;
    }

    /** `side` reads another node's claim (lease/leader/holder …) and `other` is the local clock, or `now - claim` against a bound. */
    function takeoverTime(side: TSESTree.Node, other: TSESTree.Node): TSESTree.MemberExpression | undefined {
      const inner = unwrap(side);
      if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '-' && isWallClock(inner.left)) {
        return claimField(inner.right);
      }
      if (isWallClock(other)) return claimField(inner);
      return undefined;
    }

    function claimField(node: TSESTree.Node): TSESTree.MemberExpression | undefined {
      let inner = unwrap(node);
      const time = inner;
      if (inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && /^(getTime|valueOf)$/.test(memberName(inner.callee) ?? '')) {
        inner = unwrap(inner.callee.object);
      }
      if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '+') inner = unwrap(inner.left); // hold.placedAt + HOLD_MS
      if (inner.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const words = splitWords(sourceCode.getText(inner));
      const holder = holderCheck(time, inner);
      // lease.holder === me && …: this node's own lease, timed by its own clock
      if (holder === 'self' || (holder !== 'another' && !words.some((word) => TAKEOVER_WORDS.has(word)))) return undefined;
      // lease.ttlMs, this.options.lockTimeout: a length of time, not another holder's time
      if (DURATIONS.has(words[words.length - 1]!)) return undefined;
      // user.lockedUntil: a lockout after failed logins, not a claim another node holds
      if (words.some((word) => LOCKOUTS.has(word))) return undefined;
      // this.lastLockExtensionAt, set from this node's clock in its own class: our time, not theirs
      return inner.object.type === AST_NODE_TYPES.ThisExpression && isOwnClockField(inner) ? undefined : inner;
    }

    /**
     * `hold.region !== REGION && hold.placedAt + HOLD_MS < Date.now()`: the same condition checks that
     * the record's holder is not this node (`another`: its time was written by another one), or that it
     * is (`self`: `lease.holder === me`).
     */
    function holderCheck(time: TSESTree.Node, member: TSESTree.MemberExpression): 'another' | 'self' | undefined {
      const record = sourceCode.getText(member.object);
      let current: TSESTree.Node = time;
      while (current.parent && current.parent.type !== AST_NODE_TYPES.LogicalExpression && !isFunction(current.parent) && !/Statement$/.test(current.parent.type)) current = current.parent;
      for (let parent = current.parent; parent?.type === AST_NODE_TYPES.LogicalExpression && parent.operator === '&&'; parent = parent.parent) {
        const other = [parent.left, parent.right].find((side) => !contains(side, time));
        if (other?.type !== AST_NODE_TYPES.BinaryExpression || !/^[!=]==?$/.test(other.operator)) continue;
        const owner = [other.left, other.right].find((side): side is TSESTree.MemberExpression => side.type === AST_NODE_TYPES.MemberExpression && sourceCode.getText(side.object) === record);
        if (owner && splitWords(memberName(owner) ?? '').some((word) => HOLDER_FIELDS.has(word))) return other.operator.startsWith('!') ? 'another' : 'self';
      }
      return undefined;
    }

    /** `this.<field>` is assigned a wall-clock reading somewhere in the class that reads it. */
    function isOwnClockField(member: TSESTree.MemberExpression): boolean {
      const field = memberName(member);
      let body: TSESTree.Node | undefined = member.parent;
      while (body && body.type !== AST_NODE_TYPES.ClassBody) body = body.parent;
      if (!body || !field) return false;
      let own = false;
      walk(sourceCode, body, (node) => {
        if (own) return false;
        if (
          node.type === AST_NODE_TYPES.AssignmentExpression &&
          node.left.type === AST_NODE_TYPES.MemberExpression &&
          node.left.object.type === AST_NODE_TYPES.ThisExpression &&
          memberName(node.left) === field &&
          isWallClock(node.right)
        ) {
          own = true;
        }
        return undefined;
      });
      return own;
    }

    /**
     * `{ lockHeartbeatAt: { $lt: staleThreshold } }` in an update's filter, with the threshold read from
     * the local clock: the query reclaims another node's lease by comparing its time with ours.
     */
    function checkClaimFilter(node: TSESTree.Property): void {
      if (node.computed || node.key.type !== AST_NODE_TYPES.Identifier || node.value.type !== AST_NODE_TYPES.ObjectExpression) return;
      if (!splitWords(node.key.name).some((word) => TAKEOVER_WORDS.has(word))) return;
      const bound = node.value.properties.find(
        (property) => property.type === AST_NODE_TYPES.Property && RANGE_OPERATOR.test(propertyName(property) ?? '') && readsLocalClock(property.value),
      );
      if (!bound || !inClaimingCall(node)) return;
      report(node, 'remoteClockTakeover', { expression: clockText(node) });
    }

    function propertyName(property: TSESTree.Property): string | undefined {
      if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
      return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
    }

    /** The local clock, or a value computed from it: `new Date(Date.now() - STALE_MS)`, a const holding one. */
    function readsLocalClock(node: TSESTree.Node, depth = 0): boolean {
      if (depth > 3) return false;
      const inner = unwrap(node);
      if (isWallClock(inner)) return true;
      switch (inner.type) {
        case AST_NODE_TYPES.NewExpression:
          return inner.callee.type === AST_NODE_TYPES.Identifier && inner.callee.name === 'Date' && inner.arguments.some((argument) => readsLocalClock(argument, depth + 1));
        case AST_NODE_TYPES.BinaryExpression:
          return (inner.operator === '-' || inner.operator === '+') && (readsLocalClock(inner.left, depth + 1) || readsLocalClock(inner.right, depth + 1));
        case AST_NODE_TYPES.Identifier: {
          const declarator = ASTUtils.findVariable(sourceCode.getScope(inner), inner)?.defs[0]?.node;
          return declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.parent.kind === 'const' && !!declarator.init && readsLocalClock(declarator.init, depth + 1);
        }
        default:
          return false;
      }
    }

    /** The filter belongs to a call that changes what it matches: an update, a find-and-modify, a claim. */
    function inClaimingCall(node: TSESTree.Node): boolean {
      for (let current = node.parent, depth = 0; current && depth < 8; current = current.parent, depth++) {
        if (current.type === AST_NODE_TYPES.CallExpression) return CLAIMING_METHOD.test(nameOf(current.callee) ?? '');
        // a filter built by its own method for the claim: getAvailableLockFilter(), leaseClaimQuery()
        if (isFunction(current)) return splitWords(enclosingFunctionName(node) ?? '').some((word) => TAKEOVER_WORDS.has(word) || CLAIMING_METHOD.test(word));
      }
      return false;
    }

    /**
     * `redis.eval(ACQUIRE, 1, semaphoreKey, id, Date.now(), ttl)`: this node's clock handed to a script
     * that evicts other holders by comparing the times they wrote with it. Named for a claim (a lock,
     * lease, semaphore), not for a rate window.
     */
    function checkStoreScript(node: TSESTree.CallExpression): void {
      const method = nameOf(unwrap(node.callee));
      if (!method || !STORE_SCRIPT_METHODS.includes(method)) return;
      const clock = node.arguments.find((argument) => readsLocalClock(argument));
      if (!clock) return;
      const context = [enclosingFunctionName(node) ?? '', enclosingClass(node)?.id?.name ?? '', ...node.arguments.filter((argument) => argument !== clock).map((argument) => sourceCode.getText(argument))];
      if (!context.some((text) => splitWords(text).some((word) => TAKEOVER_WORDS.has(word)))) return;
      report(clock, 'remoteClockTakeover', { expression: clockText(clock) });
    }

    // events.sort((a, b) => a.ts - b.ts), then applied
    function checkSort(node: TSESTree.CallExpression): void {
      const callee = unwrap(node.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression || !/^(sort|toSorted)$/.test(memberName(callee) ?? '')) return;
      const comparator = node.arguments[0];
      if (!comparator || !isFunction(comparator) || inLogicalClock(node)) return;
      const field = comparedField(comparator);
      if (!field) return;
      const use = sortedUse(node, callee.object);
      // [winner] = [existing, incoming].sort(byTime): a pick between copies needs copies from two clocks
      const picked = use === 'picked' && fromTwoParties(node, [sourceCode.getText(callee.object)]);
      if (picked || use === 'applied' || (use === 'display' && options.checkDisplaySorts)) {
        report(node, 'clockOrderedReplay', { field });
      }
    }

    /** The timestamp field a comparator orders by: `a.ts - b.ts`, `a.ts < b.ts ? -1 : 1`, `a.ts.localeCompare(b.ts)`. */
    function comparedField(comparator: TSESTree.FunctionLike): string | undefined {
      let field: string | undefined;
      walk(sourceCode, comparator.body ?? comparator, (node) => {
        if (field) return false;
        if (node.type === AST_NODE_TYPES.BinaryExpression && ['-', '<', '>', '<=', '>='].includes(node.operator)) {
          const left = timestampOf(node.left);
          const right = timestampOf(node.right);
          if (left && right && left.field === right.field && left.record !== right.record) field = left.field;
        }
        if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression && memberName(node.callee) === 'localeCompare') {
          const left = timestampOf(node.callee.object);
          const right = node.arguments[0] && timestampOf(node.arguments[0]);
          if (left && right && left.field === right.field) field = left.field;
        }
        return undefined;
      });
      return field;
    }

    /** What happens to the sorted events: applied to state (a loop or reduce that writes), shown (returned, rendered, serialised), or unknown. */
    function sortedUse(sort: TSESTree.CallExpression, array: TSESTree.Node): 'picked' | 'applied' | 'display' | 'unknown' {
      let value: TSESTree.Node = sort;
      const parent = sort.parent;
      // const [winner] = [a, b].sort(byTime) / .sort(byTime)[0]: the sort picks the winning write
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === sort && parent.id.type === AST_NODE_TYPES.ArrayPattern) return 'picked';
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === sort && parent.computed && sourceCode.getText(parent.property) === '0') {
        // .sort(byCreatedAt)[0].id: the oldest record is chosen by its identity (a page to open), no write wins
        const first = parent.parent?.type === AST_NODE_TYPES.TSNonNullExpression ? parent.parent : parent;
        const next = first.parent;
        const identity = next?.type === AST_NODE_TYPES.MemberExpression && next.object === first && IDENTITY_PROPERTY.test(memberName(next) ?? '');
        return identity ? 'display' : 'picked';
      }
      // events.sort(...).forEach(apply) / .reduce(...)
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === sort) {
        const next = memberName(parent);
        if (next === 'reduce' || next === 'forEach' || next === 'map') return callbackApplies(parent.parent) ? 'applied' : next === 'reduce' ? 'applied' : 'unknown';
        return 'unknown';
      }
      if (parent?.type === AST_NODE_TYPES.ReturnStatement || parent?.type === AST_NODE_TYPES.ArrowFunctionExpression) return 'display';
      if (parent?.type === AST_NODE_TYPES.CallExpression && isDisplaySink(parent)) return 'display';
      // const sorted = events.sort(...); for (const e of sorted) apply(e)   —   or events.sort(...) in place
      let variable: TSESLint.Scope.Variable | null | undefined;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === sort && parent.id.type === AST_NODE_TYPES.Identifier) {
        variable = sourceCode.getDeclaredVariables(parent)[0];
      } else if (parent?.type === AST_NODE_TYPES.ExpressionStatement && unwrap(array).type === AST_NODE_TYPES.Identifier) {
        variable = ASTUtils.findVariable(sourceCode.getScope(array), unwrap(array) as TSESTree.Identifier);
        value = array;
      }
      if (!variable) return 'unknown';
      let use: 'applied' | 'display' | 'unknown' = 'unknown';
      for (const reference of variable.references) {
        const identifier = reference.identifier;
        if (identifier.range[0] <= value.range[0]) continue;
        const at = identifier.parent;
        if (at?.type === AST_NODE_TYPES.ForOfStatement && at.right === identifier) {
          if (bodyApplies(at.body)) return 'applied';
        } else if (at?.type === AST_NODE_TYPES.MemberExpression && at.object === identifier && /^(reduce|forEach)$/.test(memberName(at) ?? '')) {
          if (memberName(at) === 'reduce' || callbackApplies(at.parent)) return 'applied';
        } else if (at?.type === AST_NODE_TYPES.ReturnStatement || (at?.type === AST_NODE_TYPES.CallExpression && isDisplaySink(at)) || at?.type === AST_NODE_TYPES.Property) {
          use = 'display';
        }
      }
      return use;
    }

    function isDisplaySink(call: TSESTree.CallExpression): boolean {
      const callee = unwrap(call.callee);
      const name = nameOf(callee);
      return name !== undefined && DISPLAY_SINKS.test(name);
    }

    function callbackApplies(call: TSESTree.Node | undefined): boolean {
      if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
      const callback = call.arguments[0];
      if (!callback) return false;
      if (!isFunction(callback)) {
        // events.forEach(applyEvent)
        const name = sourceCode.getText(callback).split('.').pop() ?? '';
        return STATE_VERBS.test(name);
      }
      return bodyApplies(callback.body ?? callback);
    }

    /** A body that changes state: calls a state verb (`apply`, `save`, `dispatch`, …) or assigns to a member. */
    function bodyApplies(body: TSESTree.Node): boolean {
      let applies = false;
      walk(sourceCode, body, (node) => {
        if (applies) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const callee = unwrap(node.callee);
          const name = nameOf(callee);
          const receiver = callee.type === AST_NODE_TYPES.MemberExpression ? unwrap(callee.object) : undefined;
          const shows = receiver !== undefined && OUTPUT_RECEIVERS.test(receiver.type === AST_NODE_TYPES.Identifier ? receiver.name : receiver.type === AST_NODE_TYPES.MemberExpression ? (memberName(receiver) ?? '') : '');
          if (name && STATE_VERBS.test(name) && !DISPLAY_SINKS.test(name) && name !== 'push' && !shows) applies = true;
        }
        if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.MemberExpression) applies = true;
        return undefined;
      });
      return applies;
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
