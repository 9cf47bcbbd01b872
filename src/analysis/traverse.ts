/**
 * A small, allocation-light subtree walk over ESTree nodes, using the parser's visitor keys.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

const FALLBACK_SKIP = new Set(['parent', 'loc', 'range', 'tokens', 'comments']);

/**
 * Calls `visit` for every node under `root` (root included), depth first. Returning `false` from
 * `visit` skips that node's children.
 */
export function walk(
  sourceCode: Readonly<TSESLint.SourceCode>,
  root: TSESTree.Node,
  visit: (node: TSESTree.Node) => boolean | void,
): void {
  walkWith(sourceCode.visitorKeys as VisitorKeys, FALLBACK_SKIP, root, visit, undefined);
}

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

function walkWith(
  keys: VisitorKeys,
  skippedKeys: ReadonlySet<string>,
  root: TSESTree.Node,
  visit: (node: TSESTree.Node) => boolean | void,
  skippedTypes: ReadonlySet<string> | undefined,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (skippedTypes?.has(node.type) || visit(node) === false) continue;
    const childKeys = keys[node.type] ?? Object.keys(node).filter((key) => !skippedKeys.has(key));
    for (let k = childKeys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[childKeys[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i] as TSESTree.Node | null;
          if (child && typeof child.type === 'string') stack.push(child);
        }
      } else if (value && typeof (value as TSESTree.Node).type === 'string') {
        stack.push(value as TSESTree.Node);
      }
    }
  }
}

/**
 * Where a node keeps types alone: annotations, type arguments and parameters, return types, and the
 * type of a cast (`x as Row`). No call, property or assignment of them runs; over the bench corpus's files
 * a walk that leaves them out takes about two thirds of the time of one that enters them.
 */
const TYPE_KEYS: ReadonlySet<string> = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments']);

/**
 * Nodes that are types alone wherever they stand: declarations among statements and class members,
 * which no type key holds, and a walk's root.
 */
const TYPE_ONLY: ReadonlySet<string> = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSIndexSignature',
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
]);

const FALLBACK_AND_TYPE_KEYS: ReadonlySet<string> = new Set([...FALLBACK_SKIP, ...TYPE_KEYS]);

// Per parser's visitor keys: the same keys without the type keys, built once.
const codeKeysOf = new WeakMap<VisitorKeys, VisitorKeys>();

function codeKeys(keys: VisitorKeys): VisitorKeys {
  let code = codeKeysOf.get(keys);
  if (!code) {
    const built: Record<string, readonly string[]> = {};
    for (const [type, list] of Object.entries(keys)) if (list) built[type] = list.filter((key) => !TYPE_KEYS.has(key));
    codeKeysOf.set(keys, (code = built));
  }
  return code;
}

/**
 * {@link walk} over the nodes that run: type annotations, type arguments, the types of casts,
 * interfaces and type aliases are not entered. For walks that look for calls, assignments, awaits and
 * control flow, never for names (a `typeof item` in a type is a name).
 */
export function walkCode(sourceCode: Readonly<TSESLint.SourceCode>, root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  walkWith(codeKeys(sourceCode.visitorKeys as VisitorKeys), FALLBACK_AND_TYPE_KEYS, root, visit, TYPE_ONLY);
}

/** True when one of `nodes` (nodes of the same tree) lies under `root`, root included. */
export function containsAny(root: TSESTree.Node, nodes: ReadonlySet<TSESTree.Node>): boolean {
  for (const node of nodes) if (contains(root, node)) return true;
  return false;
}

/** True when `inner` lies within `outer` (by source range). */
export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Function nodes: the boundaries of "runs per iteration". */
export function isFunction(node: TSESTree.Node): node is TSESTree.FunctionLike {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}
