/**
 * Batching rewrites for a per-item call: `create` → `createMany`, a Redis pipeline, `insertOne` →
 * `insertMany`, one `$transaction` over all items. Offered only where the rewrite can be read off the
 * code: a plain `for...of` whose body is that one awaited call, and arguments the bulk form supports.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { TSESTree } from '@typescript-eslint/types';
import { hasArgumentShape, objectProperties } from '../analysis/argument-shapes.js';
import type { Site } from '../analysis/classify-call.js';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import type { LoopContext } from '../analysis/loop-context.js';
import { backendProfile } from '../model/backends.js';
import { methodName, unwrap } from '../analysis/shapes.js';
import { freshName, oneStatementForOf } from './loop-rewrite.js';

const { AST_NODE_TYPES } = TSESTree;

/** A suggestion the loop rule can offer. */
export interface BulkSuggestion {
  /** What the loop becomes, for the suggestion message: `createMany`, `pipeline`. */
  readonly bulk: string;
  /** What changes in behaviour, for the suggestion message. */
  readonly note: string;
  readonly fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix | TSESLint.RuleFix[];
}

interface PlainLoop {
  readonly statement: TSESTree.ForOfStatement;
  readonly item: string;
  readonly collection: string;
  /** `await` when the original awaited the call. */
  readonly awaitPrefix: string;
}

/** `for (const x of xs) await call(...)` (or `{ await call(...); }`) whose one statement is the site. */
function plainLoop(analysis: FileAnalysis, site: Site, loop: LoopContext): PlainLoop | undefined {
  const form = oneStatementForOf(loop);
  const expression = form?.expression;
  if (expression?.type !== AST_NODE_TYPES.AwaitExpression || unwrap(expression.argument) !== site.node) return undefined;
  return {
    statement: form!.statement,
    item: form!.item,
    collection: analysis.sourceCode.getText(form!.statement.right),
    awaitPrefix: 'await ',
  };
}

/** Re-indents the lines after the first to the indentation of the line `node` starts on. */
function indented(analysis: FileAnalysis, node: TSESTree.Node, text: string): string {
  const line = analysis.sourceCode.lines[node.loc.start.line - 1] ?? '';
  const indent = /^\s*/.exec(line)![0];
  return text.replace(/\n/g, `\n${indent}`);
}

function receiverText(analysis: FileAnalysis, site: Site): string | undefined {
  return site.receiver ? analysis.sourceCode.getText(site.receiver) : undefined;
}

/** `Array.from(items, (item) => (expr))`, or `Array.from(items)` when expr is the item itself. */
function mapped(loop: PlainLoop, expression: string): string {
  return expression === loop.item ? `Array.from(${loop.collection})` : `Array.from(${loop.collection}, (${loop.item}) => (${expression}))`;
}

function prismaCreateMany(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  if (node.arguments.length !== 1) return undefined;
  const properties = objectProperties(node.arguments[0]);
  if (!properties || properties.size !== 1 || !properties.has('data')) return undefined;
  if (hasArgumentShape(analysis, node, 'prisma-nested-write') !== 'no') return undefined;
  const receiver = receiverText(analysis, site);
  if (!receiver) return undefined;
  const data = analysis.sourceCode.getText(properties.get('data')!);
  return {
    bulk: 'createMany',
    note: 'one INSERT for every row; it returns a count, not the rows',
    fix: (fixer) => fixer.replaceText(loop.statement, `${loop.awaitPrefix}${receiver}.createMany({ data: ${mapped(loop, data)} });`),
  };
}

function redisBatch(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop, method: 'pipeline' | 'multi'): BulkSuggestion | undefined {
  const receiver = receiverText(analysis, site);
  if (!receiver || site.receiver?.type === AST_NODE_TYPES.CallExpression) return undefined;
  const loopText = analysis.sourceCode.getText(loop.statement);
  const batch = freshName(loopText, 'batch');
  // redis.set(…), redis?.set(…), redis['set'](…): the command by name, not by the text of the property
  const command = methodName(node);
  if (!command || !/^[A-Za-z_$][\w$]*$/.test(command)) return undefined;
  const call = `${batch}.${command}(${node.arguments.map((a) => analysis.sourceCode.getText(a)).join(', ')})`;
  const text = [
    '{',
    `  const ${batch} = ${receiver}.${method}();`,
    `  for (const ${loop.item} of ${loop.collection}) ${call};`,
    `  ${loop.awaitPrefix}${batch}.exec();`,
    '}',
  ].join('\n');
  return {
    bulk: `${method}()`,
    note:
      method === 'pipeline'
        ? 'one round trip for every command; exec() resolves with [error, result] pairs instead of throwing'
        : 'one round trip for every command, applied as one MULTI/EXEC',
    fix: (fixer) => fixer.replaceText(loop.statement, indented(analysis, loop.statement, text)),
  };
}

