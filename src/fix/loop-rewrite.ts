/**
 * What the loop rewrites share: the one loop shape they can rewrite safely, and fresh local names.
 */
import { TSESTree } from '@typescript-eslint/types';
import type { LoopContext } from '../analysis/loop-context.js';

const { AST_NODE_TYPES } = TSESTree;

/** `for (const x of xs) expr;` (or `{ expr; }`): a sequential, non-`await` for...of with one statement. */
export interface OneStatementForOf {
  readonly statement: TSESTree.ForOfStatement;
  /** The loop variable. */
  readonly item: string;
  /** The expression of the loop's one statement. */
  readonly expression: TSESTree.Expression;
}

export function oneStatementForOf(loop: LoopContext): OneStatementForOf | undefined {
  const statement = loop.loop;
  if (statement.type !== AST_NODE_TYPES.ForOfStatement || statement.await || loop.mode !== 'sequential') return undefined;
  if (statement.left.type !== AST_NODE_TYPES.VariableDeclaration || statement.left.declarations.length !== 1) return undefined;
  const id = statement.left.declarations[0]!.id;
  if (id.type !== AST_NODE_TYPES.Identifier) return undefined;
  let body: TSESTree.Statement = statement.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) {
    if (body.body.length !== 1) return undefined;
    body = body.body[0]!;
  }
  if (body.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  return { statement, item: id.name, expression: body.expression };
}

/** A name for a new local that `text` (the code being replaced) does not already use. */
export function freshName(text: string, base: string): string {
  let name = base;
  for (let index = 2; new RegExp(`\\b${name}\\b`).test(text); index++) name = `${base}${index}`;
  return name;
}
