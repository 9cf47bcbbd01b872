// The clients of issue 24: each family's call shapes, as classifyCall sees them and as the rules
// report them (kind, level and price read off the site record), with the hard negatives beside them.
import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ProbeOptions, probe } from '../test-support/lint.js';
import { sitesOf } from '../test-support/sites.js';
import { OPERATIONS } from '../model/catalog-data.js';
import { classifyCall } from './classify-call.js';

/** Every classified call in `code`, as `operation-id via level`. */
function sites(code: string, options: ProbeOptions = {}): string[] {
  return probe(
    code,
    ['CallExpression', 'TaggedTemplateExpression'],
    (analysis, node, report) => {
      const site = classifyCall(analysis, node as TSESTree.CallExpression);
      if (site) report(`${site.operation.id} ${site.via} ${site.level.atLeast ? '>=' : ''}L${site.level.level}`);
    },
    options,
  );
}

/** The site records the rules report, as `line rule operation kind level`. */
function reported(code: string, options: { filename?: string; settings?: Record<string, unknown> } = {}): string[] {
  return sitesOf(code, options).map(
    ({ line, ruleId, record }) =>
      `${line} ${ruleId.replace('coordination/', '')} ${record.primitive.operation} ${record.primitive.kind} ${record.atLeast ? '>=' : ''}L${record.level}`,
  );
}

