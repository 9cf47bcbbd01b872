// Every rule builds its sites through one function: what a site is (rule, kind, catalogue entry, level,
// multipliers, price) is asserted here on the record, not on the English.
import { describe, expect, it } from 'vitest';
import { sitesOf } from '../test-support/sites.js';

describe('site records', () => {
  it('no-global-lock: a Redlock lock on a constant key is an L3 lock that serialises the cluster', () => {
    const [site, ...rest] = sitesOf(`import Redlock from 'redlock';
const redlock = new Redlock([]);
export async function book(roomId: string) { await redlock.acquire(['bookings-lock'], 5000); }`);
    expect(rest).toEqual([]);
    expect(site!.ruleId).toBe('coordination/no-global-lock');
    expect(site!.record).toMatchObject({
      rule: 'no-global-lock',
      messageId: 'globalLock',
      smell: 'lock on a constant key',
      primitive: { kind: 'lock', operation: expect.stringMatching(/^redlock\./), package: 'redlock', via: 'import' },
      path: ['redlock.acquire()'],
      level: 3,
      atLeast: false,
      multipliers: [{ kind: 'constant-lock-key' }],
      price: { messages: 6, roundTrips: 2, serialises: 'cluster', participants: 3 },
    });
  });

  it('no-global-lock: an advisory lock in SQL is the SQL pattern, and a project wrapper is priced from the catalogue', () => {
    const sites = sitesOf(`import { Pool } from 'pg';
import { withLock } from './locks';
const pool = new Pool();
export async function charge(userId: string) {
  await pool.query('SELECT pg_advisory_lock(42)');
  await withLock('billing', async () => userId);
}`);
    expect(sites.map((site) => site.record.primitive)).toEqual([
      expect.objectContaining({ kind: 'lock', operation: expect.stringMatching(/advisory/), package: 'pg' }),
      { kind: 'lock', operation: 'project.lock-wrapper', package: null, via: null },
    ]);
    expect(sites.map((site) => site.record.level)).toEqual([3, 3]);
  });

  it('no-coordination-in-loop: a Prisma create per item is an L1 lower bound priced per item, sequential', () => {
    const [site] = sitesOf(`import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function save(rows: { id: string }[]) { for (const row of rows) await prisma.booking.create({ data: row }); }`);
    expect(site!.record).toMatchObject({
      rule: 'no-coordination-in-loop',
      messageId: 'perItemWrite',
      smell: 'write per item',
      primitive: { kind: 'remote-write', package: '@prisma/client', via: 'import' },
      path: ['prisma.booking.create()'],
      level: 1,
      atLeast: true,
      multipliers: [{ kind: 'loop', mode: 'sequential' }],
      price: { perItem: true, loopMode: 'sequential', messages: 2, roundTrips: 1, waitsForSlowestOf: 'k' },
    });
  });

  it('no-coordination-in-loop: through a same-file helper, the path names every call from the loop to the client', () => {
    const [site] = sitesOf(`import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
async function saveOne(row: { id: string }) { await prisma.booking.create({ data: row }); }
export async function save(rows: { id: string }[]) { for (const row of rows) await saveOne(row); }`);
    expect(site!.record.path).toEqual(['saveOne()', 'prisma.booking.create()']);
    expect(site!.text).toContain('saveOne() writes once per item of rows through prisma.booking.create()');
  });

  it('no-sync-fan-out: Promise.all over replicas waits for N targets; a write verb syntax cannot resolve is the catalogue\'s unknown-target write', () => {
    const [site] = sitesOf(`import Redis from 'ioredis';
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function save(key: string, value: string) { await Promise.all(replicas.map((r) => r.set(key, value))); }`);
    expect(site!.record).toMatchObject({
      messageId: 'fanOutAwaitAll',
      smell: 'fan-out, waits for all',
      primitive: { kind: 'remote-write', operation: 'project.target-write', package: null, via: null },
      path: ['Promise.all()', 'r.set()'],
      level: 1,
      atLeast: true,
      multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 3 }],
      price: { messages: 6, waitsForSlowestOf: 3 },
    });
  });

  it('no-sync-fan-out: the same write to two named stores is the catalogue\'s write; a backend profile settles its level', () => {
    const code = `import Redis from 'ioredis';
const primary = new Redis('redis://a');
const mirror = new Redis('redis://b');
export async function save(key: string, value: string) { await Promise.all([primary.set(key, value), mirror.set(key, value)]); }`;
    const [site] = sitesOf(code);
    expect(site!.record).toMatchObject({
      primitive: { kind: 'remote-write', package: 'ioredis', via: 'import' },
      path: ['Promise.all()', 'primary.set()'],
      level: 1,
      atLeast: true,
      multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 2 }],
    });
    const [profiled] = sitesOf(code, { settings: { backends: { ioredis: 'single-primary' }, participants: 5 } });
    expect(profiled!.record).toMatchObject({ level: 1, atLeast: false, price: { participants: 5 } });
  });

  it('no-wall-clock-ordering: a clock stored as a version is an unpriced L1 clock read', () => {
    const [site] = sitesOf(`export function stamp(record: { version: number }) { record.version = Date.now(); }`);
    expect(site!.record).toMatchObject({
      rule: 'no-wall-clock-ordering',
      messageId: 'clockAsVersion',
      smell: 'wall clock as version',
      primitive: { kind: 'clock-read', operation: 'clock.date-now' },
      path: ['Date.now()'],
      level: 1,
      atLeast: false,
      price: null,
    });
  });

  it('the editor message is the record-carrying message without its record', () => {
    const [site] = sitesOf(`export function stamp(record: { version: number }) { record.version = Date.now(); }`);
    expect(site!.text).not.toContain('coordination-site');
    expect(site!.text).toMatch(/\(L1 clock read\).*instead of silently dropping one\.$/);
  });

  it('closes every message with the way out as a full sentence', () => {
    const sites = sitesOf(`import Redlock from 'redlock';
import { PrismaClient } from '@prisma/client';
import Redis from 'ioredis';
const redlock = new Redlock([]);
const prisma = new PrismaClient();
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function run(id: string, rows: { id: string }[], record: { version: number }) {
  await redlock.acquire(['one-lock'], 5000);
  for (const row of rows) await prisma.booking.create({ data: row });
  await Promise.all(replicas.map((replica) => replica.set(id, 'x')));
  record.version = Date.now();
}`);
    expect(new Set(sites.map((site) => site.record.rule))).toEqual(new Set(['no-global-lock', 'no-coordination-in-loop', 'no-sync-fan-out', 'no-wall-clock-ordering']));
    for (const site of sites) {
      expect(site.record.wayOut).toMatch(/^[A-Z].*\.$/);
      expect(site.text.endsWith(site.record.wayOut)).toBe(true);
    }
  });
});
