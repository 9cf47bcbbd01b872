/**
 * With `settings.coordination.quorumHelper`: `await Promise.all(xs)` becomes `await helper(xs, { count: W })`
 * with W a majority of the N targets, plus the helper's import. A majority of 2 is both copies, so the
 * suggestion starts at 3.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TSESTree } from '@typescript-eslint/types';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import { methodName, unwrap } from '../analysis/shapes.js';
import { majority } from '../model/ladder.js';

const { AST_NODE_TYPES } = TSESTree;

/** The quorum-wait suggestion for `all` (a `Promise.all` over N targets, `known` when the code fixes N), or undefined. */
export function quorumSuggestion<MessageId extends string>(
  analysis: FileAnalysis,
  all: TSESTree.CallExpression,
  known: number | undefined,
  messageId: MessageId,
): TSESLint.SuggestionReportDescriptor<MessageId> | undefined {
  const { sourceCode } = analysis;
  const helper = analysis.settings.quorumHelper;
  if (!helper || all.arguments.length !== 1 || methodName(all) !== 'all') return undefined;
  const spec = helper.specifier;
  if (typeof spec === 'string' || spec.from !== 'package') return undefined;
  const exported = typeof spec.name === 'string' ? spec.name : spec.name[0]!;
  const argument = all.arguments[0]!;
  let w: string;
  if (known !== undefined) {
    // A majority of 2 is both: a quorum only helps from 3 copies.
    if (majority(known) >= known) return undefined;
    w = String(majority(known));
  } else {
    // ⌊N/2⌋+1 of the collection: only when reading it twice is free (a name, not a call)
    const inner = unwrap(argument);
    const collection = inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression ? unwrap(inner.callee.object) : undefined;
    if (!collection || (collection.type !== AST_NODE_TYPES.Identifier && collection.type !== AST_NODE_TYPES.MemberExpression)) return undefined;
    w = `Math.floor(${sourceCode.getText(collection)}.length / 2) + 1`;
  }
  const program = sourceCode.ast;
  const existing = findImport(program, spec.package, exported);
  const local = existing ?? (exported === 'default' ? 'quorum' : exported);
  const imports = program.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration);
  const lastImport = imports[imports.length - 1];
  const importText = exported === 'default' ? `import ${local} from '${spec.package}';` : `import { ${exported} } from '${spec.package}';`;
  if (!existing && (program.sourceType !== 'module' || ASTUtils.findVariable(sourceCode.getScope(all), local))) return undefined;
  return {
    messageId,
    data: { w, helper: `${local}()`, n: known === undefined ? 'N' : String(known) },
    fix: (fixer) => {
      const fixes = [fixer.replaceText(all, `${local}(${sourceCode.getText(argument)}, { ${helper.countOption}: ${w} })`)];
      if (!existing) fixes.push(lastImport ? fixer.insertTextAfter(lastImport, `\n${importText}`) : fixer.insertTextBeforeRange([0, 0], `${importText}\n`));
      return fixes;
    },
  };
}

/** The local name an existing import of `pkg` gives `exported`, if any. */
function findImport(program: TSESTree.Program, pkg: string, exported: string): string | undefined {
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.source.value !== pkg) continue;
    for (const specifier of statement.specifiers) {
      if (exported === 'default' && specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return specifier.local.name;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.imported.type === AST_NODE_TYPES.Identifier && specifier.imported.name === exported) {
        return specifier.local.name;
      }
    }
  }
  return undefined;
}
