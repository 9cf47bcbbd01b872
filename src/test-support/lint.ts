/**
 * Test helpers: run a probe rule over a snippet with ESLint's `Linter`, so the analysis sees a real
 * parser, real scopes and real settings, exactly as under ESLint.
 */
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { type FileAnalysis, getFileAnalysis } from '../analysis/file-analysis.js';

export interface ProbeOptions {
  readonly filename?: string;
  readonly settings?: Record<string, unknown>;
  /** Parse with typescript-eslint (default for .ts files) or espree (default for .js/.cjs/.mjs). */
  readonly parser?: 'typescript' | 'espree';
  readonly sourceType?: 'module' | 'commonjs' | 'script';
  /** Extra languageOptions.parserOptions (for typed mode). */
  readonly parserOptions?: Record<string, unknown>;
}

type Visit = (analysis: FileAnalysis, node: TSESTree.Node, report: (text: string) => void) => void;

/**
 * Runs `visit` on every node of the given types and returns what it reported, in source order.
 */
export function probe(code: string, nodeTypes: readonly string[], visit: Visit, options: ProbeOptions = {}): string[] {
  const filename = options.filename ?? 'file.ts';
  const useTs = options.parser ? options.parser === 'typescript' : /\.[cm]?tsx?$/.test(filename);
  const rule = {
    meta: { type: 'problem' as const, schema: [], messages: { found: '{{text}}' } },
    create(context: Readonly<TSESLint.RuleContext<'found', []>>) {
      const analysis = getFileAnalysis(context);
      const listener: Record<string, (node: TSESTree.Node) => void> = {};
      for (const type of nodeTypes) {
        listener[type] = (node) => visit(analysis, node, (text) => context.report({ node, messageId: 'found', data: { text } }));
      }
      return listener;
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'],
        plugins: { probe: { rules: { probe: rule as never } } },
        languageOptions: {
          ...(useTs ? { parser: tsParser as never } : {}),
          sourceType: options.sourceType ?? (filename.endsWith('.cjs') ? 'commonjs' : 'module'),
          ...(options.parserOptions ? { parserOptions: options.parserOptions } : {}),
        },
        settings: options.settings ?? {},
        rules: { 'probe/probe': 'error' },
      },
    ],
    { filename },
  );
  const fatal = messages.filter((message) => message.fatal || message.ruleId !== 'probe/probe');
  if (fatal.length > 0) throw new Error(fatal.map((message) => message.message).join('\n'));
  return messages.map((message) => message.message);
}

/**
 * Runs {@link probe} over each file and returns what it reported, by file: a sweep for a property that
 * must hold on every node of every file (`expect(sweep(...)).toEqual({})`).
 */
export function sweep(files: readonly string[], nodeTypes: readonly string[], visit: Visit): Record<string, string[]> {
  const reported: Record<string, string[]> = {};
  for (const file of files) {
    const found = probe(readFileSync(file, 'utf8'), nodeTypes, visit, { filename: file });
    if (found.length > 0) reported[file] = found;
  }
  return reported;
}

/**
 * One rule of `plugin` (registered as `coordination`) on a fixture file with the default settings (or
 * `settings`), parsed as ESLint would pick for its extension: `line:column messageId` per report, the
 * message for a fatal one.
 */
export function fixtureReports(linter: Linter, file: string, plugin: unknown, rule: string, settings: Record<string, unknown> = {}): string[] {
  return linter
    .verify(
      readFileSync(file, 'utf8'),
      [
        {
          files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'],
          plugins: { coordination: plugin as never },
          languageOptions: { ...(/\.[cm]?tsx?$/.test(file) ? { parser: tsParser as never } : {}), sourceType: file.endsWith('.cjs') ? 'commonjs' : 'module' },
          settings,
          rules: { [`coordination/${rule}`]: 'error' },
        },
      ],
      { filename: file },
    )
    .map((message) => `${message.line}:${message.column} ${message.ruleId === null ? message.message : (message.messageId ?? message.message)}`);
}
