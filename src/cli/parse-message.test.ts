import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CostModel, type Multiplier, DEFAULT_COST_MODEL, estimate, formatEstimate } from '../model/cost.js';
import type { LevelId } from '../model/ladder.js';
import { priceFromMessage } from './collect.js';
import { parseSiteMessage, parseUsd } from './parse-message.js';

// Messages exactly as the rules wrote them on fixtures/demo (`npm run demo -- --format json`).
const DEMO = {
  globalLock:
    "redlock.acquire() locks 'bookings-lock', the same key for every caller (L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, every caller in the cluster waits on this one key, ~$0.20 per operation). Key the lock by the entity it protects, lock only the rows you change (SELECT … FOR UPDATE on them), make the change one atomic statement, or merge concurrent updates with a CRDT.",
  processLock:
    'inventoryMutex.acquire() holds a process-wide lock across awaited network calls (L0 (none): 0 messages and 0 round trips per operation, every request of this process waits on this one lock, ~$0 per operation): every request of this process queues behind that I/O. Key the lock by the entity it protects, lock only the rows you change (SELECT … FOR UPDATE on them), make the change one atomic statement, or merge concurrent updates with a CRDT.',
  fanOutAwaitAll:
    'Promise.all() waits for every one of 2 stores (at least L1 (one store, no agreement): 4 messages and 1 round trip (~100 ms) per operation, waits for 2 calls, so 2% of operations are slow, ~$0.10 per operation); one failure fails them all. With 2 copies a majority is all of them: replicate asynchronously through a durable hand-off (an outbox or a queue).',
  fanOutSequential:
    'replica.set() writes to N replicas one after another (at least L1 (one store, no agreement): 6 messages and 3 round trips (~300 ms) per operation, waits for all N targets (N = 3: 3% of operations are slow), ~$0.30 per operation); one failure stops the rest. Wait for a quorum W = ⌊N/2⌋+1 and let the rest finish in the background, or replicate asynchronously through a durable hand-off (an outbox or a queue).',
  perItemWrite:
    'prisma.booking.create() writes once per item of rows (at least L1 (one store, no agreement): 2 messages and 1 round trip (~100 ms) per item, k items cost k sequential round trips, ~$0.10 per item). Batch the items: createMany inserts every row in one statement but returns only a count.',
  perItemQuorumWrite:
    'ddb.send() waits for a write quorum once per item of items (at least L2 (quorum): 2 messages and 1 round trip (~100 ms) per item, k items run in parallel and wait for the slowest of k, ~$0.10 per item). Batch the items: BatchWriteCommand takes at most 25 items per call and returns UnprocessedItems that must be retried.',
  clockAsVersion:
    'version is set from Date.now(), a wall clock (L1 clock read), and used as an order: clocks drift 10–100 ppm and NTP skew reaches tens of milliseconds, so across nodes a later write can carry an earlier time: the site claims an order it cannot have. Use a Lamport clock for a total order that respects causality, a hybrid logical clock where readable time matters (0 extra messages), or version vectors to detect concurrent writes instead of silently dropping one.',
  lastWriteWins:
    'incoming.updatedAt > current.updatedAt picks the winning write by wall-clock time (L1 clock read): clocks drift 10–100 ppm and NTP skew reaches tens of milliseconds, so across nodes a later write can carry an earlier time: the site claims an order it cannot have. Use a Lamport clock for a total order that respects causality, a hybrid logical clock where readable time matters (0 extra messages), or version vectors to detect concurrent writes instead of silently dropping one.',
} as const;