describe('SQL and ORMs', () => {
  it('drizzle: insert, update and delete builders, transactions, execute; select is a read', () => {
    const code = `
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { eq, inArray, sql } from 'drizzle-orm';
      const db = drizzle(process.env.DATABASE_URL!);
      export async function f(t: any, row: object, ids: string[]) {
        await db.insert(t).values(row).returning();
        await db.update(t).set({ seen: true }).where(inArray(t.id, ids));
        await db.delete(t).where(eq(t.id, ids[0]));
        await db.select().from(t).where(inArray(t.id, ids));
        await db.transaction(async (tx) => { await tx.insert(t).values([row]); });
        await db.execute(sql\`LOCK TABLE jobs IN EXCLUSIVE MODE\`);
      }`;
    expect(sites(code)).toEqual([
      'drizzle.insert import >=L1',
      'drizzle.update import >=L1',
      'drizzle.delete import >=L1',
      'drizzle.select import >=L1',
      'drizzle.transaction import >=L1',
      'drizzle.execute import >=L1',
    ]);
  });

  it('drizzle: a per-row insert in a loop is a write per item; values([...rows]) is one statement', () => {
    const code = `
      import { drizzle } from 'drizzle-orm/postgres-js';
      const db = drizzle(process.env.DATABASE_URL!);
      export async function f(t: any, rows: object[]) {
        for (const row of rows) await db.insert(t).values(row);
        await db.insert(t).values([...rows]);
        for (const id of rows.map((row: any) => row.id)) await db.select().from(t).where(t.id.eq(id));
      }`;
    expect(reported(code)).toEqual(['5 no-coordination-in-loop drizzle.insert remote-write >=L1', '7 no-coordination-in-loop drizzle.select remote-read >=L1']);
    const [site] = sitesOf(code);
    expect(site!.record.price?.messages).toBe(2);
    expect(site!.text).toContain('values([...rows]) inserts every row in one statement');
  });

  it('drizzle: a backend profile settles the level', () => {
    const code = `
      import { drizzle } from 'drizzle-orm/node-postgres';
      const db = drizzle(process.env.DATABASE_URL!);
      export async function f(t: any, rows: object[]) { for (const row of rows) await db.insert(t).values(row); }`;
    expect(reported(code, { settings: { backends: { 'drizzle-orm/node-postgres': 'consensus' } } })).toEqual([
      '4 no-coordination-in-loop drizzle.insert remote-write L3',
    ]);
  });

  it('MikroORM: persistAndFlush per item, flush once; objection query builders', () => {
    const code = `
      import { MikroORM } from '@mikro-orm/postgresql';
      import { Model } from 'objection';
      class Person extends Model {}
      const orm = await MikroORM.init({});
      export async function f(people: object[]) {
        const em = orm.em.fork();
        for (const person of people) await em.persistAndFlush(person);
        await em.flush();
        for (const person of people) await Person.query().insert(person);
        await Person.query().insert(people);
      }`;
    expect(sites(code)).toEqual([
      'mikro-orm.persist-and-flush import >=L1',
      'mikro-orm.flush import >=L1',
      'objection.write import >=L1',
      'objection.write import >=L1',
    ]);
    expect(reported(code)).toEqual([
      '8 no-coordination-in-loop mikro-orm.persist-and-flush remote-write >=L1',
      '10 no-coordination-in-loop objection.write remote-write >=L1',
    ]);
  });

  it('slonik, PlanetScale, Neon and libSQL: SQL text priced by its statement; batch forms are batched', () => {
    const code = `
      import { createPool, sql } from 'slonik';
      import { connect } from '@planetscale/database';
      import { neon, Pool } from '@neondatabase/serverless';
      import { createClient } from '@libsql/client';
      const pool = await createPool('postgres://');
      const conn = connect({ url: '' });
      const neonSql = neon('');
      const neonPool = new Pool();
      const libsql = createClient({ url: '' });
      export async function f(ids: number[]) {
        for (const id of ids) await pool.query(sql.unsafe\`DELETE FROM jobs WHERE id = \${id}\`);
        for (const id of ids) await conn.execute('UPDATE jobs SET done = 1 WHERE id = ?', [id]);
        for (const id of ids) await neonSql\`INSERT INTO seen (id) VALUES (\${id})\`;
        for (const id of ids) await neonPool.query('INSERT INTO seen (id) VALUES ($1)', [id]);
        for (const id of ids) await libsql.execute({ sql: 'INSERT INTO seen (id) VALUES (?)', args: [id] });
        for (const id of ids) await libsql.execute({ sql: 'SELECT * FROM seen WHERE id = ?', args: [id] });
        await libsql.batch(ids.map((id) => ({ sql: 'INSERT INTO seen (id) VALUES (?)', args: [id] })), 'write');
        await pool.query(sql.unsafe\`SELECT pg_advisory_lock(1)\`);
      }`;
    expect(reported(code)).toEqual([
      '12 no-coordination-in-loop slonik.query remote-write >=L1',
      '13 no-coordination-in-loop planetscale.execute remote-write >=L1',
      '14 no-coordination-in-loop neon.sql remote-write >=L1',
      '15 no-coordination-in-loop pg.query remote-write >=L1',
      '16 no-coordination-in-loop libsql.execute remote-write >=L1',
      '17 no-coordination-in-loop libsql.execute remote-read >=L1',
      '19 no-global-lock pg-advisory-lock lock L3',
    ]);
  });
});

