/**
 * How a per-item call is wrapped: handed to a batching call (`$transaction([…])`), run inside a
 * transaction callback, kept apart per item (`try`/`catch`, `.catch`, `allSettled`), or handed on
 * unrun. `no-coordination-in-loop` asks these before it calls a loop a missed batch.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import { containsThrow, enclosingFunctions } from './ast-helpers.js';
import { type CallNode, classifyCall } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import type { LoopContext } from './loop-context.js';
import { memberName, nameOf, unwrap } from './shapes.js';
import { contains } from './traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/**
 * Is this call an operation handed to a batched call that runs it: `$transaction([a(x)])`,
 * `$transaction(xs.map((x) => a(x)))`, `etcd.if(...).then(...xs.map((x) => etcd.put(x)))`?
 */
export function isTransactionOperand(node: CallNode, where: FileAnalysis): boolean {
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
function isBatchingCall(call: TSESTree.CallExpression, where: FileAnalysis): boolean {
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

/** `Promise.allSettled(items.map(...))`: each item's outcome is kept apart from the others'. */
export function settledOneByOne(loop: LoopContext): boolean {
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
export function throughTransactionCallback(analysis: FileAnalysis, write: CallNode, loop: TSESTree.Node): boolean {
  const receiver = receiverRoot(write);
  if (!receiver) return false;
  for (const fn of enclosingFunctions(loop)) {
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) continue;
    if (!analysis.settings.catalog.vocabulary.transactionWrappers.test(nameOf(call.callee) ?? '')) continue;
    if (fn.params.some((param) => param.type === AST_NODE_TYPES.Identifier && param.name === receiver)) return true;
  }
  return false;
}

/** `tx` of `tx.booking.update(…)`, `repo` of `repo.save(…)`: the variable a call is made on. */
export function receiverRoot(call: CallNode): string | undefined {
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
export function isolatedPerItem(sourceCode: Readonly<TSESLint.SourceCode>, node: CallNode, region: TSESTree.Node, mode: LoopContext['mode']): boolean {
  let child: TSESTree.Node = node;
  for (let current: TSESTree.Node | undefined = node.parent; current && current !== region.parent; child = current, current = current.parent) {
    // `.catch` on the item's own promise (after any `.then`), awaited or collected: each item fails
    // on its own, which one batched call cannot offer. A fire-and-forget one only silences failures.
    if (current.type === AST_NODE_TYPES.MemberExpression && current.object === child && memberName(current) === 'catch') {
      return mode !== 'floating' || !isDiscarded(current.parent!);
    }
    if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler && !containsThrow(sourceCode, current.handler.body)) {
      return true;
    }
  }
  return false;
}

/**
 * The helper's body is one `try { … } catch { … }` (after any setup) without a rethrow around the
 * write: the item fails on its own. A try deeper inside guards one step, not the item.
 */
export function catchesAllOfIt(sourceCode: Readonly<TSESLint.SourceCode>, site: CallNode, body: TSESTree.Node): boolean {
  if (body.type !== AST_NODE_TYPES.BlockStatement) return false;
  const statement = body.body.find((candidate) => contains(candidate, site));
  return statement?.type === AST_NODE_TYPES.TryStatement && contains(statement.block, site) && isolatedPerItem(sourceCode, site, statement, 'sequential');
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
export function handedOn(analysis: FileAnalysis, node: CallNode, loop: LoopContext): boolean {
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && ['then', 'catch', 'finally'].includes(memberName(parent) ?? '')) return false;
  if (loop.mode === 'floating') return true;
  // updates.push(prisma.x.update(...)) … prisma.$transaction(updates)
  if (loop.mode !== 'parallel' || parent?.type !== AST_NODE_TYPES.CallExpression || parent.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const array = unwrap(parent.callee.object);
  if (array.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(array), array.name);
  return (variable?.references ?? []).some((reference) => {
    const use = reference.identifier.parent;
    return use?.type === AST_NODE_TYPES.CallExpression && use.arguments.includes(reference.identifier as TSESTree.Identifier) && isBatchingCall(use, analysis);
  });
}
