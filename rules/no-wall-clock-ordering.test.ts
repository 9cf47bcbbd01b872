import { RuleTester as CoreRuleTester } from 'eslint';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from './no-wall-clock-ordering.js';
import { gradesOf } from '../src/test-support/sites.js';
import { modes } from '../src/test-support/rule-tester.js';

const valid: (ValidTestCase<Options> | string)[] = [
  // a range check against a subscriber's filter: delivery, not a winning write
  `export function matches(task: { createdAt: string }, filter: { createdAt?: string }) {
  if (filter.createdAt && new Date(task.createdAt) < new Date(filter.createdAt)) return false;
  return true;
}`,
  // Shapes from the real-code audit (fixtures/audit), written here.
  // the node's own lock extension time, set from its own clock in the same class
  `export class PeriodicExclusiveRunner {
     private lastLockExtensionAt = 0;
     extend() { this.lastLockExtensionAt = Date.now(); }
     async tick(intervalMs: number) { if (Date.now() - this.lastLockExtensionAt >= intervalMs) await this.extendLock(); }
     async extendLock() {}
   }`,
  // the oldest remaining workspace chosen by its id, to navigate to: no write wins
  `export function next(workspaces: { id: string; createdAt: Date }[]) { return [...workspaces].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))[0]!.id; }`,
  // a stale-lease filter in a read (a dashboard list), not in a call that claims
  `export function staleWorkers(workers: { find(filter: object): unknown }) { return workers.find({ leaseHeartbeatAt: { $lt: new Date(Date.now() - 60_000) } }); }`,
  // durations
  `export function elapsed(start: number) { return Date.now() - start; }`,
  // TTL of the node's own entries
  `export function expired(entry: { expiresAt: number }) { return entry.expiresAt < Date.now(); }`,
  // a deadline
  `export async function poll(deadline: number) { while (Date.now() < deadline) await tick(); }`,
  // logging and metrics
  `export function log(msg: string) { logger.info({ at: Date.now(), msg }); histogram.observe(Date.now() - started); }`,
  // a display sort returned from a handler
  `export function recent(events: { ts: number }[]) { return events.slice().sort((a, b) => b.ts - a.ts); }`,
  // a sort rendered to a stream
  `export function print(lines: { time: number; msg: string }[]) { const merged = lines.slice().sort((a, b) => a.time - b.time); for (const l of merged) process.stdout.write(l.msg); }`,
  // a hybrid logical clock: Math.max of the wall clock and the last timestamp, then incremented
  `export class HybridLogicalClock { private last = 0; private counter = 0;
     tick() { const wall = Date.now(); const next = Math.max(wall, this.last); this.counter = next === this.last ? this.counter + 1 : 0; this.last = next; return { version: next, counter: this.counter }; } }`,
  // logical versions, not clocks
  `export function bump(doc: { version: number }) { return save({ ...doc, version: doc.version + 1 }); }`,
  // comparing a record's time with a cutoff, not with another record
  `export function fresh(events: { ts: number }[], since: number) { return events.filter((e) => e.ts > since); }`,
  // Temporal workflows get deterministic time
  `import { proxyActivities } from '@temporalio/workflow'; export async function wf(a: { ts: number }, b: { ts: number }) { return a.ts > b.ts ? a : b; }`,
  // a comparator: it orders timers, it does not pick a winning write
  `export function compareTimers(a: { createdAt: number }, b: { createdAt: number }) { if (a.createdAt < b.createdAt) { return -1; } if (a.createdAt > b.createdAt) { return 1; } return 0; }`,
  // a field named without time, once set from the clock, does not make every \`.start\` a timestamp
  `const t = { start: Date.now() }; export function run(defs: { start: number; run(): void }[]) { defs.sort((a, b) => a.start - b.start).forEach((d) => d.run()); }`,
  // a signed token's freshness window
  `export function valid(token: { iat: number }) { return Date.now() / 1000 - token.iat < 300; }`,
  // options: a custom field list without "version"
  { code: `export function stamp(doc: object) { return save({ ...doc, version: Date.now() }); }`, options: [{ versionFields: ['seq'], timestampFields: ['ts'], checkDisplaySorts: false }] },
  // Shapes of issue 26: the same party's clock, lengths of time, and hybrid clocks.
  // an account lockout after failed logins: a business rule of one service, not another holder's claim
  `export function lockedOut(user: { lockedAt: number }, lockoutMs: number) { if (Date.now() - user.lockedAt < lockoutMs) return true; return false; }`,
  // two rows of one database, compared for a business rule (publish in order)
  `export async function publishClosing(current: { createdAt: Date }, lastPublished: { createdAt: Date } | null) {
  if (lastPublished && current.createdAt < lastPublished.createdAt) throw new Error('publish in order');
}`,
  // an in-memory dedupe that keeps the latest of one process's errors for display
  `export function dedupe(errors: { type: string; timestamp: Date }[]) {
  const latest = new Map<string, { type: string; timestamp: Date }>();
  for (const error of errors) {
    const existing = latest.get(error.type);
    if (!existing || error.timestamp > existing.timestamp) latest.set(error.type, error);
  }
  return [...latest.values()];
}`,
  // a hybrid logical clock: receiving advances the local clock past the remote time
  `export class Replica {
  private clock = 0;
  private state = { value: '', ts: 0 };
  receive(remote: { value: string; ts: number }) {
    this.clock = Math.max(this.clock, remote.ts, Date.now());
    if (remote.ts > this.state.ts) this.state = remote;
  }
}`,
  // an option named with a clock word is a length of time, not a holder's time
  `export function due(config: { heartbeatInterval: number }, lastSent: number) {
  if (Date.now() >= config.heartbeatInterval + lastSent) return true;
  return false;
}`,
  // a rate window computed in a store script: no holder is evicted
  `export class RateLimiter {
  constructor(private readonly redis: { eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown> }) {}
  async hit(rateKey: string, windowMs: number) {
    return this.redis.eval(SLIDING_WINDOW, 1, rateKey, Date.now(), windowMs);
  }
}
const SLIDING_WINDOW = "redis.call('zremrangebyscore', KEYS[1], 0, ARGV[1] - ARGV[2])";`,
  // a signature freshness window
  `export function fresh(header: { timestamp: string }) {
  return Math.abs(Date.now() / 1000 - Number(header.timestamp)) <= 300;
}`,
  // two records stamped by this process: no second clock
  `export function record(e: object) { return { ...e, seenAt: new Date().getTime() }; }
export function pick(a: { seenAt: number }, b: { seenAt: number }) {
  if (a.seenAt >= b.seenAt) keep(a);
}`,
  // this node's own lease (holder === me), timed by its own clock
  `export function stillMine(lease: { holder: string; renewedAt: number }, me: string, ttlMs: number) {
  if (lease.holder === me && Date.now() - lease.renewedAt < ttlMs) return true;
  return false;
}`,
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    // a lease reclaimed in an update's filter: the holder's heartbeat against this node's clock
    code: `const STALE_MS = 30 * 60 * 1000;
export async function claim(collection: { updateOne(filter: object, update: object): Promise<unknown> }, key: string, executionId: string) {
  const staleThreshold = new Date(Date.now() - STALE_MS);
  return collection.updateOne(
    { key, $or: [{ currentExecutionId: null }, { lockHeartbeatAt: { $lt: staleThreshold, $ne: null } }] },
    { $set: { currentExecutionId: executionId, lockHeartbeatAt: new Date() } },
  );
}`,
    errors: [{ messageId: 'remoteClockTakeover', line: 5, column: 50, endLine: 5, endColumn: 101 }],
  },
  {
    // the claim's filter built by a method of its own
    code: `export class Runs {
  private availableLockFilter() {
    const staleThreshold = new Date(Date.now() - 60_000);
    return [{ holder: null }, { lockHeartbeatAt: { $lt: staleThreshold } }];
  }
}`,
    errors: [{ messageId: 'remoteClockTakeover', line: 4, column: 33, endLine: 4, endColumn: 73 }],
  },
  {
    // a field of this class that holds another node's time is still theirs
    code: `export class Follower {
  private leaderHeartbeatAt = 0;
  onHeartbeat(message: { sentAt: number }) { this.leaderHeartbeatAt = message.sentAt; }
  tick(timeoutMs: number) { if (Date.now() - this.leaderHeartbeatAt > timeoutMs) this.startElection(); }
  startElection() {}
}`,
    errors: [{ messageId: 'remoteClockTakeover', line: 4, column: 33, endLine: 4, endColumn: 80 }],
  },
  {
    code: `export function stamp(doc: { id: string }) {
  return save({ ...doc, version: Date.now() });
}
export function merge(current: { updatedAt: number }, incoming: { updatedAt: number }) {
  return incoming.updatedAt > current.updatedAt ? incoming : current;
}
export function rebuild(events: { ts: number; apply(): void }[], state: Map<string, unknown>) {
  const ordered = events.sort((a, b) => a.ts - b.ts);
  for (const event of ordered) state.set(String(event.ts), event.apply());
}
export function takeOver(lease: { holder: string; expiresAt: number }, me: string) {
  if (lease.expiresAt < Date.now()) return claim(lease, me);
  return false;
}`,
    errors: [
      { messageId: 'clockAsVersion', line: 2, column: 25, endLine: 2, endColumn: 44 },
      { messageId: 'lastWriteWins', line: 5, column: 10, endLine: 5, endColumn: 48 },
      { messageId: 'clockOrderedReplay', line: 8, column: 19, endLine: 8, endColumn: 53 },
      { messageId: 'remoteClockTakeover', line: 12, column: 7, endLine: 12, endColumn: 35 },
    ],
  },
  {
    // a field assigned from the wall clock in this file, compared between this node's copy and a peer's in an if
    code: `export function record(e: object) { return { ...e, seenAt: new Date().getTime() }; }
export function pick(local: { seenAt: number }, remote: { seenAt: number }) {
  if (local.seenAt >= remote.seenAt) keep(local);
}`,
    errors: [{ messageId: 'lastWriteWins', line: 3, column: 7, endLine: 3, endColumn: 36 }],
  },
  {
    // through a variable, a unary plus, and a member assignment
    code: `export function touch(row: { rev: number }) {
  const now = +new Date();
  row.rev = now;
}`,
    errors: [{ messageId: 'clockAsVersion', line: 3, column: 3, endLine: 3, endColumn: 16 }],
  },
  {
    // a display sort reported only with checkDisplaySorts
    code: `export function recent(events: { ts: number }[]) { return events.slice().sort((a, b) => b.ts - a.ts); }`,
    options: [{ versionFields: ['version'], timestampFields: ['ts'], checkDisplaySorts: true }],
    errors: [{ messageId: 'clockOrderedReplay', line: 1, column: 59, endLine: 1, endColumn: 101 }],
  },
  {
    // the winner picked by sorting two versions
    code: `export function lww(existing: { modifiedAt: number }, incoming: { modifiedAt: number }) {
  const [winner] = [existing, incoming].sort((a, b) => b.modifiedAt - a.modifiedAt);
  return winner;
}`,
    options: [{ versionFields: ['version'], timestampFields: ['modifiedAt'], checkDisplaySorts: false }],
    errors: [{ messageId: 'clockOrderedReplay', line: 2, column: 20, endLine: 2, endColumn: 84 }],
  },
  {
    // an incoming copy applied when its time is not older than the local one
    code: `export async function apply(store: { put(doc: object): Promise<void> }, local: { updatedAt: number }, incoming: { updatedAt: number }) {
  if (incoming.updatedAt >= local.updatedAt) await store.put(incoming);
}`,
    errors: [{ messageId: 'lastWriteWins', line: 2, column: 7, endLine: 2, endColumn: 44 }],
  },
  {
    // newest wins across peers, by reduce
    code: `export function newest(peerVersions: { updatedAt: number }[]) {
  return peerVersions.reduce((a, b) => (a.updatedAt > b.updatedAt ? a : b));
}`,
    errors: [{ messageId: 'lastWriteWins', line: 2, column: 41, endLine: 2, endColumn: 66 }],
  },
  {
    // another region's hold (its holder field says so), timed out by this node's clock
    code: `const REGION = 'eu';
export function reclaimable(hold: { region: string; placedAt: number }, holdMs: number) {
  if (hold.region !== REGION && hold.placedAt + holdMs < Date.now()) return true;
  return false;
}`,
    errors: [{ messageId: 'remoteClockTakeover', line: 3, column: 33, endLine: 3, endColumn: 68 }],
  },
  {
    // a job locked by another worker, stolen when its lock time looks stale
    code: `export function steal(job: { lockedAt: number }, staleMs: number) {
  if (Date.now() - job.lockedAt > staleMs) return true;
  return false;
}`,
    errors: [{ messageId: 'remoteClockTakeover', line: 2, column: 7, endLine: 2, endColumn: 42 }],
  },
  {
    // this node's clock handed to a semaphore script that evicts other holders by time
    code: `export class Semaphore {
  constructor(private readonly redis: { eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown> }, private readonly key: string) {}
  async acquire(id: string, ttlMs: number) {
    return this.redis.eval(ACQUIRE_SCRIPT, 1, this.key, id, Date.now(), ttlMs);
  }
}
const ACQUIRE_SCRIPT = "redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[2] - ARGV[3])";`,
    errors: [{ messageId: 'remoteClockTakeover', line: 4, column: 61, endLine: 4, endColumn: 71 }],
  },
  {
    // a wall-clock register merged by comparing times, without advancing the local clock
    code: `export class LwwRegister<T> {
  constructor(private value: T, private ts = Date.now()) {}
  merge(other: { value: T; ts: number }) {
    if (other.ts > this.ts) { this.value = other.value; this.ts = other.ts; }
  }
}`,
    errors: [{ messageId: 'lastWriteWins', line: 4, column: 9, endLine: 4, endColumn: 27 }],
  },
];

