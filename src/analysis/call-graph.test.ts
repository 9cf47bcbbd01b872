import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { probe } from '../test-support/lint.js';
import { coordinatingHelper } from './call-graph.js';

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
