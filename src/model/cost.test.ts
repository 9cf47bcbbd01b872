import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COST_MODEL,
  estimate,
  formatEstimate,
  formatLevel,
  formatPercent,
  formatUsd,
  tailSlowProbability,
} from './cost.js';

describe('default cost model', () => {
  it('uses the seed figures', () => {
    expect(DEFAULT_COST_MODEL).toEqual({
      usdPer1000Messages: 0.01,
      rttMs: 100,
      usdPerSecondOfLatency: 1,
      slowCallProbability: 0.01,
    });
    expect(Object.isFrozen(DEFAULT_COST_MODEL)).toBe(true);
  });

  it('reproduces the seed 2PC example: N=5, 15 messages, 300 ms, ~$0.30 per transaction', () => {
    const e = estimate({ level: 4, atLeast: false }, DEFAULT_COST_MODEL, 5);
    expect(e.messages).toBe(15);
    expect(e.roundTrips).toBe(3);
    expect(e.latencyMs).toBe(300);
    // 15 × $0.01/1000 = $0.00015, plus 300 ms × $1/s = $0.30
    expect(e.usdPerOp).toBeCloseTo(0.30015, 10);
    expect(e.usdPerMillion).toBeCloseTo(300_150, 4);
  });

  it('lets every figure be overridden', () => {
    const model = { usdPer1000Messages: 1, rttMs: 10, usdPerSecondOfLatency: 0, slowCallProbability: 0.1 };
    const e = estimate({ level: 3, atLeast: false }, model, 3);
    expect(e.latencyMs).toBe(20);
    expect(e.usdPerOp).toBeCloseTo(0.006, 10); // 6 messages × $0.001
    expect(estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 2 }] }, model).tailSlowProbability).toBeCloseTo(0.19, 10);
  });
});

describe('multipliers', () => {
  it('leaves a site without context alone', () => {
    const e = estimate({ level: 1, atLeast: true });
    expect(e).toMatchObject({ messages: 2, roundTrips: 1, latencyMs: 100, perItem: false, waitsForSlowestOf: 1 });
    expect(e.tailSlowProbability).toBeCloseTo(0.01, 10);
    expect(e.serialises).toBeUndefined();
  });

  it('multiplies a sequential loop of known length: k × messages and k × round trips', () => {
    const e = estimate({ level: 3, atLeast: false, multipliers: [{ kind: 'loop', mode: 'sequential', iterations: 10 }] });
    expect(e).toMatchObject({ messages: 60, roundTrips: 20, latencyMs: 2000, perItem: false, loopMode: 'sequential' });
  });

  it('multiplies a parallel loop of known length: k × messages, one round trip, the slowest of k', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'parallel', iterations: 10 }] });
    expect(e).toMatchObject({ messages: 20, roundTrips: 1, waitsForSlowestOf: 10 });
    expect(e.tailSlowProbability).toBeCloseTo(1 - 0.99 ** 10, 10);
  });

  it('prices a sequential loop of known length as slow when any of its k calls is', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'sequential', iterations: 10 }] });
    expect(e.waitsForSlowestOf).toBe(10);
    expect(e.tailSlowProbability).toBeCloseTo(1 - 0.99 ** 10, 10);
  });

  it('waits for nothing in a floating loop of unknown length', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'floating' }] });
    expect(e).toMatchObject({ messages: 2, roundTrips: 0, latencyMs: 0, perItem: true, waitsForSlowestOf: 1, tailSlowProbability: 0 });
    expect(formatEstimate(e)).toContain('k items run unawaited, so their failures float');
  });

  it('gives an L0 site no tail: it makes no call', () => {
    expect(estimate({ level: 0, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 5 }] }).tailSlowProbability).toBe(0);
  });

  it('prices a floating loop (forEach) as k × messages and nothing waited', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'floating', iterations: 4 }] });
    expect(e).toMatchObject({ messages: 8, roundTrips: 0, latencyMs: 0, loopMode: 'floating' });
  });

  it('keeps per-item figures when k is unknown', () => {
    const sequential = estimate({ level: 1, atLeast: true, multipliers: [{ kind: 'loop', mode: 'sequential' }] });
    expect(sequential).toMatchObject({ messages: 2, roundTrips: 1, perItem: true, loopMode: 'sequential' });
    const parallel = estimate({ level: 1, atLeast: true, multipliers: [{ kind: 'loop', mode: 'parallel' }] });
    expect(parallel).toMatchObject({ perItem: true, waitsForSlowestOf: 'k' });
  });

  it('prices a parallel fan-out as N writes waited together: the slowest of N', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 3 }] });
    expect(e).toMatchObject({ messages: 6, roundTrips: 1, waitsForSlowestOf: 3 });
    expect(e.tailSlowProbability).toBeCloseTo(1 - 0.99 ** 3, 10); // ≈ 3%
    const ten = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 10 }] });
    expect(formatPercent(ten.tailSlowProbability)).toBe('10%');
  });

  it('prices a sequential fan-out as N round trips', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'sequential', targets: 4 }] });
    expect(e).toMatchObject({ messages: 8, roundTrips: 4, latencyMs: 400 });
  });

  it('uses N participants for a fan-out of unknown width', () => {
    const e = estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel' }] }, DEFAULT_COST_MODEL, 5);
    expect(e).toMatchObject({ messages: 10, waitsForSlowestOf: 'N' });
  });

  it('marks a constant lock key as serialising the cluster, and a process lock the process', () => {
    expect(estimate({ level: 3, atLeast: false, multipliers: [{ kind: 'constant-lock-key' }] }).serialises).toBe('cluster');
    const local = estimate({ level: 0, atLeast: false, multipliers: [{ kind: 'process-lock' }] });
    expect(local).toMatchObject({ serialises: 'process', messages: 0, usdPerOp: 0 });
  });

  it('composes a loop around a fan-out', () => {
    const e = estimate({
      level: 1,
      atLeast: false,
      multipliers: [
        { kind: 'fan-out', mode: 'parallel', targets: 3 },
        { kind: 'loop', mode: 'sequential', iterations: 2 },
      ],
    });
    expect(e).toMatchObject({ messages: 12, roundTrips: 2 });
  });
});

