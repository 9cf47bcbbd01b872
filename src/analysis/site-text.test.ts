// The site text gate of no-coordination-in-loop: what opens it, what keeps it closed, that no call of a
// file it keeps closed classifies, and that closing it changes no report while it saves the work.
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it, vi } from 'vitest';
import plugin from '../index.js';
import { buildCatalog } from '../model/catalog.js';
import { parseSettings } from '../settings.js';
import { probe } from '../test-support/lint.js';
import { fixturesRoot } from '../test-support/paths.js';
import { CLOSED_INDEX, gateOnFixtures, reportsWithGateForcedOpen } from '../test-support/text-gate.js';
import { type CallNode, classifyCall } from './classify-call.js';
import { mayHoldSiteText, siteTextGate } from './site-text.js';

const gateState = vi.hoisted(() => ({ forceOpen: false, closed: 0 }));

vi.mock('./site-text.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./site-text.js')>();
  return {
    ...actual,
    mayHoldSiteText: (analysis: Parameters<typeof actual.mayHoldSiteText>[0]) => {
      const held = actual.mayHoldSiteText(analysis);
      if (!held) gateState.closed++;
      return gateState.forceOpen || held;
    },
  };
});

vi.mock('./classify-call.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./classify-call.js')>();
  return { ...actual, classifyCall: vi.fn(actual.classifyCall) };
});

const defaultGate = siteTextGate(buildCatalog());

describe('the site text gate', () => {
  it('opens on every way a call finds a client', () => {
    for (const text of [
      `import { PrismaClient } from '@prisma/client';`,
      `import Redis from "ioredis";`,
      `const { Pool } = require('pg');`,
      `const pg = await import(\`pg\`);`,
      `import { drizzle } from 'drizzle-orm/node-postgres';`,
      `let pool: import('pg').Pool;`,
      `await fetch(url);`,
      `await globalThis['fetch'](url);`,
      // Names the fallback matches, written the ways names are written.
      `await this.orderRedis.set(k, v);`,
      `await PG_POOL.query(q);`,
      `await prismaService.user.create({ data });`,
      `await this.userRepository.save(user);`,
      `await ddbClient.send(command);`,
      // A name of several words, whole, however an identifier joins them.
      `await this.entityManager.save(job);`,
      `await ENTITY_MANAGER.save(job);`,
      `await runner.queryRunner.query(q);`,
      // SQL text to any query call, as the source writes it.
      `await db.query('SELECT 1');`,
      `await run("\\n  update users set seen = true");`,
      `await sql\`\n  INSERT INTO t VALUES (\${a})\`;`,
      `await conn.execute('/* hint */ DELETE FROM t');`,
      `await conn.execute(\`\\tLOCK TABLE t IN EXCLUSIVE MODE\`);`,
      `await x.raw('with recent as (select 1) select * from recent');`,
      // The word ends at the quote or an escape: the rest may be a concatenation or spelt with escapes.
      `await db.query('UPDATE' + ' users SET a = 1');`,
      `await db.query('SELECT\\u0020now()');`,
    ]) {
      expect(defaultGate.test(text), text).toBe(true);
    }
  });

  it('stays closed on code that names no client, no package of the catalogue and no SQL', () => {
    for (const text of [
      `for (const item of items) await queue.push(item);`,
      `import { Effect } from 'effect'; const upgraded = yield* Effect.upgrade(png);`,
      `await this.store.update(id, patch); emitter.emit('change', id);`,
      `const fetched = await fetcher(url); refetch(); prefetchQuery(key);`,
      `import { upgradeSchema } from './schema';`,
      // A name word inside a word starts no name word: `reproducer`, `upgrade`.
      `const reproducer = makeReproducer(); const upgraded = upgrade();`,
      // One word of a name of several words is not the name (`data`, `entity`, `async`).
      `const entity = await load(data); async function source() {}`,
      // A SQL word that runs on into a key or a class name starts no statement.
      `t('select-board'); cn('select-none', 'w-4'); notify('update_status', id); emit(\`delete-user-\${id}\`);`,
    ]) {
      expect(defaultGate.test(text), text).toBe(false);
    }
  });

  it('does not count what a comment says', () => {
    const held = (code: string): string[] =>
      probe(code, ['Program'], (analysis, _node, report) => report(String(mayHoldSiteText(analysis))), { settings: CLOSED_INDEX });
    const commented = `/** Runs \`with the specified value\`, like redis' SET; "do notation". */\n// fetch('x'); import 'pg'\nexport const x = 1;\n`;
    expect(held(commented)).toEqual(['false']);
    // The same texts in code count, also after a comment that holds one of them.
    for (const code of [`run('with x as (select 1) select * from x');`, `await redis.set(k, v);`, `await fetch(url);`, `import 'pg';`]) {
      expect(held(commented + code), code).toEqual(['true']);
    }
  });

  it('follows the merged catalogue', () => {
    const acme = buildCatalog({
      clients: [{ id: 'acme.Ledger', packages: ['@acme/ledger'], names: ['ledger'], reach: ['new default'] }],
      operations: [{ id: 'acme.post', client: 'acme.Ledger', methods: ['post'], kind: 'remote-write', level: 3, why: 'x' }],
    });
    const gate = siteTextGate(acme);
    expect(gate.test(`import Ledger from '@acme/ledger';`)).toBe(true);
    expect(gate.test(`await this.mainLedger.post(entry);`)).toBe(true);
    expect(defaultGate.test(`await this.mainLedger.post(entry);`)).toBe(false);
    expect(siteTextGate(buildCatalog({ clients: [{ id: 'acme.Bus', globals: ['acmeBus'], reach: [] }] })).test(`await acmeBus.publish(e);`)).toBe(true);
    // The settings' catalogue is the merged one the gate is built from.
    const settings = parseSettings({ catalog: { clients: [{ id: 'acme.Vault', packages: ['@acme/vault'], names: ['vault'], reach: ['new default'] }] } });
    expect(siteTextGate(settings.catalog).test(`await this.vault.put(k, v);`)).toBe(true);
    expect(defaultGate.test(`await acmeBus.publish(e);`)).toBe(false);
  });

  it('is open on every fixture file where a call classifies with the index closed', () => {
    const { missed, foundFiles, closedFiles } = gateOnFixtures(
      (text) => defaultGate.test(text),
      ['CallExpression', 'TaggedTemplateExpression'],
      (analysis, node) => classifyCall(analysis, node as CallNode) !== undefined,
    );
    expect(missed).toEqual([]);
    expect(foundFiles).toBeGreaterThan(40);
    expect(closedFiles).toBeGreaterThan(10);
  });
});

