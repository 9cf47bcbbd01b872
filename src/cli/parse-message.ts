/**
 * Reads a coordination site back from a rule message.
 *
 * ESLint's `LintMessage` carries `messageId` but no `data`, and shared memory between rules and the CLI
 * breaks under `--concurrency` (worker threads) and a warm `--cache` (rules do not run). So every rule
 * message states its level as `L<n>` or `at least L<n>` and, when it prices the site, the fragment that
 * `formatEstimate` (src/model/cost.ts) renders:
 *
 * `<level> (<name>): X messages and Y round trips (~Z ms) per operation|per item[, <clauses>], ~$U per operation|per item`
 *
 * This module parses that grammar, not any one rule's template, so it reads rules that land later too.
 */
import type { LevelId } from '../model/ladder.js';

/** How a loop pays its items, as the price fragment says it. */
export type LoopMode = 'sequential' | 'parallel' | 'floating';

/** The price a message states, with numbers as written (money and percentages are rounded there). */
export interface ParsedPrice {
  /** Figures are per operation, or per item of a loop whose length k is unknown. */
  readonly per: 'operation' | 'item';
  readonly messages: number;
  readonly roundTrips: number;
  /** `~Z ms` as written; absent when the message states no latency (0 round trips). */
  readonly latencyMs: number | undefined;
  readonly loop: LoopMode | undefined;
  /**
   * Calls the operation waits for together: a number from `waits for 2 calls`, `'N'` from `waits for all N
   * targets (N = 3: …)`, `'k'` from a waited loop of unknown length, 1 otherwise.
   */
  readonly waitsFor: number | 'N' | 'k';
  /** The number behind `waitsFor` (N priced at the participants; 1 for `'k'`, the per-item figure). */
  readonly slowCalls: number;
  /** The slow share as written (`2%` → 0.02), when the message states one. */
  readonly slowShare: number | undefined;
  readonly serialises: 'cluster' | 'process' | undefined;
  /** `~$0.20` as written, without `~`: `$0.20`. */
  readonly usdText: string;
  /** The rounded amount `usdText` states. */
  readonly usd: number;
}

/** What a rule message says about its site. */
export interface ParsedMessage {
  readonly level: LevelId;
  /** True for `at least L<n>`: no backend profile settled the level, so it is a lower bound. */
  readonly atLeast: boolean;
  /** The price, or `undefined` when the message states a level only (`(L1 clock read)`). */
  readonly price: ParsedPrice | undefined;
  /** The sentence(s) after the level or price: the way out, or `undefined` when there are none. */
  readonly advice: string | undefined;
}

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const USD = String.raw`\$(?:\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?)`;

/** Where a priced level can start: `(L3 (` or `(at least L1 (`. */
const PRICE_START = /\((?:at least )?L[0-5] \(/g;
/** The whole `formatEstimate` fragment, tried at each start; the middle clauses are read separately. */
const PRICE = new RegExp(
  String.raw`(at least )?L([0-5]) \(([^()]*)\): (${NUMBER}) messages? and (${NUMBER}) round trips?(?: \(~(${NUMBER}) ms\))? per (operation|item)(.*?), ~(${USD}) per (?:operation|item)(?=\))`,
  'y',
);
/** A level without a price: `(L1 clock read)`, `(at least L2 …)`. */
const LEVEL_ONLY = /\((at least )?L([0-5])\b/g;

const WAITS_FOR_CALLS = new RegExp(String.raw`waits for (${NUMBER}) calls, so (${NUMBER})% of operations are slow`);
const WAITS_FOR_N = new RegExp(String.raw`waits for all N targets \(N = (${NUMBER}): (${NUMBER})% of operations are slow\)`);

function toNumber(text: string): number {
  return Number(text.replaceAll(',', ''));
}

/** `$0.20` → 0.2, `$300,000` → 300000, `$1.5e-7` → 1.5e-7. */
export function parseUsd(text: string): number {
  return toNumber(text.replace(/^~?\$/, ''));
}

function parsePrice(match: RegExpExecArray): ParsedPrice {
  const [, , , , messages, roundTrips, latency, per, middle = '', usdText] = match;
  let loop: LoopMode | undefined;
  if (middle.includes('k items cost k sequential round trips')) loop = 'sequential';
  else if (middle.includes('k items run in parallel and wait for the slowest of k')) loop = 'parallel';
  else if (middle.includes('unawaited, so their failures float')) loop = 'floating';

  // A waited loop of unknown length waits for k calls, one after another or together.
  let waitsFor: ParsedPrice['waitsFor'] = loop === 'parallel' || loop === 'sequential' ? 'k' : 1;
  let slowCalls = 1;
  let slowShare: number | undefined;
  const calls = WAITS_FOR_CALLS.exec(middle);
  const targets = WAITS_FOR_N.exec(middle);
  if (calls) {
    slowCalls = toNumber(calls[1]!);
    waitsFor = slowCalls;
    slowShare = toNumber(calls[2]!) / 100;
  } else if (targets) {
    slowCalls = toNumber(targets[1]!);
    waitsFor = 'N';
    slowShare = toNumber(targets[2]!) / 100;
  }

  let serialises: ParsedPrice['serialises'];
  if (middle.includes('every caller in the cluster waits on this one key')) serialises = 'cluster';
  else if (middle.includes('every request of this process waits on this one lock')) serialises = 'process';

  return {
    per: per === 'item' ? 'item' : 'operation',
    messages: toNumber(messages!),
    roundTrips: toNumber(roundTrips!),
    latencyMs: latency === undefined ? undefined : toNumber(latency),
    loop,
    waitsFor,
    slowCalls,
    slowShare,
    serialises,
    usdText: usdText!,
    usd: parseUsd(usdText!),
  };
}

/** The text after the first sentence end that follows `from`: the advice a message closes with. */
function adviceAfter(text: string, from: number): string | undefined {
  const rest = text.slice(from);
  const boundary = /\.\s+(?=\S)/.exec(rest);
  if (!boundary) return undefined;
  const advice = rest.slice(boundary.index + boundary[0].length).trim();
  return advice === '' ? undefined : advice;
}

/**
 * Parses a rule message into its level, price and advice; `undefined` when it states no level.
 *
 * When a message mentions a level more than once (a callee or key that reads `L2`), the last priced
 * fragment wins: every template puts the price after the call and the key.
 *
 * @example
 * parseSiteMessage("redlock.acquire() locks 'jobs', the same key for every caller (L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, every caller in the cluster waits on this one key, ~$0.20 per operation). Key the lock by the entity.")
 * // → { level: 3, atLeast: false, price: { messages: 6, roundTrips: 2, serialises: 'cluster', usd: 0.2, … }, advice: 'Key the lock by the entity.' }
 */
export function parseSiteMessage(text: string): ParsedMessage | undefined {
  let priced: RegExpExecArray | undefined;
  for (const start of text.matchAll(PRICE_START)) {
    PRICE.lastIndex = start.index + 1;
    const match = PRICE.exec(text);
    if (match) priced = match;
  }
  if (priced) {
    const end = priced.index + priced[0].length;
    return {
      level: Number(priced[2]) as LevelId,
      atLeast: priced[1] !== undefined,
      price: parsePrice(priced),
      advice: adviceAfter(text, end),
    };
  }

  let level: RegExpExecArray | undefined;
  for (const match of text.matchAll(LEVEL_ONLY)) level = match;
  if (!level) return undefined;
  return {
    level: Number(level[2]) as LevelId,
    atLeast: level[1] !== undefined,
    price: undefined,
    advice: adviceAfter(text, level.index + level[0].length),
  };
}
