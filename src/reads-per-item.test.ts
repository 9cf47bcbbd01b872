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

const invalid: InvalidTestCase<MessageIds, Options>[] = [];

for (const [mode, tester] of modes) {
  describe(`reads per item (${mode})`, () => {
    tester().run('no-coordination-in-loop', rule, { valid, invalid });
  });
}
