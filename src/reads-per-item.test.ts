// Reads paid per item (N+1) through no-coordination-in-loop, in both modes (syntactic and typed): one
// positive per family (Prisma, TypeORM, Sequelize, Mongoose and MongoDB, ioredis and node-redis,
// DynamoDB, HTTP GETs to one service, SQL SELECT, drizzle, a helper that reads), each beside the hard
// negatives that real code is full of: page cursors, chained lookups, caches with a fallback, early
// exits, throttles, a handful of known keys, batched forms, embedded stores.
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe } from 'vitest';
import rule, { type MessageIds, type Options } from '../rules/no-coordination-in-loop.js';
import { modes } from './test-support/rule-tester.js';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const redis = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const dynamo = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, GetCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';\nconst ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n`;
const noReads: Options = [{ checkHelpers: true, checkParallel: true, checkReads: false, maxFixedIterations: 5 }];

const valid: (ValidTestCase<Options> | string)[] = [
  // checkReads: false leaves every read out
  { code: `${prisma}export async function f(ids: string[]) { for (const id of ids) await prisma.user.findUnique({ where: { id } }); }`, options: noReads },
  { code: `export async function f(ids: string[]) { for (const id of ids) await fetch('https://api.example.com/users/' + id); }`, options: noReads },
  // Prisma: a page cursor carries each page's last id to the next query
  `${prisma}export async function f() { let cursor: string | undefined; do { const page = await prisma.event.findMany({ take: 100, cursor: cursor ? { id: cursor } : undefined }); cursor = page.at(-1)?.id as string | undefined; } while (cursor); }`,
  // Prisma: the first free slug, an early exit on the first miss
  `${prisma}export async function f(base: string) { for (let n = 1; n < 50; n++) { const taken = await prisma.team.findUnique({ where: { slug: base + n } }); if (!taken) return base + n; } return undefined; }`,
  // Prisma: a handful of keys written in the code
  `${prisma}export async function f() { return Promise.all(['owner', 'admin'].map((name) => prisma.role.findUnique({ where: { name } }))); }`,
  // Prisma: one findMany with in, and reads collected into one batched $transaction
  `${prisma}export async function f(ids: string[]) { return prisma.user.findMany({ where: { id: { in: ids } } }); }`,
  `${prisma}export async function f(ids: string[]) { return prisma.$transaction(ids.map((id) => prisma.user.findUnique({ where: { id } }))); }`,
  // Prisma: a read that does not use the item is not paid per item of anything
  `${prisma}export async function f(rows: { id: string }[]) { for (const row of rows) { const settings = await prisma.settings.findFirst(); log(row, settings); } }`,
  // Prisma: throttled on purpose
  `${prisma}export async function f(ids: string[]) { for (const id of ids) { await prisma.user.findUnique({ where: { id } }); await sleep(200); } }`,
  // Prisma: each item's failure kept apart
  `${prisma}export async function f(ids: string[]) { for (const id of ids) { try { out(await prisma.user.findUnique({ where: { id } })); } catch (error) { log(error); } } }`,
  // Prisma: the read follows the item's own slow I/O (a call to another service)
  `${prisma}export async function f(logins: string[]) { for (const login of logins) { const profile = await github.users.getByUsername({ username: login }); await prisma.user.findFirst({ where: { githubId: profile.id } }); } }`,
  // Prisma: a test file reads its own fixtures
  { code: `${prisma}export async function f(ids: string[]) { for (const id of ids) await prisma.user.findUnique({ where: { id } }); }`, filename: 'src/__tests__/ingestion.test.ts' },
  // Prisma: find-or-create decides per item; the create is not awaited in the loop (a batch is collected)
  `${prisma}export async function f(emails: string[]) { const missing: string[] = []; for (const email of emails) { const user = await prisma.user.findUnique({ where: { email } }); if (!user) { await audit(email); missing.push(email); } } return missing; }`,
  // Redis: a cache lookup with a fallback to the database
  `${redis}${prisma}export async function f(ids: string[]) { const out = []; for (const id of ids) { const cached = await redis.get('user:' + id); if (cached) { out.push(JSON.parse(cached)); continue; } const user = await prisma.user.findUnique({ where: { id } }); out.push(user); } return out; }`,
  // Redis: a fallback behind ?? reads only on a miss
  `${redis}${prisma}export async function f(ids: string[]) { for (const id of ids) use((await redis.get('u:' + id)) ?? (await prisma.user.findUnique({ where: { id } }))); }`,
  // Redis: MGET reads every key at once; GETs issued together share the connection's round trips
  `${redis}export async function f(ids: string[]) { return redis.mget(ids.map((id) => 'user:' + id)); }`,
  `${redis}export async function f(ids: string[]) { return Promise.all(ids.map((id) => redis.get('user:' + id))); }`,
  // Redis: a SCAN cursor loop
  `${redis}export async function f() { let cursor = '0'; do { const [next, keys] = await redis.scan(cursor); use(keys); cursor = next; } while (cursor !== '0'); }`,
  // DynamoDB: BatchGetCommand is the batched form
  `${dynamo}export async function f(ids: string[]) { return ddb.send(new BatchGetCommand({ RequestItems: { users: { Keys: ids.map((id) => ({ id })) } } })); }`,
  // DynamoDB: chained lookups, each key from the previous item (a linked list)
  `${dynamo}export async function f(head: string) { let id: string | undefined = head; while (id) { const { Item } = await ddb.send(new GetCommand({ TableName: 'nodes', Key: { id } })); id = Item?.next; } }`,
  // HTTP: a GET to each item's own URL is a fan-out over hosts, and a method the file cannot read is unknown
  `export async function f(hooks: { url: string }[]) { for (const hook of hooks) await fetch(hook.url); }`,
  `export async function f(ids: string[], init: RequestInit) { for (const id of ids) await fetch('https://api.example.com/users/' + id, init); }`,
  // HTTP: a read keyed by the previous response (a next-page link)
  `import axios from 'axios'; export async function f(first: string) { let url: string | null = first; while (url) { const { data } = await axios.get(url); url = data.next; } }`,
  // SQL: a SELECT per item behind a limiter
  `import { Pool } from 'pg'; const pool = new Pool(); import pLimit from 'p-limit';
   export async function f(ids: number[]) { const limiter = pLimit(4); for (const id of ids) await limiter(() => pool.query('SELECT * FROM rooms WHERE id = $1', [id])); }`,
  // embedded SQLite reads in this process
  `import Database from 'better-sqlite3'; const db = new Database('app.db'); const get = db.prepare('SELECT * FROM t WHERE id = ?');
   export function f(ids: string[]) { return ids.map((id) => get.get(id)); }`,
  // mongoose: one find with $in
  `import { model, Schema } from 'mongoose'; const User = model('User', new Schema({}));
   export async function f(ids: string[]) { return User.find({ _id: { $in: ids } }); }`,
  // a helper whose read does not depend on its parameter (a settings row per call) is not keyed per item
  `${prisma}async function notify(userId: string) { const settings = await prisma.settings.findFirst(); send(userId, settings); }
   export async function f(ids: string[]) { for (const id of ids) await notify(id); }`,
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    // Prisma: one findUnique per id pushed in order; the suggestion keeps the order and the nulls
    code: `${prisma}export async function f(ids: string[]) {
  const users = [];
  for (const id of ids) users.push(await prisma.user.findUnique({ where: { id } }));
  return users;
}`,
    errors: [
      {
        messageId: 'perItemRead',
        line: 5,
        column: 42,
        endLine: 5,
        endColumn: 83,
        suggestions: [
          {
            messageId: 'suggestBatchedRead',
            data: { bulk: 'findMany', note: 'one query for every id; the rows are mapped back by id, so the order and the missing ones (null) stay' },
            output: `${prisma}export async function f(ids: string[]) {
  const users = [];
  users.push(...(await prisma.user.findMany({ where: { id: { in: ids } } }).then((rows) => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  })));
  return users;
}`,
          },
        ],
      },
    ],
  },
  {
    // Prisma: Promise.all over a map, keyed by a property of the item, include kept
    code: `${prisma}export async function f(orders: { userId: string }[]) {
  return Promise.all(orders.map((order) => prisma.user.findUnique({ where: { id: order.userId }, include: { team: true } })));
}`,
    errors: [
      {
        messageId: 'perItemRead',
        line: 4,
        column: 44,
        endLine: 4,
        endColumn: 124,
        suggestions: [
          {
            messageId: 'suggestBatchedRead',
            data: { bulk: 'findMany', note: 'one query for every id; the rows are mapped back by id, so the order and the missing ones (null) stay' },
            output: `${prisma}export async function f(orders: { userId: string }[]) {
  return prisma.user.findMany({ where: { id: { in: orders.map((order) => order.userId) } }, include: { team: true } }).then((rows) => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    return orders.map((order) => byId.get(order.userId) ?? null);
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // Prisma: the user and the children per user are reported; the org read keyed by the user read is a chained step
    code: `${prisma}export async function f(users: { id: string }[]) {
  for (const user of users) {
    const user2 = await prisma.user.findUnique({ where: { id: user.id } });
    const org = await prisma.org.findUnique({ where: { id: user2!.orgId as string } });
    use(org, await prisma.post.findMany({ where: { authorId: user.id } }));
  }
}`,
    errors: [
      { messageId: 'perItemRead', line: 5, column: 25, endLine: 5, endColumn: 75, suggestions: [] },
      { messageId: 'perItemRead', line: 7, column: 20, endLine: 7, endColumn: 74, suggestions: [] },
    ],
  },
  {
    // Prisma: a select may leave the id out of the rows, so no rewrite is offered
    code: `${prisma}export async function f(ids: string[]) {
  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id }, select: { name: true } })));
}`,
    errors: [{ messageId: 'perItemRead', line: 4, column: 38, endLine: 4, endColumn: 103, suggestions: [] }],
  },
  {
    // TypeORM: findOneBy per id; skipping a missing row does not make the read a cache
    code: `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'postgres' });
