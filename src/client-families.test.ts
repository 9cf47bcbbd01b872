// The clients of issue 24 through the rules, in both modes (syntactic and typed), TypeScript and
// JavaScript: a per-item write of each family in a loop, an Upstash SET NX on a constant key, and
// the hard negatives beside them (reads, batched forms, fan-outs, calls nobody waits for).
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe } from 'vitest';
import loopRule, { type MessageIds as LoopIds, type Options as LoopOptions } from '../rules/no-coordination-in-loop.js';
import lockRule, { type MessageIds as LockIds, type Options as LockOptions } from '../rules/no-global-lock.js';
import { modes } from './test-support/rule-tester.js';

/** Reads per item have their own tests (reads-per-item.test.ts); these cases hold the writes' boundary. */
const noReads: LoopOptions = [{ checkHelpers: true, checkParallel: true, checkReads: false, maxFixedIterations: 5 }];

const drizzle = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { inArray } from 'drizzle-orm';\nconst db = drizzle(process.env.DATABASE_URL!);\n`;

const loopValid: (ValidTestCase<LoopOptions> | string)[] = [
  // drizzle: one insert with every row, one update with inArray, a read per item (checkReads off)
  `${drizzle}export async function f(t: any, rows: object[]) { await db.insert(t).values([...rows]); }`,
  `${drizzle}export async function f(t: any, ids: string[]) { await db.update(t).set({ seen: true }).where(inArray(t.id, ids)); }`,
  { code: `${drizzle}export async function f(t: any, ids: string[]) { for (const id of ids) await db.select().from(t).where(inArray(t.id, [id])); }`, options: noReads },
  // drizzle: writes through the transaction's own client belong to it
  `${drizzle}export async function f(t: any, rows: object[]) { await db.transaction(async (tx) => { for (const row of rows) await tx.insert(t).values(row); }); }`,
  // HTTP: GET per item is a read (checkReads off); a POST to each item's own URL is a fan-out over hosts
  { code: `export async function f(ids: string[]) { for (const id of ids) await fetch('https://api.example.com/users/' + id); }`, options: noReads },
  `export async function f(hooks: { url: string }[], body: string) { for (const hook of hooks) await fetch(hook.url, { method: 'POST', body }); }`,
  { code: `import axios from 'axios'; export async function f(ids: string[]) { for (const id of ids) await axios.get('https://api.example.com/users/' + id); }`, options: noReads },
  // HTTP: a method the file cannot read is not known to write
  `export async function f(ids: string[], method: string) { for (const id of ids) await fetch('https://x/' + id, { method }); }`,
  // BullMQ: addBulk is one round trip; adds issued together share the Redis connection
  `import { Queue } from 'bullmq'; const queue = new Queue('mail');
   export async function f(users: { id: string }[]) { await queue.addBulk(users.map((user) => ({ name: 'welcome', data: user }))); }`,
  `import { Queue } from 'bullmq'; const queue = new Queue('mail');
   export async function f(users: { id: string }[]) { await Promise.all(users.map((user) => queue.add('welcome', user))); }`,
  // Elasticsearch: one bulk request
  `import { Client } from '@elastic/elasticsearch'; const es = new Client({ node: '' });
   export async function f(docs: { id: string }[]) { await es.bulk({ operations: docs.flatMap((doc) => [{ index: { _index: 'docs', _id: doc.id } }, doc]) }); }`,
  // Firestore: writes queued on a batch are sent once, at commit
  `import { getFirestore } from 'firebase-admin/firestore'; const db = getFirestore();
   export async function f(users: { id: string }[]) { const batch = db.batch(); for (const user of users) batch.set(db.collection('users').doc(user.id), user); await batch.commit(); }`,
  // SQS: the batch command
  `import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs'; const sqs = new SQSClient({});
   export async function f(chunk: { id: string }[]) { await sqs.send(new SendMessageBatchCommand({ QueueUrl: 'q', Entries: chunk.map((o) => ({ Id: o.id, MessageBody: o.id })) })); }`,
  // Cassandra: a SELECT per item is a read
  `import cassandra from 'cassandra-driver'; const client = new cassandra.Client({});
   export async function f(ids: string[]) { for (const id of ids) await client.execute('SELECT * FROM t WHERE id = ?', [id], { prepare: true }); }`,
  // JavaScript
  { code: `import { Queue } from 'bullmq'; const queue = new Queue('mail');\nexport async function f(users) { await queue.addBulk(users.map((user) => ({ name: 'welcome', data: user }))); }`, filename: 'src/file.mjs' },
];

const loopInvalid: InvalidTestCase<LoopIds, LoopOptions>[] = [
  {
    code: `${drizzle}export async function f(t: any, rows: object[]) { for (const row of rows) await db.insert(t).values(row); }`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 4,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'values(rows)', note: 'one INSERT for every row; one failing row fails the statement, where the loop kept the rows before it' },
            output: `${drizzle}export async function f(t: any, rows: object[]) { {\n  const rows2 = Array.from(rows);\n  if (rows2.length > 0) await db.insert(t).values(rows2);\n} }`,
          },
        ],
      },
    ],
  },
  {
    code: `${drizzle}export async function f(t: any, ids: string[]) { for (const id of ids) await db.delete(t).where(inArray(t.id, [id])); }`,
    errors: [{ messageId: 'perItemWrite', line: 4 }],
  },
  {
    // a POST per item to one service
    code: `const API = 'https://api.example.com';
