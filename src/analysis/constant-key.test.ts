import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { probe, sweep } from '../test-support/lint.js';
import { fixtureSources, fixturesRoot } from '../test-support/paths.js';
import { constantKey, mayBeConstantKey } from './constant-key.js';

/** For each argument of `lock(…)` in `code`: `filter/key`, where filter is mayBeConstantKey and key is constantKey's text. */
function judged(code: string): string[] {
  return probe(code, ['CallExpression'], (analysis, node, report) => {
    const call = node as TSESTree.CallExpression;
    if (call.callee.type !== 'Identifier' || call.callee.name !== 'lock') return;
    for (const argument of call.arguments) {
      report(`${mayBeConstantKey(analysis, argument)}/${constantKey(analysis, argument)?.text ?? '-'}`);
    }
  });
}

describe('mayBeConstantKey: the cheap filter before constantKey', () => {
  it('passes what constantKey reads as constant', () => {
    const code = `
      enum Locks { Jobs = 'jobs' }
      const KEY = 'orders';
      const CONFIG = { key: 'cfg' };
      function lockName() { return 'named'; }
      lock('a', 42, \`plain\`, KEY, CONFIG.key, Locks.Jobs, 'a' + 'b', \`\${KEY}:all\`, lockName(), ['r', id]);
    `;
    expect(judged(code)).toEqual([
      "true/'a'",
      'true/42',
      "true/`plain` ('plain')",
      "true/KEY ('orders')",
      "true/CONFIG.key ('cfg')",
      'true/Locks.Jobs',
      "true/'a' + 'b' ('ab')",
      "true/`${KEY}:all` ('orders:all')",
      "true/lockName() ('named')",
      "true/'r'",
    ]);
  });

  it('rejects parameters, imports, this, let without a value, and keys built from them', () => {
    const code = `
      import { SHARED } from './keys';
      import * as keys from './keys';
      let later;
      class Jobs {
        run(id: string) {
          lock(id, SHARED, keys.ORDERS, this.key, later, \`order:\${id}\`, 'order:' + id, [id], compute(id), Jobs);
        }
      }
    `;
    expect(judged(code)).toEqual(Array(10).fill('false/-'));
  });

  // The filter must never hide a key constantKey would find: every argument of every call in the
  // labelled corpus and the demo, which hold the constant keys the rules are tested on.
  it('never rejects an argument constantKey reads as constant, over the corpus and the demo', () => {
    const files = [...fixtureSources(join(fixturesRoot, 'corpus')), ...fixtureSources(join(fixturesRoot, 'demo'))];
    let constants = 0;
    let arguments_ = 0;
    const misses = sweep(files, ['CallExpression'], (analysis, node, report) => {
      for (const argument of (node as TSESTree.CallExpression).arguments) {
        arguments_ += 1;
        const key = constantKey(analysis, argument);
        if (key) constants += 1;
        if (key && !mayBeConstantKey(analysis, argument)) report(`${argument.loc.start.line}: ${key.text}`);
      }
    });
    expect(misses).toEqual({});
    // The sweep saw real keys, and the filter did reject something.
    expect(constants).toBeGreaterThan(100);
    expect(arguments_).toBeGreaterThan(constants * 2);
  });
});