describe('key-value', () => {
  it('Upstash and @vercel/kv: SET NX is a lock, a plain SET a write, pipeline and mget batch or read', () => {
    const code = `
      import { Redis } from '@upstash/redis';
      import { kv, createClient } from '@vercel/kv';
      const redis = Redis.fromEnv();
      const other = createClient({ url: '', token: '' });
      export async function f(id: string) {
        await redis.set('lock:' + id, '1', { nx: true, ex: 30 });
        await redis.set('k', '1', { ex: 30 });
        await kv.set('lock', '1', { nx: true });
        await other.setnx('lock', '1');
        await redis.mget('a', 'b');
        await redis.pipeline().set('a', 1).set('b', 2).exec();
      }`;
    expect(sites(code)).toEqual([
      'upstash.set-nx import L3',
      'upstash.set import >=L1',
      'upstash.set-nx import L3',
      'upstash.setnx import L3',
      'upstash.mget import >=L1',
      'upstash.pipeline-exec import >=L1',
      'upstash.mset import >=L1',
    ]);
  });

  it('Upstash: a SET NX on a constant key is a global lock at L3; node-redis 5 option forms too', () => {
    const code = `
      import { Redis } from '@upstash/redis';
      import { kv } from '@vercel/kv';
      import { createClient } from 'redis';
      const redis = new Redis({ url: '', token: '' });
      const client = createClient();
      export async function checkout(orderId: string) {
        if (!(await redis.set('checkout-lock', orderId, { nx: true, ex: 30 }))) return;
        await kv.set('nightly-report', '1', { nx: true, px: 60_000 });
        await client.set('invoices', orderId, { condition: 'NX', expiration: { type: 'EX', value: 60 } });
        await redis.set('order:' + orderId, '1', { nx: true });
      }`;
    expect(reported(code)).toEqual([
      '8 no-global-lock upstash.set-nx lock L3',
      '9 no-global-lock upstash.set-nx lock L3',
      '10 no-global-lock node-redis.set-nx lock L3',
    ]);
  });

  it('Upstash: a sequential SET per item is reported; commands issued together share one request', () => {
    const code = `
      import { Redis } from '@upstash/redis';
      const redis = Redis.fromEnv();
      export async function f(rows: { id: string }[]) {
        for (const row of rows) await redis.set('row:' + row.id, '1');
        await Promise.all(rows.map((row) => redis.set('row:' + row.id, '1')));
      }`;
    expect(reported(code)).toEqual(['5 no-coordination-in-loop upstash.set remote-write >=L1']);
    expect(reported(code, { settings: { backends: { '@upstash/redis': 'redis-single' } } })).toEqual([
      '5 no-coordination-in-loop upstash.set remote-write L1',
    ]);
  });
});

describe('queues and messaging', () => {
  it('BullMQ and Bull: add per item → addBulk', () => {
    const code = `
      import { Queue } from 'bullmq';
      import Bull from 'bull';
      const emails = new Queue('emails');
      const legacy = new Bull('legacy');
      export async function f(users: { id: string }[]) {
        for (const user of users) await emails.add('welcome', { userId: user.id });
        for (const user of users) await legacy.add({ userId: user.id });
        await emails.addBulk(users.map((user) => ({ name: 'welcome', data: { userId: user.id } })));
      }`;
    expect(reported(code)).toEqual([
      '7 no-coordination-in-loop bullmq.add remote-write >=L1',
      '8 no-coordination-in-loop bullmq.add remote-write >=L1',
    ]);
    expect(sitesOf(code)[0]!.text).toContain('addBulk');
  });

  it('BullMQ: a queue injected by type (Nest) resolves through its type', () => {
    const code = `
      import type { Queue } from 'bullmq';
      export class Mailer {
        constructor(private readonly queue: Queue) {}
        async send(users: { id: string }[]) { for (const user of users) await this.queue.add('mail', user); }
      }`;
    expect(reported(code)).toEqual(['5 no-coordination-in-loop bullmq.add remote-write >=L1']);
  });

  it('QStash: publishJSON per item → batchJSON', () => {
    const code = `
      import { Client } from '@upstash/qstash';
      const qstash = new Client({ token: '' });
      export async function f(users: { id: string }[]) {
        for (const user of users) await qstash.publishJSON({ url: 'https://x/api/welcome', body: user });
        await qstash.batchJSON(users.map((user) => ({ url: 'https://x/api/welcome', body: user })));
      }`;
    expect(reported(code)).toEqual(['5 no-coordination-in-loop qstash.publish remote-write >=L1']);
  });

  it('SQS, SNS and S3: single-item commands → their batch commands, with the documented limits', () => {
    const code = `
      import { SQSClient, SendMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
      import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
      import { S3Client, DeleteObjectCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
      const sqs = new SQSClient({});
      const sns = new SNSClient({});
      const s3 = new S3Client({});
      export async function f(orders: { id: string }[], keys: string[]) {
        for (const order of orders) await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: order.id }));
        for (const order of orders) await sns.send(new PublishCommand({ TopicArn: 't', Message: order.id }));
        for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: 'b', Key: key }));
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: 'q', Entries: [] }));
        await s3.send(new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      }`;
    expect(reported(code)).toEqual([
      '9 no-coordination-in-loop sqs.send-message remote-write >=L1',
      '10 no-coordination-in-loop sns.publish remote-write >=L1',
      '11 no-coordination-in-loop s3.delete-object remote-write >=L1',
    ]);
    const limit = (id: string) => OPERATIONS.find((op) => op.id === id)?.bulk?.limit;
    expect([limit('sqs.send-message'), limit('sqs.delete-message'), limit('sns.publish'), limit('s3.delete-object')]).toEqual([10, 10, 10, 1000]);
  });

  it('a publish nobody waits for is priced as such: no round trip per item', () => {
    const code = `
      import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
      const sns = new SNSClient({});
      export function f(orders: { id: string }[]) {
        orders.forEach((order) => { void sns.send(new PublishCommand({ TopicArn: 't', Message: order.id })); });
      }`;
    const [site] = sitesOf(code);
    expect(site!.record.multipliers).toEqual([{ kind: 'loop', mode: 'floating' }]);
    expect(site!.record.price).toMatchObject({ roundTrips: 0, latencyMs: 0 });
  });
});

