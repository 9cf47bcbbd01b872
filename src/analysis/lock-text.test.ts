// The text gate of no-global-lock: what opens it, what keeps it closed, and that closing it changes no
// report (every fixture linted with the gate and with the gate forced open) while it saves the work.
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it, vi } from 'vitest';
import plugin from '../index.js';
import { SQL_PATTERNS } from '../model/catalog-data.js';
import { buildCatalog } from '../model/catalog.js';
import { parseSettings } from '../settings.js';
import { fixtureReports } from '../test-support/lint.js';
import { fixtureSources } from '../test-support/paths.js';
import { classifyCall } from './classify-call.js';
import { SQL_LOCK_TEXT, lockTextGate } from './lock-text.js';
import { splitWords } from './words.js';

const gateState = vi.hoisted(() => ({ forceOpen: false, closed: 0 }));

vi.mock('./lock-text.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./lock-text.js')>();
  return {
    ...actual,
    mayHoldLockText: (analysis: Parameters<typeof actual.mayHoldLockText>[0]) => {
      const held = actual.mayHoldLockText(analysis);
      if (!held) gateState.closed++;
      return gateState.forceOpen || held;
    },
  };
});

vi.mock('./classify-call.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./classify-call.js')>();
  return { ...actual, classifyCall: vi.fn(actual.classifyCall) };
});

const defaultGate = lockTextGate(buildCatalog(), []);

function opens(text: string, gate = defaultGate): boolean {
  return gate === undefined || gate.test(text);
}

