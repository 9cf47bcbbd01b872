/**
 * The named argument shapes the catalogue refers to (`when`, `declineWhen`). Each answers `yes`,
 * `no`, or `unknown` when the argument is not written inline; callers decide what unknown means
 * (a lock needs a visible NX; a suggestion declines on anything it cannot see).
 */
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { ArgumentShape } from '../model/catalog-types.js';
import type { FileAnalysis } from './file-analysis.js';
import { unwrap } from './resolve-value.js';
import { variableOf } from './ast-helpers.js';
import { isSqlStatement, startsAsSql } from './sql-statement.js';

const { AST_NODE_TYPES } = TSESTree;

/** A three-valued answer. */
export type Tristate = 'yes' | 'no' | 'unknown';

type CallLike = TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.TaggedTemplateExpression;

function callArguments(call: CallLike): readonly TSESTree.Node[] {
  return call.type === AST_NODE_TYPES.TaggedTemplateExpression ? [call.quasi] : call.arguments;
}

/** The statically known value of a node (literals, `const` bindings, simple expressions). */
export function staticValue(analysis: FileAnalysis, node: TSESTree.Node): { value: unknown } | null {
  return ASTUtils.getStaticValue(node, analysis.sourceCode.getScope(node));
}

function propertyKey(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  if (property.key.type === AST_NODE_TYPES.Literal) return String(property.key.value);
  return undefined;
}

/** The properties of an inline object literal, or undefined when the node is not one. */
export function objectProperties(node: TSESTree.Node | undefined): Map<string, TSESTree.Node> | undefined {
  const object = node && unwrap(node);
  if (object?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const properties = new Map<string, TSESTree.Node>();
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property) return undefined; // a spread hides keys
    const key = propertyKey(property);
    if (key !== undefined) properties.set(key, property.value);
  }
  return properties;
}