describe('search and documents', () => {
  it('Elasticsearch and OpenSearch: index per document → bulk; the bulk helper is batched', () => {
    const code = `
      import { Client } from '@elastic/elasticsearch';
      import { Client as OpenSearch } from '@opensearch-project/opensearch';
      const es = new Client({ node: '' });
      const os = new OpenSearch({ node: '' });
      export async function f(docs: { id: string }[]) {
        for (const doc of docs) await es.index({ index: 'docs', id: doc.id, document: doc });
        for (const doc of docs) await os.index({ index: 'docs', id: doc.id, body: doc });
        await es.helpers.bulk({ datasource: docs, onDocument: (doc) => ({ index: { _index: 'docs', _id: doc.id } }) });
        await es.bulk({ operations: docs.flatMap((doc) => [{ index: { _index: 'docs' } }, doc]) });
      }`;
    expect(reported(code)).toEqual([
      '7 no-coordination-in-loop elasticsearch.index replica-write >=L2',
      '8 no-coordination-in-loop elasticsearch.index replica-write >=L2',
    ]);
    expect(sites(code).slice(2)).toEqual(['elasticsearch.helpers-bulk import >=L2', 'elasticsearch.bulk import >=L2']);
  });

  it('Firestore and firebase-admin: set per document is a consensus write; a batch commits once', () => {
    const code = `
      import { getFirestore } from 'firebase-admin/firestore';
      import admin from 'firebase-admin';
      import { Firestore } from '@google-cloud/firestore';
      const db = getFirestore();
      const legacy = admin.firestore();
      const gcp = new Firestore();
      export async function f(users: { id: string }[]) {
        for (const user of users) await db.collection('users').doc(user.id).set(user);
        for (const user of users) await legacy.doc('users/' + user.id).update({ seen: true });
        for (const user of users) await gcp.collection('events').add(user);
        const batch = db.batch();
        for (const user of users) batch.set(db.collection('users').doc(user.id), user);
        await batch.commit();
        await db.runTransaction(async (tx) => tx.get(db.doc('a/b')));
      }`;
    expect(reported(code)).toEqual([
      '9 no-coordination-in-loop firestore.write consensus-write L3',
      '10 no-coordination-in-loop firestore.write consensus-write L3',
      '11 no-coordination-in-loop firestore.write consensus-write L3',
    ]);
    expect(sites(code).slice(-2)).toEqual(['firestore.batch-commit import L3', 'firestore.transaction import L3']);
  });

  it('cassandra-driver: execute per item is priced by its CQL; batch is one request', () => {
    const code = `
      import cassandra from 'cassandra-driver';
      const client = new cassandra.Client({ contactPoints: [] });
      export async function f(events: { id: string }[]) {
        for (const e of events) await client.execute('INSERT INTO events (id) VALUES (?)', [e.id], { prepare: true });
        for (const e of events) await client.execute('SELECT * FROM events WHERE id = ?', [e.id], { prepare: true });
        await client.batch(events.map((e) => ({ query: 'INSERT INTO events (id) VALUES (?)', params: [e.id] })), { prepare: true });
      }`;
    expect(reported(code)).toEqual(['5 no-coordination-in-loop cassandra.execute remote-write >=L1']);
    expect(sites(code)).toEqual(['cassandra.execute import >=L1', 'cassandra.execute import >=L1', 'cassandra.batch import >=L1']);
  });
});