describe('no-coordination-in-loop behind the gate', () => {
  it('reports the same on every fixture with the gate and with the gate forced open', () => {
    // With the index off, as for a package that reaches no store, so that the gate is asked of every file.
    const { gated, open, closed } = reportsWithGateForcedOpen(plugin, 'no-coordination-in-loop', gateState);
    expect(gated).toEqual(open);
    expect(Object.values(gated).flat().length).toBeGreaterThan(20);
    expect(closed).toBeGreaterThan(10);
  });

  it('classifies no call in a library file without site text, and opens where the index may leave the file (it imports)', () => {
    const linter = new Linter({ configType: 'flat' });
    const code = `export async function drain(items: string[], sink: { write(x: string): Promise<void> }) {\n  for (const item of items) await sink.write(item);\n}\n`;
    const lint = (text: string, settings: Record<string, unknown>, filename: string): void => {
      linter.verify(
        text,
        [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never }, settings, rules: { 'coordination/no-coordination-in-loop': 'error' } }],
        { filename },
      );
    };
    for (const [text, settings, filename, classified] of [
      [code, CLOSED_INDEX, 'lib.ts', false],
      // A name the fallback could match: the gate opens and the rule asks.
      [code.replaceAll('sink', 'redis'), CLOSED_INDEX, 'lib.ts', true],
      // A file of a workspace that imports: the index may leave it, so the gate is not asked.
      [`import { format } from './format.js';\n${code}`, {}, `${fixturesRoot}project/apps/site-text-gate/lib.ts`, true],
      // One that imports nothing reaches no other module: the gate is asked.
      [code, {}, `${fixturesRoot}project/apps/site-text-gate/lib.ts`, false],
    ] as const) {
      vi.mocked(classifyCall).mockClear();
      lint(text, settings, filename);
      expect(vi.mocked(classifyCall).mock.calls.length > 0, `${text} ${filename}`).toBe(classified);
    }
  });
});
