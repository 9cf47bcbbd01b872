import { RuleTester as CoreRuleTester } from 'eslint';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import rule, { type MessageIds, type Options } from './no-coordination-in-loop.js';
import { modes } from '../src/test-support/rule-tester.js';
import { gradesOf, sitesOf } from '../src/test-support/sites.js';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const noReads: Options = [{ checkHelpers: true, checkParallel: true, checkReads: false, maxFixedIterations: 5 }];

const valid: (ValidTestCase<Options> | string)[] = [
  // an event or action name is no SQL statement, whatever word it is
  `export async function f(ids: string[]) { for (const id of ids) await notify('update', id); }`,
  { code: `export async function f(ids: string[]) { for (const id of ids) await track(\`delete\`, id); }`, options: [{ checkHelpers: true, checkParallel: true, checkReads: true, maxFixedIterations: 5, minConfidence: 'low' }] },
  // nor is a label, a translation key or a sentence that starts with one
  {
    code: `export async function f(ids: string[]) { for (const id of ids) { await notify('Update an existing item', id); await emit(\`delete-user-\${id}\`); await log('select which items to keep', id); } }`,
    options: [{ checkHelpers: true, checkParallel: true, checkReads: true, maxFixedIterations: 5, minConfidence: 'low' }],
  },
  // chunked batches: each iteration already writes a set
  `${prisma}export async function f(rows: object[]) { for (const chunk of chunkArray(rows, 500)) await prisma.booking.createMany({ data: chunk }); }`,
  // retry: a loop over attempts that returns on success
  `${prisma}export async function f(data: object) { for (let attempt = 0; attempt < 3; attempt++) { try { return await prisma.booking.create({ data }); } catch { await sleep(100 * attempt); } } }`,
  // poll: wait between passes
  `import Redis from 'ioredis'; const redis = new Redis();
   export async function f(job: string) { let done = false; while (!done) { await sleep(1000); done = (await redis.set('poll:' + job, '1', 'EX', 5)) === 'OK'; } }`,
  // throttled: an explicit delay per item
  `${prisma}export async function f(users: { id: string }[]) { for (const user of users) { await prisma.user.update({ where: { id: user.id }, data: { notified: true } }); await delay(50); } }`,
  // early exit: stop at the first match
  `import Redis from 'ioredis'; const redis = new Redis();
   export async function f(slots: string[]) { for (const slot of slots) { if (await redis.setnx('slot:' + slot, '1')) return slot; } return undefined; }`,
  // cursor pagination: each pass depends on the previous one
  `import Redis from 'ioredis'; const redis = new Redis();
   export async function f() { let cursor = '0'; do { const [next, keys] = await redis.scan(cursor); await redis.del(...keys); cursor = next; } while (cursor !== '0'); }`,
  // checkReads: false leaves reads out (src/reads-per-item.test.ts has the reads)
  { code: `${prisma}export async function f(ids: string[]) { for (const id of ids) await prisma.booking.findUnique({ where: { id } }); }`, options: noReads },
  // writes through a transaction opened outside the loop are one coordination
  `${prisma}export async function f(rows: { id: string }[]) { await prisma.$transaction(async (tx) => { for (const row of rows) await tx.booking.update({ where: { id: row.id }, data: { seen: true } }); }); }`,
  // the item is the receiver: a fan-out, owned by no-sync-fan-out
  `import Redis from 'ioredis'; const primary = new Redis(); const secondary = new Redis();
   export async function f(v: string) { for (const store of [primary, secondary]) await store.set('config', v); }`,
  // a Map is not a store
  `export function f(rows: { id: string }[]) { const cache = new Map(); for (const row of rows) cache.set(row.id, row); return cache; }`,
  // embedded SQLite is L0: no network, no agreement
  `import Database from 'better-sqlite3'; const db = new Database('app.db'); const insert = db.prepare('INSERT INTO t VALUES (?)');
   export function f(rows: string[]) { for (const row of rows) insert.run(row); }`,
  // an in-process lock per item costs no messages
  `import { Mutex } from 'async-mutex'; const mutex = new Mutex();
   export async function f(items: string[]) { for (const item of items) await mutex.runExclusive(() => process(item)); }`,
  // an ordered migration runner
  `import { Pool } from 'pg'; const pool = new Pool();
   export async function f(migrations: { sql: string }[]) { for (const migration of migrations) await pool.query(migration.sql); }`,
  // checkReads: false leaves a SELECT per item out
  {
    code: `import { Pool } from 'pg'; const pool = new Pool();
   export async function f(ids: number[]) { for (const id of ids) await pool.query('SELECT * FROM rooms WHERE id = $1', [id]); }`,
    options: noReads,
  },
  // checkReads: false leaves a same-file helper that only reads out
  {
    code: `${prisma}async function load(id: string) { return prisma.booking.findUnique({ where: { id } }); }
   export async function f(ids: string[]) { for (const id of ids) await load(id); }`,
    options: noReads,
  },
  // a Redis pipeline queues per item and sends once
  `import Redis from 'ioredis'; const redis = new Redis();
   export async function f(rows: { id: string }[]) { const pipeline = redis.pipeline(); for (const row of rows) pipeline.set(row.id, '1'); await pipeline.exec(); }`,
  // the operations of a batched $transaction([...]) run inside it
  `${prisma}export async function f(ids: string[]) { await prisma.$transaction(ids.map((id) => prisma.booking.delete({ where: { id } }))); }`,
  // a seed script: one-off fixture data
  { code: `${prisma}export async function main(users: object[]) { for (const data of users) await prisma.user.create({ data }); }`, filename: 'src/seed.ts' },
  // each item stands alone: its failure is caught and the loop goes on
  `${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) { try { await prisma.booking.create({ data: row }); } catch (error) { report(error); } } }`,
  `${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) await prisma.booking.create({ data: row }).catch(report); }`,
  // the write is the last step of the item's own slow I/O (an upload)
  `${prisma}export async function f(docs: { id: string; pdf: Uint8Array }[]) { for (const doc of docs) { const url = await uploadToStorage(doc.pdf); await prisma.document.update({ where: { id: doc.id }, data: { url } }); } }`,
  // each iteration first sends an email: the audit row is one more step of the item's own I/O
  `${prisma}export async function f(recipients: { id: string; email: string }[]) { for (const r of recipients) { await mailer.sendMail({ to: r.email }); await prisma.auditLog.create({ data: { recipientId: r.id } }); } }`,
  // a local function named like a client method
  `function create(x: unknown) { return x; } export function f(xs: unknown[]) { for (const x of xs) create(x); }`,
  // checkHelpers: false ignores helper calls
  {
    code: `${prisma}async function save(b: object) { await prisma.booking.create({ data: b }); }
           export async function f(bs: object[]) { for (const b of bs) await save(b); }`,
    options: [{ checkHelpers: false, checkParallel: true, checkReads: true, maxFixedIterations: 5 }],
  },
  // checkParallel: false ignores Promise.all(map(...))
  {
    code: `${prisma}export async function f(bs: { id: string }[]) { await Promise.all(bs.map((b) => prisma.booking.delete({ where: { id: b.id } }))); }`,
    options: [{ checkHelpers: true, checkParallel: false, checkReads: true, maxFixedIterations: 5 }],
  },
  // Shapes from the real-code audit (fixtures/audit), written here.
  // a module constant of four teams, each created on its own
  `${prisma}const TEAMS = ['design', 'build', 'ops', 'sales'] as const;
   export async function setUp(workspaceId: string) { for (const name of TEAMS) await prisma.team.create({ data: { name, workspaceId } }); }`,
  // Object.entries of a constant object of three blueprints
  `${prisma}const BLUEPRINTS = { api: 'API', web: 'Web', jobs: 'Jobs' };
   export async function f(projectId: string) { for (const [key, name] of Object.entries(BLUEPRINTS)) await prisma.blueprint.create({ data: { key, name, projectId } }); }`,
  // a filtered literal of at most two values
  `${prisma}export async function f(a?: string, b?: string) { for (const id of [a, b].filter(Boolean)) await prisma.plan.delete({ where: { id } }); }`,
  // Prisma queries collected unawaited and run as one $transaction: a query runs only when awaited
  `${prisma}export async function f(prompts: { id: string }[]) {
     const updates = [];
     for (const prompt of prompts) updates.push(prisma.prompt.update({ where: { id: prompt.id }, data: { labels: [] } }));
     await prisma.$transaction(updates);
   }`,
  `${prisma}export function f(tags: string[]) { return prisma.$transaction(tags.map((tag) => prisma.tag.upsert({ where: { tag }, create: { tag }, update: {} }))); }`,
  // each item's failure caught on its own promise, collected and awaited together
  `${prisma}export async function f(rows: { id: string }[]) {
     const pending: Promise<unknown>[] = [];
     for (const row of rows) pending.push(prisma.score.upsert({ where: { id: row.id }, create: row, update: row }).catch((error) => log(error)));
     await Promise.all(pending);
   }`,
  `${prisma}export async function f(rows: { id: string }[]) { await Promise.all(rows.map((row) => prisma.score.create({ data: row }).then(count).catch(log))); }`,
  // Redis commands issued together pipeline on one connection: about one round trip
  `import Redis from 'ioredis';
   const redis = new Redis();
   export async function evict(keys: string[]) { await Promise.all(keys.map((key) => redis.del(key))); }`,
  // a project's own transaction wrapper opened around the loop
  `export async function f(prismaService: { $tx<T>(fn: (prisma: PrismaClient) => Promise<T>): Promise<T> }, rows: { id: string }[]) {
     await prismaService.$tx(async (prisma) => { for (const row of rows) await prisma.attachment.update({ where: { id: row.id }, data: { seen: true } }); });
   }`,
  // the helper catches its own write's failure without a rethrow
  `${prisma}async function reconcile(row: { id: string }) { try { await prisma.mapping.update({ where: { id: row.id }, data: { ok: true } }); } catch (error) { log(error); } }
   export async function f(rows: { id: string }[]) { for (const row of rows) await reconcile(row); }`,
  // the helper's write follows the item's own slow I/O (a billing call)
  `${prisma}async function sync(row: { id: string }) { const plan = await billing.plan(row.id); await prisma.resource.update({ where: { id: row.id }, data: { plan } }); }
   export async function f(rows: { id: string }[]) { for (const row of rows) await sync(row); }`,
  // the write's own data comes from an awaited call the catalogue does not know
  `${prisma}export async function f(users: { id: string; secret: string }[]) { for (const user of users) await prisma.user.update({ where: { id: user.id }, data: { secret: await reencode(user.secret) } }); }`,
  // allSettled: each item's outcome is its own
  `${prisma}export async function f(rows: { id: string }[]) { await Promise.allSettled(rows.map((row) => prisma.contact.create({ data: row }))); }`,
  // a window of a chunked outer loop
  `${prisma}export async function f(records: { id: string }[]) { for (let i = 0; i < records.length; i += 50) await Promise.all(records.slice(i, i + 50).map((record) => prisma.contact.create({ data: record }))); }`,
  // a flush every ten items
  `${prisma}export async function f(sources: { id: string }[]) {
     let pending: Promise<unknown>[] = [];
     for (let i = 0; i < sources.length; i++) {
       pending.push(prisma.catalog.upsert({ where: { id: sources[i]!.id }, create: sources[i]!, update: {} }));
       if (i % 10 === 0) { await Promise.all(pending); pending = []; }
     }
   }`,
  // an imported constant (its length is out of syntax's sight), and entries of one
  `${prisma}import { DEFAULT_TEAMS_AND_ROLES } from './constants';
   export async function f(workspaceId: string) { for (const [, team] of Object.entries(DEFAULT_TEAMS_AND_ROLES)) await prisma.team.create({ data: { ...team, workspaceId } }); }`,
  // a deduplicated pair
  `${prisma}export async function f(orgId: string, plan: number) { for (const threshold of [...new Set([plan, 4000])]) await prisma.alert.create({ data: { orgId, threshold } }); }`,
  // a reduce that awaits nothing builds the queries a $transaction then runs
  `${prisma}export async function f(plugins: { id: string }[]) {
     const updates = plugins.reduce((all, plugin) => { all.push(prisma.plugin.update({ where: { id: plugin.id }, data: plugin })); return all; }, [] as unknown[]);
     await prisma.$transaction(updates as never);
   }`,
  // each chunk of a chunked loop handled in parallel through a helper
  `${prisma}async function importRecord(record: { id: string }) { await prisma.contact.create({ data: record }); }
   export async function f(records: { id: string }[]) {
     for (let i = 0; i < records.length; i += 50) { const chunk = records.slice(i, i + 50); await Promise.all(chunk.map((record) => importRecord(record))); }
   }`,
  // the item is the helper's receiver: a different table each time
  `import { Repository } from 'typeorm';
   export class FactoryReset {
     constructor(private readonly repositories: Repository<object>[]) {}
     async reset() { for (const repository of this.repositories) await this.purge(repository); }
     private async purge(repository: Repository<object>) { await repository.delete({}); }
   }`,
  `import { Repository } from 'typeorm';
   export class Reset {
     constructor(private readonly repositories: Repository<object>[]) {}
     async reset(tenantId: string) { for (let i = 0; i < this.repositories.length; i++) await this.purge(this.repositories[i]!, tenantId); }
     private async purge(repository: Repository<object>, tenantId: string) { return repository.delete({ tenantId }); }
   }`,
  { code: `${prisma}export async function run(users: { id: string }[]) { for (const user of users) await prisma.twoFactor.create({ data: { userId: user.id } }); }`, filename: 'src/cutover/reencode.ts' },
  // a helper that publishes on Redis, called for each item without waiting: commands share round trips
  `import Redis from 'ioredis';
   const pubsub = new Redis();
   function publishRelated(channel: string, op: object) { pubsub.publish(channel, JSON.stringify(op)); }
   export function publishAll(ops: { channel: string }[]) { for (const op of ops) publishRelated(op.channel, op); }`,
  // mongoose: a set-based write, and (with checkReads: false) no read per item
  {
    code: `import { model, Schema } from 'mongoose';
   const Experiment = model('Experiment', new Schema({}));
   export async function f(ids: string[]) { await Experiment.deleteMany({ id: { $in: ids } }); for (const id of ids) await Experiment.findOne({ id }); }`,
    options: noReads,
  },
  // one-off and test code: background migrations, scripts, tests
  { code: `${prisma}export async function run(rows: { id: string }[]) { for (const row of rows) await prisma.trace.update({ where: { id: row.id }, data: { v: 2 } }); }`, filename: 'src/backgroundMigrations/addTraceV2.ts' },
  { code: `${prisma}export async function run(rows: { id: string }[]) { for (const row of rows) await prisma.price.upsert({ where: { id: row.id }, create: row, update: row }); }`, filename: 'src/scripts/upsertDefaultPrices.ts' },
  { code: `${prisma}export async function setUp(rows: { id: string }[]) { for (const row of rows) await prisma.trace.create({ data: row }); }`, filename: 'src/__tests__/ingestion.test.ts' },
  // The split with no-sync-fan-out (issue 26): the item is the receiver, so the loop is a fan-out to
  // copies, reported there, one by one or collected and awaited together.
  `import Redis from 'ioredis';
   const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c'), new Redis('redis://d')];
   export async function save(key: string, value: string) {
     for (const replica of replicas) await replica.set(key, value);
     const pending: Promise<unknown>[] = [];
     for (const replica of replicas) pending.push(replica.del(key));
     await Promise.all(pending);
   }`,
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    // a mongoose model: one majority-acknowledged update per document
    code: `import mongoose from 'mongoose';
const FeatureModel = mongoose.model('Feature', new mongoose.Schema({}));
export async function removeProject(features: { id: string; rules: object[] }[]) {
  for (const feature of features) await FeatureModel.updateOne({ id: feature.id }, { $set: { rules: feature.rules } });
}`,
    errors: [{ messageId: 'perItemQuorumWrite', line: 4, column: 41, endLine: 4, endColumn: 119, suggestions: [] }],
  },
  {
    // inside a transaction callback, a write through the outer client is not in the transaction
    code: `${prisma}export async function f(rows: { id: string }[]) { await prisma.$transaction(async (tx) => { for (const row of rows) await prisma.booking.create({ data: row }); }); }`,
    errors: [{ messageId: 'perItemWrite', line: 3, column: 123, endLine: 3, endColumn: 159, suggestions: [] }],
  },
  {
    // maxFixedIterations: 0 reports loops over constants too, graded low (a list fixed in the code)
    code: `${prisma}import { REGIONS } from './constants';
export async function f(id: string) { for (const region of REGIONS) await prisma.replica.create({ data: { id, region } }); }`,
    options: [{ checkHelpers: true, checkParallel: true, checkReads: true, maxFixedIterations: 0, minConfidence: 'low' }],
    errors: [
      {
        messageId: 'perItemWrite',
        line: 4,
        column: 75,
        endLine: 4,
        endColumn: 122,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'createMany', note: 'one INSERT for every row; it returns a count, not the rows' },
            output: `${prisma}import { REGIONS } from './constants';
export async function f(id: string) { await prisma.replica.createMany({ data: Array.from(REGIONS, (region) => ({ id, region })) }); }`,
          },
        ],
      },
    ],
  },
  {
    // a constant list longer than maxFixedIterations is a batch waiting to happen, but small by
    // design: graded low, so only minConfidence: 'low' (configs.all, the report) shows it
    code: `${prisma}const REGIONS = ['eu-1', 'eu-2', 'us-1', 'us-2', 'ap-1', 'ap-2'];
export async function f(id: string) { for (const region of REGIONS) await prisma.replica.create({ data: { id, region } }); }`,
    options: [{ checkHelpers: true, checkParallel: true, checkReads: true, maxFixedIterations: 5, minConfidence: 'low' }],
    errors: [
      {
        messageId: 'perItemWrite',
        line: 4,
        column: 75,
        endLine: 4,
        endColumn: 122,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'createMany', note: 'one INSERT for every row; it returns a count, not the rows' },
            output: `${prisma}const REGIONS = ['eu-1', 'eu-2', 'us-1', 'us-2', 'ap-1', 'ap-2'];
export async function f(id: string) { await prisma.replica.createMany({ data: Array.from(REGIONS, (region) => ({ id, region })) }); }`,
          },
        ],
      },
    ],
  },
  {
    // fire-and-forget sends: a .catch that only logs does not make each item a unit
    code: `import { Kafka } from 'kafkajs';
const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();
export function publish(events: { id: string }[]) {
  events.forEach((event) => producer.send({ topic: 'events', messages: [{ value: event.id }] }).catch(log));
}`,
    errors: [{ messageId: 'perItemReplicaWrite', line: 4, column: 29, endLine: 4, endColumn: 96, suggestions: [] }],
  },
  {
    // a Prisma query chained with .then runs where it is
    code: `${prisma}export function f(rows: { id: string }[]) { rows.forEach((row) => prisma.score.create({ data: row }).then(count)); }`,
    errors: [{ messageId: 'perItemWrite', line: 3, column: 67, endLine: 3, endColumn: 101, suggestions: [] }],
  },
  {
    // Redis commands awaited one by one: k round trips
    code: `import Redis from 'ioredis';
const redis = new Redis();
export async function evict(keys: string[]) { for (const key of keys) await redis.del(key); }`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 3,
        column: 77,
        endLine: 3,
        endColumn: 91,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'pipeline()', note: 'one round trip for every command; exec() resolves with [error, result] pairs instead of throwing' },
            output: `import Redis from 'ioredis';
const redis = new Redis();
export async function evict(keys: string[]) { {
  const batch = redis.pipeline();
  for (const key of keys) batch.del(key);
  await batch.exec();
} }`,
          },
        ],
      },
    ],
  },
  {
    // a command named by a string key: the batch calls it by name (it once copied the text, batch.'del'(key))
    code: `import Redis from 'ioredis';
const redis = new Redis();
export async function evict(keys: string[]) { for (const key of keys) await redis['del'](key); }`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 3,
        column: 77,
        endLine: 3,
        endColumn: 94,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'pipeline()', note: 'one round trip for every command; exec() resolves with [error, result] pairs instead of throwing' },
            output: `import Redis from 'ioredis';
const redis = new Redis();
export async function evict(keys: string[]) { {
  const batch = redis.pipeline();
  for (const key of keys) batch.del(key);
  await batch.exec();
} }`,
          },
        ],
      },
    ],
  },
  {
    // a tagged template per item (crash shape, issue 18): reported, with no batch to suggest
    code: `${prisma}export async function f(rows: string[]) { for (const row of rows) await prisma.score.create\`\${row}\`; }`,
    errors: [{ messageId: 'perItemWrite', line: 3, suggestions: [] }],
  },
  {
    code: `${prisma}export async function importBookings(bookings: { roomId: string }[]) {
  for (const booking of bookings) {
    await prisma.booking.create({ data: { roomId: booking.roomId, status: 'CONFIRMED' } });
  }
}`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 5,
        column: 11,
        endLine: 5,
        endColumn: 91,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'createMany', note: 'one INSERT for every row; it returns a count, not the rows' },
            output: `${prisma}export async function importBookings(bookings: { roomId: string }[]) {
  await prisma.booking.createMany({ data: Array.from(bookings, (booking) => ({ roomId: booking.roomId, status: 'CONFIRMED' })) });
}`,
          },
        ],
      },
    ],
  },
  {
    code: `import Redis from 'ioredis';
const redis = new Redis();
export async function warm(rates: { id: string; cents: number }[]) {
  for (const rate of rates) await redis.set(\`rate:\${rate.id}\`, rate.cents, 'EX', 3600);
}`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 4,
        column: 35,
        endLine: 4,
        endColumn: 87,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'pipeline()', note: 'one round trip for every command; exec() resolves with [error, result] pairs instead of throwing' },
            output: `import Redis from 'ioredis';
const redis = new Redis();
export async function warm(rates: { id: string; cents: number }[]) {
  {
    const batch = redis.pipeline();
    for (const rate of rates) batch.set(\`rate:\${rate.id}\`, rate.cents, 'EX', 3600);
    await batch.exec();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `import { MongoClient } from 'mongodb';
