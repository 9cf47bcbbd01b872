import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/utils';
import { getDefaultCatalog } from '../model/catalog.js';
import { type ProbeOptions, probe } from '../test-support/lint.js';
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

describe('classifyCall: imports and constructors', () => {
  it('follows a default import and new', () => {
    expect(sites(`import Redlock from 'redlock'; const r = new Redlock([]); r.acquire(['jobs'], 5000);`)).toEqual([
      'redlock.acquire import L3',
    ]);
  });

  it('follows a named import of @sesamecare-oss/redlock', () => {
    expect(sites(`import { Redlock } from '@sesamecare-oss/redlock'; const r = new Redlock([]); await r.using(['a'], 1, async () => {});`)).toEqual([
      'redlock.acquire import L3',
    ]);
  });

  it('follows a named import', () => {
    expect(sites(`import { Pool } from 'pg'; const pool = new Pool(); pool.query('SELECT 1');`)).toEqual(['pg.query import >=L1']);
  });

  it('follows a namespace import and a default import of a CommonJS package', () => {
    expect(sites(`import * as pg from 'pg'; new pg.Pool().query('x');`)).toEqual(['pg.query import >=L1']);
    expect(sites(`import pg from 'pg'; const pool = new pg.Pool(); pool.query('x');`)).toEqual(['pg.query import >=L1']);
  });

  it('follows require, destructuring and property access in CommonJS', () => {
    const code = `
      const Redis = require('ioredis');
      const { Pool } = require('pg');
      const redis = new Redis();
      const pool = new Pool();
      redis.setnx('lock', 1);
      pool.query('SELECT 1');
    `;
    expect(sites(code, { filename: 'worker.cjs' })).toEqual(['redis.setnx import L3', 'pg.query import >=L1']);
  });

  it('follows factory calls: DynamoDBDocumentClient.from, kafka.producer(), createClient(), ds.getRepository()', () => {
    const code = `
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { DynamoDBDocumentClient, PutCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
      import { Kafka } from 'kafkajs';
      import { createClient } from 'redis';
      import { DataSource } from 'typeorm';
      const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const producer = new Kafka({ brokers: [] }).producer();
      const client = createClient();
      const ds = new DataSource({});
      await ddb.send(new PutCommand({ TableName: 't', Item: {} }));
      await ddb.send(new BatchWriteCommand({ RequestItems: {} }));
      await producer.send({ topic: 't', messages: [] });
      await client.set('k', 'v', { NX: true });
      await ds.getRepository(User).save(user);
      await ds.manager.getRepository(User).insert(user);
      await ds.manager.save(user);
    `;
    expect(sites(code)).toEqual([
      'dynamodb.put import >=L2',
      'dynamodb.batch-write import >=L2',
      'kafkajs.send import >=L2',
      'node-redis.set-nx import L3',
      'typeorm.repository-write import >=L1',
      'typeorm.repository-write import >=L1',
      'typeorm.manager-write import >=L1',
    ]);
  });

  it('follows re-assignment', () => {
    expect(sites(`import Redis from 'ioredis'; let r; r = new Redis(); r.setnx('a', 1);`)).toEqual(['redis.setnx import L3']);
  });

  it('follows method chains: mongodb client → db → collection', () => {
    const code = `
      import { MongoClient } from 'mongodb';
      const client = new MongoClient('mongodb://x');
      const bookings = client.db('app').collection('bookings');
      await bookings.insertOne({});
      await client.db('app').collection('x').bulkWrite([]);
      const session = client.startSession();
      await session.withTransaction(async () => {});
    `;
    expect(sites(code)).toEqual(['mongodb.insertOne import >=L2', 'mongodb.bulk import >=L2', 'mongodb.withTransaction import >=L2']);
  });

  it('follows etcd3 locks and elections', () => {
    const code = `
      import { Etcd3 } from 'etcd3';
      const etcd = new Etcd3();
      await etcd.lock('jobs').acquire();
      const lock = etcd.lock('x');
      await lock.do(async () => {});
      await etcd.put('k').value('v');
      await etcd.election('leader').campaign('me');
    `;
    expect(sites(code)).toEqual([
      'etcd3.lock-acquire import L3',
      'etcd3.lock import L3',
      'etcd3.lock import L3',
      'etcd3.lock-acquire import L3',
      'etcd3.put import L3',
      'etcd3.campaign import L3',
      'etcd3.election import L3',
    ]);
  });

  it('follows knex builders and postgres.js tagged templates', () => {
    const code = `
      import knex from 'knex';
      import postgres from 'postgres';
      const db = knex({ client: 'pg' });
      const sql = postgres();
      await db('users').where({ id }).update({ name });
      await db.raw('SELECT pg_advisory_lock(1)');
      await sql\`SELECT pg_advisory_lock(\${1})\`;
      await db.transaction(async (trx) => { await trx('users').insert(row); });
    `;
    expect(sites(code)).toEqual([
      'knex.write import >=L1',
      'knex.raw import >=L1',
      'postgres.sql import >=L1',
      'knex.transaction import >=L1',
      'knex.tx-write import >=L1',
    ]);
  });

  it('follows Kysely builders to execute(), and its transactions', () => {
    const code = `
      import { Kysely } from 'kysely';
      const db = new Kysely<DB>({ dialect });
      await db.insertInto('person').values(row).execute();
      await db.updateTable('person').set({ name }).where('id', '=', id).executeTakeFirst();
      await db.selectFrom('person').selectAll().execute();
      await db.transaction().execute(async (trx) => { await trx.deleteFrom('pet').where('owner', '=', id).execute(); });
    `;
    expect(sites(code)).toEqual(['kysely.write import >=L1', 'kysely.write import >=L1', 'kysely.read import >=L1', 'kysely.transaction import >=L1', 'kysely.tx-write import >=L1']);
  });

  it('follows sequelize models: classes that extend Model, and define()', () => {
    const code = `
      import { Model, Sequelize } from 'sequelize';
      class User extends Model {}
      const sequelize = new Sequelize('sqlite::memory:');
      const Task = sequelize.define('task', {});
      await User.create({ name });
      await User.bulkCreate(rows);
      await Task.create({});
      await sequelize.transaction(async (t) => {});
    `;
    expect(sites(code)).toEqual(['sequelize.create import >=L1', 'sequelize.bulk import >=L1', 'sequelize.defined-create import >=L1', 'sequelize.transaction import >=L1']);
  });

  it('knows embedded and process-local primitives are L0', () => {
    const code = `
      import Database from 'better-sqlite3';
      import { Mutex } from 'async-mutex';
      import AsyncLock from 'async-lock';
      const db = new Database('app.db');
      db.prepare('INSERT INTO t VALUES (?)').run(1);
      const mutex = new Mutex();
      await mutex.runExclusive(async () => {});
      await new AsyncLock().acquire('key', async () => {});
    `;
    expect(sites(code)).toEqual([
      'better-sqlite3.statement import L0',
      'better-sqlite3.write import L0',
      'async-mutex.acquire import L0',
      'async-lock.acquire import L0',
    ]);
  });
});