const REDIS_SET_OPTION_WORDS = new Set(['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'NX', 'XX', 'GET']);
const REDIS_SET_OPTION_KEYS = new Set([...REDIS_SET_OPTION_WORDS, 'expiration', 'condition']);

function redisNx(analysis: FileAnalysis, call: CallLike): Tristate {
  let sawOpaque = false;
  // SET key value [options…]: the key and value come first.
  for (const argument of callArguments(call).slice(2)) {
    const value = staticValue(analysis, argument);
    if (value && typeof value.value === 'string') {
      if (value.value.toUpperCase() === 'NX') return 'yes';
      continue;
    }
    const properties = objectProperties(argument);
    if (properties) {
      // node-redis 4: { NX: true }; node-redis 5: { condition: 'NX' }; Upstash and @vercel/kv: { nx: true }
      const nx = properties.get('NX') ?? properties.get('nx');
      if (nx && staticValue(analysis, nx)?.value === true) return 'yes';
      const condition = properties.get('condition');
      const conditionValue = condition ? staticValue(analysis, condition)?.value : undefined;
      if (typeof conditionValue === 'string' && conditionValue.toUpperCase() === 'NX') return 'yes';
      continue;
    }
    if (argument.type !== AST_NODE_TYPES.Literal) sawOpaque = true;
  }
  return sawOpaque ? 'unknown' : 'no';
}

function redisSetOptions(analysis: FileAnalysis, call: CallLike): Tristate {
  const rest = callArguments(call).slice(2);
  if (rest.length === 0) return 'no';
  for (const argument of rest) {
    const value = staticValue(analysis, argument);
    if (value && typeof value.value === 'string' && REDIS_SET_OPTION_WORDS.has(value.value.toUpperCase())) return 'yes';
    const properties = objectProperties(argument);
    // node-redis writes the options in capitals or camel case, Upstash in lower case (`{ ex: 60 }`).
    if (properties && [...properties.keys()].some((key) => REDIS_SET_OPTION_KEYS.has(key) || REDIS_SET_OPTION_WORDS.has(key.toUpperCase()))) return 'yes';
    if (!value && !properties) return 'unknown';
  }
  return 'no';
}

function dynamoCondition(call: CallLike): Tristate {
  const command = callArguments(call)[0];
  const inner = command && unwrap(command);
  if (inner?.type !== AST_NODE_TYPES.NewExpression) return 'unknown';
  const input = objectProperties(inner.arguments[0]);
  if (!input) return 'unknown';
  return input.has('ConditionExpression') || input.has('Expected') ? 'yes' : 'no';
}

const PRISMA_NESTED_KEYS = new Set(['create', 'createMany', 'connect', 'connectOrCreate', 'upsert', 'set', 'update', 'updateMany', 'delete', 'deleteMany', 'disconnect']);

function prismaNestedWrite(call: CallLike): Tristate {
  const args = objectProperties(callArguments(call)[0]);
  if (!args) return 'unknown';
  if (args.has('select') || args.has('include')) return 'yes';
  const data = args.get('data');
  if (!data) return 'no';
  const fields = objectProperties(data);
  if (!fields) return 'unknown';
  for (const value of fields.values()) {
    const nested = objectProperties(value);
    if (nested && [...nested.keys()].some((key) => PRISMA_NESTED_KEYS.has(key))) return 'yes';
  }
  return 'no';
}

/** Is the value of `call` used (bound, returned, passed on), rather than dropped? */
export function resultUsed(call: TSESTree.Node): Tristate {
  let node: TSESTree.Node = call;
  let parent = node.parent;
  while (
    parent &&
    (parent.type === AST_NODE_TYPES.AwaitExpression ||
      parent.type === AST_NODE_TYPES.ChainExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return 'no';
  if (parent.type === AST_NODE_TYPES.ExpressionStatement) return 'no';
  if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void') return 'no';
  // An async arrow's expression body is its return value; inside Promise.all(map(...)) that result may be read.
  return 'yes';
}

const HTTP_WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The HTTP method written inline in an options object among the first two arguments (upper-cased),
 * and whether an argument the file cannot read (`opaque` decides which) may carry one.
 */
function inlineHttpMethod(analysis: FileAnalysis, call: CallLike, opaque: (inner: TSESTree.Node, index: number) => boolean): { method?: string; sawOpaque: boolean } {
  let sawOpaque = false;
  for (const [index, argument] of callArguments(call).slice(0, 2).entries()) {
    const inner = unwrap(argument);
    const properties = objectProperties(inner);
    if (!properties) {
      if (opaque(inner, index)) sawOpaque = true;
      continue;
    }
    const method = properties.get('method');
    if (!method) continue;
    const value = staticValue(analysis, method);
    if (value && typeof value.value === 'string') return { method: value.value.toUpperCase(), sawOpaque };
    sawOpaque = true;
  }
  return { sawOpaque };
}

/** Arguments that cannot hide a method: text (a URL), a binding or property, `new URL(…)`. */
const PLAIN_ARGUMENTS: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.TemplateLiteral,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.NewExpression,
]);

/**
 * An HTTP request with a write method written inline: `fetch(url, { method: 'POST' })`,
 * `axios({ method: 'put', url })`, `got(url, { method: 'DELETE' })`. The method is read from an
 * object among the first two arguments; a request with no method (GET) or one the file cannot read
 * is `no` or `unknown`.
 */
function httpWrite(analysis: FileAnalysis, call: CallLike): Tristate {
  // an object literal with a spread may hide the method
  const { method, sawOpaque } = inlineHttpMethod(analysis, call, (inner) => inner.type === AST_NODE_TYPES.ObjectExpression || !PLAIN_ARGUMENTS.has(inner.type));
  if (method !== undefined) return HTTP_WRITE_METHODS.has(method) ? 'yes' : 'no';
  return sawOpaque ? 'unknown' : 'no';
}

const HTTP_READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** A URL as the first argument: text, a binding or property holding it, `new URL(…)`, `base + path`. */
const URL_SHAPES: ReadonlySet<string> = new Set([...PLAIN_ARGUMENTS, AST_NODE_TYPES.BinaryExpression]);

/**
 * An HTTP request that reads: `fetch(url)`, `fetch(url, { headers })`, `axios({ url })`, or a method
 * of GET or HEAD written inline. Options the file cannot read (a variable, a spread) may carry any
 * method: `unknown`.
 */
function httpRead(analysis: FileAnalysis, call: CallLike): Tristate {
  if (callArguments(call).length === 0) return 'no';
  const { method, sawOpaque } = inlineHttpMethod(analysis, call, (inner, index) => index > 0 || !URL_SHAPES.has(inner.type));
  if (method !== undefined) return HTTP_READ_METHODS.has(method) ? 'yes' : 'no';
  return sawOpaque ? 'unknown' : 'yes';
}

const NEVER_STRING: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.ObjectExpression,
  AST_NODE_TYPES.ArrayExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.FunctionExpression,
]);

