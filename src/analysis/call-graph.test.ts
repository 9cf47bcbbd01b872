import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { probe, sweep } from '../test-support/lint.js';
import { fixtureSources } from '../test-support/paths.js';
import { type ParameterWrite, calledFunction, coordinatingHelper, mayCallFunction, parameterLock, parameterWrite, summaryMemo } from './call-graph.js';

const WRITES = new Set(['remote-write', 'lock', 'transaction'] as const);

/** For each call of a same-file function: the helper chain and the primitive it reaches. */
function helpers(code: string, filename = 'file.ts'): string[] {
  return probe(
    code,
    ['CallExpression'],
    (analysis, node, report) => {
      const found = coordinatingHelper(analysis, node as TSESTree.CallExpression, WRITES);
      if (found) report(`${found.chain.map((step) => step.name).join('>')} ${found.site.operation.id}`);
    },
    { filename },
  );
}

const header = `import { PrismaClient } from '@prisma/client'; import Redlock from 'redlock'; const prisma = new PrismaClient(); const redlock = new Redlock([]);`;

describe('coordinatingHelper', () => {
  it('finds a function declaration that writes', () => {
    expect(helpers(`${header} async function saveOne(b) { await prisma.booking.create({ data: b }); } for (const b of bs) await saveOne(b);`)).toEqual([
      'saveOne prisma.create',
    ]);
  });

  it('follows helpers through further helpers, and arrow functions bound to const', () => {
    const code = `${header}
      const lockIt = (k) => redlock.acquire([k], 100);
      async function step(x) { await lockIt(x); }
      async function run(x) { await step(x); }
      run(1);`;
    expect(helpers(code)).toEqual(['lockIt redlock.acquire', 'step>lockIt redlock.acquire', 'run>step>lockIt redlock.acquire']);
  });

  it('follows this.method() in a class', () => {
    const code = `${header}
      class Importer {
        async importAll(rows) { for (const r of rows) await this.importOne(r); }
        async importOne(r) { await prisma.row.upsert({ where: { id: r.id }, create: r, update: r }); }
      }`;
    expect(helpers(code)).toEqual(['importOne prisma.write']);
  });

  it('ignores helpers that only read, batch or call nothing known', () => {
    const code = `${header}
      async function load(id) { return prisma.booking.findUnique({ where: { id } }); }
      async function saveAll(rows) { await prisma.booking.createMany({ data: rows }); }
      function format(x) { return String(x); }
      load(1); saveAll([]); format(2);`;
    expect(helpers(code)).toEqual([]);
  });

  it('terminates on recursion', () => {
    expect(helpers(`function a(n) { return n ? b(n - 1) : 0; } function b(n) { return a(n); } a(3);`)).toEqual([]);
  });

  it('works in CommonJS', () => {
    const code = `const Redis = require('ioredis'); const redis = new Redis();
      function take(k) { return redis.set(k, 1, 'NX'); }
      module.exports = (keys) => keys.forEach((k) => take(k));`;
    expect(helpers(code, 'x.cjs')).toEqual(['take redis.set-nx']);
  });
});

/** For each call: the parameter lock its callee takes (scope, parameter, chain), if any. */
function locks(code: string): string[] {
  return probe(code, ['CallExpression'], (analysis, node, report) => {
    const lock = parameterLock(analysis, node as TSESTree.CallExpression);
    if (lock) report(`${lock.scope} ${lock.index ?? lock.table} ${lock.chain.map((step) => step.name).join('>')}`);
  });
}

describe('summary memo: a "nothing" cut short by the depth bound', () => {
  /** coordinatingHelper for the top-level calls only, in source order, so the memo sees them in that order. */
  function entryHelpers(code: string): string[] {
    return probe(code, ['CallExpression'], (analysis, node, report) => {
      const call = node as TSESTree.CallExpression;
      if (call.parent.parent?.type !== 'Program' || call.callee.type !== 'Identifier') return;
      const found = coordinatingHelper(analysis, call, WRITES);
      report(`${call.callee.name}: ${found ? found.chain.map((step) => step.name).join('>') : '-'}`);
    });
  }

  // top() reaches the write five functions down, past the bound, so b and c are left "nothing" with
  // little depth to spare; c() then finds the write, and y() reaches b at that same depth again: the
  // found answer must reach it, as it does without the kept "nothing".
  it('answers as a fresh search would once a search has found something since', () => {
    const code = `${header}
      top(); c(); y();
      async function d(x) { await prisma.user.create({ data: x }); }
      async function c(x) { await d(x); }
      async function b(x) { await c(x); }
      async function a(x) { await b(x); }
      async function top(x) { await a(x); }
      async function z(x) { await b(x); }
      async function y(x) { await z(x); }`;
    expect(entryHelpers(code)).toEqual(['top: -', 'c: c>d', 'y: y>z>b>c>d']);
  });

  // p1() leaves g a "nothing" cut short (from p1, h lies past the depth bound); p2() reaches g at that same
  // depth and reuses it, so s2's "nothing" is cut short too: s2() on its own must still find the write.
  it('counts a reused "nothing" that was cut short as a cut in the search that reuses it', () => {
    const code = `${header}
      p1(); p2(); s2();
      async function j(x) { await prisma.user.create({ data: x }); }
      async function h(x) { await j(x); }
      async function g(x) { await h(x); }
      async function r1(x) { await g(x); }
      async function q1(x) { await r1(x); }
      async function p1(x) { await q1(x); }
      async function s2(x) { await g(x); }
      async function s1(x) { await s2(x); }
      async function p2(x) { await s1(x); }`;
    expect(entryHelpers(code)).toEqual(['p1: -', 'p2: -', 's2: s2>g>h>j']);
  });

  it('keeps "nothing" for a function that reaches no write, at any depth', () => {
    const code = `${header}
      top(); a(); b();
      async function c(x) { return x + 1; }
      async function b(x) { return c(x); }
      async function a(x) { return b(x); }
      async function top(x) { return a(x); }`;
    expect(entryHelpers(code)).toEqual(['top: -', 'a: -', 'b: -']);
  });
});