const users = dataSource.getRepository('User');
export async function f(ids: string[]) {
  for (const id of ids) { const user = await users.findOneBy({ id }); if (!user) continue; out(user); }
}`,
    errors: [{ messageId: 'perItemRead', line: 5, column: 46, endLine: 5, endColumn: 69, suggestions: [] }],
  },
  {
    // Sequelize: findByPk per id
    code: `import { Model } from 'sequelize';
class User extends Model {}
export async function f(ids: number[]) {
  const found = [];
  for (const id of ids) found.push(await User.findByPk(id));
  return found;
}`,
    errors: [{ messageId: 'perItemRead', line: 5, column: 42, endLine: 5, endColumn: 59, suggestions: [] }],
  },
  {
    // Mongoose (JavaScript): findById under Promise.all; the rewrite compares ObjectIds as strings
    filename: 'src/file.mjs',
    code: `import { model, Schema } from 'mongoose';
const User = model('User', new Schema({}));
export async function f(ids) {
  return Promise.all(ids.map((id) => User.findById(id)));
}`,
    errors: [
      {
        messageId: 'perItemRead',
        line: 4,
        column: 38,
        endLine: 4,
        endColumn: 55,
        suggestions: [
          {
            messageId: 'suggestBatchedRead',
            data: { bulk: 'find', note: 'one query for every id; the rows are mapped back by id, so the order and the missing ones (null) stay' },
            output: `import { model, Schema } from 'mongoose';
