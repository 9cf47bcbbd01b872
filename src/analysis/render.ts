/**
 * Short renderings of code for rule messages.
 */
import { type TSESLint, TSESTree } from '@typescript-eslint/utils';

/** The callee of a call as written, without spaces, cut to its last 48 characters: `prisma.booking.create`. */
export function calleeText(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression,
): string {
  const callee = node.type === TSESTree.AST_NODE_TYPES.TaggedTemplateExpression ? node.tag : node.callee;
  const text = sourceCode.getText(callee).replace(/\s+/g, '');
  return text.length > 48 ? `…${text.slice(-47)}` : text;
}