for (const [mode, tester] of modes) {
  describe(`no-wall-clock-ordering (${mode})`, () => {
    tester().run('no-wall-clock-ordering', rule, { valid, invalid });
  });
}

describe('no-wall-clock-ordering (espree, CommonJS)', () => {
  new CoreRuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } }).run('no-wall-clock-ordering', rule as never, {
    valid: [`module.exports = (start) => Date.now() - start;`],
    invalid: [
      {
        code: `module.exports.heartbeat = function (leader, timeoutMs) {
  if (Date.now() - leader.heartbeatAt > timeoutMs) return 'take-over';
  return 'follow';
};`,
        errors: [{ messageId: 'remoteClockTakeover', line: 2, column: 7, endLine: 2, endColumn: 50 }],
      },
    ],
  });
});

// Judgement (src/analysis/judgement.ts): the code path moves the grade.
describe('no-wall-clock-ordering judgement', () => {
  const code = `export function newer(a: { updatedAt: number }, b: { updatedAt: number }) { return a.updatedAt > b.updatedAt ? a : b; }
export function stamp(doc: { version?: number }) { doc.version = Date.now(); return doc; }`;
  const grade = (filename?: string) => gradesOf('no-wall-clock-ordering', code, filename).map((site) => site.confidence);

  it('plain code is high; a migration or a test is low', () => {
    const plain = grade();
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((confidence) => confidence === 'high')).toBe(true);
    expect(grade('src/migrations/0003-versions.ts').every((confidence) => confidence === 'low')).toBe(true);
    expect(grade('src/__tests__/merge.ts').every((confidence) => confidence === 'low')).toBe(true);
  });
});
