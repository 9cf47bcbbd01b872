import { describe, expect, it } from 'vitest';
import { CLIENTS, CLOCK_SOURCES, OPERATIONS, SQL_PATTERNS } from './catalog-data.js';
import type { PrimitiveKind } from './catalog-types.js';
import { PRIMITIVE_KINDS } from './catalog-types.js';
import { buildCatalog, clientPackage, getDefaultCatalog, parseReach, resolveLevel } from './catalog.js';
import { BACKEND_PROFILES, BACKEND_PROFILE_NAMES, backendProfile } from './backends.js';
import type { LevelId } from './ladder.js';

describe('parseReach', () => {
  it.each([
    ['new default', { type: 'new', path: ['default'] }],
    ['new Redis', { type: 'new', path: ['Redis'] }],
    ['new default.Pool', { type: 'new', path: ['default', 'Pool'] }],
    ['createClient()', { type: 'call', path: ['createClient'] }],
    ['default()', { type: 'call', path: ['default'] }],
    ['DynamoDBDocumentClient.from()', { type: 'call', path: ['DynamoDBDocumentClient', 'from'] }],
    ['extends Model', { type: 'extends', path: ['Model'] }],
    ['Kafka', { type: 'value', path: ['Kafka'] }],
    ['.producer()', { type: 'method', path: ['producer'] }],
    ['.manager.getRepository()', { type: 'method', path: ['manager', 'getRepository'] }],
    ['.manager', { type: 'property', path: ['manager'] }],
    ['.*', { type: 'property', path: ['*'] }],
    ['()', { type: 'self-call', path: [] }],
    ['.$transaction(callback)', { type: 'callback', path: ['$transaction'] }],
  ])('parses %s', (text, expected) => {
    expect(parseReach(text)).toEqual(expected);
  });

  it.each(['', 'new', 'new Foo()', 'extends Foo()', '..x', '.x(', 'a b', '.(callback)'])('rejects %j', (text) => {
    expect(() => parseReach(text)).toThrow(/invalid reach path/);
  });
});

// The design's conventions: the levels a kind may have without a backend profile.
const LEVELS_BY_KIND: Record<PrimitiveKind, readonly LevelId[]> = {
  lock: [3], // a store-backed lock is a linearizable serialisation point
  'local-lock': [0],
  transaction: [1, 2, 3, 4], // one primary unless the store itself is replicated or 2PC
  'consensus-write': [3],
  'quorum-write': [2],
  'replica-write': [2],
  'remote-write': [1],
  'remote-read': [1, 3], // etcd's linearizable reads go through the leader's quorum
  'fire-and-forget': [1], // one message, nothing waited for
  'clock-read': [1],
  sql: [1],
  'local-io': [0],
};

