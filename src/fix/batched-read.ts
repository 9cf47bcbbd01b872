/**
 * Batching rewrites for a read per item: Prisma `findUnique({ where: { id } })` → one `findMany` with
 * `in`, Mongoose `findById(id)` → one `find` with `$in`. The rewrite maps the rows back by id, so the
 * result keeps the items' order and answers `null` for a missing one, as the per-item reads did.
 * Offered only where that can be read off the code:
 *
 * - `Promise.all(ids.map((id) => read(id)))`: the call becomes one read and a map back;
 * - `for (const id of ids) out.push(await read(id));`: the loop becomes one `push` of that result.
 *
 * The collection must be a name or property (read twice without side effects) and the key `id` (or
 * `_id`): other unique fields may compare by a collation that a `Map` of strings does not share. The
 * Mongoose rewrite is offered in JavaScript only: its result types are not checked here.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import { objectProperties } from '../analysis/argument-shapes.js';
import type { Site } from '../analysis/classify-call.js';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import type { LoopContext } from '../analysis/loop-context.js';
import { isPromiseCombinatorCall } from '../analysis/loop-context.js';
import { memberName, unwrap } from '../analysis/resolve-value.js';
import { isFunction, walk } from '../analysis/traverse.js';
import { freshName, oneStatementForOf } from './loop-rewrite.js';

const { AST_NODE_TYPES } = TSESTree;

/** A suggestion the loop rule can offer for a read per item. */
export interface BatchedRead {
  /** The batched call, for the suggestion message: `findMany`. */
  readonly bulk: string;
  /** What the rewrite keeps, for the suggestion message. */
  readonly note: string;
  readonly fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;
}

/** The read's key and how to look a row's key up: `findUnique({ where: { id: user.id } })` → `user.id`, `row.id`. */
interface ReadShape {
  /** The batched call for `keys`. */
  readonly call: (keys: string) => string;
  readonly bulk: string;
  /** The key expression of the per-item read (written in terms of the item). */
  readonly key: TSESTree.Node;
  /** A row's key, and the key looked up (`String(…)` for ObjectIds). */
  readonly rowKey: (row: string) => string;
  readonly lookup: (key: string) => string;
}

function prismaShape(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression): ReadShape | undefined {
  if (node.arguments.length !== 1 || !site.receiver) return undefined;
  const args = objectProperties(node.arguments[0]);
  // `select` may leave the key out of the rows; anything but `include` changes what comes back.
  if (!args || !args.has('where') || [...args.keys()].some((key) => key !== 'where' && key !== 'include')) return undefined;
  const where = objectProperties(args.get('where'));
  const key = where?.get('id');
  if (!where || where.size !== 1 || !key || unwrap(key).type === AST_NODE_TYPES.ObjectExpression) return undefined;
  const receiver = analysis.sourceCode.getText(site.receiver);
  const include = args.get('include');
  const includeText = include ? `, include: ${analysis.sourceCode.getText(include)}` : '';
  return {
    call: (keys) => `${receiver}.findMany({ where: { id: { in: ${keys} } }${includeText} })`,
    bulk: 'findMany',
    key,
    rowKey: (row) => `${row}.id`,
    lookup: (value) => value,
  };
}

function mongooseShape(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression): ReadShape | undefined {
  if (node.arguments.length !== 1 || !site.receiver) return undefined;
  const receiver = analysis.sourceCode.getText(site.receiver);
  return {
    call: (keys) => `${receiver}.find({ _id: { $in: ${keys} } })`,
    bulk: 'find',
    key: node.arguments[0]!,
    // ObjectIds compare by value only as strings
    rowKey: (row) => `String(${row}._id)`,
    lookup: (value) => `String(${value})`,
  };
}

/** A collection the rewrite can read twice: a name or a property chain (`ids`, `this.ids`, `input.userIds`). */
function isPlainReference(node: TSESTree.Node): boolean {
  const value = unwrap(node as TSESTree.Expression);
  if (value.type === AST_NODE_TYPES.Identifier) return true;
  if (value.type === AST_NODE_TYPES.ThisExpression) return true;
  return value.type === AST_NODE_TYPES.MemberExpression && !value.computed && !value.optional && isPlainReference(value.object);
}

/** Does the key expression use nothing but the item (no other local of the callback or body, no call)? */
function keyOfItemAlone(analysis: FileAnalysis, key: TSESTree.Node, item: string): boolean {
  let plain = true;
  walk(analysis.sourceCode, key, (child) => {
    if (!plain) return false;
    if (isFunction(child) || child.type === AST_NODE_TYPES.CallExpression || child.type === AST_NODE_TYPES.AwaitExpression) plain = false;
    if (child.type !== AST_NODE_TYPES.Identifier) return undefined;
    // `user.id`: the property name is no variable
    const parent = child.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === child && !parent.computed) return undefined;
    if (child.name !== item) plain = false;
    return undefined;
  });
  return plain;
}