describe('Cassandra consistency', () => {
  it('a consistency the call names sets the level: ONE stays at L1, QUORUM is L2, ALL waits for every replica, SERIAL is L3', () => {
    const code = `
      import cassandra, { types } from 'cassandra-driver';
      const { consistencies } = types;
      const client = new cassandra.Client({ contactPoints: [] });
      const insert = 'INSERT INTO events (id) VALUES (?)';
      export async function f(events: { id: string }[]) {
        for (const e of events) await client.execute(insert, [e.id], { prepare: true, consistency: types.consistencies.localOne });
        for (const e of events) await client.execute(insert, [e.id], { prepare: true, consistency: types.consistencies.localQuorum });
        for (const e of events) await client.execute(insert, [e.id], { consistency: cassandra.types.consistencies.all });
        for (const e of events) await client.execute(insert, [e.id], { consistency: consistencies.serial });
        for (const e of events) await client.execute(insert, [e.id], { consistency: 4 });
        for (const e of events) await client.execute(insert, [e.id], { consistency: e.level });
      }`;
    expect(reported(code)).toEqual([
      '7 no-coordination-in-loop cassandra.execute remote-write >=L1',
      '8 no-coordination-in-loop cassandra.execute remote-write L2',
      '9 no-coordination-in-loop cassandra.execute remote-write L2',
      '10 no-coordination-in-loop cassandra.execute remote-write L3',
      '11 no-coordination-in-loop cassandra.execute remote-write L2',
      '12 no-coordination-in-loop cassandra.execute remote-write >=L1',
    ]);
    const [one, quorum, all] = sitesOf(code);
    // N = 3 replicas: QUORUM waits for 2 of them, ALL for all 3 and is as slow as the slowest.
    expect(one!.record.price?.messages).toBe(2);
    expect(quorum!.record.price?.messages).toBe(2);
    expect(quorum!.record.price?.slowCalls).toBe(1);
    expect(all!.record.price?.messages).toBe(3);
    expect(all!.record.price?.slowCalls).toBe(3);
  });

  it('a backend profile that pays more than the call asks for wins; the batch reads its own option', () => {
    const code = `
      import { Client, types } from 'cassandra-driver';
      const client = new Client({ contactPoints: [] });
      export async function f(events: { id: string }[]) {
        for (const e of events) await client.execute('UPDATE events SET seen = true WHERE id = ?', [e.id], { consistency: types.consistencies.quorum });
        await client.batch([], { consistency: types.consistencies.all });
      }`;
    expect(reported(code, { settings: { backends: { 'cassandra-driver': 'consensus' } } })).toEqual([
      '5 no-coordination-in-loop cassandra.execute remote-write L3',
    ]);
    expect(sites(code)).toEqual(['cassandra.execute import L2', 'cassandra.batch import L2']);
  });
});