const User = model('User', new Schema({}));
export async function f(ids) {
  return User.find({ _id: { $in: ids } }).then((rows) => {
    const byId = new Map(rows.map((row) => [String(row._id), row]));
    return ids.map((id) => byId.get(String(id)) ?? null);
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // Mongoose in TypeScript: reported, the rewrite left to the reader
    code: `import { model, Schema } from 'mongoose';
const User = model('User', new Schema({}));
export async function f(ids: string[]) {
  for (const id of ids) out(await User.findById(id).lean());
}`,
    errors: [{ messageId: 'perItemRead', line: 4, column: 35, endLine: 4, endColumn: 52, suggestions: [] }],
  },
  {
    // MongoDB driver: findOne per email
    code: `import { MongoClient } from 'mongodb';
const users = new MongoClient('mongodb://db').db('app').collection('users');
export async function f(emails: string[]) {
  for (const email of emails) out(await users.findOne({ email }));
}`,
    errors: [{ messageId: 'perItemRead', line: 4, column: 41, endLine: 4, endColumn: 65, suggestions: [] }],
  },
  {
    // ioredis: GET awaited one by one (MGET is the way out)
    code: `${redis}export async function f(ids: string[]) {
  const values: (string | null)[] = [];
  for (const id of ids) values.push(await redis.get('session:' + id));
  return values;
}`,
    errors: [{ messageId: 'perItemRead', line: 5, column: 43, endLine: 5, endColumn: 69, suggestions: [] }],
  },
  {
    // node-redis: HGETALL awaited one by one
    code: `import { createClient } from 'redis';
const client = createClient();
export async function f(ids: string[]) {
  for (const id of ids) out(await client.hGetAll('user:' + id));
}`,
    errors: [{ messageId: 'perItemRead', line: 4, column: 35, endLine: 4, endColumn: 63, suggestions: [] }],
  },
  {
    // DynamoDB: GetCommand per id (BatchGetCommand reads 100 keys at once)
    code: `${dynamo}export async function f(ids: string[]) {
  for (const id of ids) out(await ddb.send(new GetCommand({ TableName: 'users', Key: { id } })));
}`,
    errors: [{ messageId: 'perItemRead', line: 5, column: 35, endLine: 5, endColumn: 96, suggestions: [] }],
  },
  {
    // HTTP: a GET per item to one service, the item inside a URL on a fixed base
    code: `const API = 'https://billing.internal';
export async function f(accounts: { id: string }[]) {
  for (const account of accounts) out(await fetch(\`\${API}/accounts/\${account.id}/balance\`));
}`,
    errors: [{ messageId: 'perItemRead', line: 3, column: 45, endLine: 3, endColumn: 91, suggestions: [] }],
  },
  {
    // HTTP: axios GETs in parallel to one service
    code: `import axios from 'axios';
export async function f(ids: string[]) {
  return Promise.all(ids.map((id) => axios.get('https://users.internal/users/' + id)));
}`,
    errors: [{ messageId: 'perItemRead', line: 3, column: 38, endLine: 3, endColumn: 85, suggestions: [] }],
  },
  {
    // SQL: a SELECT per id
    code: `import { Pool } from 'pg';
const pool = new Pool();
export async function f(ids: number[]) {
  for (const id of ids) out(await pool.query('SELECT * FROM rooms WHERE id = $1', [id]));
}`,
    errors: [{ messageId: 'perItemRead', line: 4, column: 35, endLine: 4, endColumn: 88, suggestions: [] }],
  },
  {
    // drizzle: a select and a relational query per id
    code: `import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
const db = drizzle(process.env.DATABASE_URL!);
export async function f(t: any, ids: string[]) {
  for (const id of ids) out(await db.select().from(t).where(eq(t.id, id)));
  for (const id of ids) out(await db.query.users.findFirst({ where: eq(t.id, id) }));
}`,
    errors: [
      { messageId: 'perItemRead', line: 5, column: 35, endLine: 5, endColumn: 54, suggestions: [] },
      { messageId: 'perItemRead', line: 6, column: 35, endLine: 6, endColumn: 84, suggestions: [] },
    ],
  },
  {
    // a getter of the project, its read keyed by its parameter and returned
    code: `${prisma}async function loadUser(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  if (!user) throw new Error('missing');
  return user;
}
export async function f(ids: string[]) {
  for (const id of ids) out(await loadUser(id));
}`,
    errors: [{ messageId: 'perItemRead', line: 9, column: 35, endLine: 9, endColumn: 47, suggestions: [] }],
  },
];

for (const [mode, tester] of modes) {
  describe(`reads per item (${mode})`, () => {
    tester().run('no-coordination-in-loop', rule, { valid, invalid });
  });
}
