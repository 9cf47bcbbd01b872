import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { probe } from '../test-support/lint.js';
import type { FileAnalysis } from './file-analysis.js';
import { codePathOf, onOneOffPath } from './judgement.js';

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

// The paths that drop a site to low (judgement.ts's pathFact): what onOneOffPath answers yes for.
const DROPPING = new Set(['startup', 'shutdown', 'migration', 'seed', 'script', 'test']);

// Test files where every function agrees with the role (one answer for the whole file) and files where
// one function says otherwise: a route handler, a listener (unknown path), a schedule, a caller's path.
const ONE_OFF_FILES = [
  `describe('a', () => { it('b', async () => { await Promise.all(rows.map(async (row) => { await save(row); })); }); });`,
  `function seedRows() { return insert(); }\ndescribe('a', () => { before(async () => { await seedRows(); }); it('b', () => check()); });`,
  CODE,
  `describe('a', () => { it('b', () => { setTimeout(() => { flush(); }, 10); save(); }); });`,
  `describe('a', () => { it('b', async () => { bus.on('msg', async () => { await write(); }); await read(); }); });`,
  `class Jobs { @Cron('* * * * *') async tick() { await sweep(); } }\ndescribe('a', () => { it('b', () => new Jobs().tick()); });`,
  `function start() { helper(); }\nfunction helper() { rows.forEach((row) => save(row)); }\ndescribe('a', () => { it('b', () => helper()); });`,
];

describe('onOneOffPath', () => {
  it('answers, for every call of a test file, whether the path codePathOf gives drops the site', () => {
    let yes = 0;
    let no = 0;
    for (const code of ONE_OFF_FILES) {
      probe(
        code,
        ['CallExpression'],
        (analysis, node) => {
          const expected = DROPPING.has(codePathOf(analysis, node).kind);
          expect(onOneOffPath(analysis, node), `${analysis.sourceCode.getText(node)} in ${code}`).toBe(expected);
          if (expected) yes += 1;
          else no += 1;
        },
        { filename: 'test/orders.test.ts' },
      );
    }
    // Both answers occur: the files with a route, a listener and a schedule hold calls that are not one-off.
    expect(yes).toBeGreaterThan(20);
    expect(no).toBeGreaterThan(5);
  });
});
