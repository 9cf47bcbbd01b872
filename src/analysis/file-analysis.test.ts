import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { analysisBuildCount, getFileAnalysis } from './file-analysis.js';

function askingRule(seen: unknown[]) {
  return {
    meta: { type: 'problem' as const, schema: [] },
    create(context: Readonly<TSESLint.RuleContext<never, []>>) {
      return {
        Program() {
          const analysis = getFileAnalysis(context);
          analysis.origins(); // lazy parts are shared too
          seen.push(analysis);
        },
      };
    },
  };
}

describe('getFileAnalysis', () => {
  it('builds one analysis per file however many rules ask', () => {
    const seen: unknown[] = [];
    const rules = Object.fromEntries(['a', 'b', 'c', 'd'].map((name) => [name, askingRule(seen) as never]));
    const linter = new Linter({ configType: 'flat' });
    const config = [
      {
        files: ['**/*.ts'],
        plugins: { probe: { rules } },
        languageOptions: { parser: tsParser as never },
        rules: { 'probe/a': 'error', 'probe/b': 'error', 'probe/c': 'error', 'probe/d': 'error' },
      },
    ] as Linter.Config[];
    const before = analysisBuildCount();
    linter.verify(`import Redis from 'ioredis'; new Redis();`, config, { filename: 'one.ts' });
    expect(analysisBuildCount() - before).toBe(1);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(1);
    linter.verify(`export {};`, config, { filename: 'two.ts' });
    expect(analysisBuildCount() - before).toBe(2);
    expect(new Set(seen).size).toBe(2);
  });
});