function mongoInsertMany(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  const receiver = receiverText(analysis, site);
  if (!receiver || node.arguments.length < 1 || node.arguments.length > 2) return undefined;
  const [document, options] = node.arguments.map((a) => analysis.sourceCode.getText(a));
  // insertMany rejects an empty batch, where the loop did nothing.
  return collectThenCall(analysis, loop, 'documents', document!, (documents) => `${receiver}.insertMany(${documents}${options ? `, ${options}` : ''})`, {
    bulk: 'insertMany',
    note: 'one round trip and one majority acknowledgement for every document; ordered inserts stop at the first error',
  });
}

/**
 * The loop replaced by its items mapped into one array (`name`, a name the loop does not use) and one
 * bulk call over it, skipped when the array is empty: stores that reject an empty batch do nothing
 * where the loop did nothing.
 */
function collectThenCall(
  analysis: FileAnalysis,
  loop: PlainLoop,
  name: string,
  item: string,
  call: (items: string) => string,
  suggestion: Omit<BulkSuggestion, 'fix'>,
): BulkSuggestion {
  const items = freshName(analysis.sourceCode.getText(loop.statement), name);
  const text = ['{', `  const ${items} = ${mapped(loop, item)};`, `  if (${items}.length > 0) ${loop.awaitPrefix}${call(items)};`, '}'].join('\n');
  return { ...suggestion, fix: (fixer) => fixer.replaceText(loop.statement, indented(analysis, loop.statement, text)) };
}

function prismaOneTransaction(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  const receiver = receiverText(analysis, site);
  if (!receiver || node.arguments.length !== 1) return undefined;
  const argument = unwrap(node.arguments[0]!);
  const { sourceCode } = analysis;
  if (argument.type === AST_NODE_TYPES.ArrayExpression) {
    // $transaction([a(x), b(x)]) per item → one $transaction over every item's operations
    const operations = sourceCode.getText(argument);
    return {
      bulk: '$transaction',
      note: 'one transaction commits every item or none',
      fix: (fixer) =>
        fixer.replaceText(loop.statement, `${loop.awaitPrefix}${receiver}.$transaction(Array.from(${loop.collection}, (${loop.item}) => ${operations}).flat());`),
    };
  }
  if ((argument.type === AST_NODE_TYPES.ArrowFunctionExpression || argument.type === AST_NODE_TYPES.FunctionExpression) && argument.async) {
    const params = argument.params.map((p) => sourceCode.getText(p)).join(', ');
    const body =
      argument.body.type === AST_NODE_TYPES.BlockStatement ? sourceCode.getText(argument.body) : `{ await (${sourceCode.getText(argument.body)}); }`;
    return {
      bulk: '$transaction',
      note: 'one transaction commits every item or none and holds its locks until the last item; raise its timeout for long lists',
      fix: (fixer) =>
        fixer.replaceText(
          loop.statement,
          indented(analysis, loop.statement, `${loop.awaitPrefix}${receiver}.$transaction(async (${params}) => {\n  for (const ${loop.item} of ${loop.collection}) ${body}\n});`),
        ),
    };
  }
  return undefined;
}

/**
 * drizzle `db.insert(table).values(row)` per item → one `values(rows)`. Only for one row written as
 * an object or taken from the item (an array argument is already a batch), and only where `values`
 * ends the awaited chain (`.returning()` or `.onConflict…()` after it change what one row returns).
 */
