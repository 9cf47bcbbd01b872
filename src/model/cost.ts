/**
 * Prices a coordination site: messages, sequential round trips, tail amplification and money.
 *
 * `Cost = messages × message price + round trips × RTT × price of a second of latency`
 * (seed 000, "2-Phase Commit Costs"). Context multiplies a site: a loop over k items, a fan-out
 * to N targets, a lock on a constant key.
 */
import {
  type LevelId,
  type OperationShape,
  ladderLevel,
  levelCode,
  messagesPerOp,
  roundTripsPerOp,
} from './ladder.js';
import { formatCents, formatNumber } from '../util/format-number.js';

/** The user-set prices. Every figure is overridable in `settings.coordination.costModel`. */
export interface CostModel {
  /** Dollars per 1,000 messages. Seed default: $0.01. */
  readonly usdPer1000Messages: number;
  /** One cross-region round trip in milliseconds. Seed default: 100 ms. */
  readonly rttMs: number;
  /** What one second of added latency costs the business, in dollars. Seed default: $1. */
  readonly usdPerSecondOfLatency: number;
  /** Probability that one call is slow (the tail). Default 1%, as in "The Tail at Scale". */
  readonly slowCallProbability: number;
}

/** The seeds' figures: $0.01 per 1,000 messages, 100 ms RTT, $1 per second of latency, 1% slow calls. */
export const DEFAULT_COST_MODEL: CostModel = Object.freeze({
  usdPer1000Messages: 0.01,
  rttMs: 100,
  usdPerSecondOfLatency: 1,
  slowCallProbability: 0.01,
});

/**
 * How context multiplies one call.
 *
 * - `loop`: the call runs once per item. `sequential` when each iteration awaits it (k round trips),
 *   `parallel` under `Promise.all` (k calls in flight, the slowest of k), `floating` for `forEach`
 *   callbacks whose promises nobody awaits (k calls, no waiting, failures unobserved).
 * - `fan-out`: the same write to `targets` copies, waiting for all of them.
 * - `constant-lock-key`: every caller in the cluster queues on one key.
 * - `process-lock`: every request of this process queues on one in-memory lock.
 */
export type Multiplier =
  | { readonly kind: 'loop'; readonly mode: 'sequential' | 'parallel' | 'floating'; readonly iterations?: number }
  | { readonly kind: 'fan-out'; readonly mode: 'sequential' | 'parallel'; readonly targets?: number }
  | { readonly kind: 'constant-lock-key' }
  | { readonly kind: 'process-lock' };

/** What the cost model needs to know about a site. */
export interface PricedSite {
  readonly level: LevelId;
  /** True when no backend profile settled the level, so it is a lower bound. */
  readonly atLeast: boolean;
  readonly shape?: OperationShape;
  readonly multipliers?: readonly Multiplier[];
}

/** A site's price. When `perItem` is true, the figures are per iteration of a loop of unknown length. */
export interface Estimate {
  readonly level: LevelId;
  readonly code: `L${LevelId}`;
  readonly atLeast: boolean;
  /** Participants N used for the level's formula. */
  readonly participants: number;
  readonly messages: number;
  readonly roundTrips: number;
  /** `roundTrips × rttMs`. */
  readonly latencyMs: number;
  /** Probability that the operation is slow: 1 − (1 − p)^c for c calls waited together. */
  readonly tailSlowProbability: number;
  /** Calls the operation waits for, any of which makes it slow (1 without fan-out or a waited loop). */
  readonly waitsForSlowestOf: number | 'k' | 'N';
  /** The number of waited calls behind `tailSlowProbability` (N priced at the participants when symbolic). */
  readonly slowCalls: number;
  readonly usdPerOp: number;
  readonly usdPerMillion: number;
  /** Figures are per item of a loop whose length is unknown (k). */
  readonly perItem: boolean;
  /** How the items of a loop are paid: sequential round trips, parallel, or floating promises. */
  readonly loopMode?: 'sequential' | 'parallel' | 'floating';
  /** Who queues behind this site. */
  readonly serialises?: 'cluster' | 'process';
}

/** The probability that waiting for the slowest of `calls` calls is slow: 1 − (1 − p)^calls. */
export function tailSlowProbability(calls: number, p: number): number {
  return 1 - (1 - p) ** calls;
}

/**
 * Prices a site for `participants` nodes under `model`.
 *
 * @example
 * // A Raft write (L3) for N = 3 inside a sequential loop of 10 items:
 * estimate({ level: 3, atLeast: false, multipliers: [{ kind: 'loop', mode: 'sequential', iterations: 10 }] })
 * // → 60 messages, 20 round trips, 2,000 ms
 */
