import { describe, expect, it, vi } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { probe } from '../test-support/lint.js';
import { classifyCall } from './classify-call.js';
import { classifyIteration, loopBounds, loopContextOf } from './loop-context.js';

// A spy on the classification, to show which roles are settled without it.
vi.mock('./classify-call.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./classify-call.js')>();
  return { ...actual, classifyCall: vi.fn(actual.classifyCall) };
});

/** For each call to `target(...)`: its loop kind, mode, collection, iteration role and bounds. */
function loops(code: string, filename = 'file.ts'): string[] {
  return probe(
    code,
    ['CallExpression'],
    (analysis, node, report) => {
      const call = node as TSESTree.CallExpression;
      if (call.callee.type !== 'MemberExpression' || call.callee.property.type !== 'Identifier' || call.callee.property.name !== 'target') return;
      const context = loopContextOf(analysis, call);
      if (!context) return report('none');
      const bounds = [...loopBounds(analysis, context)].sort().join(',');
      report(
        [context.kind, context.mode, context.collectionName ?? '-', classifyIteration(analysis, call, context), context.knownIterations ?? '?', bounds || '-'].join(' | '),
      );
    },
    { filename },
  );
}

describe('loopContextOf: loop shapes', () => {
  it.each([
    ['for...of, awaited', `for (const b of bookings) await db.target(b);`, 'for-of | sequential | bookings | payload | ? | -'],
    ['for await', `for await (const m of stream) db.target(m);`, 'for-await | sequential | stream | payload | ? | -'],
    ['for...in', `for (const k in obj) await db.target(k);`, 'for-in | sequential | obj | payload | ? | -'],
    ['classic for over a length', `for (let i = 0; i < items.length; i++) await db.target(items[i]);`, 'for | sequential | items | payload | ? | -'],
    ['while', `let n = 0; while (n < 10) { await db.target(x); n++; }`, 'while | sequential | - | none | ? | -'],
    ['do...while', `do { await db.target(x); } while (more());`, 'do-while | sequential | - | none | ? | -'],
    ['forEach (floating)', `items.forEach((item) => db.target(item));`, 'forEach | floating | items | payload | ? | -'],
    ['map under Promise.all (parallel)', `await Promise.all(items.map((item) => db.target(item)));`, 'map | parallel | items | payload | ? | -'],
    ['map into a variable, then Promise.all', `const ps = items.map(async (i) => { await db.target(i); }); await Promise.all(ps);`, 'map | parallel | items | payload | ? | -'],
    ['flatMap under allSettled', `await Promise.allSettled(xs.flatMap((x) => [db.target(x)]));`, 'flatMap | parallel | xs | payload | ? | -'],
    ['map not awaited (floating)', `items.map((item) => db.target(item));`, 'map | floating | items | payload | ? | -'],
    ['reduce promise chain (sequential)', `await items.reduce(async (prev, item) => { await prev; await db.target(item); }, Promise.resolve());`, 'reduce | sequential | items | payload | ? | -'],
    ['collected promises (parallel)', `const ps = []; for (const x of xs) ps.push(db.target(x)); await Promise.all(ps);`, 'for-of | parallel | xs | payload | ? | -'],
    ['unawaited in a for...of (floating)', `for (const x of xs) db.target(x);`, 'for-of | floating | xs | payload | ? | -'],
    ['array literal: known k', `for (const r of [a, b, c]) await r.target(v);`, 'for-of | sequential | [a, b, c] | receiver | 3 | -'],
  ])('%s', (_, code, expected) => {
    expect(loops(code)).toEqual([expected]);
  });

  it('stops at function boundaries that are not iteration callbacks', () => {
    expect(loops(`for (const x of xs) { const f = () => db.target(x); later(f); }`)).toEqual(['none']);
    expect(loops(`await db.target(x);`)).toEqual(['none']);
  });

  it('ignores the collection expression and the loop header of a for...of', () => {
    expect(loops(`for (const x of await db.target()) use(x);`)).toEqual(['none']);
  });

  it('finds the innermost loop', () => {
    expect(loops(`for (const region of regions) { for (const item of items) await region.target(item); }`)).toEqual([
      'for-of | sequential | items | payload | ? | -',
    ]);
  });
});

