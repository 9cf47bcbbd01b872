/**
 * Whether a per-target write sends the same copy to each target (a fan-out) or something of the
 * target's own: a scatter of parts, a payload built from the target, a record loaded per item, a key
 * rather than an endpoint. `no-sync-fan-out` reports only the first. Also which names say targets.
 */
import { TSESTree } from '@typescript-eslint/types';
import { hasWordIn, variableOf } from './ast-helpers.js';
import { classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { type LoopContext, classifyIteration, itemReferences } from './loop-context.js';
import { memberName, unwrap } from './shapes.js';
import { containsAny, walk } from './traverse.js';
import { splitWords } from './words.js';
import { detached } from '../util/detached.js';

const { AST_NODE_TYPES } = TSESTree;

/**
 * The same write goes to each target: the item is the receiver, or the endpoint a write names
 * first with an unchanging payload. Not when each target gets its own part (a scatter, a payload
 * built from the target: a signed webhook, a per-recipient notice), nor when the receiver is a
 * record the iteration loaded (`const row = await findOne(item); await row.save()`): a row, not a copy.
 */
export function sendsCopyToTarget(analysis: FileAnalysis, call: TSESTree.CallExpression, loop: LoopContext, targetArgument?: number): boolean {
  if (isScatter(call, loop)) return false;
  const role = classifyIteration(analysis, call, loop);
  if (role === 'receiver') return !receiverLoadedPerItem(analysis, call, loop) && !payloadPerTarget(analysis, call, loop);
  return role === 'payload' && targetIsArgument(analysis, call, loop, targetArgument);
}

/** The receiver is a variable of the loop body set from an awaited call: a record loaded per item. */
function receiverLoadedPerItem(analysis: FileAnalysis, call: TSESTree.CallExpression, loop: LoopContext): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  let root: TSESTree.Node = unwrap(callee.object);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  const definition = variableOf(analysis.sourceCode, root)?.defs[0];
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
function payloadPerTarget(analysis: FileAnalysis, call: TSESTree.CallExpression, loop: LoopContext): boolean {
  const named = classifyCall(analysis, call)?.operation.targetArgument;
  const refs = itemReferences(loop);
  return call.arguments.some((argument, index) => {
    if (index === named) return false;
    let own = false;
    walk(analysis.sourceCode, argument, (child) => {
      if (own) return false;
      if (child.type === AST_NODE_TYPES.Property && !child.computed && isAddressKey(analysis, child.key)) return false;
      if (refs.has(child)) own = true;
      return undefined;
    });
    return own;
  });
}

function isAddressKey(analysis: FileAnalysis, key: TSESTree.Node): boolean {
  const name = key.type === AST_NODE_TYPES.Identifier ? key.name : key.type === AST_NODE_TYPES.Literal ? String(key.value) : '';
  return hasWordIn(name, analysis.settings.catalog.vocabulary.addressPropertyWords);
}

/** `backends.map((b, i) => b.upload(fragments[i]))`: each target gets its own part, not a copy. */
function isScatter(call: TSESTree.CallExpression, loop: LoopContext): boolean {
  const index = loop.kind === 'for' ? loop.iterationVariables[0] : loop.kind === 'for-of' ? undefined : loop.iterationVariables[1];
  if (!index) return false;
  const refs = new Set<TSESTree.Node>(index.references.map((reference) => reference.identifier));
  return call.arguments.some((argument) => containsAny(argument, refs));
}

/** The argument at `index` (the first unless a project function says which) names the target; the rest do not vary. */
function targetIsArgument(analysis: FileAnalysis, call: TSESTree.CallExpression, loop: LoopContext, index = 0): boolean {
  const first = call.arguments[index];
  const rest = call.arguments.filter((_, position) => position !== index);
  if (!first || rest.length === 0) return false;
  const refs = itemReferences(loop);
  const uses = (node: TSESTree.Node): boolean => containsAny(node, refs);
  // the target varies, the payload does not: the same write to each endpoint
  return namesEndpoint(analysis, first, refs, uses) && rest.every((argument) => !uses(argument));
}

/**
 * The target argument names where the write goes: the item itself (`deliver(inbox, activity)`), a
 * property of it other than a key (`post(peer.url, body)`), a URL built from it, or a call on it.
 * An item's key (`repo.update(member.id, patch)`) or an object built from it (`new Joined(member)`)
 * makes the item a row to change, not a target.
 */
function namesEndpoint(analysis: FileAnalysis, argument: TSESTree.Node, refs: ReadonlySet<TSESTree.Node>, uses: (node: TSESTree.Node) => boolean): boolean {
  const value = unwrap(argument);
  switch (value.type) {
    case AST_NODE_TYPES.Identifier:
      return refs.has(value);
    case AST_NODE_TYPES.MemberExpression:
      return uses(value.object) && !analysis.settings.catalog.vocabulary.keyProperties.test(memberName(value) ?? '');
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

/** Per list of target words (one per settings object): the words, and each name's answer so far. */
const targetNamesOf = new WeakMap<readonly string[], { readonly words: ReadonlySet<string>; readonly answers: Map<string, boolean> }>();

/**
 * Does `name` say it holds copies or endpoints (`replicas`, `this.peerNodes`, `DEFAULT_RELAYS`): one of
 * its words is a target word, its plural, or one followed by a short suffix (`replicaA`, `region2`)?
 * Loops ask of every collection's name, and names repeat across files (`items`, `nodes`): each name is
 * split once per list of words.
 */
export function isTargetName(analysis: FileAnalysis, name: string | undefined): boolean {
  if (!name) return false;
  const { targets } = analysis.settings.fanOut;
  let known = targetNamesOf.get(targets);
  if (!known) targetNamesOf.set(targets, (known = { words: new Set(targets.map((word) => word.toLowerCase())), answers: new Map() }));
  let answer = known.answers.get(name);
  if (answer === undefined) {
    // Element and receiver texts are asked too: a bound keeps a long editor session from growing it.
    if (known.answers.size >= MAX_KNOWN_NAMES) known.answers.clear();
    known.answers.set(detached(name), (answer = hasTargetWord(known.words, name)));
  }
  return answer;
}

const MAX_KNOWN_NAMES = 10_000;

function hasTargetWord(targetWords: ReadonlySet<string>, name: string): boolean {
  const words = splitWords(name);
  return words.some((word, index) => {
    if (targetWords.has(word)) return true;
    if (word.endsWith('es') && targetWords.has(word.slice(0, -2))) return true;
    if (word.endsWith('s') && targetWords.has(word.slice(0, -1))) return true;
    // replicaA, region2: a target word followed by a one-letter or numeric suffix
    return index > 0 && /^(?:[a-z]|\d+)$/.test(word) && targetWords.has(words[index - 1]!);
  });
}

/**
 * `models.Orders.updateMany(f, u)`, `models.Holds.updateMany(f, u)`: members of one registry that
 * differ in the last name are tables of one store, not copies, unless the names say copies
 * (`caches.primary`, `this.l1`/`this.l2` fields hold separate clients).
 */
export function siblingTables(analysis: FileAnalysis, calls: readonly TSESTree.CallExpression[]): boolean {
  const { sourceCode } = analysis;
  const receivers = calls.map((call) => unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object));
  if (!receivers.every((receiver) => receiver.type === AST_NODE_TYPES.MemberExpression && !receiver.computed)) return false;
  const owners = new Set(receivers.map((receiver) => sourceCode.getText((receiver as TSESTree.MemberExpression).object)));
  if (owners.size !== 1 || unwrap((receivers[0] as TSESTree.MemberExpression).object).type === AST_NODE_TYPES.ThisExpression) return false;
  if (receivers.every((receiver) => isTargetName(analysis, sourceCode.getText(receiver)))) return false;
  // env.ASSETS_PRIMARY / env.ASSETS_BACKUP: one name in two roles, so two copies of one store
  const [first, ...rest] = receivers.map((receiver) => new Set(splitWords(memberName(receiver) ?? '')));
  return ![...first!].some((word) => rest.every((words) => words.has(word)));
}