export function estimate(site: PricedSite, model: CostModel = DEFAULT_COST_MODEL, participants = 3): Estimate {
  let messages = messagesPerOp(site.level, participants, site.shape);
  let roundTrips = roundTripsPerOp(site.level, site.shape);
  // An L2 call that waits for every replica is as slow as the slowest of N.
  const waitsForAll = site.level === 2 && site.shape?.all === true;
  let slowestOf = waitsForAll ? participants : 1;
  let symbolicSlowest: 'k' | 'N' | undefined = waitsForAll ? 'N' : undefined;
  let perItem = false;
  let loopMode: Estimate['loopMode'];
  let serialises: Estimate['serialises'];

  for (const multiplier of site.multipliers ?? []) {
    switch (multiplier.kind) {
      case 'fan-out': {
        // Unknown width: priced at N participants, and said as "N".
        const targets = multiplier.targets ?? participants;
        if (multiplier.targets === undefined) symbolicSlowest = 'N';
        messages *= targets;
        if (multiplier.mode === 'sequential') roundTrips *= targets;
        slowestOf *= targets;
        break;
      }
      case 'loop': {
        loopMode = multiplier.mode;
        const k = multiplier.iterations;
        // Floating promises: nobody waits for them.
        if (multiplier.mode === 'floating') roundTrips = 0;
        if (k === undefined) {
          // Unknown k: keep per-item figures and let the renderer say "× k".
          perItem = true;
          if (multiplier.mode !== 'floating') symbolicSlowest = 'k';
          break;
        }
        messages *= k;
        if (multiplier.mode === 'sequential') roundTrips *= k;
        // k waited calls, in parallel or one after another, are slow when any one of them is.
        if (multiplier.mode !== 'floating') slowestOf *= k;
        break;
      }
      case 'constant-lock-key':
        serialises = 'cluster';
        break;
      case 'process-lock':
        serialises = 'process';
        break;
    }
  }

  const latencyMs = roundTrips * model.rttMs;
  const usdPerOp =
    (messages * model.usdPer1000Messages) / 1000 + (latencyMs / 1000) * model.usdPerSecondOfLatency;
  return {
    level: site.level,
    code: levelCode(site.level),
    atLeast: site.atLeast,
    participants,
    messages,
    roundTrips,
    latencyMs,
    // No message, or nothing waited for (async, floating promises): no slow operation to wait on.
    tailSlowProbability: messages === 0 || roundTrips === 0 ? 0 : tailSlowProbability(slowestOf, model.slowCallProbability),
    slowCalls: slowestOf,
    waitsForSlowestOf: symbolicSlowest ?? slowestOf,
    usdPerOp,
    usdPerMillion: usdPerOp * 1_000_000,
    perItem,
    ...(loopMode === undefined ? {} : { loopMode }),
    ...(serialises === undefined ? {} : { serialises }),
  };
}

function plural(count: number, word: string): string {
  return `${formatNumber(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** Dollars with sensible precision: `$0.00015`, `$0.30`, `$300,000`. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  // Two significant digits below a cent, without trailing zeros: $0.00015, $0.00001.
  if (value < 0.01) return `$${value < 1e-6 ? value.toExponential(1) : String(Number(value.toPrecision(2)))}`;
  return `$${formatCents(value)}`;
}

/** `L3`, or `at least L1` when the level is a lower bound. */
export function formatLevel(e: Pick<Estimate, 'code' | 'atLeast'>): string {
  return e.atLeast ? `at least ${e.code}` : e.code;
}

/**
 * One sentence fragment with a site's price, for rule messages and reports.
 *
 * @example
 * formatEstimate(estimate({ level: 3, atLeast: false }))
 * // "L3 (consensus): 6 messages and 2 round trips (~200 ms), ~$0.20 per operation"
 */
export function formatEstimate(e: Estimate): string {
  const unit = e.perItem ? 'per item' : 'per operation';
  const parts = [
    `${formatLevel(e)} (${ladderLevel(e.level).name}): ${plural(e.messages, 'message')} and ${plural(e.roundTrips, 'round trip')}`,
  ];
  if (e.latencyMs > 0) parts[0] += ` (~${formatNumber(e.latencyMs)} ms)`;
  parts[0] += ` ${unit}`;
  if (e.perItem && e.loopMode === 'sequential') parts.push(`k items cost k sequential round trips`);
  else if (e.perItem && e.loopMode === 'parallel') parts.push(`k items run in parallel and wait for the slowest of k`);
  else if (e.loopMode === 'floating') parts.push(`${e.perItem ? 'k items run' : 'the calls run'} unawaited, so their failures float`);
  if (typeof e.waitsForSlowestOf === 'number' && e.waitsForSlowestOf > 1 && e.messages > 0) {
    parts.push(`waits for ${e.waitsForSlowestOf} calls, so ${formatPercent(e.tailSlowProbability)} of operations are slow`);
  } else if (e.waitsForSlowestOf === 'N' && e.messages > 0) {
    parts.push(`waits for all N targets (N = ${e.slowCalls}: ${formatPercent(e.tailSlowProbability)} of operations are slow)`);
  }
  if (e.serialises === 'cluster') parts.push('every caller in the cluster waits on this one key');
  if (e.serialises === 'process') parts.push('every request of this process waits on this one lock');
  parts.push(`~${formatUsd(e.usdPerOp)} ${unit}`);
  return parts.join(', ');
}

/** `3%`, `10%`, `0.5%`. */
export function formatPercent(probability: number): string {
  const percent = probability * 100;
  // Whole percents from 1% up (2.97% reads as the "3%" people quote); one decimal below.
  return `${percent >= 1 ? Math.round(percent) : Number(percent.toFixed(1))}%`;
}