describe('parseSiteMessage on the demo messages', () => {
  it('reads a constant-key lock: L3, 6 messages, 2 round trips, serialises the cluster', () => {
    expect(parseSiteMessage(DEMO.globalLock)).toEqual({
      level: 3,
      atLeast: false,
      price: {
        per: 'operation',
        messages: 6,
        roundTrips: 2,
        latencyMs: 200,
        loop: undefined,
        waitsFor: 1,
        slowCalls: 1,
        slowShare: undefined,
        serialises: 'cluster',
        usdText: '$0.20',
        usd: 0.2,
      },
      advice:
        'Key the lock by the entity it protects, lock only the rows you change (SELECT … FOR UPDATE on them), make the change one atomic statement, or merge concurrent updates with a CRDT.',
    });
  });

  it('reads a process lock at L0 with no latency and the advice after the explanation', () => {
    const parsed = parseSiteMessage(DEMO.processLock);
    expect(parsed).toMatchObject({ level: 0, atLeast: false, price: { messages: 0, roundTrips: 0, latencyMs: undefined, serialises: 'process', usd: 0 } });
    expect(parsed?.advice).toMatch(/^Key the lock by the entity/);
  });

  it('reads fan-out tails: a counted width and a symbolic N', () => {
    expect(parseSiteMessage(DEMO.fanOutAwaitAll)).toMatchObject({
      level: 1,
      atLeast: true,
      price: { messages: 4, roundTrips: 1, waitsFor: 2, slowCalls: 2, slowShare: 0.02, usd: 0.1 },
      advice: 'With 2 copies a majority is all of them: replicate asynchronously through a durable hand-off (an outbox or a queue).',
    });
    expect(parseSiteMessage(DEMO.fanOutSequential)).toMatchObject({
      level: 1,
      atLeast: true,
      price: { messages: 6, roundTrips: 3, latencyMs: 300, waitsFor: 'N', slowCalls: 3, slowShare: 0.03, usd: 0.3 },
    });
  });

  it('reads per-item loops, sequential and parallel', () => {
    expect(parseSiteMessage(DEMO.perItemWrite)).toMatchObject({
      level: 1,
      atLeast: true,
      price: { per: 'item', loop: 'sequential', waitsFor: 'k', messages: 2, roundTrips: 1 },
      advice: 'Batch the items: createMany inserts every row in one statement but returns only a count.',
    });
    expect(parseSiteMessage(DEMO.perItemQuorumWrite)).toMatchObject({
      level: 2,
      atLeast: true,
      price: { per: 'item', loop: 'parallel', waitsFor: 'k', slowCalls: 1 },
    });
  });

  it('reads a level without a price from wall-clock messages', () => {
    for (const message of [DEMO.clockAsVersion, DEMO.lastWriteWins]) {
      const parsed = parseSiteMessage(message);
      expect(parsed).toMatchObject({ level: 1, atLeast: false, price: undefined });
      expect(parsed?.advice).toMatch(/^Use a Lamport clock for a total order/);
    }
  });
});

describe('parseSiteMessage on odd text', () => {
  it('takes the price, not a callee or key that reads like a level', () => {
    const message = "L2.set() locks '(L4 (x)', the same key for every caller (L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, ~$0.20 per operation). Fix it.";
    expect(parseSiteMessage(message)).toMatchObject({ level: 3, price: { messages: 6 }, advice: 'Fix it.' });
  });

  it('reads thousands separators, fractions and tiny amounts', () => {
    const message =
      'x() (at least L5 (Byzantine agreement): 1,000,000 messages and 3 round trips (~1,234.5 ms) per operation, ~$1.5e-7 per operation).';
    expect(parseSiteMessage(message)).toMatchObject({
      level: 5,
      atLeast: true,
      price: { messages: 1_000_000, roundTrips: 3, latencyMs: 1234.5, usd: 1.5e-7, usdText: '$1.5e-7' },
      advice: undefined,
    });
    expect(parseUsd('~$300,000.00')).toBe(300_000);
  });

  it('returns undefined for text with no level', () => {
    expect(parseSiteMessage('Parsing error: Unexpected token')).toBeUndefined();
    expect(parseSiteMessage('HTML5 and L10n, L3 without a parenthesis')).toBeUndefined();
  });
});