function drizzleInsertRows(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  const receiver = receiverText(analysis, site);
  const row = node.arguments.length === 1 ? unwrap(node.arguments[0]!) : undefined;
  if (!receiver || !row) return undefined;
  if (row.type !== AST_NODE_TYPES.ObjectExpression && row.type !== AST_NODE_TYPES.Identifier && row.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (row.type === AST_NODE_TYPES.Identifier && row.name !== loop.item) return undefined;
  // drizzle throws on an empty values() list, where the loop did nothing.
  return collectThenCall(analysis, loop, 'rows', analysis.sourceCode.getText(node.arguments[0]!), (rows) => `${receiver}.values(${rows})`, {
    bulk: 'values(rows)',
    note: 'one INSERT for every row; one failing row fails the statement, where the loop kept the rows before it',
  });
}

/**
 * BullMQ `queue.add(name, data, opts)` per item → one `addBulk` of `{ name, data, opts }`. Options must
 * be an object literal without `repeat` (bulk jobs cannot repeat) or spread, so the check can see them.
 */
function bullmqAddBulk(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  const receiver = receiverText(analysis, site);
  if (!receiver || node.arguments.length < 2 || node.arguments.length > 3) return undefined;
  if (node.arguments.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  const [name, data, opts] = node.arguments;
  if (opts) {
    const options = objectProperties(opts);
    if (!options || options.has('repeat')) return undefined;
  }
  const { sourceCode } = analysis;
  const job = `{ name: ${sourceCode.getText(name!)}, data: ${sourceCode.getText(data!)}${opts ? `, opts: ${sourceCode.getText(opts)}` : ''} }`;
  return {
    bulk: 'addBulk',
    note: 'one round trip adds every job, all or none, in the same order',
    fix: (fixer) => fixer.replaceText(loop.statement, `${loop.awaitPrefix}${receiver}.addBulk(${mapped(loop, job)});`),
  };
}

/**
 * DynamoDB `PutCommand` per item → `BatchWriteCommand` in chunks of 25, re-sending `UnprocessedItems`
 * until none is left. Only for `{ TableName, Item }` inputs (a ConditionExpression or ReturnValues
 * has no batch form) in an ES module that imports `PutCommand` from `@aws-sdk/lib-dynamodb`.
 */
function dynamoBatchWrite(analysis: FileAnalysis, site: Site, node: TSESTree.CallExpression, loop: PlainLoop): BulkSuggestion | undefined {
  const { sourceCode } = analysis;
  const receiver = receiverText(analysis, site);
  const command = node.arguments[0] && unwrap(node.arguments[0]);
  if (!receiver || node.arguments.length !== 1 || command?.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const input = objectProperties(command.arguments[0]);
  if (!input || input.size !== 2 || !input.has('TableName') || !input.has('Item')) return undefined;
  const declaration = sourceCode.ast.body.find(
    (statement): statement is TSESTree.ImportDeclaration =>
      statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === '@aws-sdk/lib-dynamodb' && statement.importKind !== 'type',
  );
  const named = declaration?.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier) ?? [];
  if (!declaration || named.length === 0) return undefined;
  const imported = (name: string) =>
    named.find((specifier) => specifier.imported.type === AST_NODE_TYPES.Identifier && specifier.imported.name === name)?.local.name;
  // TypeScript needs the pending map typed to take UnprocessedItems back.
  const typescript = /\.[cm]?tsx?$/.test(analysis.filename);
  const batchName = imported('BatchWriteCommand') ?? 'BatchWriteCommand';
  const loopText = sourceCode.getText(loop.statement);
  const items = freshName(loopText, 'items');
  const start = freshName(loopText, 'start');
  const pending = freshName(loopText, 'pending');
  const table = sourceCode.getText(input.get('TableName')!);
  const item = sourceCode.getText(input.get('Item')!);
  const cast = typescript ? ' as Record<string, NonNullable<BatchWriteCommandInput["RequestItems"]>[string]> | undefined' : '';
  const text = [
    '{',
    `  const ${items} = Array.from(${loop.collection});`,
    `  for (let ${start} = 0; ${start} < ${items}.length; ${start} += 25) {`,
    `    let ${pending} = { [${table}]: ${items}.slice(${start}, ${start} + 25).map((${loop.item}) => ({ PutRequest: { Item: ${item} } })) }${cast};`,
    `    while (${pending} && Object.keys(${pending}).length > 0) {`,
    `      ({ UnprocessedItems: ${pending} } = ${loop.awaitPrefix}${receiver}.send(new ${batchName}({ RequestItems: ${pending} })));`,
    '    }',
    '  }',
    '}',
  ].join('\n');
  const additions = [...(imported('BatchWriteCommand') ? [] : ['BatchWriteCommand']), ...(typescript && !imported('BatchWriteCommandInput') ? ['type BatchWriteCommandInput'] : [])];
  const stranded = strandedSpecifier(analysis, named, command.callee, loop.statement);
  return {
    bulk: 'BatchWriteCommand',
    note: 'at most 25 items per request; UnprocessedItems are sent again until none is left, so add a backoff between retries under throttling',
    fix: (fixer) => [
      fixer.replaceText(loop.statement, indented(analysis, loop.statement, text)),
      ...importChanges(fixer, named, stranded, additions),
    ],
  };
}

/** The import specifier of `callee` (`PutCommand`) when the rewritten `statement` holds every use of it. */
function strandedSpecifier(
  analysis: FileAnalysis,
  named: readonly TSESTree.ImportSpecifier[],
  callee: TSESTree.Node,
  statement: TSESTree.Node,
): TSESTree.ImportSpecifier | undefined {
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const specifier = named.find((candidate) => candidate.local.name === callee.name);
  const [variable] = specifier ? analysis.sourceCode.getDeclaredVariables(specifier) : [];
  const inside = (node: TSESTree.Node) => node.range[0] >= statement.range[0] && node.range[1] <= statement.range[1];
  return variable?.references.every((reference) => inside(reference.identifier)) ? specifier : undefined;
}

/** Adds the batch imports; a specifier the rewrite left unused gives its place to them, or goes. */
function importChanges(
  fixer: TSESLint.RuleFixer,
  named: readonly TSESTree.ImportSpecifier[],
  stranded: TSESTree.ImportSpecifier | undefined,
  additions: readonly string[],
): TSESLint.RuleFix[] {
  if (stranded && additions.length > 0) return [fixer.replaceText(stranded, additions.join(', '))];
  if (stranded) {
    // BatchWriteCommand is already imported, so `stranded` has a neighbour to share a comma with.
    const index = named.indexOf(stranded);
    const next = named[index + 1];
    return [fixer.removeRange(next ? [stranded.range[0], next.range[0]] : [named[index - 1]!.range[1], stranded.range[1]])];
  }
  return additions.length > 0 ? [fixer.insertTextAfter(named[named.length - 1]!, `, ${additions.join(', ')}`)] : [];
}

/** The batching rewrite for `site` in `loop`, when the catalogue knows one and the code allows it. */
export function bulkSuggestion(analysis: FileAnalysis, site: Site, loop: LoopContext): BulkSuggestion | undefined {
  // A tagged template (sql`…` per item) has no arguments to batch.
  const node = site.node;
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const plain = plainLoop(analysis, site, loop);
  if (!plain) return undefined;
  const profile = site.package === undefined ? undefined : analysis.settings.backends[site.package];
  const cluster = profile !== undefined && backendProfile(profile).cluster === true;
  switch (site.operation.id) {
    case 'prisma.create':
      return prismaCreateMany(analysis, site, node, plain);
    case 'redis.set':
      return site.operation.bulk?.unsafeOn === 'cluster' && cluster ? undefined : redisBatch(analysis, site, node, plain, 'pipeline');
    case 'node-redis.set':
      return site.operation.bulk?.unsafeOn === 'cluster' && cluster ? undefined : redisBatch(analysis, site, node, plain, 'multi');
    case 'mongodb.insertOne':
      return mongoInsertMany(analysis, site, node, plain);
    case 'prisma.transaction':
      return prismaOneTransaction(analysis, site, node, plain);
    case 'dynamodb.put':
      return dynamoBatchWrite(analysis, site, node, plain);
    case 'drizzle.insert':
      return drizzleInsertRows(analysis, site, node, plain);
    case 'bullmq.add':
      return site.package === 'bullmq' ? bullmqAddBulk(analysis, site, node, plain) : undefined;
    default:
      return undefined;
  }
}
