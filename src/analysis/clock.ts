/**
 * Wall-clock reads and the timestamps they fill: what `no-wall-clock-ordering` asks of an expression.
 * The clocks come from the merged catalogue (`clockSources`, built-in and from settings); the field
 * names from its vocabulary.
 */
import { TSESTree } from '@typescript-eslint/types';
import { enclosingClassBody, enclosingFunction, enclosingFunctionName, hasWordIn, variableOf } from './ast-helpers.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileValue } from './memo.js';
import { memberName, nameOf, unwrap } from './shapes.js';
import { contains, isFunction, walk, walkCode } from './traverse.js';
import { wallClock } from './wall-clock.js';
import { splitWords, textWords } from './words.js';

const { AST_NODE_TYPES } = TSESTree;

/** A wall-clock value, read here or returned by a project function (`now()` in `lib/clock.ts`). */
export function isWallClock(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  return wallClock(analysis, node) !== undefined;
}

/** The local clock, or a value computed from it: `new Date(Date.now() - STALE_MS)`, a const holding one. */
export function readsLocalClock(analysis: FileAnalysis, node: TSESTree.Node, depth = 0): boolean {
  if (depth > 3) return false;
  const inner = unwrap(node);
  if (isWallClock(analysis, inner)) return true;
  switch (inner.type) {
    case AST_NODE_TYPES.NewExpression:
      return inner.callee.type === AST_NODE_TYPES.Identifier && inner.callee.name === 'Date' && inner.arguments.some((argument) => readsLocalClock(analysis, argument, depth + 1));
    case AST_NODE_TYPES.BinaryExpression:
      return (inner.operator === '-' || inner.operator === '+') && (readsLocalClock(analysis, inner.left, depth + 1) || readsLocalClock(analysis, inner.right, depth + 1));
    case AST_NODE_TYPES.Identifier: {
      const declarator = variableOf(analysis.sourceCode, inner)?.defs[0]?.node;
      return declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.parent.kind === 'const' && !!declarator.init && readsLocalClock(analysis, declarator.init, depth + 1);
    }
    default:
      return false;
  }
}

const clockFields = fileValue<ReadonlySet<string>>();

/** Field names assigned a wall-clock value somewhere in this file (`{ seenAt: Date.now() }`), lower-cased. */
export function clockAssignedFields(analysis: FileAnalysis): ReadonlySet<string> {
  return clockFields.get(analysis, () => {
    const found = new Set<string>();
    walkCode(analysis.sourceCode, analysis.sourceCode.ast, (node) => {
      if (node.type === AST_NODE_TYPES.Property && !node.computed && node.key.type === AST_NODE_TYPES.Identifier && isWallClock(analysis, node.value)) {
        found.add(node.key.name.toLowerCase());
      }
      if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.MemberExpression && isWallClock(analysis, node.right)) {
        const name = memberName(node.left);
        if (name) found.add(name.toLowerCase());
      }
    });
    return found;
  });
}

/**
 * Is `name` a timestamp field: one of `timestampFields` (lower-case), or a field the file fills from a
 * clock whose name says time (`seenAt`, `lastPingTime`)? A bare `start` or `value` set from
 * `Date.now()` once does not make every `.start` a timestamp.
 */
export function isTimestampField(analysis: FileAnalysis, name: string | undefined, timestampFields: ReadonlySet<string>): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  return timestampFields.has(lower) || (analysis.settings.catalog.vocabulary.timestampNames.test(name) && clockAssignedFields(analysis).has(lower));
}

/** `x.getTime()` and `x.valueOf()` read `x` as a number: the time is `x`'s. */
export function timeBehindNumber(node: TSESTree.Node): TSESTree.Node {
  const inner = unwrap(node);
  const callee = inner.type === AST_NODE_TYPES.CallExpression ? inner.callee : undefined;
  return callee?.type === AST_NODE_TYPES.MemberExpression && /^(getTime|valueOf)$/.test(memberName(callee) ?? '') ? unwrap(callee.object) : inner;
}

/** A record's timestamp read: the record's text, the field, and the root the record is read from. */
export interface TimestampRead {
  readonly record: string;
  readonly field: string;
  readonly root: string;
}