describe('classifyIteration', () => {
  it.each([
    ['receiver: the target changes per item', `for (const replica of replicas) await replica.target(key, value);`, 'receiver'],
    ['receiver through an index', `for (let i = 0; i < nodes.length; i++) await nodes[i].target(v);`, 'receiver'],
    ['receiver through a derived value', `for (const r of regions) { const c = clientFor(r); await c.target(v); }`, 'receiver'],
    ['receiver in a map', `await Promise.all(peers.map((p) => p.client.target(msg)));`, 'receiver'],
    ['payload: the item changes per call', `for (const b of bookings) await prisma.target({ data: b });`, 'payload'],
    ['payload through a derived value', `for (const b of bookings) { const row = toRow(b); await db.target(row); }`, 'payload'],
    ['payload in a template', `for (const id of ids) await redis.target(\`order:\${id}\`, 1);`, 'payload'],
    ['none: the call does not depend on the item', `for (const x of xs) await db.target('heartbeat');`, 'none'],
    ['payload: the item in the callback handed over', `for (const x of xs) await db.target(() => x.id);`, 'payload'],
    ['none: the item only in a function nested in an argument', `for (const x of xs) await db.target({ run: () => x.id });`, 'none'],
    ['none: a derived value nested in a function', `for (const b of bs) { const row = toRow(b); await db.target({ run: () => row }); }`, 'none'],
    ['payload: a derived value of a derived value', `for (const b of bs) { const row = toRow(b); const wire = encode(row); await db.target(wire); }`, 'payload'],
    ['none: a local value that does not come from the item', `for (const b of bs) { const now = Date.now(); await db.target(now); }`, 'none'],
  ])('%s', (_, code, role) => {
    expect(loops(code)[0]?.split(' | ')[3]).toBe(role);
  });

  it.each([
    ['receiver: the URL argument is the item', `for (const hook of hooks) await fetch(hook.url, { method: 'POST', body });`, 'receiver'],
    ['payload: a URL built on a fixed base', `for (const id of ids) await fetch(\`https://api.example.com/users/\${id}\`, { method: 'DELETE' });`, 'payload'],
  ])('a target named by an argument (fetch), %s', (_, code, role) => {
    const roles = probe(code, ['CallExpression'], (analysis, node, report) => {
      const call = node as TSESTree.CallExpression;
      const context = call.callee.type === 'Identifier' && call.callee.name === 'fetch' ? loopContextOf(analysis, call) : undefined;
      if (context) report(classifyIteration(analysis, call, context));
    });
    expect(roles).toEqual([role]);
  });

  it('classifies a call only when its payload holds the item (the argument naming a target is one of the payload)', () => {
    const classifiedTargets = (code: string): number => {
      vi.mocked(classifyCall).mockClear();
      loops(code);
      return vi.mocked(classifyCall).mock.calls.filter(([, node]) => node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier' && node.callee.property.name === 'target').length;
    };
    expect(classifiedTargets(`for (const x of xs) await db.target('heartbeat');`)).toBe(0);
    expect(classifiedTargets(`for (const replica of replicas) await replica.target(key);`)).toBe(0);
    expect(classifiedTargets(`for (const x of xs) await db.target(x);`)).toBe(1);
  });

  it('works in plain JavaScript (CommonJS)', () => {
    const code = `const db = require('./db'); module.exports = async (rows) => { for (const row of rows) await db.target(row); };`;
    expect(loops(code, 'job.cjs')).toEqual(['for-of | sequential | rows | payload | ? | -']);
  });
});

describe('loopBounds', () => {
  it.each([
    ['retry: attempts in the header', `for (let attempt = 0; attempt < 5; attempt++) { try { return await db.target(x); } catch { await sleep(100); } }`, 'retry'],
    ['retry: retries counter', `let retries = 3; while (retries-- > 0) { await db.target(x); }`, 'retry'],
    ['poll: wait between passes', `while (!done) { await sleep(1000); done = await db.target(x); }`, 'poll'],
    ['throttle: delay per item', `for (const x of xs) { await db.target(x); await delay(50); }`, 'throttle'],
    ['throttle: a limiter', `for (const x of xs) { await limiter.removeTokens(1); await db.target(x); }`, 'throttle'],
    ['early exit: break', `for (const x of xs) { if (await db.target(x)) break; }`, 'early-exit'],
    ['early exit: return', `async function f() { for (const x of xs) { const ok = await db.target(x); if (ok) return x; } }`, 'early-exit'],
    ['cursor: carried to the next pass', `let cursor = '0'; do { const [next, keys] = await db.target(cursor); cursor = next; } while (cursor !== '0');`, 'cursor'],
    ['chunked: batches', `for (const batch of chunk(items, 100)) await db.target(batch);`, 'chunked'],
    ['chunked: a chunk collection', `for (const rows of chunks) await db.target(rows);`, 'chunked'],
    ['chunked: stepping by a size', `for (let i = 0; i < items.length; i += 500) await db.target(items.slice(i, i + 500));`, 'chunked'],
    ['migration runner', `for (const migration of migrations) await db.target(migration.sql);`, 'migration'],
  ])('%s', (_, code, bound) => {
    const bounds = loops(code)[0]!.split(' | ')[5]!.split(',');
    expect(bounds).toContain(bound);
  });

  it.each([
    ['a plain per-item loop', `for (const b of bookings) await db.target(b);`],
    ['a collection named batch holds items, not batches', `for (const event of batch) await db.target(event);`],
    ['a continue is no early exit', `for (const b of bookings) { if (!b.valid) continue; await db.target(b); }`],
    ['a return inside a callback ends one item only', `await Promise.all(items.map(async (i) => { if (!i) return; await db.target(i); }));`],
  ])('no bound for %s', (_, code) => {
    expect(loops(code)[0]!.split(' | ')[5]).toBe('-');
  });
});