describe('formatting', () => {
  it('formats dollars, percents and levels', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.00015)).toBe('$0.00015');
    expect(formatUsd(0.00001)).toBe('$0.00001');
    expect(formatUsd(2e-8)).toBe('$2.0e-8');
    expect(formatUsd(0.30015)).toBe('$0.30');
    expect(formatUsd(300_150)).toBe('$300,150.00');
    expect(formatPercent(1 - 0.99 ** 3)).toBe('3%');
    expect(formatPercent(0.005)).toBe('0.5%');
    expect(formatLevel({ code: 'L1', atLeast: true })).toBe('at least L1');
    expect(formatLevel({ code: 'L3', atLeast: false })).toBe('L3');
  });

  it('renders one estimate as a sentence fragment', () => {
    expect(formatEstimate(estimate({ level: 3, atLeast: false, multipliers: [{ kind: 'constant-lock-key' }] }))).toBe(
      'L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, every caller in the cluster waits on this one key, ~$0.20 per operation',
    );
    expect(formatEstimate(estimate({ level: 1, atLeast: true, multipliers: [{ kind: 'loop', mode: 'sequential' }] }))).toBe(
      'at least L1 (one store, no agreement): 2 messages and 1 round trip (~100 ms) per item, k items cost k sequential round trips, ~$0.10 per item',
    );
    expect(formatEstimate(estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel', targets: 3 }] }))).toContain(
      'waits for 3 calls, so 3% of operations are slow',
    );
    expect(formatEstimate(estimate({ level: 0, atLeast: false, multipliers: [{ kind: 'process-lock' }] }))).toBe(
      'L0 (none): 0 messages and 0 round trips per operation, every request of this process waits on this one lock, ~$0 per operation',
    );
    expect(formatEstimate(estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'parallel' }] }))).toContain('slowest of k');
    expect(formatEstimate(estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'loop', mode: 'floating' }] }))).toContain('failures float');
    expect(formatEstimate(estimate({ level: 1, atLeast: false, multipliers: [{ kind: 'fan-out', mode: 'parallel' }] }))).toContain(
      'waits for all N targets (N = 3: 3% of operations are slow)',
    );
  });

  it('computes the tail formula 1 − (1 − p)^N', () => {
    expect(tailSlowProbability(1, 0.01)).toBeCloseTo(0.01, 12);
    expect(tailSlowProbability(100, 0.01)).toBeCloseTo(0.634, 3);
    expect(tailSlowProbability(0, 0.5)).toBe(0);
  });
});