/** Every price the model can render, as it renders it, inside a rule-like template. */
const pricedSite = fc.record({
  level: fc.constantFrom<LevelId>(0, 1, 2, 3, 4, 5),
  atLeast: fc.boolean(),
  shape: fc.record({ async: fc.boolean() }, { requiredKeys: [] }),
  // What rules build: at most one loop, one fan-out and one lock context per site.
  loop: fc.option(
    fc.record(
      {
        kind: fc.constant('loop' as const),
        mode: fc.constantFrom('sequential' as const, 'parallel' as const, 'floating' as const),
        iterations: fc.integer({ min: 1, max: 2000 }),
      },
      { requiredKeys: ['kind', 'mode'] },
    ),
    { nil: undefined },
  ),
  fanOut: fc.option(
    fc.record(
      {
        kind: fc.constant('fan-out' as const),
        mode: fc.constantFrom('sequential' as const, 'parallel' as const),
        targets: fc.integer({ min: 2, max: 50 }),
      },
      { requiredKeys: ['kind', 'mode'] },
    ),
    { nil: undefined },
  ),
  fanOutFirst: fc.boolean(),
  lock: fc.option(fc.constantFrom({ kind: 'constant-lock-key' as const }, { kind: 'process-lock' as const }), { nil: undefined }),
});
const costModel = fc.record({
  usdPer1000Messages: fc.constantFrom(0, 0.01, 0.5, 3),
  rttMs: fc.constantFrom(0, 1, 100, 250.5),
  usdPerSecondOfLatency: fc.constantFrom(0, 1, 0.001, 40),
  slowCallProbability: fc.constantFrom(0, 0.01, 0.2, 1),
});

describe('parseSiteMessage round-trips formatEstimate', () => {
  it('reads back messages, round trips and context, and re-prices exactly under the same model', () => {
    fc.assert(
      fc.property(pricedSite, costModel, fc.integer({ min: 1, max: 9 }), (site, model: CostModel, participants) => {
        const order = site.fanOutFirst ? [site.fanOut, site.loop, site.lock] : [site.loop, site.fanOut, site.lock];
        const multipliers: Multiplier[] = order.filter((m) => m !== undefined);
        const e = estimate({ level: site.level, atLeast: site.atLeast, shape: site.shape, multipliers }, model, participants);
        const parsed = parseSiteMessage(`L1.call() does it (${formatEstimate(e)}). Do better.`);
        expect(parsed).toBeDefined();
        expect(parsed!.level).toBe(e.level);
        expect(parsed!.atLeast).toBe(e.atLeast);
        expect(parsed!.advice).toBe('Do better.');
        const price = parsed!.price!;
        expect(price.messages).toBe(e.messages);
        expect(price.roundTrips).toBe(e.roundTrips);
        expect(price.per).toBe(e.perItem ? 'item' : 'operation');
        expect(price.serialises).toBe(e.serialises);
        if (e.perItem) expect(price.loop).toBe(e.loopMode);

        const repriced = priceFromMessage(price, { participants, ...model });
        expect(repriced.exact).toBe(true);
        expect(repriced.usdPerOperation).toBe(Number(e.usdPerOp.toPrecision(12)));
        expect(repriced.latencyMs).toBe(Number(e.latencyMs.toPrecision(12)));
        // k unknown: the probability depends on it, and the message (rightly) states none.
        expect(repriced.waitsFor).toBe(e.messages === 0 ? 0 : e.waitsForSlowestOf);
        if (repriced.waitsFor !== 'k') {
          expect(repriced.slowCalls).toBe(e.messages === 0 ? 0 : e.slowCalls);
          expect(repriced.slowProbability).toBe(Number(e.tailSlowProbability.toPrecision(12)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the rounded figures, marked inexact, when the file was priced under another model', () => {
    const parsed = parseSiteMessage(DEMO.globalLock)!;
    const price = priceFromMessage(parsed.price!, { participants: 3, ...DEFAULT_COST_MODEL, rttMs: 10 });
    expect(price).toMatchObject({ exact: false, latencyMs: 200, usdPerOperation: 0.2, usdPerMillion: 200_000 });
  });
});