describe('the lock text gate', () => {
  it('opens on every way the rule finds a lock in a file', () => {
    for (const text of [
      `await redlock.acquire(['jobs'], 5000);`,
      `await redlock\n  .using(['jobs'], 5000, work);`,
      `await redlock['using'](['jobs'], 5000, work);`,
      `await mutex.runExclusive(work);`,
      `await client?.acquire?.('k', work);`,
      `await redis.set('jobs', id, 'PX', 30000, 'NX');`,
      `await redis.set('jobs', id, { NX: true, PX: 30000 });`,
      `await client.query('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [id]);`,
      `await sql\`SELECT pg_advisory_xact_lock(\${KEY})\`;`,
      `await db.execute('LOCK TABLE orders IN EXCLUSIVE MODE');`,
      `await conn.query("SELECT GET_LOCK('jobs', 10)");`,
      `await withLock(KEY, work);`,
      `await this.locks.acquire(KEY);`,
      `await semaphoreService.run(KEY, work);`,
    ]) {
      expect(opens(text), text).toBe(true);
    }
  });

  it('stays closed on calls that cannot be a lock: no lock method, no lock word, no SQL lock text', () => {
    for (const text of [
      `for (const id of ids) await db.user.findUnique({ where: { id } });`,
      `await cache.set(key, value);`,
      `// using the cache here: a release of the key happens elsewhere\nawait redis.del(key);`,
      `export async function acquireToken() { return fetch(url); }`,
      `await Promise.all(replicas.map((replica) => replica.put(key, value)));`,
      // A store lock without a key (a release, an extension) is judged nowhere on its own.
      `await handle.release(); await handle.extend(1000);`,
      // `lock` inside a word is no lock word: Effect's Clock, a block, an unlock, a deadlock.
      `const now = yield* Clock.currentTimeMillis; const clock = makeClock();`,
      `await this.blockUser(id); const blocked = isBlocking(); await unlockAccount(id); report.deadlocks++;`,
      `await db.query('SELECT id FROM blocks WHERE clock > $1', [t]);`,
    ]) {
      expect(opens(text), text).toBe(false);
    }
  });

  it('opens on a lock word wherever a split name can start it', () => {
    for (const text of [
      `await withLock(KEY, work);`,
      `await lock_service.take(KEY);`,
      `await ADVISORY_LOCK(KEY);`,
      `await XMLLock(KEY);`,
      `await $lock(KEY);`,
      `const semaphore = yield* Effect.makeSemaphore(1);`,
      `await this.jobsMutex.run(KEY, work);`,
      `await obj['with-lock'](KEY, work);`,
      `await Locker2(KEY);`,
      // SQL with an escaped line break before the lock, as the source writes it.
      `await db.query('SELECT 1;\\nlock table orders in exclusive mode');`,
    ]) {
      expect(opens(text), text).toBe(true);
    }
  });

  it('lets through every name whose split words hold a lock word', () => {
    // Property: a name made of words, one of them a lock word, in any of the ways names are written.
    const words = ['with', 'order', 'jobs', 'x', 'db2', 'XML', 'service', '$', '_'];
    const lockWords = ['lock', 'locks', 'mutex', 'semaphore', 'locker', 'locking'];
    const cases = [(w: string) => w, (w: string) => w.toUpperCase(), (w: string) => w[0]!.toUpperCase() + w.slice(1)];
    const joins = ['', '_', '-', '.', '$'];
    let checked = 0;
    for (const before of words) {
      for (const after of words) {
        for (const word of lockWords) {
          for (const style of cases) {
            for (const join of joins) {
              const name = `${before}${join}${style(word)}${join}${after}`;
              if (!splitWords(name).includes(word)) continue;
              checked++;
              expect(opens(`await ${name}(KEY);`), name).toBe(true);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('names a word for every built-in SQL lock pattern, held by each text the pattern matches', () => {
    const samples: Record<string, readonly string[]> = {
      'pg-advisory-lock': ['SELECT pg_advisory_lock(42)', 'select pg_try_advisory_xact_lock_shared($1)'],
      'lock-table': ['LOCK TABLE orders IN EXCLUSIVE MODE', 'lock "public"."orders" in share row exclusive mode'],
      'mysql-lock-tables': ['LOCK TABLES orders WRITE', 'lock tables a read, b write'],
      'mysql-get-lock': ["SELECT GET_LOCK('jobs', 10)"],
      'select-for-update': ['SELECT * FROM t WHERE id = 1 FOR UPDATE', 'select 1 for no key update skip locked', 'SELECT id FROM jobs FOR\n  UPDATE'],
    };
    const lockPatterns = SQL_PATTERNS.filter((pattern) => pattern.kind === 'lock' || pattern.kind === 'local-lock');
    expect(Object.keys(SQL_LOCK_TEXT).sort()).toEqual(lockPatterns.map((pattern) => pattern.id).sort());
    for (const pattern of lockPatterns) {
      const needs = SQL_LOCK_TEXT[pattern.id]!;
      // A word: after a character that is no letter or digit, or at the start of the SQL.
      const text = 'word' in needs ? new RegExp(`(?:^|[^A-Za-z0-9])${needs.word}`, 'i') : new RegExp(needs.text, 'i');
      expect(samples[pattern.id]?.length, pattern.id).toBeGreaterThan(0);
      for (const sample of samples[pattern.id] ?? []) {
        expect(pattern.pattern.test(sample), sample).toBe(true);
        // The text the gate looks for lies inside what the pattern matched (with the character before it).
        const match = sample.match(pattern.pattern)!;
        expect(text.test(sample.slice(Math.max(0, match.index! - 1), match.index! + match[0].length)), sample).toBe(true);
        expect(opens(`db.query(${JSON.stringify(sample)})`), sample).toBe(true);
        // After a line break written as an escape: a letter before the word in the source text.
        expect(opens(`db.query(${JSON.stringify(`SELECT 1;\n${sample.toLowerCase()}`)})`), sample).toBe(true);
        expect(opens(`db.query(\`\n  ${sample.replace(/ /g, '\n  ')}\n\`)`), sample).toBe(true);
      }
    }
    // An UPDATE statement, or a method named update, is no row lock.
    expect(opens(`await pool.query('UPDATE users SET seen = true WHERE id = $1', [id]); await repo.update(id, patch);`)).toBe(false);
  });

  it('follows the merged catalogue and the settings', () => {
    const keyedGrab = buildCatalog({
      clients: [{ id: 'acme.Locks', packages: ['@acme/locks'], reach: ['new default'] }],
      operations: [{ id: 'acme.grab', client: 'acme.Locks', methods: ['grab'], kind: 'lock', level: 3, keyArgument: 0, why: 'x' }],
    });
    expect(opens('await vault.grab(KEY);', lockTextGate(keyedGrab, []))).toBe(true);
    expect(opens('await vault.grab(KEY);')).toBe(false);
    // A wrapper from the settings, by its name (a method name for `Class#method`).
    const wrappers = lockTextGate(buildCatalog(), ['serialise', { name: 'Jobs#exclusively', from: 'file' }]);
    expect(opens(`await serialise('jobs', work);`, wrappers)).toBe(true);
    expect(opens(`await this.exclusively('jobs', work);`, wrappers)).toBe(true);
    expect(opens(`await serialiser.run('jobs', work);`, wrappers)).toBe(false);
    // A lock word the user adds; one given as a regular expression or a user SQL pattern opens every file.
    const settings = parseSettings({ catalog: { vocabulary: { lockWords: ['latch'] } } });
    expect(opens('await latchService.take(KEY, work);', lockTextGate(settings.catalog, []))).toBe(true);
    expect(lockTextGate(parseSettings({ catalog: { vocabulary: { lockWords: ['/^gate$/'] } } }).catalog, [])).toBeUndefined();
    const userPattern = parseSettings({ catalog: { sqlPatterns: [{ id: 'acme-lock', pattern: 'SELECT acme_take', kind: 'lock', level: 3, scope: 'key' }] } });
    expect(lockTextGate(userPattern.catalog, [])).toBeUndefined();
  });
});

/** no-global-lock on `file`, with the fixtures' default settings: `line:column messageId` per report. */
function globalLocks(linter: Linter, file: string): string[] {
  return fixtureReports(linter, file, plugin, 'no-global-lock');
}

describe('no-global-lock behind the gate', () => {
  it('reports the same on every fixture with the gate and with the gate forced open', () => {
    const linter = new Linter({ configType: 'flat' });
    const files = fixtureSources();
    gateState.closed = 0;
    gateState.forceOpen = false;
    const gated = Object.fromEntries(files.map((file) => [file, globalLocks(linter, file)]));
    const closed = gateState.closed;
    gateState.forceOpen = true;
    const open = Object.fromEntries(files.map((file) => [file, globalLocks(linter, file)]));
    gateState.forceOpen = false;
    expect(gated).toEqual(open);
    // The sweep saw reports, and files where the gate was closed.
    expect(Object.values(gated).flat().length).toBeGreaterThan(20);
    expect(closed).toBeGreaterThan(20);
  });

  it('classifies no call in a file without lock text', () => {
    vi.mocked(classifyCall).mockClear();
    const linter = new Linter({ configType: 'flat' });
    const code = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function touch(ids: string[]) {\n  for (const id of ids) await pool.query('SELECT seen FROM users WHERE id = $1 FOR UPDATE', [id]);\n}\n`;
    const withoutLock = code.replace(' FOR UPDATE', '');
    for (const [text, classified] of [
      [withoutLock, false],
      // Lock text in a comment only: the gate stays closed.
      [`// takes a row lock: SELECT … FOR UPDATE, under withLock\n${withoutLock}`, false],
      [code, true], // a row lock, on a key per item: the gate opens, the rule asks, and the key is no constant
    ] as const) {
      vi.mocked(classifyCall).mockClear();
      const messages = linter.verify(
        text,
        [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never }, rules: { 'coordination/no-global-lock': 'error' } }],
        { filename: 'service.ts' },
      );
      expect(messages).toEqual([]);
      expect(vi.mocked(classifyCall).mock.calls.length > 0, text).toBe(classified);
    }
  });
});
