// The catalogue's named sections (SQL patterns, clocks, word lists, file roles) extended through
// settings.coordination.catalog: the documented block in docs/settings.md, linted as a user would.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSettings } from './settings.js';
import { sitesOf } from './test-support/sites.js';

const docs = readFileSync(new URL('../docs/settings.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('### SQL patterns, clocks, word lists and file roles'));
const block = /```js\n([\s\S]*?)```/.exec(section)![1]!;
const documented = (new Function(`return {${block}};`)() as { settings: { coordination: Record<string, unknown> } }).settings.coordination;

/** `rule messageId line` for each site, with and without the documented settings. */
function reports(code: string, filename = 'src/jobs.ts'): { before: string[]; after: string[] } {
  const list = (settings?: Record<string, unknown>): string[] =>
    sitesOf(code, { filename, ...(settings ? { settings } : {}) }).map((site) => `${site.ruleId.replace('coordination/', '')} ${site.record.messageId} ${site.line}`);
  return { before: list(), after: list(documented) };
}

describe('catalogue sections extended through settings (docs/settings.md)', () => {
  it('a user SQL lock pattern makes a statement a table lock', () => {
    const code = `import { Pool } from 'pg';
      const pool = new Pool();
      export async function claim(id: string) {
        await pool.query('SELECT * FROM jobs WITH (TABLOCKX) WHERE id = $1', [id]);
      }`;
    expect(reports(code)).toEqual({ before: [], after: ['no-global-lock tableLock 4'] });
    expect(sitesOf(code, { filename: 'src/jobs.ts', settings: documented })[0]!.text).toContain('locks the whole table jobs');
  });

  it('a user clock source is a wall clock wherever it is imported from its package', () => {
    const code = `import { clock } from '@acme/time';
      export function bump(record: { version: number }) {
        record.version = clock.now();
      }`;
    expect(reports(code)).toEqual({ before: [], after: ['no-wall-clock-ordering clockAsVersion 3'] });
    // A local `clock` is not the package's.
    const local = `const clock = { now: () => 1 };
      export function bump(record: { version: number }) { record.version = clock.now(); }`;
    expect(reports(local)).toEqual({ before: [], after: [] });
  });

  it('a user lock word makes a wrapper a lock, and a user file role exempts a folder', () => {
    const code = `import { withLatch } from './latch';
      export async function book(roomId: string, save: () => Promise<void>) {
        await withLatch('bookings', save);
      }`;
    expect(reports(code)).toEqual({ before: [], after: ['no-global-lock globalLock 3'] });
    const loop = `import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      export async function load(rows: { id: string }[]) { for (const row of rows) await prisma.user.create({ data: row }); }`;
    expect(reports(loop, 'tools/load.ts')).toEqual({ before: ['no-coordination-in-loop perItemWrite 3'], after: [] });
  });

  it('a user page key makes a loop whose item picks the page a walk over pages, not a read per item', () => {
    const paged = (key: string): string => `import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      export async function all(ids: string[]) {
        const found = [];
        for (const id of ids) found.push(await prisma.user.findFirst({ where: { id }, ${key}: id }));
        return found;
      }`;
    // Every grade: the page walk is left out whatever its grade.
    const list = (code: string, settings: Record<string, unknown> = {}): string[] =>
      sitesOf(code, { filename: 'src/users.ts', settings: { reportMinConfidence: 'low', ...settings } }).map((site) => `${site.ruleId.replace('coordination/', '')} ${site.record.messageId}`);
    expect(list(paged('skip'))).toEqual([]);
    expect(list(paged('pg'))).toEqual(['no-coordination-in-loop perItemRead']);
    expect(list(paged('pg'), { catalog: { vocabulary: { pageKeys: ['pg'] } } })).toEqual([]);
  });

  it('names the key of an entry that does not compile or does not exist', () => {
    expect(() => parseSettings({ catalog: { sqlPatterns: [{ id: 'x', pattern: '(', kind: 'lock', level: 3, scope: 'table' }] } })).toThrow(
      /settings\.coordination\.catalog\.sqlPatterns\[0\]\.pattern is not a regular expression/,
    );
    expect(() => parseSettings({ catalog: { vocabulary: { lockWord: ['latch'] } } })).toThrow(/settings\.coordination\.catalog\.vocabulary: unknown key "lockWord"/);
    expect(() => parseSettings({ catalog: { vocabulary: { lockWords: ['/(/'] } } })).toThrow(/settings\.coordination\.catalog: vocabulary\.lockWords: invalid regular expression/);
    expect(() => parseSettings({ catalog: { clockSources: [{ id: 'c', callee: 'clock now' }] } })).toThrow(/settings\.coordination\.catalog\.clockSources\[0\]\.callee/);
  });
});
