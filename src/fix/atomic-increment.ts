/**
 * A read-modify-write of one counter inside a lock (`get` → arithmetic → `set` on the same key)
 * needs no lock: the store can add atomically. Rewrites the write into Redis `INCRBY`/`DECRBY` or a
 * Prisma `{ increment }`/`{ decrement }` update. A read that only fed the arithmetic goes too (it would
 * be a wasted round trip and an unused variable). The lock can then go; removing it is left to the
 * author, because the section may guard more than the counter.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import { objectProperties } from '../analysis/argument-shapes.js';
import { classifyCall } from '../analysis/classify-call.js';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import { memberName, unwrap } from '../analysis/resolve-value.js';
import { walk } from '../analysis/traverse.js';

const { AST_NODE_TYPES } = TSESTree;

/** An atomic-increment rewrite: what it becomes and the fix. */
export interface AtomicIncrement {
  readonly replacement: string;
  readonly fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
}

interface Read {
  readonly name: string;
  readonly receiver: string;
  readonly key: string;
  readonly declarator: TSESTree.VariableDeclarator;
}

const READ_METHODS = new Set(['get', 'GET', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow']);
const REDIS_WRITE = new Set(['redis.set', 'node-redis.set']);

function mentions(analysis: FileAnalysis, node: TSESTree.Node, name: string): boolean {
  let found = false;
  walk(analysis.sourceCode, node, (child) => {
    if (child.type === AST_NODE_TYPES.Identifier && child.name === name) found = true;
  });
  return found;
}

/** `v + d`, `Number(v) + d`, `String(Number(v) + d)`, `row.n - d`: the delta and its sign when one side reads the value. */
function delta(analysis: FileAnalysis, node: TSESTree.Node, name: string): { text: string; negative: boolean } | undefined {
  let inner = unwrap(node);
  // String(x), x.toString()
  if (inner.type === AST_NODE_TYPES.CallExpression && inner.arguments.length === 1 && analysis.sourceCode.getText(inner.callee) === 'String') inner = unwrap(inner.arguments[0]!);
  if (inner.type === AST_NODE_TYPES.CallExpression && inner.arguments.length === 0 && inner.callee.type === AST_NODE_TYPES.MemberExpression && memberName(inner.callee) === 'toString') {
    inner = unwrap(inner.callee.object);
  }
  if (inner.type !== AST_NODE_TYPES.BinaryExpression || (inner.operator !== '+' && inner.operator !== '-')) return undefined;
  const leftReads = mentions(analysis, inner.left, name);
  const rightReads = mentions(analysis, inner.right, name);
  if (leftReads && !rightReads) return { text: analysis.sourceCode.getText(inner.right), negative: inner.operator === '-' };
  if (rightReads && !leftReads && inner.operator === '+') return { text: analysis.sourceCode.getText(inner.left), negative: false };
  return undefined;
}

/**
 * Finds `const v = await store.get(key)` … `await store.set(key, v + d)` (or the Prisma equivalent) in
 * `section` and returns the rewrite of the write.
 */
export function atomicIncrement(analysis: FileAnalysis, section: TSESTree.Node, after = section.range[0]): AtomicIncrement | undefined {
  const { sourceCode } = analysis;
  const reads: Read[] = [];
  let result: AtomicIncrement | undefined;
  walk(sourceCode, section, (node) => {
    if (result) return false;
    // Only what runs after the lock is taken is guarded by it.
    if (node.range[1] <= after) return undefined;
    // const v = await redis.get(key) / const row = await prisma.counter.findUnique({ where })
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init && node.range[0] > after) {
      const call = unwrap(node.init);
      if (call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression && READ_METHODS.has(memberName(call.callee) ?? '')) {
        const site = classifyCall(analysis, call);
        if (site && site.operation.kind === 'remote-read' && call.arguments[0]) {
          reads.push({ name: node.id.name, receiver: sourceCode.getText(call.callee.object), key: keyOf(analysis, call.arguments[0]), declarator: node });
        }
      }
      return undefined;
    }
    if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const site = classifyCall(analysis, node);
    if (!site) return undefined;
    const receiver = sourceCode.getText(node.callee.object);
    // redis.set(key, v + d): no expiry or condition, which INCRBY cannot carry
    if (REDIS_WRITE.has(site.operation.id) && node.arguments.length === 2) {
      const key = sourceCode.getText(node.arguments[0]!);
      const read = reads.find((r) => r.receiver === receiver && r.key === key);
      const change = read && delta(analysis, node.arguments[1]!, read.name);
      if (change) {
        const nodeRedis = site.operation.id === 'node-redis.set';
        const method = change.negative ? (nodeRedis ? 'decrBy' : 'decrby') : nodeRedis ? 'incrBy' : 'incrby';
        const replacement = `${receiver}.${method}(${key}, ${change.text})`;
        result = { replacement, fix: (fixer) => [fixer.replaceText(node, replacement), ...dropRead(analysis, read, node, fixer)] };
      }
      return undefined;
    }
    // prisma.counter.update({ where, data: { n: row.n + d } })
    if (site.operation.id === 'prisma.write' && memberName(node.callee) === 'update') {
      const read = reads.find((r) => r.receiver === receiver);
      const data = objectProperties(objectProperties(node.arguments[0])?.get('data'));
      if (!read || !data) return undefined;
      for (const [field, value] of data) {
        const change = delta(analysis, value, read.name);
        if (!change) continue;
        const replacement = `{ ${change.negative ? 'decrement' : 'increment'}: ${change.text} }`;
        result = { replacement: `${field}: ${replacement}`, fix: (fixer) => [fixer.replaceText(value, replacement), ...dropRead(analysis, read, value, fixer)] };
        break;
      }
    }
    return undefined;
  });
  return result;
}

/**
 * Removes `const v = await read(...)` when every use of `v` is inside `replaced`, the rewritten
 * expression; a read whose value is used elsewhere stays.
 */
function dropRead(analysis: FileAnalysis, read: Read, replaced: TSESTree.Node, fixer: TSESLint.RuleFixer): TSESLint.RuleFix[] {
  const declaration = read.declarator.parent;
  if (declaration.type !== AST_NODE_TYPES.VariableDeclaration || declaration.declarations.length !== 1) return [];
  // `if (c) var v = …` would leave `if (c)` governing the next statement.
  const holder = declaration.parent.type;
  if (holder !== AST_NODE_TYPES.BlockStatement && holder !== AST_NODE_TYPES.Program && holder !== AST_NODE_TYPES.SwitchCase && holder !== AST_NODE_TYPES.StaticBlock) return [];
  const [variable] = analysis.sourceCode.getDeclaredVariables(read.declarator);
  const usedElsewhere = variable?.references.some(
    (reference) => !reference.init && (reference.identifier.range[0] < replaced.range[0] || reference.identifier.range[1] > replaced.range[1]),
  );
  if (!variable || usedElsewhere) return [];
  // The whole line when the declaration is alone on it, so no blank line is left behind.
  const { text } = analysis.sourceCode;
  const lineStart = text.lastIndexOf('\n', declaration.range[0] - 1) + 1;
  const lineEnd = text.indexOf('\n', declaration.range[1]);
  const aloneOnLine = /^[ \t]*$/.test(text.slice(lineStart, declaration.range[0])) && lineEnd !== -1 && /^[ \t]*$/.test(text.slice(declaration.range[1], lineEnd));
  return [fixer.removeRange(aloneOnLine ? [lineStart, lineEnd + 1] : declaration.range)];
}

function keyOf(analysis: FileAnalysis, argument: TSESTree.Node): string {
  // findUnique({ where: {...} }) reads a row; the update's receiver identifies the model
  return analysis.sourceCode.getText(argument);
}