describe('parameterLock', () => {
  it('finds a table lock whose table a parameter names, and one whose SQL names it', () => {
    const code = `import { Pool } from 'pg'; const pool = new Pool();
      class Db { async lockTable(client, table) { await client.query(\`LOCK TABLE \${table} IN EXCLUSIVE MODE\`); } }
      async function lockOrders() { await pool.query('LOCK TABLE orders IN EXCLUSIVE MODE'); }
      async function run(db: Db, c) { await db.lockTable(c, 'orders'); await lockOrders(); }`;
    expect(locks(code)).toEqual(['table orders lockOrders']);
  });

  it('carries a key parameter through a further function, and not a key the function makes itself', () => {
    const code = `import Redlock from 'redlock'; const redlock = new Redlock([]);
      function serialized(name, work) { return redlock.using([name], 1000, work); }
      function exclusive(resource, work) { return serialized(resource, work); }
      function fixed(work) { return serialized('jobs', work); }
      exclusive('a', f); fixed(f);`;
    expect(locks(code)).toEqual(['key 0 serialized', 'key 0 serialized', 'key 0 exclusive>serialized']);
  });
});

// One memo per write test: the answers depend on it.
const verbWrites = summaryMemo<ParameterWrite<string>>();
const fetchWrites = summaryMemo<ParameterWrite<string>>();

/** For each call: the parameter its callee writes to as a target (a write verb on it), or `reached` when it writes to none. */
function targetWrites(code: string): string[] {
  return probe(code, ['CallExpression'], (analysis, node, report) => {
    const writeIn = (_: unknown, call: TSESTree.CallExpression): string | undefined => {
      const name = call.callee.type === 'MemberExpression' && call.callee.property.type === 'Identifier' ? call.callee.property.name : undefined;
      return name && /^(put|set|send)$/.test(name) ? name : undefined;
    };
    const found = parameterWrite(analysis, node as TSESTree.CallExpression, verbWrites, writeIn);
    if (found) report(found.found ? `${found.found.index} ${found.found.write} ${found.found.chain.map((step) => step.name).join('>')}` : 'reached');
  });
}

describe('parameterWrite', () => {
  it('finds the parameter a helper writes to as the target, through a further helper, with its position', () => {
    const code = `async function replicate(target, entry) { await target.client.put(entry.key, entry.value); }
      async function propagate(entry, peer) { await replicate(peer, entry); }
      replicate(a, e); propagate(e, a);`;
    expect(targetWrites(code)).toEqual(['0 put replicate', '0 put replicate', '1 put propagate>replicate']);
  });

  it('follows the target into a URL built from it, through a const (an HTTP write)', () => {
    const code = `async function sendSigned(inbox, body) { const url = new URL(inbox); await fetch(url, { method: 'POST', body }); }
      async function sendTo(peer, body) { await fetch(\`\${peer.url}/inbox\`, { method: 'POST', body }); }
      sendSigned(i, b); sendTo(p, b);`;
    const fetchWrite = (_: unknown, call: TSESTree.CallExpression): string | undefined => (call.callee.type === 'Identifier' && call.callee.name === 'fetch' ? 'fetch' : undefined);
    const found = probe(code, ['CallExpression'], (analysis, node, report) => {
      const write = parameterWrite(analysis, node as TSESTree.CallExpression, fetchWrites, fetchWrite)?.found;
      if (write) report(`${write.index} ${write.chain.map((step) => step.name).join('>')}`);
    });
    expect(found).toEqual(['0 sendSigned', '0 sendTo']);
  });

  it('a helper that reads from its target, or writes elsewhere, writes to no parameter', () => {
    const code = `const copies = new Map();
      async function updateFromPeer(peer, key) { copies.set(key, await peer.get(key)); }
      updateFromPeer(p, 'k');`;
    expect(targetWrites(code)).toEqual(['reached']);
  });
});

describe('mayCallFunction: the syntax test before a callee is resolved', () => {
  it('passes names and methods of this, of a field of this and of a name (through casts and awaits); nothing else', () => {
    const code = `class A { async m() { save(); this.save(); this.repo.save(); repo.save(); (repo as any).save(); repo!.save(); (await repo).save();
      a.b.c(); f()(); expect(x).to.equal(1); list[0].save(); this.a.b.c(); } }`;
    const verdicts = probe(code, ['CallExpression'], (analysis, node, report) => {
      const call = node as TSESTree.CallExpression;
      if (call.parent.type === 'ExpressionStatement') report(String(mayCallFunction(analysis, call)));
    });
    expect(verdicts).toEqual([...Array(7).fill('true'), ...Array(5).fill('false')]);
  });

  // The test must never hide a function calledFunction finds: every call of the fixtures, the project
  // monorepo's modules included (the index resolves their imports).
  it('never rejects a call whose function calledFunction finds, over the fixtures', () => {
    let found = 0;
    let rejected = 0;
    const misses = sweep(fixtureSources(), ['CallExpression'], (analysis, node, report) => {
      const call = node as TSESTree.CallExpression;
      const callee = calledFunction(analysis, call, 'project');
      if (callee) found += 1;
      if (!mayCallFunction(analysis, call)) {
        rejected += 1;
        if (callee) report(`${call.loc.start.line}: ${callee.name}`);
      }
    });
    expect(misses).toEqual({});
    expect(found).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
