import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { probe } from '../test-support/lint.js';
import type { FileAnalysis } from './file-analysis.js';
import { codePathOf } from './judgement.js';

// Callbacks of a test file, a route registered inside it, and a named function whose caller is startup
// code: each call's path comes from the innermost function that says where it runs (by its declaration,
// its registration or its callers), else from the file's role, whatever order the calls are asked in.
const CODE = `
describe('orders', () => {
  it('saves', async () => {
    await helper();
  });
  app.post('/orders', async () => {
    await save();
    items.forEach(async () => { await saveItem(); });
  });
});
function warm() {
  rows.map(async () => { await load(); });
}
function init() { warm(); }
`;

describe('codePathOf', () => {
  it('gives each call the path of the functions around it, the same in source order and in reverse', () => {
    const calls: { analysis: FileAnalysis; node: TSESTree.Node }[] = [];
    const forward = probe(
      CODE,
      ['CallExpression'],
      (analysis, node, report) => {
        calls.push({ analysis, node });
        const callee = (node as TSESTree.CallExpression).callee;
        report(`${analysis.sourceCode.getText(callee)}: ${codePathOf(analysis, node).label}`);
      },
      { filename: 'test/orders.test.ts' },
    );
    expect(forward).toEqual([
      'describe: a test',
      'it: a test',
      'helper: a test',
      'app.post: a test',
      'save: the POST /orders handler',
      'items.forEach: the POST /orders handler',
      'saveItem: the POST /orders handler',
      'rows.map: startup code (init()), through warm()',
      'load: startup code (init()), through warm()',
      'warm: startup code (init())',
    ]);
    // Asked again in reverse order (the per-file memos filled the other way round): the same labels.
    const reversed = [...calls].reverse().map(({ analysis, node }) => codePathOf(analysis, node).label);
    expect(reversed.reverse()).toEqual(forward.map((line) => line.slice(line.indexOf(': ') + 2)));
  });
});