describe('Messaging: RabbitMQ and NATS', () => {
  it('an unconfirmed publish waits for nothing: classified fire-and-forget, priced at 1 message and no round trip, never reported', () => {
    const code = `
      import amqp from 'amqplib';
      import { connect } from 'nats';
      export async function f(events: { id: string }[], peers: string[]) {
        const connection = await amqp.connect('amqp://localhost');
        const channel = await connection.createChannel();
        const nc = await connect({ servers: 'nats://localhost:4222' });
        for (const e of events) channel.sendToQueue('events', Buffer.from(e.id));
        for (const e of events) await channel.publish('events', 'created', Buffer.from(e.id));
        events.forEach((e) => nc.publish('events.created', e.id));
        await Promise.all(peers.map((peer) => nc.publish(\`peers.\${peer}\`, 'sync')));
      }`;
    expect(sites(code)).toEqual([
      'amqplib.Channel.publish import L1',
      'amqplib.Channel.publish import L1',
      'nats.publish import L1',
      'nats.publish import L1',
    ]);
    expect(reported(code)).toEqual([]);
    const fireAndForget = OPERATIONS.filter((op) => op.kind === 'fire-and-forget').map((op) => op.id);
    expect(fireAndForget).toEqual(['amqplib.Channel.publish', 'amqplib.ConfirmChannel.publish', 'nats.publish']);
  });

  it('waiting per item for a confirm or a PubAck is a write per item; pipelined acks awaited together are not', () => {
    const code = `
      import amqp from 'amqplib';
      import amqpManager from 'amqp-connection-manager';
      import { connect } from 'nats';
      export async function f(events: { id: string }[]) {
        const confirm = await (await amqp.connect('amqp://localhost')).createConfirmChannel();
        const confirmed = async (e: { id: string }) => { confirm.publish('events', 'created', Buffer.from(e.id)); await confirm.waitForConfirms(); };
        for (const e of events) await confirmed(e);
        await confirm.waitForConfirms();
        const wrapper = amqpManager.connect(['amqp://localhost']).createChannel({ json: true });
        for (const e of events) await wrapper.sendToQueue('events', e);
        await Promise.all(events.map((e) => wrapper.sendToQueue('events', e)));
        const js = (await connect()).jetstream();
        for (const e of events) await js.publish('events.created', e.id);
        await Promise.all(events.map((e) => js.publish('events.created', e.id)));
      }`;
    expect(reported(code)).toEqual([
      '8 no-coordination-in-loop amqplib.wait-for-confirms remote-write >=L1',
      '11 no-coordination-in-loop amqp-cm.publish remote-write >=L1',
      '14 no-coordination-in-loop nats.ConnectionJetStream.publish remote-write >=L1',
    ]);
    const texts = sitesOf(code).map((site) => site.text);
    expect(texts[0]).toContain('await waitForConfirms() once');
    expect(texts[2]).toContain('await them together');
  });

  it('JetStream of @nats-io/jetstream (v3) and a replicated stream under the consensus profile', () => {
    const code = `
      import { connect } from '@nats-io/transport-node';
      import { jetstream } from '@nats-io/jetstream';
      export async function f(events: { id: string }[]) {
        const js = jetstream(await connect());
        for (const e of events) await js.publish('events.created', e.id);
      }`;
    expect(reported(code, { settings: { backends: { '@nats-io/jetstream': 'consensus' } } })).toEqual([
      '6 no-coordination-in-loop nats.JetStream.publish remote-write L3',
    ]);
  });

  it('in JavaScript with require, the same', () => {
    const code = `
      const amqp = require('amqplib');
      const manager = require('amqp-connection-manager');
      async function f(events) {
        const channel = await (await amqp.connect('amqp://localhost')).createChannel();
        for (const e of events) channel.sendToQueue('q', Buffer.from(e));
        const wrapper = manager.connect(['amqp://localhost']).createChannel();
        for (const e of events) await wrapper.sendToQueue('q', e);
      }
      module.exports = { f };`;
    expect(sites(code, { filename: 'src/publisher.cjs' })).toEqual(['amqplib.Channel.publish import L1', 'amqp-cm.publish import >=L1']);
    expect(reported(code, { filename: 'src/publisher.cjs' })).toEqual(['8 no-coordination-in-loop amqp-cm.publish remote-write >=L1']);
  });
});

