// The loop count the fan-out and loop rules keep during traversal: a call it puts in no loop has no loop
// context, on every call of every fixture and on the shapes where the count and the search part ways.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { fixtureSources, fixturesRoot } from '../test-support/paths.js';
import { getFileAnalysis } from './file-analysis.js';
import { type LoopContext, loopContextOf, loopNesting } from './loop-context.js';

interface Seen {
  readonly all: boolean;
  readonly forOnly: boolean;
  readonly context: LoopContext | undefined;
}

/** Every call and tagged template of `code`: what each count says, and what the search finds. */
function probe(code: string, filename = join(fixturesRoot, 'probe.ts')): Seen[] {
  const seen: Seen[] = [];
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: Parameters<typeof getFileAnalysis>[0]) {
      const analysis = getFileAnalysis(context);
      const all = loopNesting();
      const forOnly = loopNesting(['ForStatement', 'ForOfStatement'] as never, false);
      const merged: Record<string, (node: TSESTree.Node) => void> = {};
      for (const listeners of [all.listeners, forOnly.listeners]) {
        for (const [type, listener] of Object.entries(listeners)) {
          const before = merged[type];
          merged[type] = before ? (node) => (before(node), listener(node)) : listener;
        }
      }
      const check = (node: TSESTree.Node): void => {
        seen.push({ all: all.inLoop(), forOnly: forOnly.inLoop(), context: loopContextOf(analysis, node) });
      };
      return { ...merged, CallExpression: check, TaggedTemplateExpression: check };
    },
  };
  const linter = new Linter({ configType: 'flat', cwd: fixturesRoot });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'], plugins: { t: { rules: { probe: rule as never } } }, languageOptions: { parser: tsParser }, rules: { 't/probe': 'error' } }],
    filename,
  );
  expect(messages).toEqual([]);
  return seen;
}

/** The count's promise: no loop counted, no loop context (and for `for`/`for…of` alone, none of those kinds). */
function broken(seen: readonly Seen[]): Seen[] {
  return seen.filter(({ all, forOnly, context }) => (!all && context !== undefined) || (!forOnly && (context?.kind === 'for' || context?.kind === 'for-of')));
}

describe('loopNesting', () => {
  it('puts no call in a loop that the search finds in one, on every fixture', () => {
    let calls = 0;
    let inLoops = 0;
    let skipped = 0;
    for (const file of fixtureSources()) {
      const seen = probe(readFileSync(file, 'utf8'), file);
      expect(broken(seen), file).toEqual([]);
      calls += seen.length;
      inLoops += seen.filter((entry) => entry.context !== undefined).length;
      skipped += seen.filter((entry) => !entry.all).length;
    }
    // Not empty either way: the fixtures hold many calls in loops and many that the count settles.
    expect(inLoops).toBeGreaterThan(200);
    expect(skipped).toBeGreaterThan(calls / 3);
  });

  it('counts statement loops, iteration callbacks and optional chains, and stops counting when they end', () => {
    const seen = probe(`
      for (const a of xs) f1();
      for (let i = 0; i < xs.length; i++) f2();
      for (const k in o) f3();
      while (more()) f4();
      do f5(); while (again());
      xs.forEach((x) => f6(x));
      xs?.map(async function (x) { await f7(x); });
      (xs as T[]).filter((x) => f8(x));
      after();
    `);
    const order = ['f1', 'f2', 'f3', 'more', 'f4', 'f5', 'again', 'xs.forEach', 'f6', 'xs?.map', 'f7', '.filter', 'f8', 'after'];
    expect(seen).toHaveLength(order.length);
    const byName = (name: string): Seen => seen[order.indexOf(name)]!;
    for (const name of ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'more', 'again']) expect(byName(name).all, name).toBe(true);
    for (const name of ['xs.forEach', 'xs?.map', '.filter', 'after']) expect(byName(name).all, name).toBe(false);
    expect(seen.filter((entry) => entry.forOnly)).toHaveLength(2);
    expect(broken(seen)).toEqual([]);
  });

  it('does not count a callback that is not an iteration, nor a second argument, nor a property of Object', () => {
    const seen = probe(`
      setTimeout(() => f1(), 10);
      xs.map(identity, () => f2());
      xs.constructor(() => f3());
      xs.toString(() => f4());
    `);
    expect(seen.filter((entry) => entry.all)).toEqual([]);
    expect(seen.filter((entry) => entry.context)).toEqual([]);
  });

  it('counts nested loops and a function inside a loop, where the search stops', () => {
    const seen = probe(`
      for (const a of xs) {
        for (const b of a.ys) inner(b);
        const later = () => deferred();
        later();
      }
      outside();
    `);
    const [inner, deferred, later, outside] = seen;
    expect([inner!.all, deferred!.all, later!.all, outside!.all]).toEqual([true, true, true, false]);
    // Counted, but the search stops at the arrow function: the count only says "ask".
    expect(deferred!.context).toBeUndefined();
    expect(later!.context?.kind).toBe('for-of');
  });
});

describe('loopNesting with a choice of statements', () => {
  it('counts only the statements chosen, through nesting on both sides, and stops when they end', () => {
    const seen: boolean[] = [];
    const rule = {
      meta: { type: 'problem' as const, schema: [] },
      create() {
        const replicaLoops = loopNesting(['ForStatement', 'ForOfStatement'] as never, false, (loop) => {
          const collection = (loop as TSESTree.ForOfStatement).right;
          return loop.type === 'ForOfStatement' && collection.type === 'Identifier' && collection.name === 'replicas';
        });
        return { ...replicaLoops.listeners, CallExpression: () => void seen.push(replicaLoops.inLoop()) };
      },
    };
    const linter = new Linter({ configType: 'flat' });
    const code = `
      for (const item of items) a(item);
      for (const r of replicas) {
        b(r);
        for (const item of items) c(item);
        d(r);
      }
      for (const item of items) for (const r of replicas) e(r);
      for (let i = 0; i < replicas.length; i++) f(i);
      g();
    `;
    linter.verify(code, [{ files: ['**/*.ts'], plugins: { t: { rules: { probe: rule as never } } }, languageOptions: { parser: tsParser }, rules: { 't/probe': 'error' } }], 'probe.ts');
    expect(seen).toEqual([false, true, true, true, true, false, false]);
  });
});