/**
 * Could `node` evaluate to SQL text? Read off the syntax, with `const` bindings followed: plain calls
 * (`f(x)`) are asked this for every call of a file, and evaluating each argument (a binding's whole
 * initialiser, an object's every property) would cost more than the parse. Only the start of the text
 * matters, so a concatenation is judged by its left end.
 */
function maySpellSql(analysis: FileAnalysis, node: TSESTree.Node, depth: number): boolean {
  if (depth > 4) return false;
  const value = unwrap(node);
  switch (value.type) {
    case AST_NODE_TYPES.Literal:
      return typeof value.value === 'string' && startsAsSql(value.value);
    case AST_NODE_TYPES.TemplateLiteral:
      return startsAsSql(value.quasis[0]?.value.cooked ?? '');
    case AST_NODE_TYPES.BinaryExpression:
      return value.operator === '+' && maySpellSql(analysis, value.left, depth + 1);
    case AST_NODE_TYPES.ConditionalExpression:
      return maySpellSql(analysis, value.consequent, depth + 1) || maySpellSql(analysis, value.alternate, depth + 1);
    case AST_NODE_TYPES.Identifier: {
      const init = constInitialiser(analysis, value);
      return init !== undefined && maySpellSql(analysis, init, depth + 1);
    }
    case AST_NODE_TYPES.MemberExpression: {
      // QUERIES.lock: a property of a constant object literal of this file
      const object = unwrap(value.object);
      const init = object.type === AST_NODE_TYPES.Identifier ? constInitialiser(analysis, object) : undefined;
      return init !== undefined && unwrap(init).type === AST_NODE_TYPES.ObjectExpression;
    }
    case AST_NODE_TYPES.CallExpression: {
      // 'SELECT …'.trim(), ['SELECT', …].join(' ')
      const callee = unwrap(value.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const object = unwrap(callee.object);
      return object.type === AST_NODE_TYPES.ArrayExpression || maySpellSql(analysis, object, depth + 1);
    }
    default:
      return false;
  }
}

/** The initialiser of the `const` an identifier names, when it has one. */
function constInitialiser(analysis: FileAnalysis, identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
  const def = variableOf(analysis.sourceCode, identifier)?.defs[0];
  if (def?.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  return def.parent.kind === 'const' && def.node.id.type === AST_NODE_TYPES.Identifier ? (def.node.init ?? undefined) : undefined;
}

/** The first argument (or the tagged template) is SQL text: `'SELECT …'`, `` `LOCK TABLE ${t} …` ``, `sql\`…\``. */
function sqlText(analysis: FileAnalysis, call: CallLike): Tristate {
  let first = callArguments(call)[0];
  if (!first) return 'no';
  first = unwrap(first);
  if (first.type === AST_NODE_TYPES.TaggedTemplateExpression) first = first.quasi;
  if (first.type === AST_NODE_TYPES.TemplateLiteral) {
    // `update ${table} set …`: each interpolation a slot that may stand for a name, a value or a clause.
    const { quasis } = first;
    if (!startsAsSql(quasis[0]?.value.cooked ?? '')) return 'no';
    const text = quasis.map((quasi, index) => (index === 0 ? '' : `$${index}`) + (quasi.value.cooked ?? quasi.value.raw)).join('');
    return isSqlStatement(text) ? 'yes' : 'no';
  }
  const properties = objectProperties(first);
  const text = properties?.get('text') ?? properties?.get('sql');
  const target = text ?? first;
  // Objects, arrays and functions are never a string: skip evaluating them (big literals are common).
  if (NEVER_STRING.has(target.type) || !maySpellSql(analysis, target, 0)) return 'no';
  const value = staticValue(analysis, target);
  return value && typeof value.value === 'string' && isSqlStatement(value.value) ? 'yes' : 'no';
}

/** Does `call` have the argument `shape`? */
export function hasArgumentShape(analysis: FileAnalysis, call: CallLike, shape: ArgumentShape): Tristate {
  switch (shape) {
    case 'sql-text':
      return sqlText(analysis, call);
    case 'redis-nx':
      return redisNx(analysis, call);
    case 'redis-set-options':
      return redisSetOptions(analysis, call);
    case 'dynamo-condition':
      return dynamoCondition(call);
    case 'prisma-nested-write':
      return prismaNestedWrite(call);
    case 'result-used':
      return resultUsed(call);
    case 'http-write':
      return httpWrite(analysis, call);
    case 'http-read':
      return httpRead(analysis, call);
  }
}
