// Typed mode: the same resolution with a TypeScript program. Types may settle what syntax left
// unresolved or guessed by name; they never change a site resolved through imports.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { type ProbeOptions, probe } from '../test-support/lint.js';
import { classifyCall } from './classify-call.js';
import { buildSite, catalogPrimitive } from './site.js';
import { effectiveSite } from './sql.js';

const typedRoot = fileURLToPath(new URL('../../fixtures/typed/', import.meta.url));
const typed: ProbeOptions = {
  filename: `${typedRoot}src/file.ts`,
  parserOptions: { projectService: true, tsconfigRootDir: typedRoot },
};
const syntactic: ProbeOptions = { filename: `${typedRoot}src/file.ts` };

function sites(code: string, options: ProbeOptions): string[] {
  return probe(
    code,
    ['CallExpression', 'TaggedTemplateExpression'],
    (analysis, node, report) => {
      const site = classifyCall(analysis, node as TSESTree.CallExpression);
      if (site) report(`${site.operation.id} ${site.via}`);
    },
    options,
  );
}

describe('typed mode', () => {
  it('finds a client whose name says nothing in another module: syntax through the project index, types through the checker', () => {
    const code = `import { store, locker, db } from './clients.js';
      export async function f() { await store.setnx('k', 1); await locker.acquire(['jobs'], 1000); await db.booking.create({ data: {} }); }`;
    expect(sites(code, syntactic)).toEqual(['redis.setnx import', 'redlock.acquire import', 'prisma.create import']);
    // Resolved through imports first in both modes: types settle only what syntax cannot.
    expect(sites(code, typed)).toEqual(['redis.setnx import', 'redlock.acquire import', 'prisma.create import']);
  });

  it('drops a name-only site whose type is no client', () => {
    const code = `import { redisCache, prismaLike } from './clients.js';
      export function f() { redisCache.set('k', 'v'); prismaLike.booking.create({}); }`;
    expect(sites(code, syntactic)).toEqual(['redis.set name', 'prisma.create name']);
    expect(sites(code, typed)).toEqual([]);
  });

  it('settles a class from another file that extends a client', () => {
    const code = `import { PrismaService } from './clients.js';
      export class Bookings { constructor(private readonly prisma: PrismaService) {} book() { return this.prisma.booking.create({ data: {} }); } }`;
    // The project index reads the class in clients.ts: no longer a guess from the name.
    expect(sites(code, syntactic)).toEqual(['prisma.create import']);
    expect(sites(code, typed)).toEqual(['prisma.create import']);
  });

  it('never changes a site resolved through imports', () => {
    const code = `import Redis from 'ioredis'; const r = new Redis(); export const f = () => r.setnx('k', 1);`;
    expect(sites(code, syntactic)).toEqual(['redis.setnx import']);
    expect(sites(code, typed)).toEqual(['redis.setnx import']);
  });

  it('decides once whether a file is typed, and each site record carries that decision to the report', () => {
    const code = `import Redis from 'ioredis'; const r = new Redis(); export const f = () => r.setnx('k', 1);`;
    const recordTyped = (options: ProbeOptions): string[] =>
      probe(
        code,
        ['CallExpression'],
        (analysis, node, report) => {
          const site = classifyCall(analysis, node as TSESTree.CallExpression);
          if (!site) return;
          const effective = effectiveSite(analysis, site);
          const record = buildSite(analysis, 'no-global-lock', {
            messageId: 'globalLock',
            smell: 'lock on a constant key',
            primitive: catalogPrimitive(analysis, site, effective),
            level: effective.level,
            path: ['r.setnx()'],
            wayOut: '',
          });
          report(String(record.typed));
        },
        options,
      );
    expect(recordTyped(typed)).toEqual(['true']);
    expect(recordTyped(syntactic)).toEqual(['false']);
  });
});
