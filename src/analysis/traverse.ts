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
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const childKeys = keys[node.type] ?? Object.keys(node).filter((key) => !FALLBACK_SKIP.has(key));
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
 * Nodes whose subtrees are types alone: no call, property or assignment of them runs. A walk that looks
 * for what code does skips them; in TypeScript they are a large share of a file's nodes.
 */
const TYPE_ONLY: ReadonlySet<string> = new Set([
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSIndexSignature',
]);

/** {@link walk} over the nodes that run: type annotations, interfaces and type aliases are not entered. */
export function walkCode(sourceCode: Readonly<TSESLint.SourceCode>, root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  walk(sourceCode, root, (node) => (TYPE_ONLY.has(node.type) ? false : visit(node)));
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