const events = new MongoClient('mongodb://db').db('app').collection('events');
export async function record(batch: object[]) {
  for (const event of batch) {
    await events.insertOne({ ...event, receivedAt: new Date() });
  }
}`,
    errors: [
      {
        messageId: 'perItemQuorumWrite',
        line: 5,
        column: 11,
        endLine: 5,
        endColumn: 65,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: {
              bulk: 'insertMany',
              note: 'one round trip and one majority acknowledgement for every document; ordered inserts stop at the first error',
            },
            output: `import { MongoClient } from 'mongodb';
const events = new MongoClient('mongodb://db').db('app').collection('events');
export async function record(batch: object[]) {
  {
    const documents = Array.from(batch, (event) => ({ ...event, receivedAt: new Date() }));
    if (documents.length > 0) await events.insertMany(documents);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${prisma}export async function settle(invoices: { id: string; accountId: string }[]) {
  for (const invoice of invoices) {
    await prisma.$transaction([prisma.invoice.update({ where: { id: invoice.id }, data: { paid: true } })]);
  }
}`,
    errors: [
      {
        messageId: 'perItemTransaction',
        line: 5,
        column: 11,
        endLine: 5,
        endColumn: 108,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: '$transaction', note: 'one transaction commits every item or none' },
            output: `${prisma}export async function settle(invoices: { id: string; accountId: string }[]) {
  await prisma.$transaction(Array.from(invoices, (invoice) => [prisma.invoice.update({ where: { id: invoice.id }, data: { paid: true } })]).flat());
}`,
          },
        ],
      },
    ],
  },
  {
    // parallel under Promise.all: k calls, no suggestion (not a plain for...of)
    code: `${prisma}export async function f(bs: { id: string }[]) { await Promise.all(bs.map((b) => prisma.booking.delete({ where: { id: b.id } }))); }`,
    errors: [{ messageId: 'perItemWrite', line: 3, column: 81, endLine: 3, endColumn: 127, suggestions: [] }],
  },
  {
    // forEach: k unawaited calls
    code: `import { Kafka } from 'kafkajs';
const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();
export function publish(events: { id: string }[]) {
  events.forEach((event) => producer.send({ topic: 'events', messages: [{ key: event.id, value: JSON.stringify(event) }] }));
}`,
    errors: [{ messageId: 'perItemReplicaWrite', line: 4, column: 29, endLine: 4, endColumn: 124, suggestions: [] }],
  },
  {
    // through a same-file helper, and a reduce promise chain taking an advisory lock per item
    code: `import { Pool } from 'pg';
const pool = new Pool();
async function saveAudit(entry: { action: string }) {
  await pool.query('INSERT INTO audit (action) VALUES ($1)', [entry.action]);
}
export async function flush(entries: { action: string }[]) {
  for (const entry of entries) await saveAudit(entry);
  await entries.reduce(async (previous, entry) => {
    await previous;
    await pool.query('SELECT pg_advisory_xact_lock($1)', [entry.action]);
  }, Promise.resolve());
}`,
    errors: [
      { messageId: 'perItemWrite', line: 7, column: 38, endLine: 7, endColumn: 54, suggestions: [] },
      { messageId: 'perItemLock', line: 10, column: 11, endLine: 10, endColumn: 73, suggestions: [] },
    ],
  },
  {
    // DynamoDB puts → BatchWriteCommand in chunks of 25, re-sending UnprocessedItems; the import grows
    code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function seedRooms(rooms: { id: string }[]) {
  for (const room of rooms) {
    await ddb.send(new PutCommand({ TableName: 'rooms', Item: { ...room, kind: 'room' } }));
  }
}`,
    errors: [
      {
        messageId: 'perItemQuorumWrite',
        line: 6,
        column: 11,
        endLine: 6,
        endColumn: 92,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: {
              bulk: 'BatchWriteCommand',
              note: 'at most 25 items per request; UnprocessedItems are sent again until none is left, so add a backoff between retries under throttling',
            },
            output: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function seedRooms(rooms: { id: string }[]) {
  {
    const items = Array.from(rooms);
    for (let start = 0; start < items.length; start += 25) {
      let pending = { ['rooms']: items.slice(start, start + 25).map((room) => ({ PutRequest: { Item: { ...room, kind: 'room' } } })) } as Record<string, NonNullable<BatchWriteCommandInput["RequestItems"]>[string]> | undefined;
      while (pending && Object.keys(pending).length > 0) {
        ({ UnprocessedItems: pending } = await ddb.send(new BatchWriteCommand({ RequestItems: pending })));
      }
    }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // PutCommand is still used after the loop, and BatchWriteCommand is already imported: the imports stay
    code: `import { DynamoDBDocumentClient, BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
declare const ddb: DynamoDBDocumentClient;
export async function seedRooms(rooms: { id: string }[]) {
  for (const room of rooms) await ddb.send(new PutCommand({ TableName: 'rooms', Item: room }));
  await ddb.send(new PutCommand({ TableName: 'meta', Item: { id: 'seeded' } }));
  return BatchWriteCommand;
}`,
    errors: [
      {
        messageId: 'perItemQuorumWrite',
        line: 4,
        column: 35,
        endLine: 4,
        endColumn: 95,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: {
              bulk: 'BatchWriteCommand',
              note: 'at most 25 items per request; UnprocessedItems are sent again until none is left, so add a backoff between retries under throttling',
            },
            output: `import { DynamoDBDocumentClient, BatchWriteCommand, PutCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
declare const ddb: DynamoDBDocumentClient;
export async function seedRooms(rooms: { id: string }[]) {
  {
    const items = Array.from(rooms);
    for (let start = 0; start < items.length; start += 25) {
      let pending = { ['rooms']: items.slice(start, start + 25).map((room) => ({ PutRequest: { Item: room } })) } as Record<string, NonNullable<BatchWriteCommandInput["RequestItems"]>[string]> | undefined;
      while (pending && Object.keys(pending).length > 0) {
        ({ UnprocessedItems: pending } = await ddb.send(new BatchWriteCommand({ RequestItems: pending })));
      }
    }
  }
  await ddb.send(new PutCommand({ TableName: 'meta', Item: { id: 'seeded' } }));
  return BatchWriteCommand;
}`,
          },
        ],
      },
    ],
  },
  {
    // the loop held the only PutCommand and both batch imports exist: the stranded import goes
    code: `import { PutCommand, BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
declare const ddb: DynamoDBDocumentClient;
export type Input = BatchWriteCommandInput;
export async function seedRooms(rooms: { id: string }[]) {
  for (const room of rooms) await ddb.send(new PutCommand({ TableName: 'rooms', Item: room }));
  return BatchWriteCommand;
}`,
    errors: [
      {
        messageId: 'perItemQuorumWrite',
        line: 5,
        column: 35,
        endLine: 5,
        endColumn: 95,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: {
              bulk: 'BatchWriteCommand',
              note: 'at most 25 items per request; UnprocessedItems are sent again until none is left, so add a backoff between retries under throttling',
            },
            output: `import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
declare const ddb: DynamoDBDocumentClient;
export type Input = BatchWriteCommandInput;
export async function seedRooms(rooms: { id: string }[]) {
  {
    const items = Array.from(rooms);
    for (let start = 0; start < items.length; start += 25) {
      let pending = { ['rooms']: items.slice(start, start + 25).map((room) => ({ PutRequest: { Item: room } })) } as Record<string, NonNullable<BatchWriteCommandInput["RequestItems"]>[string]> | undefined;
      while (pending && Object.keys(pending).length > 0) {
        ({ UnprocessedItems: pending } = await ddb.send(new BatchWriteCommand({ RequestItems: pending })));
      }
    }
  }
  return BatchWriteCommand;
}`,
          },
        ],
      },
    ],
  },
  {
    // a conditional put has no batch form: no suggestion
    code: `import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(client);
export async function f(rooms: { id: string }[]) {
  for (const room of rooms) await ddb.send(new PutCommand({ TableName: 'rooms', Item: room, ConditionExpression: 'attribute_not_exists(id)' }));
}`,
    errors: [{ messageId: 'perItemQuorumWrite', line: 4, column: 35, endLine: 4, endColumn: 144, suggestions: [] }],
  },
  {
    // Kysely: the write runs at execute(); the same writes inside a transaction opened outside are one unit
    code: `import { Kysely } from 'kysely';
const db = new Kysely<DB>({ dialect });
export async function f(rows: { id: string }[]) {
  for (const row of rows) await db.insertInto('audit').values(row).execute();
  await db.transaction().execute(async (trx) => { for (const row of rows) await trx.insertInto('audit').values(row).execute(); });
}`,
    errors: [{ messageId: 'perItemWrite', line: 4, column: 33, endLine: 4, endColumn: 77, suggestions: [] }],
  },
  {
    // a caught failure that is rethrown still stops the loop: reported
    code: `${prisma}export async function f(rows: object[]) { for (const row of rows) { try { await prisma.booking.create({ data: row }); } catch (e) { throw wrap(e); } } }`,
    errors: [{ messageId: 'perItemWrite', line: 3, column: 81, endLine: 3, endColumn: 117, suggestions: [] }],
  },
  {
    // a per-item create with a nested relation write: createMany cannot express it, so no suggestion
    code: `${prisma}export async function f(orders: { id: string; lines: object[] }[]) {
  for (const order of orders) await prisma.order.create({ data: { id: order.id, lines: { create: order.lines } } });
}`,
    errors: [{ messageId: 'perItemWrite', line: 4, column: 37, endLine: 4, endColumn: 116, suggestions: [] }],
  },
  {
    // Redis Cluster: a pipeline across slots fails, so no suggestion
    code: `import Redis from 'ioredis';
const redis = new Redis();
export async function warm(ids: string[]) {
  for (const id of ids) await redis.del(\`rate:\${id}\`);
}`,
    settings: { coordination: { backends: { ioredis: 'redis-cluster' } } },
    errors: [{ messageId: 'perItemWrite', line: 4, column: 31, endLine: 4, endColumn: 54, suggestions: [] }],
  },
  {
    // CommonJS: DynamoDB puts in parallel; the advice names the 25-item limit
    code: `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
module.exports.seed = async function seed(rooms) {
  await Promise.all(rooms.map((room) => ddb.send(new PutCommand({ TableName: 'rooms', Item: room }))));
};`,
    filename: 'src/file.cjs',
    errors: [{ messageId: 'perItemQuorumWrite', line: 5, column: 41, endLine: 5, endColumn: 101, suggestions: [] }],
  },
];

