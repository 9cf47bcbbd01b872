/**
 * Total readers of node shapes: callees, members, wrappers. Each takes any node (or none) and answers
 * `undefined` for a shape it does not know, instead of assuming one: a callee may be a plain name
 * (`map(…)`), a member (`a.b(…)`, `a[b](…)`, `a.#b(…)`), an optional chain (`a?.b(…)`), `super`, a
 * wrapped expression (`(a as T).b(…)`, `a!.b(…)`), a call result (`f()(…)`), a tagged template or a
 * `new` expression. Rules read shapes through these rather than casting (issue 18).
 */
import { TSESTree } from '@typescript-eslint/types';

const { AST_NODE_TYPES } = TSESTree;

/** Strips wrappers that do not change the value: `x!`, `x as T`, `x satisfies T`, `<T>x`, `x<T>`, `await x`, `x?.y` chains. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.AwaitExpression:
        current = current.argument;
        break;
      default:
        return current;
    }
  }
}

/** The member expression `node` is once unwrapped, if it is one. */
export function asMember(node: TSESTree.Node | null | undefined): TSESTree.MemberExpression | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  return inner.type === AST_NODE_TYPES.MemberExpression ? inner : undefined;
}

/**
 * The property name of a member: `a.b` and `a['b']` give `b`; `a[b]`, `a.#b` and anything that is
 * not a member (once unwrapped) give `undefined`.
 */
export function memberName(node: TSESTree.Node | null | undefined): string | undefined {
  const member = asMember(node);
  if (!member) return undefined;
  const { property } = member;
  if (!member.computed) return property.type === AST_NODE_TYPES.Identifier ? property.name : undefined;
  if (property.type === AST_NODE_TYPES.Literal) return typeof property.value === 'string' ? property.value : undefined;
  if (property.type === AST_NODE_TYPES.TemplateLiteral && property.expressions.length === 0) return property.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The object a member reads from, unwrapped (`a` of `a.b`, `a!.b`, `a?.b`); `undefined` when `node` is not a member. */
export function memberObject(node: TSESTree.Node | null | undefined): TSESTree.Node | undefined {
  const member = asMember(node);
  return member ? unwrap(member.object) : undefined;
}

/** The name an expression goes by: `a` for `a`, `b` for `a.b`; `undefined` for other shapes. */
export function nameOf(expression: TSESTree.Node | null | undefined): string | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression) return memberName(node);
  return undefined;
}

/** The callee of a call or `new` (its tag for a tagged template), unwrapped; `undefined` for any other node. */
export function calleeOf(node: TSESTree.Node | null | undefined): TSESTree.Node | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression) return unwrap(inner.callee);
  if (inner.type === AST_NODE_TYPES.TaggedTemplateExpression) return unwrap(inner.tag);
  return undefined;
}

/** The method a call invokes: `sort` for `xs.sort(…)`, `xs?.sort(…)`, `(xs as T[]).sort(…)`; `undefined` for a plain call `sort(…)`. */
export function methodName(call: TSESTree.Node | null | undefined): string | undefined {
  return memberName(calleeOf(call));
}

/** The receiver of a method call (`xs` of `xs.sort(…)`), unwrapped; `undefined` for a plain call or `super(…)`. */
export function receiverOf(call: TSESTree.Node | null | undefined): TSESTree.Node | undefined {
  return memberObject(calleeOf(call));
}

/**
 * The module an import binding comes from: `'pg'` for `import { Pool } from 'pg'` and for
 * `import pg = require('pg')`; `undefined` for `import A = B.C` (a namespace alias) and other nodes.
 */
export function importSource(declaration: TSESTree.Node | null | undefined): string | undefined {
  if (declaration?.type === AST_NODE_TYPES.ImportDeclaration) return declaration.source.value;
  if (declaration?.type === AST_NODE_TYPES.TSImportEqualsDeclaration && declaration.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference) {
    const { expression } = declaration.moduleReference;
    return expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'string' ? expression.value : undefined;
  }
  return undefined;
}

/** The static name of an object property's key: `a` for `{ a: 1 }` and `{ 'a': 1 }`; `undefined` when computed from a value. */
export function propertyName(property: TSESTree.Property): string | undefined {
  if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
}