/** `record.updatedAt`, `record.updatedAt.getTime()`, `new Date(record.ts)`, `+record.ts`, `Date.parse(record.ts)`: the record and its field. */
export function timestampOf(analysis: FileAnalysis, node: TSESTree.Node, timestampFields: ReadonlySet<string>): TimestampRead | undefined {
  const { sourceCode } = analysis;
  let inner = unwrap(node);
  for (let depth = 0; depth < 3; depth++) {
    const number = timeBehindNumber(inner);
    if (number !== inner) {
      inner = number;
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
  if (!isTimestampField(analysis, field, timestampFields)) return undefined;
  let root: TSESTree.Node = inner.object;
  while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
  return { record: sourceCode.getText(inner.object), field: field!, root: sourceCode.getText(root) };
}

/**
 * Inside a logical-clock implementation: a function, method or class named like lamport, hlc,
 * clock or tick whose body takes `Math.max` of a counter or clock (the Lamport/HLC update).
 */
export function inLogicalClock(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  const { logicalClocks } = analysis.settings.catalog.vocabulary;
  for (let current = node.parent; current; current = current.parent) {
    const name =
      current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression
        ? current.id?.name
        : current.type === AST_NODE_TYPES.MethodDefinition && current.key.type === AST_NODE_TYPES.Identifier
          ? current.key.name
          : current.type === AST_NODE_TYPES.VariableDeclarator && current.id.type === AST_NODE_TYPES.Identifier
            ? current.id.name
            : undefined;
    if (name && logicalClocks.test(name) && /\bMath\.max\s*\(/.test(analysis.sourceCode.getText(current))) return true;
  }
  return false;
}

/** `this.<field>` is assigned a wall-clock reading somewhere in the class that reads it: this node's own time. */
export function isOwnClockField(analysis: FileAnalysis, member: TSESTree.MemberExpression): boolean {
  const field = memberName(member);
  const body = enclosingClassBody(member);
  if (!body || !field) return false;
  let own = false;
  walk(analysis.sourceCode, body, (node) => {
    if (own) return false;
    if (
      node.type === AST_NODE_TYPES.AssignmentExpression &&
      node.left.type === AST_NODE_TYPES.MemberExpression &&
      node.left.object.type === AST_NODE_TYPES.ThisExpression &&
      memberName(node.left) === field &&
      isWallClock(analysis, node.right)
    ) {
      own = true;
    }
    return undefined;
  });
  return own;
}

/** A filter in a call that changes what it matches (an update, a find-and-modify, a claim), or built by its own method for one. */
export function inClaimingCall(analysis: FileAnalysis, node: TSESTree.Node): boolean {
  const { claimingMethods, takeoverWords } = analysis.settings.catalog.vocabulary;
  for (let current = node.parent, depth = 0; current && depth < 8; current = current.parent, depth++) {
    if (current.type === AST_NODE_TYPES.CallExpression) return claimingMethods.test(nameOf(current.callee) ?? '');
    // a filter built by its own method for the claim: getAvailableLockFilter(), leaseClaimQuery()
    if (isFunction(current)) return hasWordIn(enclosingFunctionName(node) ?? '', { test: (word) => takeoverWords.test(word) || claimingMethods.test(word) });
  }
  return false;
}

/**
 * The compared copies were stamped by different parties: one side is named for another party
 * (`incoming`, `remote`, `peer`, `server`) or for this node's own copy (`local`, so the other is not),
 * the comparison sits in a function that merges copies (`mergeDocs`, `resolveConflict`, `syncContacts`),
 * or it picks the newest of a collection so named (`peerVersions.reduce((a, b) => …)`). Two rows of one
 * database, stamped by it, compared for a business rule are not: their order is the database's.
 */
export function fromTwoParties(analysis: FileAnalysis, node: TSESTree.Node, records: readonly string[]): boolean {
  const { otherPartyWords, localCopyWords, mergeFunctionWords } = analysis.settings.catalog.vocabulary;
  const named = (text: string): boolean => textWords(text).some((word) => otherPartyWords.test(word));
  if (records.some(named)) return true;
  // local.updatedAt vs change.updatedAt: one side is this node's copy, so the other is not
  if (records.some((record) => textWords(record).some((word) => localCopyWords.test(word)))) return true;
  if (textWords(enclosingFunctionName(node) ?? '').some((word) => mergeFunctionWords.test(word))) return true;
  const collection = reducedCollection(node);
  return collection !== undefined && named(analysis.sourceCode.getText(collection));
}

/** `xs` of `xs.reduce((a, b) => …)` (or `maxBy(xs, …)`), when the node is in that callback. */
function reducedCollection(node: TSESTree.Node): TSESTree.Node | undefined {
  const fn = enclosingFunction(node);
  const call = fn?.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === 'reduce') return callee.object;
  if (/^(maxBy|minBy)$/.test(nameOf(callee) ?? '')) return call.arguments[0];
  return undefined;
}

/**
 * The function that compares also advances the local clock past the received time
 * (`this.clock = Math.max(this.clock, incoming.ts)`): a hybrid logical clock's receive step.
 */
export function advancesOnReceipt(analysis: FileAnalysis, node: TSESTree.Node, field: string, timestampFields: ReadonlySet<string>): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  const { sourceCode } = analysis;
  let advances = false;
  walk(sourceCode, fn, (child) => {
    if (advances) return false;
    if (child.type === AST_NODE_TYPES.CallExpression && /^Math\.max$/.test(sourceCode.getText(child.callee))) {
      advances = child.arguments.some(
        (argument) => timestampOf(analysis, argument, timestampFields)?.field === field || new RegExp(`\\.${field}\\b`).test(sourceCode.getText(argument)),
      );
    }
    return undefined;
  });
  return advances;
}

/**
 * `side` reads another node's claim (lease/leader/holder …) and `other` is the local clock, or
 * `now - claim` against a bound: the claim's member, else undefined.
 */
export function takeoverTime(analysis: FileAnalysis, side: TSESTree.Node, other: TSESTree.Node): TSESTree.MemberExpression | undefined {
  const inner = unwrap(side);
  // The field's shape first: it is syntax, while a clock read may resolve a variable or a function.
  if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '-') {
    return claimMember(inner.right) && isWallClock(analysis, inner.left) ? claimField(analysis, inner.right) : undefined;
  }
  return claimMember(inner) && isWallClock(analysis, other) ? claimField(analysis, inner) : undefined;
}