describe('classifyCall: Prisma', () => {
  it('classifies model writes, reads, transactions and raw SQL', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      await prisma.booking.create({ data: {} });
      await prisma.booking.createMany({ data: [] });
      await prisma.booking.findMany();
      await prisma.$transaction([prisma.a.update({ where: { id }, data: {} })]);
      await prisma.$queryRaw\`SELECT pg_advisory_lock(1)\`;
      await prisma.$transaction(async (tx) => { await tx.booking.update({ where: { id }, data: {} }); });
    `;
    expect(sites(code)).toEqual([
      'prisma.create import >=L1',
      'prisma.write-many import >=L1',
      'prisma.read import >=L1',
      'prisma.transaction import >=L1',
      'prisma.write import >=L1',
      'prisma.raw import >=L1',
      'prisma.transaction import >=L1',
      'prisma.tx-write import >=L1',
    ]);
  });

  it('follows destructured models', () => {
    expect(sites(`import { PrismaClient } from '@prisma/client'; const { user } = new PrismaClient(); await user.delete({ where: { id } });`)).toEqual([
      'prisma.write import >=L1',
    ]);
  });

  it('settles levels with a backend profile', () => {
    const code = `import { PrismaClient } from '@prisma/client'; const prisma = new PrismaClient(); await prisma.$transaction([]);`;
    expect(sites(code, { settings: { coordination: { backends: { '@prisma/client': 'consensus' } } } })).toEqual(['prisma.transaction import L3']);
  });
});