describe('built-in catalogue', () => {
  const catalog = getDefaultCatalog();

  it('builds, and every reach path parses', () => {
    expect(catalog.clients.size).toBe(CLIENTS.length);
    for (const client of catalog.clients.values()) expect(client.parsedReach.length).toBe(client.reach.length);
  });

  it('has unique ids', () => {
    const clientIds = CLIENTS.map((c) => c.id);
    const operationIds = OPERATIONS.map((o) => o.id);
    expect(new Set(clientIds).size).toBe(clientIds.length);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('keeps every level within the conventions of its kind', () => {
    for (const op of OPERATIONS) {
      expect(LEVELS_BY_KIND[op.kind], `${op.id} is ${op.kind} at L${op.level}`).toContain(op.level);
      expect(op.why.length, op.id).toBeGreaterThan(10);
    }
    for (const pattern of SQL_PATTERNS) expect(LEVELS_BY_KIND[pattern.kind]).toContain(pattern.level);
    for (const global of CLOCK_SOURCES) expect(LEVELS_BY_KIND[global.kind]).toContain(global.level);
  });

  it('uses every primitive kind', () => {
    const used = new Set<PrimitiveKind>([...OPERATIONS.map((o) => o.kind), ...CLOCK_SOURCES.map((g) => g.kind)]);
    expect([...used].sort()).toEqual([...PRIMITIVE_KINDS].sort());
  });

  it('points every bulk method at a batched call of the same client (or the same method with an array)', () => {
    for (const op of OPERATIONS) {
      if (op.bulk?.method === undefined) continue;
      const candidates = catalog.operations.get(op.client)?.get(op.bulk.method) ?? [];
      const ok = op.methods.includes(op.bulk.method) || candidates.some((c) => c.batched);
      expect(ok, `${op.id} → ${op.bulk.method}`).toBe(true);
    }
  });

  it('points every bulk command at a batched command of the same client', () => {
    for (const op of OPERATIONS) {
      if (op.bulk?.command === undefined) continue;
      const batched = OPERATIONS.filter((o) => o.client === op.client && o.command?.name === op.bulk?.command && o.batched);
      expect(batched.length, `${op.id} → ${op.bulk.command}`).toBeGreaterThan(0);
    }
  });

  it('never marks a batched call with a bulk equivalent', () => {
    for (const op of OPERATIONS) if (op.batched) expect(op.bulk, op.id).toBeUndefined();
  });

  it('covers the packages the model promises', () => {
    const packages = new Set(CLIENTS.flatMap((c) => c.packages ?? []));
    for (const pkg of [
      'redlock',
      '@sesamecare-oss/redlock',
      'ioredis',
      'redis',
      'etcd3',
      'pg',
      'knex',
      '@prisma/client',
      'typeorm',
      'sequelize',
      'mongodb',
      '@aws-sdk/lib-dynamodb',
      'kafkajs',
      'node-zookeeper-client',
      'better-sqlite3',
      'sqlite',
      'async-mutex',
      'async-lock',
    ]) {
      expect(packages, pkg).toContain(pkg);
    }
  });

  it.each([
    ['redlock.Redlock', ['acquire', 'using', 'release', 'extend', 'lock', 'unlock', 'disposer'], 'lock'],
    ['ioredis.Redis', ['setnx'], 'lock'],
    ['redis.Client', ['setNX', 'SETNX'], 'lock'],
    ['etcd3.Etcd3', ['lock'], 'lock'],
    ['etcd3.Etcd3', ['put'], 'consensus-write'],
    ['etcd3.Etcd3', ['stm'], 'transaction'],
    ['prisma.PrismaClient', ['$transaction'], 'transaction'],
    ['prisma.PrismaClient', ['$queryRaw', '$executeRaw'], 'sql'],
    ['prisma.Model', ['create', 'update', 'upsert', 'delete', 'createMany'], 'remote-write'],
    ['typeorm.Repository', ['save', 'insert', 'update', 'delete'], 'remote-write'],
    ['typeorm.EntityManager', ['save', 'insert', 'update', 'delete'], 'remote-write'],
    ['typeorm.DataSource', ['transaction'], 'transaction'],
    ['sequelize.Model', ['create', 'bulkCreate', 'update', 'destroy'], 'remote-write'],
    ['sequelize.Sequelize', ['transaction'], 'transaction'],
    ['mongodb.Collection', ['insertOne', 'insertMany', 'updateOne', 'bulkWrite'], 'quorum-write'],
    ['mongodb.Session', ['withTransaction'], 'transaction'],
    ['kafkajs.Producer', ['send', 'sendBatch'], 'replica-write'],
    ['kafkajs.Producer', ['transaction'], 'transaction'],
    ['zookeeper.Client', ['create', 'setData', 'remove'], 'consensus-write'],
    ['better-sqlite3.Statement', ['run'], 'local-io'],
    ['sqlite.Database', ['run', 'exec'], 'local-io'],
    ['async-mutex.Mutex', ['acquire', 'runExclusive'], 'local-lock'],
    ['async-lock.AsyncLock', ['acquire'], 'local-lock'],
    ['pg.Pool', ['query'], 'sql'],
    ['knex.Knex', ['raw'], 'sql'],
  ] as const)('%s %j → %s', (client, methods, kind) => {
    for (const method of methods) {
      const ops = catalog.operations.get(client)?.get(method) ?? [];
      expect(ops.map((o) => o.kind), `${client}.${method}`).toContain(kind);
    }
  });

  it('tries Redis SET NX (a lock) before plain SET (a write)', () => {
    for (const client of ['ioredis.Redis', 'redis.Client']) {
      const ops = catalog.operations.get(client)!.get('set')!;
      expect(ops[0]).toMatchObject({ kind: 'lock', when: 'redis-nx' });
      expect(ops.at(-1)).toMatchObject({ kind: 'remote-write' });
    }
  });

  it('knows the bulk forms and what they lack', () => {
    const first = (client: string, method: string) => catalog.operations.get(client)!.get(method)!.at(-1)!;
    expect(first('prisma.Model', 'create').bulk).toMatchObject({ method: 'createMany', declineWhen: ['prisma-nested-write', 'result-used'] });
    expect(first('mongodb.Collection', 'insertOne').bulk?.method).toBe('insertMany');
    expect(first('mongodb.Collection', 'updateOne').bulk?.method).toBe('bulkWrite');
    expect(first('kafkajs.Producer', 'send').bulk?.method).toBe('sendBatch');
    expect(first('ioredis.Redis', 'set').bulk?.method).toBe('pipeline');
    const put = OPERATIONS.find((o) => o.id === 'dynamodb.put')!;
    expect(put.bulk).toMatchObject({ command: 'BatchWriteCommand', limit: 25, declineWhen: ['dynamo-condition'] });
    expect(put.bulk?.unsupported).toContain('ConditionExpression');
  });

  it('indexes method names, name-fallback words and packages', () => {
    expect(catalog.methodNames.has('acquire')).toBe(true);
    expect(catalog.methodNames.has('push')).toBe(false);
    expect(catalog.names.get('prisma')?.id).toBe('prisma.PrismaClient');
    expect(catalog.names.get('redlock')?.id).toBe('redlock.Redlock');
    expect(catalog.clientsByPackage.get('ioredis')?.map((c) => c.id)).toEqual(['ioredis.Redis']);
    expect(clientPackage(catalog, 'prisma.TransactionModel')).toBe('@prisma/client');
    expect(clientPackage(catalog, 'nope')).toBeUndefined();
  });

  it('links derived clients to their parents', () => {
    const prisma = catalog.clients.get('prisma.PrismaClient')!;
    expect(prisma.children.map((c) => c.id)).toEqual(['prisma.Model', 'prisma.TransactionClient']);
  });
});

describe('SQL patterns', () => {
  const match = (sql: string) => SQL_PATTERNS.filter((p) => p.pattern.test(sql)).map((p) => p.id);

  it.each([
    ['SELECT pg_advisory_lock(42)', ['pg-advisory-lock']],
    ['select pg_try_advisory_xact_lock($1)', ['pg-advisory-lock']],
    ['SELECT pg_advisory_lock_shared(1)', ['pg-advisory-lock']],
    ['LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE', ['lock-table']],
    ['lock table "public"."jobs" in share row exclusive mode', ['lock-table']],
    ['LOCK bookings, rooms IN EXCLUSIVE MODE', ['lock-table']],
    ['LOCK TABLES accounts WRITE, audit READ', ['mysql-lock-tables']],
    ["SELECT GET_LOCK('migrations', 10)", ['mysql-get-lock']],
    ['SELECT * FROM rooms WHERE id = $1 FOR UPDATE', ['select-for-update']],
    ['SELECT * FROM jobs FOR NO KEY UPDATE SKIP LOCKED', ['select-for-update']],
  ])('%s', (sql, ids) => {
    expect(match(sql)).toEqual(ids);
  });

  it.each([
    'SELECT * FROM locks',
    'LOCK TABLE bookings IN ACCESS SHARE MODE',
    'UPDATE rooms SET updated = now()',
    'SELECT lock_timeout FROM settings',
    'INSERT INTO audit (action) VALUES ($1)',
  ])('does not match %s', (sql) => {
    expect(match(sql)).toEqual([]);
  });
});

describe('buildCatalog with user entries', () => {
  it('adds user clients and operations, which win over built-ins for the same method', () => {
    const catalog = buildCatalog({
      clients: [{ id: 'acme.Kv', packages: ['@acme/kv'], reach: ['new Kv'], names: ['AcmeKv'] }],
      operations: [
        { id: 'acme.put', client: 'acme.Kv', methods: ['put'], kind: 'quorum-write', level: 2, why: 'three replicas' },
        { id: 'acme.prisma-create', client: 'prisma.Model', methods: ['create'], kind: 'consensus-write', level: 3, why: 'x' },
      ],
    });
    expect(catalog.clientsByPackage.get('@acme/kv')?.[0]?.id).toBe('acme.Kv');
    expect(catalog.operations.get('acme.Kv')?.get('put')?.[0]?.kind).toBe('quorum-write');
    expect(catalog.operations.get('prisma.Model')?.get('create')?.[0]?.id).toBe('acme.prisma-create');
    expect(catalog.names.get('acmekv')?.id).toBe('acme.Kv');
  });

  it('lets a user client replace a built-in client with the same id', () => {
    const catalog = buildCatalog({ clients: [{ id: 'pg.Pool', packages: ['pg', 'pg-pool'], reach: ['new default'] }] });
    expect(catalog.clientsByPackage.get('pg-pool')?.[0]?.id).toBe('pg.Pool');
  });

  it('rejects dangling references and bad reach paths with the entry named', () => {
    expect(() => buildCatalog({ operations: [{ id: 'x', client: 'nope', methods: ['a'], kind: 'lock', level: 3, why: 'x' }] })).toThrow(
      'catalogue operation x: unknown client nope',
    );
    expect(() => buildCatalog({ clients: [{ id: 'y', from: 'nope', reach: ['.a()'] }] })).toThrow('catalogue client y: unknown parent client nope');
    expect(() => buildCatalog({ clients: [{ id: 'z', packages: ['z'], reach: ['new'] }] })).toThrow(/catalogue client z: invalid reach path/);
    expect(() => buildCatalog({ clients: [{ id: 'w', reach: ['new W'] }] })).toThrow('catalogue client w: a root client needs "packages"');
  });
});

describe('backend profiles and levels', () => {
  it('reports deployment-dependent kinds at their lower bound without a profile', () => {
    expect(resolveLevel('transaction', 1, '@prisma/client', {})).toEqual({ level: 1, atLeast: true });
    expect(resolveLevel('remote-write', 1, undefined, {})).toEqual({ level: 1, atLeast: true });
  });

  it('reports conventions (locks, consensus, local) as settled', () => {
    expect(resolveLevel('lock', 3, 'redlock', {})).toEqual({ level: 3, atLeast: false });
    expect(resolveLevel('local-lock', 0, 'async-mutex', {})).toEqual({ level: 0, atLeast: false });
    expect(resolveLevel('consensus-write', 3, 'etcd3', {})).toEqual({ level: 3, atLeast: false });
  });

  it.each([
    ['@prisma/client', 'consensus', 'transaction', 1, 3],
    ['@prisma/client', 'two-phase-commit', 'transaction', 1, 4],
    ['@prisma/client', 'single-primary', 'transaction', 1, 1],
    ['redlock', 'redis-single', 'lock', 3, 1],
    ['ioredis', 'redis-cluster', 'remote-write', 1, 1],
    ['mongodb', 'single-primary', 'quorum-write', 2, 1],
    ['cassandra-driver', 'quorum', 'remote-write', 1, 2],
    ['fabric', 'byzantine', 'remote-write', 1, 5],
    ['etcd3', 'two-phase-commit', 'consensus-write', 3, 3], // a profile keeps kinds it does not list
  ] as const)('%s under %s: %s L%i → L%i', (pkg, profile, kind, base, expected) => {
    const resolved = resolveLevel(kind, base, pkg, { [pkg]: profile });
    expect(resolved.level).toBe(expected);
    expect(resolved.atLeast).toBe(false);
    expect(resolved.profile?.id).toBe(profile);
  });

  it('takes the first candidate package that has a profile', () => {
    expect(resolveLevel('transaction', 1, ['mysql2/promise', 'mysql2'], { mysql2: 'consensus' })).toMatchObject({ level: 3, atLeast: false });
    expect(resolveLevel('transaction', 1, [undefined, 'pg'], {})).toEqual({ level: 1, atLeast: true });
  });

  it('flags Redis Cluster as a cluster (no cross-slot MSET)', () => {
    expect(BACKEND_PROFILES['redis-cluster'].cluster).toBe(true);
    expect(BACKEND_PROFILES['redis-single'].cluster).toBeUndefined();
  });

  it('names every profile and rejects unknown ones', () => {
    expect(BACKEND_PROFILE_NAMES).toEqual(['single-primary', 'redis-single', 'redis-cluster', 'quorum', 'consensus', 'two-phase-commit', 'byzantine']);
    for (const name of BACKEND_PROFILE_NAMES) expect(backendProfile(name).description.length).toBeGreaterThan(20);
    expect(() => backendProfile('cockroach')).toThrow(/unknown backend profile "cockroach"; expected one of single-primary/);
    expect(() => backendProfile('toString')).toThrow(/unknown backend profile/);
  });
});