describe('HTTP write clients', () => {
  it('fetch, axios, got, ky, node-fetch and undici: a write method is a remote write, a GET a remote read', () => {
    const code = `
      import axios from 'axios';
      import got from 'got';
      import ky from 'ky';
      import nodeFetch from 'node-fetch';
      import { request } from 'undici';
      export async function f(body: string) {
        await fetch('https://api.example.com/orders', { method: 'POST', body });
        await fetch('https://api.example.com/orders');
        await fetch('https://api.example.com/orders', { method: 'GET' });
        await axios.post('https://api.example.com/orders', body);
        await axios.get('https://api.example.com/orders');
        await axios({ method: 'put', url: 'https://api.example.com/orders/1', data: body });
        await axios.create({ baseURL: 'https://api.example.com' }).delete('/orders/1');
        await got.patch('https://api.example.com/orders/1', { json: {} });
        await got('https://api.example.com/orders/1', { method: 'DELETE' });
        await ky.post('https://api.example.com/orders', { json: {} }).json();
        await nodeFetch('https://api.example.com/orders', { method: 'post', body });
        await request('https://api.example.com/orders', { method: 'PUT', body });
      }`;
    expect(sites(code)).toEqual([
      'http.fetch-write import >=L1',
      'http.fetch-read import >=L1',
      'http.fetch-read import >=L1',
      'http.write import >=L1',
      'http.read import >=L1',
      'http.request-write import >=L1',
      'http.write import >=L1',
      'http.write import >=L1',
      'http.request-write import >=L1',
      'http.write import >=L1',
      'http.request-write import >=L1',
      'http.request-write import >=L1',
    ]);
  });

  it('a local function named fetch is not the global', () => {
    const code = `
      async function fetch(url: string, init: object) { return { url, init }; }
      export async function f() { await fetch('https://x', { method: 'POST' }); }`;
    expect(sites(code)).toEqual([]);
  });

  it("a POST per item to one service is a write per item; a POST to each item's own URL is a fan-out, not a batch", () => {
    const code = `
      import axios from 'axios';
      const API = 'https://api.example.com';
      export async function f(users: { id: string }[], hooks: { url: string }[], body: string) {
        for (const user of users) await fetch(\`\${API}/users/\${user.id}\`, { method: 'PUT', body: JSON.stringify(user) });
        for (const user of users) await axios.post(API + '/events', user);
        for (const hook of hooks) await fetch(hook.url, { method: 'POST', body });
        for (const user of users) await fetch(\`\${API}/users/\${user.id}\`);
      }`;
    expect(reported(code)).toEqual([
      '5 no-coordination-in-loop http.fetch-write remote-write >=L1',
      '6 no-coordination-in-loop http.write remote-write >=L1',
      '8 no-coordination-in-loop http.fetch-read remote-read >=L1',
    ]);
  });

  it('an item fetched (GET) before its write keeps the iteration its own unit of I/O', () => {
    const code = `
      import { drizzle } from 'drizzle-orm/node-postgres';
      const db = drizzle('');
      export async function f(t: any, ids: string[]) {
        for (const id of ids) { const response = await fetch('https://x/items/' + id); await db.insert(t).values(await response.json()); }
      }`;
    // the GET itself is a read per item; the insert after it is not a write per item
    expect(reported(code)).toEqual(['5 no-coordination-in-loop http.fetch-read remote-read >=L1']);
  });
});