describe('classifyCall: dependency injection and classes', () => {
  it('follows constructor parameter properties typed with an imported client', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      class BookingService {
        constructor(private readonly prisma: PrismaClient) {}
        book() { return this.prisma.booking.create({ data: {} }); }
      }
    `;
    expect(sites(code)).toEqual(['prisma.create import >=L1']);
  });

  it('follows a local class that extends a client', () => {
    const code = `
      import { PrismaClient } from '@prisma/client';
      class PrismaService extends PrismaClient {
        async onModuleInit() { await this.$transaction([]); }
      }
      class BookingService {
        constructor(private readonly db: PrismaService) {}
        book() { return this.db.booking.upsert({}); }
      }
      const direct = new PrismaService();
      await direct.booking.delete({});
    `;
    expect(sites(code)).toEqual(['prisma.transaction import >=L1', 'prisma.write import >=L1', 'prisma.write import >=L1']);
  });

  it('falls back to the type name for a client type defined in another file, marked by name', () => {
    const code = `
      import { PrismaService } from '../prisma/prisma.service';
      import { RedisService } from '@app/redis';
      export class BookingService {
        constructor(private readonly prisma: PrismaService, private readonly cache: RedisService) {}
        book() { return this.prisma.booking.create({ data: {} }); }
        lock() { return this.cache.setnx('k', 1); }
      }
    `;
    expect(sites(code)).toEqual(['prisma.create name >=L1', 'redis.setnx name L3']);
  });

  it('follows fields assigned in the constructor and field initialisers', () => {
    const code = `
      import Redis from 'ioredis';
      import Redlock from 'redlock';
      class Jobs {
        redlock = new Redlock([]);
        constructor() { this.redis = new Redis(); }
        run() { this.redis.setnx('a', 1); return this.redlock.acquire(['b'], 1); }
      }
    `;
    expect(sites(code)).toEqual(['redis.setnx import L3', 'redlock.acquire import L3']);
  });

  it('matches a catalogue name of several words in a camelCase, PascalCase or snake_case name', () => {
    // `EntityManager` and `QueryRunner` are two words each: `entityManager` holds them.
    const code = `
      import { entityManager, queryRunner } from '../db.js';
      export class Jobs {
        constructor(private readonly ENTITY_MANAGER: Store) {}
        async run(job: object) {
          await entityManager.save(job);
          await queryRunner.startTransaction();
          await this.ENTITY_MANAGER.insert(job);
        }
      }
      // one word of the name is not the name: a manager, a runner, an entity, a source
      manager.save(job); runner.startTransaction(); entity.insert(job); source.query('x'); dataSet.query('x');
    `;
    expect(sites(code)).toEqual(['typeorm.manager-write name >=L1', 'typeorm.runner-transaction name >=L1', 'typeorm.manager-write name >=L1']);
  });

  it('uses the binding name for clients imported from project files', () => {
    const code = `
      import { redis, redlock, prisma } from '../db.js';
      await redis.set('k', 'v', 'PX', 100, 'NX');
      await redlock.acquire(['x'], 1);
      await prisma.booking.create({ data: {} });
    `;
    expect(sites(code)).toEqual(['redis.set-nx name L3', 'redlock.acquire name L3', 'prisma.create name >=L1']);
  });
});

describe('classifyCall: Redis SET NX in every argument style', () => {
  const header = `import Redis from 'ioredis'; import { createClient } from 'redis'; const r = new Redis(); const c = createClient();`;
  it.each([
    [`r.set('k', 'v', 'NX')`, 'redis.set-nx'],
    [`r.set('k', 'v', 'PX', 30000, 'NX')`, 'redis.set-nx'],
    [`r.set('k', 'v', 'nx', 'EX', 10)`, 'redis.set-nx'],
    [`r.setnx('k', 'v')`, 'redis.setnx'],
    [`c.set('k', 'v', { NX: true, PX: 100 })`, 'node-redis.set-nx'],
    [`c.SET('k', 'v', { NX: true })`, 'node-redis.set-nx'],
    [`c.set('k', 'v', { condition: 'NX', expiration: { type: 'PX', value: 100 } })`, 'node-redis.set-nx'],
    [`c.setNX('k', 'v')`, 'node-redis.setnx'],
    [`c.SETNX('k', 'v')`, 'node-redis.setnx'],
  ])('%s', (call, id) => {
    expect(sites(`${header} ${call};`)).toEqual([`${id} import L3`]);
  });

  it.each([
    `r.set('k', 'v')`,
    `r.set('k', 'v', 'EX', 60)`,
    `r.set('k', 'v', 'XX')`,
    `c.set('k', 'v', { EX: 60 })`,
    `c.set('k', 'v', { NX: false })`,
  ])('treats %s as a plain write', (call) => {
    expect(sites(`${header} ${call};`)[0]).toMatch(/^(node-)?redis\.set import >=L1$/);
  });
});

describe('classifyCall: hard negatives', () => {
  it.each([
    // a Map named like a client is known not to be one
    [`const redis = new Map(); redis.set('a', 1); redis.delete('a');`],
    // arrays, sets and plain objects use catalogue method names
    [`const items = []; items.push(1); const s = new Set(); s.delete(1);`],
    // a local function named lock
    [`function lock(key) { return key; } lock('jobs');`],
    // a local object with an acquire method
    [`const pool = { acquire() {} }; pool.acquire();`],
    // express routers and responses
    [`import express from 'express'; const router = express.Router(); router.delete('/x', h); res.send('ok');`],
    // lodash set
    [`import _ from 'lodash'; _.set(obj, 'a.b', 1);`],
    // an unknown receiver with an unrelated name
    [`function save(cache) { cache.set('k', 1); emitter.send('x'); }`],
    // Prisma namespace helpers are not a client
    [`import { Prisma } from '@prisma/client'; Prisma.sql\`SELECT 1\`; Prisma.join([]);`],
    // a class field that holds a Map
    [`class C { private cache = new Map(); run() { this.cache.set('k', 1); } }`],
    // a DynamoDB send of a command the catalogue does not know
    [`import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'; const d = DynamoDBDocumentClient.from(x); d.send(new ScanCommand({}));`],
  ])('%s', (code) => {
    expect(sites(code)).toEqual([]);
  });

  it('takes no bare SQL word for SQL text: an event or action name', () => {
    // `notify('update', id)` in a loop read as a write per item; no statement is one word.
    for (const word of ['update', 'DELETE', 'select', 'do', 'call', 'with', 'lock', ' Insert ', 'merge;']) {
      expect(sites(`notify(${JSON.stringify(word)}, id); db.query(${JSON.stringify(word)}); run(\`${word}\`);`), word).toEqual([]);
    }
    // The statements those words start are SQL text still, as a string, a template, or one with a table interpolated.
    expect(sites(`run('UPDATE users SET seen = true'); run(\`delete from jobs\`); run(\`update \${table} set a = 1\`); db.query('SELECT 1');`)).toEqual(
      Array(4).fill('sql.any-query name >=L1'),
    );
  });

  it('takes no English, key or route that starts with a SQL word for SQL text', () => {
    // Test titles, translation keys, labels and routes passed to a plain call read as queries per item.
    const texts = [
      'update timestamp column should be filled in by the server',
      'delete removes a row that only the defaults hold',
      'with custom hour parameter',
      'select id',
      'Select which task you want to run',
      'merge() throws when the schema is refined',
      'do not accept a code and a reason together',
      'DELETE /api/users/:id',
      'select-board',
    ];
    for (const text of texts) {
      expect(sites(`it(${JSON.stringify(text)}, () => {}); t(\`${text}\`); db.query(${JSON.stringify(text)});`), text).toEqual([]);
    }
    // The same words starting statements are SQL, interpolated or not.
    expect(
      sites(`it('update users set seen = true'); t(\`select * from \${table} where id = \${id}\`); db.query('DELETE FROM jobs WHERE id = $1'); q('with x as (select 1) select * from x');`),
    ).toEqual(Array(4).fill('sql.any-query name >=L1'));
  });

  it('reports no catalogue method on an unrelated receiver', () => {
    const methods = [...getDefaultCatalog().methodNames].filter((m) => /^[A-Za-z_$][\w$]*$/.test(m));
    const calls = methods.map((m) => `thing.${m}('k', 1); list.${m}('k', 1); local.${m}('k', 1);`).join('\n');
    const code = `const thing = new Map(); const local = { }; function f(list) {\n${calls}\n}`;
    expect(methods.length).toBeGreaterThan(100);
    expect(sites(code)).toEqual([]);
  });
});

describe('classifyCall: plain JavaScript', () => {
  it('works with espree on an ES module', () => {
    const code = `import Redlock from 'redlock'; const r = new Redlock([]); export const f = () => r.acquire(['k'], 1);`;
    expect(sites(code, { filename: 'job.mjs' })).toEqual(['redlock.acquire import L3']);
  });

  it('works with espree on CommonJS with require', () => {
    const code = `
      const { PrismaClient } = require('@prisma/client');
      const prisma = new PrismaClient();
      module.exports = async function run() { await prisma.job.create({ data: {} }); };
    `;
    expect(sites(code, { filename: 'job.cjs' })).toEqual(['prisma.create import >=L1']);
  });
});
