// The shape readers on their own: what a waiting call collects, and whether allSettled's results are
// required, without a rule or the catalogue in between (a project-index summary asks the same).
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { getFileAnalysis } from './file-analysis.js';
import { settledResultsRequired, waitAllOf } from './fan-out-shapes.js';

/** Every call of the code whose shape is a wait-for-all: `combinator:source kind`, plus `required` for allSettled. */
function shapes(code: string): string[] {
  const found: string[] = [];
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: Readonly<TSESLint.RuleContext<never, []>>) {
      const analysis = getFileAnalysis(context);
      return {
        CallExpression(node: TSESTree.CallExpression) {
          const shape = waitAllOf(analysis, node);
          if (!shape) return;
          const required = shape.combinator === 'allSettled' ? (settledResultsRequired(analysis, node) ? ':required' : ':tolerated') : '';
          found.push(`${shape.combinator}:${shape.source.kind}${required}`);
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], plugins: { probe: { rules: { shapes: rule as never } } }, languageOptions: { parser: tsParser as never }, rules: { 'probe/shapes': 'error' } }],
    { filename: 'probe.ts' },
  );
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return found;
}

describe('waitAllOf', () => {
  it('reads maps, arrays, bound variables and pushed promises', () => {
    expect(shapes(`await Promise.all(peers.map((p) => p.send(m)));`)).toEqual(['all:map']);
    expect(shapes(`await Promise.all([a.set(k, v), b.set(k, v)]);`)).toEqual(['all:array']);
    expect(shapes(`await Promise.all([...peers.map((p) => p.send(m))]);`)).toEqual(['all:map']);
    expect(shapes(`const sends = peers.map((p) => p.send(m)); await Promise.all(sends);`)).toEqual(['all:map']);
    expect(shapes(`const pending = []; for (const p of peers) pending.push(p.send(m)); await Promise.all(pending);`)).toEqual(['all:pushed']);
  });

  it('ignores pushes after the wait, and first-answer combinators', () => {
    expect(shapes(`const pending = []; await Promise.all(pending); for (const p of peers) pending.push(p.send(m));`)).toEqual([]);
    expect(shapes(`await Promise.any(peers.map((p) => p.send(m))); await Promise.race([a.set(k, v), b.set(k, v)]);`)).toEqual([]);
  });

  it('reads RxJS forkJoin and lastValueFrom of a merge, imported from rxjs only', () => {
    expect(shapes(`import { forkJoin, lastValueFrom } from 'rxjs'; await lastValueFrom(forkJoin(peers.map((p) => p.send$(m))));`)).toEqual(['forkJoin:map']);
    expect(shapes(`import { forkJoin } from 'rxjs'; forkJoin(a$, b$);`)).toEqual(['forkJoin:array']);
    expect(shapes(`import { lastValueFrom, merge } from 'rxjs'; await lastValueFrom(merge(...peers.map((p) => p.send$(m))).pipe(toArray()));`)).toEqual(['merge:map']);
    expect(shapes(`import { merge } from 'rxjs'; await merge(a$, b$).toPromise();`)).toEqual(['merge:array']);
    // the first value of a merge is the first answer; a local forkJoin is not RxJS's
    expect(shapes(`import { firstValueFrom, merge } from 'rxjs'; await firstValueFrom(merge(...peers.map((p) => p.send$(m))));`)).toEqual([]);
    expect(shapes(`function forkJoin(xs) { return xs; } forkJoin(peers.map((p) => p.send(m)));`)).toEqual([]);
  });
});

describe('settledResultsRequired', () => {
  it('is true for a throw on a rejection, an every, and a count held against a threshold', () => {
    expect(shapes(`const r = await Promise.allSettled(ps.map((p) => p.send(m))); if (r.some((x) => x.status === 'rejected')) throw new Error('x');`)).toEqual(['allSettled:map:required']);
    expect(shapes(`const r = await Promise.allSettled(ps.map((p) => p.send(m))); return r.every((x) => x.status === 'fulfilled');`)).toEqual(['allSettled:map:required']);
    expect(shapes(`const r = await Promise.allSettled(ps.map((p) => p.send(m))); const acked = r.filter((x) => x.status === 'fulfilled').length; if (acked < quorum) return false;`)).toEqual(['allSettled:map:required']);
  });

  it('is false when failures are only logged or the results kept', () => {
    expect(shapes(`const r = await Promise.allSettled(ps.map((p) => p.send(m))); const failed = r.filter((x) => x.status === 'rejected'); if (failed.length > 0) log(failed);`)).toEqual(['allSettled:map:tolerated']);
    expect(shapes(`const r = await Promise.allSettled(ps.map((p) => p.send(m))); return r;`)).toEqual(['allSettled:map:tolerated']);
  });
});