describe('a client added through settings (docs/settings.md)', () => {
  it('the documented Cloud Spanner example reports a per-row insert at L3', () => {
    const docs = readFileSync(new URL('../../docs/settings.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('### Adding a client'));
    const block = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const config = new Function(`return {${block}};`)() as { settings: { coordination: Record<string, unknown> } };
    const code = `
      import { Spanner } from '@google-cloud/spanner';
      const database = new Spanner({ projectId: 'p' }).instance('i').database('d');
      export async function f(rows: { id: string }[]) {
        const table = database.table('events');
        for (const row of rows) await table.insert(row);
        await table.insert(rows);
      }`;
    expect(reported(code, { settings: config.settings.coordination })).toEqual(['6 no-coordination-in-loop spanner.insert consensus-write L3']);
    expect(sitesOf(code, { settings: config.settings.coordination })[0]!.text).toContain('table.insert([...rows])');
  });
});

describe('typed mode: the real declarations of drizzle-orm, @upstash/redis, axios, bullmq and @aws-sdk/client-sqs', () => {
  const typedRoot = fileURLToPath(new URL('../../fixtures/typed/', import.meta.url));
  const typed: ProbeOptions = { filename: `${typedRoot}src/file.ts`, parserOptions: { projectService: true, tsconfigRootDir: typedRoot } };
  const syntactic: ProbeOptions = { filename: `${typedRoot}src/file.ts` };

  it('settles clients whose names and annotations say nothing through their types', () => {
    const code = `import { Redis } from '@upstash/redis';
      import { drizzle } from 'drizzle-orm/node-postgres';
      import { pgTable, text } from 'drizzle-orm/pg-core';
      import axios from 'axios';
      import { Queue } from 'bullmq';
      import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
      const users = pgTable('users', { id: text('id') });
      export async function f(
        store: InstanceType<typeof Redis>,
        database: ReturnType<typeof drizzle>,
        http: ReturnType<typeof axios.create>,
        jobs: InstanceType<typeof Queue>,
        messages: InstanceType<typeof SQSClient>,
      ) {
        await store.set('lock', '1', { nx: true, ex: 30 });
        await database.insert(users).values({ id: '1' });
        await http.post('/events', {});
        await jobs.add('mail', {});
        await messages.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: 'm' }));
      }`;
    expect(sites(code, syntactic)).toEqual([]);
    expect(sites(code, typed)).toEqual([
      'upstash.set-nx type L3',
      'drizzle.insert type >=L1',
      'http.write type >=L1',
      'bullmq.add type >=L1',
      'sqs.send-message type >=L1',
    ]);
  });

  it('settles amqplib, amqp-connection-manager, nats and cassandra-driver values through their declarations', () => {
    const code = `import * as amqp from 'amqplib';
      import manager from 'amqp-connection-manager';
      import { connect } from 'nats';
      import { Client, types } from 'cassandra-driver';
      type Connection = Awaited<ReturnType<typeof amqp.connect>>;
      export async function f(
        ids: string[],
        confirms: Awaited<ReturnType<Connection['createConfirmChannel']>>,
        plain: Awaited<ReturnType<Connection['createChannel']>>,
        wrapper: ReturnType<ReturnType<typeof manager.connect>['createChannel']>,
        bus: Awaited<ReturnType<typeof connect>>,
        store: InstanceType<typeof Client>,
      ) {
        const stream = bus.jetstream();
        for (const id of ids) { plain.publish('x', '', Buffer.from(id)); bus.publish('s', id); }
        await confirms.waitForConfirms();
        for (const id of ids) await wrapper.publish('x', '', id);
        for (const id of ids) await stream.publish('s', id);
        for (const id of ids) await store.execute('DELETE FROM t WHERE id = ?', [id], { consistency: types.consistencies.all });
      }`;
    // Syntax guesses two by name (jetstream(), SQL text) and misses the consistency; types settle all six.
    expect(sites(code, syntactic)).toEqual(['nats.JetStream.publish name >=L1', 'sql.any-query name >=L1']);
    expect(sites(code, typed)).toEqual([
      'amqplib.Channel.publish type L1',
      'nats.publish type L1',
      'amqplib.wait-for-confirms type >=L1',
      'amqp-cm.publish type >=L1',
      'nats.ConnectionJetStream.publish type >=L1',
      'cassandra.execute type L2',
    ]);
  });
});