export async function f(users: { id: string }[]) { for (const user of users) await fetch(\`\${API}/users/\${user.id}\`, { method: 'PUT', body: JSON.stringify(user) }); }`,
    errors: [{ messageId: 'perItemWrite', line: 2 }],
  },
  {
    code: `import axios from 'axios';
export async function f(events: object[]) { for (const event of events) await axios.post('https://api.example.com/events', event); }`,
    errors: [{ messageId: 'perItemWrite', line: 2 }],
  },
  {
    code: `import { Queue } from 'bullmq';
const queue = new Queue('mail');
export async function f(users: { id: string }[]) { for (const user of users) await queue.add('welcome', { userId: user.id }); }`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 3,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'addBulk', note: 'one round trip adds every job, all or none, in the same order' },
            output: `import { Queue } from 'bullmq';
const queue = new Queue('mail');
export async function f(users: { id: string }[]) { await queue.addBulk(Array.from(users, (user) => ({ name: 'welcome', data: { userId: user.id } }))); }`,
          },
        ],
      },
    ],
  },
  {
    code: `import { Redis } from '@upstash/redis';
const redis = Redis.fromEnv();
export async function f(rows: { id: string }[]) { for (const row of rows) await redis.set('row:' + row.id, '1'); }`,
    errors: [{ messageId: 'perItemWrite', line: 3 }],
  },
  {
    code: `import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export async function f(orders: { id: string }[]) { for (const order of orders) await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: order.id })); }`,
    errors: [{ messageId: 'perItemWrite', line: 3 }],
  },
  {
    code: `import { Client } from '@elastic/elasticsearch';
const es = new Client({ node: '' });
export async function f(docs: { id: string }[]) { for (const doc of docs) await es.index({ index: 'docs', id: doc.id, document: doc }); }`,
    errors: [{ messageId: 'perItemReplicaWrite', line: 3 }],
  },
  {
    code: `import { getFirestore } from 'firebase-admin/firestore';
const db = getFirestore();
export async function f(users: { id: string }[]) { for (const user of users) await db.collection('users').doc(user.id).set(user); }`,
    errors: [{ messageId: 'perItemConsensusWrite', line: 3 }],
  },
  {
    code: `import cassandra from 'cassandra-driver';
const client = new cassandra.Client({});
export async function f(events: { id: string }[]) { for (const e of events) await client.execute('INSERT INTO events (id) VALUES (?)', [e.id], { prepare: true }); }`,
    errors: [{ messageId: 'perItemWrite', line: 3 }],
  },
  {
    // JavaScript: got and MikroORM
    code: `import got from 'got';
export async function f(users) { for (const user of users) await got.patch('https://api.example.com/users/' + user.id, { json: user }); }`,
    filename: 'src/file.mjs',
    errors: [{ messageId: 'perItemWrite', line: 2 }],
  },
  {
    code: `import { MikroORM } from '@mikro-orm/postgresql';
const orm = await MikroORM.init({});
export async function f(people) { const em = orm.em.fork(); for (const person of people) await em.persistAndFlush(person); }`,
    filename: 'src/file.mjs',
    errors: [{ messageId: 'perItemWrite', line: 3 }],
  },
];

const upstash = `import { Redis } from '@upstash/redis';\nconst redis = Redis.fromEnv();\n`;

const lockValid: (ValidTestCase<LockOptions> | string)[] = [
  // a lock keyed by the entity
  `${upstash}export async function pay(orderId: string) { await redis.set('order:' + orderId, '1', { nx: true, ex: 30 }); }`,
  // a SET with expiry only is a cache write
  `${upstash}export async function f(orderId: string) { await redis.set('config', orderId, { ex: 60 }); }`,
  // @vercel/kv, keyed by the entity
  `import { kv } from '@vercel/kv'; export async function f(userId: string) { await kv.set(\`user:\${userId}:lock\`, '1', { nx: true }); }`,
];

const lockInvalid: InvalidTestCase<LockIds, LockOptions>[] = [
  {
    code: `${upstash}export async function checkout(orderId: string) { if (!(await redis.set('checkout-lock', orderId, { nx: true, ex: 30 }))) return; }`,
    errors: [
      {
        messageId: 'globalLock',
        line: 3,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'orderId', key: '`checkout-lock:${orderId}`' },
            output: `${upstash}export async function checkout(orderId: string) { if (!(await redis.set(\`checkout-lock:\${orderId}\`, orderId, { nx: true, ex: 30 }))) return; }`,
          },
        ],
      },
    ],
  },
  {
    code: `import { kv } from '@vercel/kv';\nexport async function publish(postId: string) { await kv.setnx('publish-lock', postId); }`,
    errors: [
      {
        messageId: 'globalLock',
        line: 2,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'postId', key: '`publish-lock:${postId}`' },
            output: `import { kv } from '@vercel/kv';\nexport async function publish(postId: string) { await kv.setnx(\`publish-lock:\${postId}\`, postId); }`,
          },
        ],
      },
    ],
  },
  {
    code: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function bill(invoiceId) { await client.set('billing', invoiceId, { condition: 'NX', expiration: { type: 'EX', value: 60 } }); }`,
    filename: 'src/file.mjs',
    errors: [
      {
        messageId: 'globalLock',
        line: 3,
        suggestions: [
          {
            messageId: 'suggestEntityKey',
            data: { entity: 'invoiceId', key: '`billing:${invoiceId}`' },
            output: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function bill(invoiceId) { await client.set(\`billing:\${invoiceId}\`, invoiceId, { condition: 'NX', expiration: { type: 'EX', value: 60 } }); }`,
          },
        ],
      },
    ],
  },
];

for (const [mode, tester] of modes) {
  describe(`client families (${mode})`, () => {
    tester().run('no-coordination-in-loop', loopRule, { valid: loopValid, invalid: loopInvalid });
    tester().run('no-global-lock', lockRule, { valid: lockValid, invalid: lockInvalid });
  });
}