for (const [mode, tester] of modes) {
  describe(`no-coordination-in-loop (${mode})`, () => {
    tester().run('no-coordination-in-loop', rule, { valid, invalid });
  });
}

// Plain JavaScript through ESLint's own parser (espree), ESM and CommonJS.
describe('no-coordination-in-loop (espree)', () => {
  new CoreRuleTester({ languageOptions: { ecmaVersion: 'latest' } }).run('no-coordination-in-loop', rule as never, {
    valid: [
      {
        code: `const { PrismaClient } = require('@prisma/client'); const prisma = new PrismaClient();
               module.exports = async (ids) => { for (const id of ids) await prisma.booking.findUnique({ where: { id } }); };`,
        options: noReads,
        languageOptions: { sourceType: 'commonjs' },
      },
    ],
    invalid: [
      {
        code: `import Redlock from 'redlock'; const redlock = new Redlock([]);
export async function f(ids) { for (const id of ids) await redlock.acquire([\`order:\${id}\`], 1000); }`,
        languageOptions: { sourceType: 'module' },
        errors: [{ messageId: 'perItemLock', line: 2, column: 60, endLine: 2, endColumn: 98 }],
      },
      {
        code: `const { PrismaClient } = require('@prisma/client'); const prisma = new PrismaClient();
module.exports = async (rows) => { for (const row of rows) await prisma.booking.upsert({ where: { id: row.id }, create: row, update: row }); };`,
        languageOptions: { sourceType: 'commonjs' },
        errors: [{ messageId: 'perItemWrite', line: 2, column: 66, endLine: 2, endColumn: 140 }],
      },
    ],
  });
});

