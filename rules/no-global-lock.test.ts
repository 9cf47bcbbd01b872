import { RuleTester as CoreRuleTester } from 'eslint';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from './no-global-lock.js';
import { gradesOf } from '../src/test-support/sites.js';
import { modes } from '../src/test-support/rule-tester.js';

const redlock = `import Redlock from 'redlock';\nconst redlock = new Redlock([]);\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;

const valid: (ValidTestCase<Options> | string)[] = [
  // a key with a per-caller part: only callers for the same order queue
  `${redlock}export async function pay(orderId: string) { await redlock.acquire([\`order:\${orderId}\`], 5000); }`,
  `${redlock}export async function pay(id: string) { await redlock.acquire(['user:' + id], 5000); }`,
  // the key is a parameter: the caller decides
  `${redlock}export async function withKey(key: string) { await redlock.acquire([key], 5000); }`,
  // SET without NX is a cache write, not a lock
  `import Redis from 'ioredis'; const redis = new Redis(); export async function f(v: string) { await redis.set('config', v, 'EX', 60); }`,
  // FOR UPDATE on rows selected by a parameter: row locks on the rows touched
  `${pg}export async function f(id: string) { await pool.query('SELECT * FROM rooms WHERE id = $1 FOR UPDATE', [id]); }`,
  // FOR UPDATE SKIP LOCKED: a work queue, not a mutex
  `${pg}export async function claim(worker: string) { await pool.query("SELECT * FROM jobs WHERE state = 'ready' LIMIT 1 FOR UPDATE SKIP LOCKED"); }`,
  // a two-key advisory lock with a per-entity second key
  `${pg}enum Ns { Domains = 7 } export async function f(orgId: string) { await pool.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [Ns.Domains, orgId]); }`,
  // migrations take locks on purpose
  { code: `${pg}export async function up(x: unknown) { await pool.query('LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE'); }`, filename: 'src/migrations/20240101-lock.ts' },
  // a parameterless duty: the constant key is the point
  `${redlock}export async function runNightlyInvoices() { await redlock.using(['invoices'], 60000, async () => bill()); }`,
  // a duty key (allowKeys) in a handler that gets a job, not an entity id
  `${redlock}export async function handle(job: { name: string }) { await redlock.acquire(['cron:nightly-invoices'], 60000); }`,
  // a mutex per connection, not per process
  `import { Mutex } from 'async-mutex'; import { Pool } from 'pg'; const pool = new Pool();
   export class PriceFeedConnection { private readonly mutex = new Mutex(); async push(tick: number) { await this.mutex.runExclusive(async () => pool.query('INSERT INTO ticks VALUES ($1)', [tick])); } }`,
  // a module-level mutex around CPU work only
  `import { Mutex } from 'async-mutex'; const mutex = new Mutex(); let counter = 0;
   export async function next(step: number) { return mutex.runExclusive(() => { counter += step; return counter; }); }`,
  // async-lock keyed per entity
  `import AsyncLock from 'async-lock'; import { Pool } from 'pg'; const pool = new Pool(); const lock = new AsyncLock();
   export async function f(id: string) { await lock.acquire(id, async () => pool.query('UPDATE t SET n = n + 1 WHERE id = $1', [id])); }`,
  // a local function named lock and a Map named locks
  `function lock(key: string) { return key; } const locks = new Map<string, number>(); export function f(id: string) { lock('jobs'); locks.set('jobs', 1); }`,
  // a periodic backfill's try-lock (from the real-code audit): the run is the duty, whatever its parameters
  `import Redis from 'ioredis';
   const redis = new Redis();
   export async function handleExperimentBackfill(lastRun: Date) { if (!(await redis.set('experiment-backfill-lock', '1', 'EX', 600, 'NX'))) return; await run(lastRun); }`,
  // a custom allowKeys list
  { code: `${redlock}export async function reindex(reason: string) { await redlock.acquire(['search-index'], 1000); }`, options: [{ allowKeys: ['search-index'], checkProcessLocks: true, checkNamedWrappers: true }] },
  // checkProcessLocks: false
  {
    code: `import { Mutex } from 'async-mutex'; import { Pool } from 'pg'; const pool = new Pool(); const mutex = new Mutex();
           export async function f(id: string) { await mutex.runExclusive(async () => pool.query('UPDATE t SET n = 1 WHERE id = $1', [id])); }`,
    options: [{ allowKeys: [], checkProcessLocks: false, checkNamedWrappers: true }],
  },
  // checkNamedWrappers: false
  { code: `import { withLock } from './locks'; export async function f(id: string) { await withLock('sync', async () => id); }`, options: [{ allowKeys: [], checkProcessLocks: true, checkNamedWrappers: false }] },
  // a namespace alias named like a lock wrapper (crash shape, issue 18: the import reader took every
  // import binding for an ImportDeclaration and read its missing source)
  {
    code: `import locks = require('@acme/other'); import acquire = locks.acquire;
export async function charge() { const release = await acquire('billing', 30000); release(); }`,
    settings: { coordination: { lockWrappers: [{ from: 'package', package: '@acme/locks', name: 'acquire' }] } },
  },
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function reserve(roomId: string) {
  const lock = await redlock.acquire(['bookings-lock'], 5000);
  try { await book(roomId); } finally { await lock.release(); }
}`,
    errors: [
      {
        messageId: 'globalLock',
        line: 6,
        column: 22,
        endLine: 6,
        endColumn: 62,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'roomId', key: '`bookings-lock:${roomId}`' },
            output: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function reserve(roomId: string) {
  const lock = await redlock.acquire([\`bookings-lock:\${roomId}\`], 5000);
  try { await book(roomId); } finally { await lock.release(); }
}`,
          },
        ],
      },
    ],
  },
  {
    // an advisory lock keyed by an enum member, a table lock, and a row used as a mutex
    code: `import { Pool } from 'pg';
const pool = new Pool();
enum PgLock { EmailDomains = 4201 }
export async function claim(domain: string) {
  await pool.query('SELECT pg_advisory_xact_lock($1)', [PgLock.EmailDomains]);
  await pool.query('LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE');
  await pool.query("SELECT * FROM mutexes WHERE name = 'billing' FOR UPDATE");
}`,
    errors: [
      { messageId: 'globalLock', line: 5, column: 9, endLine: 5, endColumn: 78, suggestions: [] },
      { messageId: 'tableLock', line: 6, column: 9, endLine: 6, endColumn: 67, suggestions: [] },
      { messageId: 'globalLock', line: 7, column: 9, endLine: 7, endColumn: 78, suggestions: [] },
    ],
  },
  {
    // a module-level mutex held across awaited queries
    code: `import { Mutex } from 'async-mutex';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const mutex = new Mutex();
export async function adjust(sku: string, delta: number) {
  return mutex.runExclusive(async () => {
    const row = await prisma.stock.findUniqueOrThrow({ where: { sku } });
    return prisma.stock.update({ where: { sku }, data: { qty: row.qty + delta } });
  });
}`,
    errors: [
      {
        messageId: 'processLock',
        line: 6,
        column: 10,
        endLine: 9,
        endColumn: 5,
        suggestions: [
          {
            messageId: 'suggestAtomicIncrement',
            data: { replacement: 'qty: { increment: delta }' },
            output: `import { Mutex } from 'async-mutex';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const mutex = new Mutex();
export async function adjust(sku: string, delta: number) {
  return mutex.runExclusive(async () => {
    return prisma.stock.update({ where: { sku }, data: { qty: { increment: delta } } });
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // node-redis SET NX on a property of an as-const object, and a lock wrapper found by name
    code: `import { createClient } from 'redis';
import { withLock } from '../lib/locks';
const LOCKS = { sync: 'sync-lock' } as const;
const client = createClient();
export async function sync(accountId: string) {
  await client.set(LOCKS.sync, '1', { NX: true, PX: 1000 });
  await withLock('account-sync', async () => pull(accountId));
}`,
    errors: [
      { messageId: 'globalLock', line: 6, column: 9, endLine: 6, endColumn: 60, suggestions: [] },
      {
        messageId: 'globalLock',
        line: 7,
        column: 9,
        endLine: 7,
        endColumn: 62,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'accountId', key: '`account-sync:${accountId}`' },
            output: `import { createClient } from 'redis';
import { withLock } from '../lib/locks';
const LOCKS = { sync: 'sync-lock' } as const;
const client = createClient();
export async function sync(accountId: string) {
  await client.set(LOCKS.sync, '1', { NX: true, PX: 1000 });
  await withLock(\`account-sync:\${accountId}\`, async () => pull(accountId));
}`,
          },
        ],
      },
    ],
  },
  {
    // resource lists, etcd locks, a same-file function returning the key, and a duty key taken per item
    code: `import Redlock from 'redlock';
import { Etcd3 } from 'etcd3';
const redlock = new Redlock([]);
const etcd = new Etcd3();
function lockKey() { return 'workspace-lock'; }
export async function start(workspaceId: string, jobs: string[]) {
  await redlock.using(['workspace-start', workspaceId], 10000, async () => run(workspaceId));
  await etcd.lock(\`tenants\`).do(async () => run(workspaceId));
  await redlock.acquire([lockKey()], 1000);
  for (const job of jobs) await redlock.acquire(['cron:nightly'], 1000);
}`,
    errors: [
      {
        messageId: 'globalLock',
        line: 7,
        column: 9,
        endLine: 7,
        endColumn: 93,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'workspaceId', key: '`workspace-start:${workspaceId}`' },
            output: `import Redlock from 'redlock';
import { Etcd3 } from 'etcd3';
const redlock = new Redlock([]);
const etcd = new Etcd3();
function lockKey() { return 'workspace-lock'; }
export async function start(workspaceId: string, jobs: string[]) {
  await redlock.using([\`workspace-start:\${workspaceId}\`, workspaceId], 10000, async () => run(workspaceId));
  await etcd.lock(\`tenants\`).do(async () => run(workspaceId));
  await redlock.acquire([lockKey()], 1000);
  for (const job of jobs) await redlock.acquire(['cron:nightly'], 1000);
}`,
          },
        ],
      },
      { messageId: 'globalLock', line: 8, column: 9, endLine: 8, endColumn: 29, suggestions: [] },
      { messageId: 'globalLock', line: 9, column: 9, endLine: 9, endColumn: 43, suggestions: [] },
      {
        messageId: 'globalLock',
        line: 10,
        column: 33,
        endLine: 10,
        endColumn: 72,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'workspaceId', key: '`cron:nightly:${workspaceId}`' },
            output: `import Redlock from 'redlock';
import { Etcd3 } from 'etcd3';
const redlock = new Redlock([]);
const etcd = new Etcd3();
function lockKey() { return 'workspace-lock'; }
export async function start(workspaceId: string, jobs: string[]) {
  await redlock.using(['workspace-start', workspaceId], 10000, async () => run(workspaceId));
  await etcd.lock(\`tenants\`).do(async () => run(workspaceId));
  await redlock.acquire([lockKey()], 1000);
  for (const job of jobs) await redlock.acquire([\`cron:nightly:\${workspaceId}\`], 1000);
}`,
          },
        ],
      },
    ],
  },
  {
    // a lock wrapper named in settings.coordination.lockWrappers
    code: `import { acquire } from '@acme/locks';
export async function charge(customerId: string) {
  const release = await acquire('billing', 30000);
  release();
}`,
    settings: { coordination: { lockWrappers: [{ from: 'package', package: '@acme/locks', name: 'acquire' }] } },
    errors: [
      {
        messageId: 'globalLock',
        line: 3,
        column: 25,
        endLine: 3,
        endColumn: 50,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'customerId', key: '`billing:${customerId}`' },
            output: `import { acquire } from '@acme/locks';
export async function charge(customerId: string) {
  const release = await acquire(\`billing:\${customerId}\`, 30000);
  release();
}`,
          },
        ],
      },
    ],
  },
  {
    // a read-modify-write of one counter under the lock: an atomic increment needs no lock
    code: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function addCredits(accountId: string, amount: number) {
  await redlock.using(['credits'], 5000, async () => {
    const current = await redis.get(\`credits:\${accountId}\`);
    await redis.set(\`credits:\${accountId}\`, String(Number(current ?? 0) + amount));
  });
}`,
    errors: [
      {
        messageId: 'globalLock',
        line: 6,
        column: 9,
        endLine: 9,
        endColumn: 5,
        suggestions: [
          {
            messageId: 'suggestAtomicIncrement',
            data: { replacement: 'redis.incrby(`credits:${accountId}`, amount)' },
            output: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function addCredits(accountId: string, amount: number) {
  await redlock.using(['credits'], 5000, async () => {
    await redis.incrby(\`credits:\${accountId}\`, amount);
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // the Prisma form: findUnique, then update with arithmetic on the value read
    code: `import Redlock from 'redlock';
import { PrismaClient } from '@prisma/client';
const redlock = new Redlock([]);
const prisma = new PrismaClient();
export async function bump(id: string, by: number) {
  const lock = await redlock.acquire(['counters'], 5000);
  const row = await prisma.counter.findUniqueOrThrow({ where: { id } });
  await prisma.counter.update({ where: { id }, data: { value: row.value - by } });
  await lock.release();
}`,
    errors: [
      {
        messageId: 'globalLock',
        line: 6,
        column: 22,
        endLine: 6,
        endColumn: 57,
        suggestions: [
          {
            messageId: 'suggestAtomicIncrement',
            data: { replacement: 'value: { decrement: by }' },
            output: `import Redlock from 'redlock';
import { PrismaClient } from '@prisma/client';
const redlock = new Redlock([]);
const prisma = new PrismaClient();
export async function bump(id: string, by: number) {
  const lock = await redlock.acquire(['counters'], 5000);
  await prisma.counter.update({ where: { id }, data: { value: { decrement: by } } });
  await lock.release();
}`,
          },
        ],
      },
    ],
  },
  {
    // the value read is also returned: the read stays, only the write becomes atomic
    code: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function addCredits(accountId: string, amount: number) {
  return redlock.using(['credits'], 5000, async () => {
    const current = await redis.get(\`credits:\${accountId}\`);
    await redis.set(\`credits:\${accountId}\`, String(Number(current ?? 0) + amount));
    return current;
  });
}`,
    errors: [
      {
        messageId: 'globalLock',
        line: 6,
        column: 10,
        endLine: 10,
        endColumn: 5,
        suggestions: [
          {
            messageId: 'suggestAtomicIncrement',
            data: { replacement: 'redis.incrby(`credits:${accountId}`, amount)' },
            output: `import Redlock from 'redlock';
import Redis from 'ioredis';
const redis = new Redis();
const redlock = new Redlock([redis]);
export async function addCredits(accountId: string, amount: number) {
  return redlock.using(['credits'], 5000, async () => {
    const current = await redis.get(\`credits:\${accountId}\`);
    await redis.incrby(\`credits:\${accountId}\`, amount);
    return current;
  });
}`,
          },
        ],
      },
    ],
  },
];

for (const [mode, tester] of modes) {
  describe(`no-global-lock (${mode})`, () => {
    tester().run('no-global-lock', rule, { valid, invalid });
  });
}

describe('no-global-lock (espree, CommonJS)', () => {
  new CoreRuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } }).run('no-global-lock', rule as never, {
    valid: [`const Redis = require('ioredis'); const redis = new Redis(); module.exports = async (id) => redis.set(\`lock:\${id}\`, 1, 'NX');`],
    invalid: [
      {
        code: `const Redis = require('ioredis');
const redis = new Redis();
module.exports = async function reconcile(roomId) {
  if ((await redis.setnx('lock:inventory', roomId)) === 0) return false;
  return true;
};`,
        errors: [
          {
            messageId: 'globalLock',
            line: 4,
            column: 14,
            endLine: 4,
            endColumn: 51,
            suggestions: [
              {
                messageId: 'suggestEntityKey',
                output: `const Redis = require('ioredis');
const redis = new Redis();
module.exports = async function reconcile(roomId) {
  if ((await redis.setnx(\`lock:inventory:\${roomId}\`, roomId)) === 0) return false;
  return true;
};`,
              },
            ],
          },
        ],
      },
    ],
  });
});

// Judgement (src/analysis/judgement.ts): the code path moves the grade; the rule's own exemptions stay.
describe('no-global-lock judgement', () => {
  const grade = (code: string, filename?: string) => gradesOf('no-global-lock', code, filename).map((site) => [site.confidence, site.evidence]);
  const body = `await redlock.acquire(['bookings'], 1000);`;

  it('a constant key on a request path is high and says which handler', () => {
    const code = `${redlock}import express from 'express'; const app = express();
app.post('/bookings/:id', async (req, res) => { ${body} res.end(); });`;
    expect(grade(code)).toEqual([['high', ['in the POST /bookings/:id handler']]]);
  });

  it('startup and shutdown hooks drop to low; a function named start with parameters is work, not startup', () => {
    expect(grade(`${redlock}export class Boot { async onApplicationBootstrap() { await this.warm('x'); } async warm(id: string) { ${body} } }`)).toEqual([
      ['low', ['runs in onApplicationBootstrap(), through warm(), not per request']],
    ]);
    expect(grade(`${redlock}process.on('SIGTERM', async () => { await release('x'); }); async function release(id: string) { ${body} }`)[0]?.[0]).toBe('low');
    expect(grade(`${redlock}export async function start(workspaceId: string) { ${body} }`)).toEqual([['high', []]]);
  });

  it('scripts and tests drop to low by their file role', () => {
    const code = `${redlock}export async function run(id: string) { ${body} }`;
    expect(grade(code, 'scripts/reindex.ts')[0]?.[0]).toBe('low');
    expect(grade(code, 'src/locks.test.ts')[0]?.[0]).toBe('low');
    expect(grade(code, 'src/locks.ts')[0]?.[0]).toBe('high');
  });
});