/** The member {@link claimField} reads a claim's time from: `lease.expiresAt`, `+lease.at`, `hold.placedAt + HOLD_MS`. */
function claimMember(node: TSESTree.Node): TSESTree.MemberExpression | undefined {
  let inner = timeBehindNumber(node);
  if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '+') inner = unwrap(inner.left); // hold.placedAt + HOLD_MS
  return inner.type === AST_NODE_TYPES.MemberExpression ? inner : undefined;
}

function claimField(analysis: FileAnalysis, node: TSESTree.Node): TSESTree.MemberExpression | undefined {
  const { takeoverWords, durationWords, lockoutRecordWords } = analysis.settings.catalog.vocabulary;
  const time = unwrap(node);
  const inner = claimMember(node);
  if (!inner) return undefined;
  const words = splitWords(analysis.sourceCode.getText(inner));
  const holder = holderCheck(analysis, time, inner);
  // lease.holder === me && …: this node's own lease, timed by its own clock
  if (holder === 'self' || (holder !== 'another' && !words.some((word) => takeoverWords.test(word)))) return undefined;
  // lease.ttlMs, this.options.lockTimeout: a length of time, not another holder's time
  if (durationWords.test(words[words.length - 1])) return undefined;
  // user.lockedUntil: a lockout after failed logins, not a claim another node holds
  if (words.some((word) => lockoutRecordWords.test(word))) return undefined;
  // this.lastLockExtensionAt, set from this node's clock in its own class: our time, not theirs
  return inner.object.type === AST_NODE_TYPES.ThisExpression && isOwnClockField(analysis, inner) ? undefined : inner;
}

/**
 * `hold.region !== REGION && hold.placedAt + HOLD_MS < Date.now()`: the same condition checks that
 * the record's holder is not this node (`another`: its time was written by another one), or that it
 * is (`self`: `lease.holder === me`).
 */
function holderCheck(analysis: FileAnalysis, time: TSESTree.Node, member: TSESTree.MemberExpression): 'another' | 'self' | undefined {
  const { sourceCode } = analysis;
  const record = sourceCode.getText(member.object);
  let current: TSESTree.Node = time;
  while (current.parent && current.parent.type !== AST_NODE_TYPES.LogicalExpression && !isFunction(current.parent) && !/Statement$/.test(current.parent.type)) current = current.parent;
  for (let parent = current.parent; parent?.type === AST_NODE_TYPES.LogicalExpression && parent.operator === '&&'; parent = parent.parent) {
    const other = [parent.left, parent.right].find((side) => !contains(side, time));
    if (other?.type !== AST_NODE_TYPES.BinaryExpression || !/^[!=]==?$/.test(other.operator)) continue;
    const owner = [other.left, other.right].find((side): side is TSESTree.MemberExpression => side.type === AST_NODE_TYPES.MemberExpression && sourceCode.getText(side.object) === record);
    if (owner && hasWordIn(memberName(owner) ?? '', analysis.settings.catalog.vocabulary.holderFieldWords)) return other.operator.startsWith('!') ? 'another' : 'self';
  }
  return undefined;
}