describe('no-coordination-in-loop messages', () => {
  function messages(code: string, settings: Record<string, unknown> = {}, maxFixedIterations = 5, minConfidence = 'high'): string[] {
    const linter = new Linter({ configType: 'flat' });
    return linter
      .verify(
        code,
        [
          {
            files: ['**/*.ts'],
            plugins: { coordination: { rules: { 'no-coordination-in-loop': rule as never } } },
            languageOptions: { parser: tsParser as never },
            settings,
            rules: { 'coordination/no-coordination-in-loop': ['error', { maxFixedIterations, minConfidence }] },
          },
        ],
        { filename: 'file.ts' },
      )
      .map((message) => message.message);
  }

  it('names the call, the collection, the level, the price and the way out', () => {
    expect(messages(`${prisma}export async function f(bs: object[]) { for (const b of bs) await prisma.booking.create({ data: b }); }`)).toEqual([
      'prisma.booking.create() writes once per item of bs (at least L1 (one store, no agreement): 2 messages and 1 round trip (~100 ms) per item, k items cost k sequential round trips, ~$0.10 per item). High confidence: nothing bounds it or marks it one-off. Batch the items: createMany inserts every row in one statement but returns only a count.',
    ]);
  });

  it('prices a known number of items and a backend profile', () => {
    const settings = { coordination: { backends: { '@prisma/client': 'consensus' }, participants: 5 } };
    expect(messages(`${prisma}export async function f() { for (const id of ['a', 'b']) await prisma.booking.delete({ where: { id } }); }`, settings, 0, 'low')).toEqual([
      "prisma.booking.delete() writes once per item of ['a', 'b'] (L3 (consensus): 20 messages and 4 round trips (~400 ms) per operation, waits for 2 calls, so 2% of operations are slow, ~$0.40 per operation). Low confidence: k = a list fixed in the code. Batch the items: updateMany/deleteMany apply one change to every matching row; otherwise one $transaction([...]) over all items.",
    ]);
  });

  it('names the helper chain', () => {
    const code = `${prisma}async function save(b: object) { await prisma.booking.create({ data: b }); }
      async function store(b: object) { await save(b); }
      export async function f(bs: object[]) { for (const b of bs) await store(b); }`;
    expect(messages(code)[0]).toMatch(/^store\(\) writes once per item of bs through save\(\) → prisma\.booking\.create\(\) \(at least L1/);
  });
});

// Judgement (src/analysis/judgement.ts): each piece of evidence moves the grade, with hard negatives.
describe('no-coordination-in-loop judgement', () => {
  const grade = (code: string, filename?: string) => gradesOf('no-coordination-in-loop', code, filename);
  const update = 'await prisma.booking.update({ where: { id: row.id }, data: { seen: true } })';

  it('a parameter of unknown origin on an unknown path is high: nothing bounds it', () => {
    expect(grade(`${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) ${update}; }`)).toEqual([
      { line: 3, confidence: 'high', evidence: [] },
    ]);
  });

  it('rows of an unlimited query raise; a limited page lowers to medium', () => {
    const unlimited = grade(`${prisma}export async function f() { const rows = await prisma.booking.findMany({ where: { open: true } }); for (const row of rows) ${update}; }`);
    expect(unlimited).toEqual([{ line: 3, confidence: 'high', evidence: ['k = rows of an unlimited findMany()'] }]);
    const page = grade(`${prisma}export async function f() { const rows = await prisma.booking.findMany({ where: { open: true }, take: 100 }); for (const row of rows) ${update}; }`);
    expect(page).toEqual([{ line: 3, confidence: 'medium', evidence: ['k ≤ a limited page of findMany()'] }]);
  });

  it('the request body in an Express handler is high and says which handler', () => {
    const code = `${prisma}import express from 'express'; const app = express();
app.post('/orders', async (req, res) => { for (const row of req.body.rows) ${update}; res.end(); });`;
    expect(grade(code)).toEqual([{ line: 4, confidence: 'high', evidence: ["k = items of the request's req.body.rows", 'in the POST /orders handler'] }]);
  });

  it('one entity\'s children lower to medium; a collection named for many rows is not one entity', () => {
    expect(grade(`${prisma}export async function f(order: { lines: { id: string }[] }) { for (const row of order.lines) ${update}; }`)[0]?.confidence).toBe('medium');
    expect(grade(`${prisma}export async function f(result: { rows: { id: string }[] }) { for (const row of result.rows) ${update}; }`)[0]?.confidence).toBe('high');
  });

  it('startup code, found through the same-file caller, drops to low even over an unlimited query', () => {
    const code = `${prisma}export class Store {
  async init() { await this.backfill(); }
  async backfill() { const rows = await prisma.booking.findMany(); for (const row of rows) ${update}; }
}`;
    expect(grade(code)).toEqual([
      { line: 5, confidence: 'low', evidence: ['k = rows of an unlimited findMany()', 'runs in startup code (init()), through backfill(), not per request'] },
    ]);
    // hard negative: a caller on a request path keeps it high
    const request = code.replace('async init() {', "@Post('/backfill') async run() {");
    expect(grade(`import { Post } from '@nestjs/common';\n${request}`)[0]?.confidence).toBe('high');
  });

  it('an onModuleInit hook is startup; a function named start with parameters is not', () => {
    expect(grade(`${prisma}export class S { async onModuleInit() { const rows = await prisma.booking.findMany(); for (const row of rows) ${update}; } }`)[0]?.confidence).toBe('low');
    expect(grade(`${prisma}export async function start(rows: { id: string }[]) { for (const row of rows) ${update}; }`)[0]?.confidence).toBe('high');
  });

  it('a scheduled job lowers one step', () => {
    const code = `${prisma}import { Cron } from '@nestjs/schedule';
export class Jobs { @Cron('0 * * * *') async hourly(rows: { id: string }[]) { for (const row of rows) ${update}; } }`;
    expect(grade(code)).toEqual([{ line: 4, confidence: 'medium', evidence: ['in a @Cron job'] }]);
  });

  it('an id match inside the loop drops to low: at most one item writes', () => {
    expect(grade(`${prisma}export async function f(rows: { id: string }[], id: string) { for (const row of rows) { if (row.id === id) ${update}; } }`)[0]?.confidence).toBe('low');
    // hard negatives: a foreign key matches many items; a condition on the item alone filters
    expect(grade(`${prisma}export async function f(rows: { id: string; ownerId: string }[], userId: string) { for (const row of rows) { if (row.ownerId === userId) ${update}; } }`)[0]?.confidence).toBe('high');
    expect(grade(`${prisma}export async function f(rows: { id: string; open: boolean }[]) { for (const row of rows) { if (row.open) ${update}; } }`)[0]?.confidence).toBe('high');
  });

  it('a @Transactional() method is a unit of work: lowers, and the way out names it', () => {
    const code = `${prisma}import { Transactional } from '@nestjs-cls/transactional';
export class Bookings { @Transactional() async seeAll(rows: { id: string }[]) { for (const row of rows) ${update}; } }`;
    const sites = sitesOf(code).filter((site) => site.ruleId === 'coordination/no-coordination-in-loop');
    expect(sites.map((site) => [site.record.confidence, site.record.evidence])).toEqual([['medium', ['inside a @Transactional() method']]]);
    expect(sites[0]!.record.wayOut).toMatch(/The unit of work is already open: hand it every item at once/);
    // hard negative: another decorator opens no unit of work
    expect(grade(code.replace(/Transactional/g, 'Traced'))[0]?.confidence).toBe('high');
  });

  it('parent-then-child writes lower to medium and lose the createMany hint', () => {
    const code = `${prisma}export async function f(orders: { lines: { sku: string }[] }[]) {
  for (const o of orders) {
    const order = await prisma.order.create({ data: { ref: o.lines.length } });
    await prisma.line.create({ data: { orderId: order.id, sku: o.lines[0]!.sku } });
  }
}`;
    const sites = sitesOf(code).filter((site) => site.ruleId === 'coordination/no-coordination-in-loop');
    expect(sites.map((site) => [site.line, site.record.confidence])).toEqual([
      [5, 'medium'],
      [6, 'medium'],
    ]);
    expect(sites[1]!.record.wayOut).toMatch(/^Write each parent with its children in one nested write, or in two phases/);
    expect(sites[1]!.record.evidence).toContain("each child write needs the id its parent's write returned");
  });

  it('an iteration of several awaited steps is a unit of its own: one step down; one step more is not', () => {
    const steps = (n: number) => Array.from({ length: n }, (_, i) => `await notify${i}(row.id);`).join(' ');
    const code = (n: number) => `${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) { ${update}; ${steps(n)} } }`;
    expect(grade(code(3))).toEqual([{ line: 3, confidence: 'medium', evidence: ['each item is a unit of 4 awaited steps'] }]);
    expect(grade(code(2))[0]?.confidence).toBe('high');
  });

  it('a file role says the path when no function does: a scheduled job folder lowers, a test drops', () => {
    const code = `${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) ${update}; }`;
    expect(grade(code, 'src/jobs/cleanup.ts')[0]?.confidence).toBe('medium');
  });

  it('minConfidence: the default reports high only; low reports every grade', () => {
    const code = `${prisma}export async function f() { const rows = await prisma.booking.findMany({ take: 10 }); for (const row of rows) ${update}; }`;
    const lint = (minConfidence?: string) =>
      new Linter({ configType: 'flat' }).verify(
        code,
        [
          {
            files: ['**/*.ts'],
            plugins: { coordination: { rules: { 'no-coordination-in-loop': rule as never } } },
            languageOptions: { parser: tsParser as never },
            rules: { 'coordination/no-coordination-in-loop': minConfidence ? ['error', { minConfidence }] : 'error' },
          },
        ],
        { filename: 'file.ts' },
      );
    expect(lint()).toEqual([]);
    expect(lint('medium').map((message) => message.message)).toEqual([expect.stringContaining('Medium confidence: k ≤ a limited page of findMany().')]);
    expect(lint('low')).toHaveLength(1);
  });
});