/** `C.map((x) => read)`, `C.map(async (x) => await read)` directly under `Promise.all`. */
function mappedRead(site: Site, loop: LoopContext): { combinator: TSESTree.CallExpression; item: string; collection: TSESTree.Node } | undefined {
  if (loop.kind !== 'map' || loop.mode !== 'parallel') return undefined;
  const fn = loop.body;
  const param = fn.type === AST_NODE_TYPES.ArrowFunctionExpression && fn.params.length === 1 ? fn.params[0] : undefined;
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression || param?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const body = fn.body.type === AST_NODE_TYPES.AwaitExpression ? fn.body.argument : fn.body;
  if (unwrap(body as TSESTree.Expression) !== site.node) return undefined;
  const combinator = loop.loop.parent;
  if (!combinator || !isPromiseCombinatorCall(combinator) || combinator.arguments[0] !== loop.loop || combinator.arguments.length !== 1) return undefined;
  const callee = unwrap(combinator.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== 'all' || !loop.collection) return undefined;
  return { combinator, item: param.name, collection: loop.collection };
}

/** `for (const x of C) out.push(await read);` */
function pushedRead(site: Site, loop: LoopContext): { statement: TSESTree.ForOfStatement; push: string; item: string; collection: TSESTree.Node } | undefined {
  const form = oneStatementForOf(loop);
  const push = form?.expression;
  if (push?.type !== AST_NODE_TYPES.CallExpression || push.arguments.length !== 1 || push.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (memberName(push.callee) !== 'push' || unwrap(push.callee.object).type !== AST_NODE_TYPES.Identifier) return undefined;
  const argument = push.arguments[0]!;
  if (argument.type !== AST_NODE_TYPES.AwaitExpression || unwrap(argument.argument) !== site.node) return undefined;
  return { statement: form!.statement, push: (unwrap(push.callee.object) as TSESTree.Identifier).name, item: form!.item, collection: form!.statement.right };
}

/** The rewrite of a read per item into one read and a map back, where the code allows it. */
export function batchedRead(analysis: FileAnalysis, site: Site, loop: LoopContext): BatchedRead | undefined {
  const node = site.node;
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const method = node.callee.type === AST_NODE_TYPES.MemberExpression ? memberName(node.callee) : undefined;
  const shape =
    site.operation.id === 'prisma.read-one' && method === 'findUnique'
      ? prismaShape(analysis, site, node)
      : // Mongoose's result types are not checked here: in TypeScript the rewrite is left to the reader
        site.operation.id === 'mongoose.read' && method === 'findById' && !/\.[cm]?tsx?$/.test(analysis.filename)
        ? mongooseShape(analysis, site, node)
        : undefined;
  if (!shape) return undefined;
  const mapped = mappedRead(site, loop);
  const pushed = mapped ? undefined : pushedRead(site, loop);
  const form = mapped ?? pushed;
  if (!form || !isPlainReference(form.collection) || !keyOfItemAlone(analysis, shape.key, form.item)) return undefined;
  const { sourceCode } = analysis;
  const replaced = mapped ? mapped.combinator : pushed!.statement;
  const text = sourceCode.getText(replaced);
  const row = freshName(text, 'row');
  const rows = freshName(text, 'rows');
  const byId = freshName(text, 'byId');
  const collection = sourceCode.getText(form.collection);
  const key = sourceCode.getText(shape.key);
  const keys = key === form.item ? collection : `${collection}.map((${form.item}) => ${key})`;
  const batched =
    `${shape.call(keys)}.then((${rows}) => {\n` +
    `  const ${byId} = new Map(${rows}.map((${row}) => [${shape.rowKey(row)}, ${row}]));\n` +
    `  return ${collection}.map((${form.item}) => ${byId}.get(${shape.lookup(key)}) ?? null);\n` +
    '})';
  const replacement = mapped ? batched : `${pushed!.push}.push(...(await ${batched}));`;
  const indent = /^\s*/.exec(sourceCode.lines[replaced.loc.start.line - 1] ?? '')![0];
  return {
    bulk: shape.bulk,
    note: 'one query for every id; the rows are mapped back by id, so the order and the missing ones (null) stay',
    fix: (fixer) => fixer.replaceText(replaced, replacement.replace(/\n/g, `\n${indent}`)),
  };
}
