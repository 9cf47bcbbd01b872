/**
 * The report: its versioned JSON shape, the canonical form every output goes through, and the shard
 * merge. `docs/report.md` documents every field; `report-schema.ts` validates reports read back in.
 *
 * A report's data (files, sites, errors, notes, model, tool) forms a join-semilattice, so the merge is
 * commutative, associative and idempotent: sets are unioned, a site seen twice keeps its canonical
 * minimum, the model survives only when every input agrees, and the tool keeps the highest version.
 * Totals are derived from the sites, and gate results are dropped (the merge command gates again).
 */
import { type LevelId, LADDER, levelCode } from '../model/ladder.js';
import type { Estimate } from '../model/cost.js';
import type { Confidence } from '../model/site.js';

/** The version of the JSON shape. Bumped on any change that could break a reader. */
export const SCHEMA_VERSION = 1;

export const TOOL_NAME = 'coordination-ladder';

export type LevelCode = `L${LevelId}`;

/**
 * A site's price under the cost model of its file, as the JSON report writes it: a view of the model's
 * `Estimate` (built by `sitePrice` in collect.ts, no arithmetic but rounding). Money is per item when
 * `per` is `item`.
 */
export interface SitePrice {
  readonly per: 'operation' | 'item';
  /** N, the participants the level's formula was priced for. */
  readonly participants: number;
  readonly messages: number;
  readonly roundTrips: number;
  readonly latencyMs: number;
  readonly loop: NonNullable<Estimate['loopMode']> | null;
  /** Calls waited for together: a count, `N` (priced at `slowCalls` = N) or `k` (a parallel loop). */
  readonly waitsFor: number | 'N' | 'k';
  readonly slowCalls: number;
  /** Probability that one operation is slow; `null` when it depends on an unknown k. */
  readonly slowProbability: number | null;
  readonly serialises: 'cluster' | 'process' | null;
  readonly usdPerOperation: number;
  readonly usdPerMillion: number;
  /**
   * Always true since the report reads each site's record instead of its message: the figures are
   * the rule's own estimate. Kept for readers of schema version 1; reports from older versions may say false.
   */
  readonly exact: boolean;
}

/** One coordination site. */
export interface ReportSite {
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly ruleId: string;
  readonly messageId: string | null;
  readonly severity: 'error' | 'warning';
  readonly primitive: string;
  readonly level: LevelCode;
  readonly levelName: string;
  /** The level is a lower bound (no backend profile settled it). */
  readonly atLeast: boolean;
  /** `null` when the message states a level only (wall-clock ordering). */
  readonly price: SitePrice | null;
  /** The file was linted with type information (typescript-eslint `project`/`projectService`). */
  readonly typed: boolean;
  readonly message: string;
  readonly advice: string | null;
  readonly suggestions: readonly string[];
  /**
   * How sure the judgement is that the site matters where it stands (code path, where the items come
   * from, what wraps the call). Reports of 0.1.x have none: they read as high, what they gated.
   */
  readonly confidence: Confidence;
  /** The judgement's evidence, as short phrases. */
  readonly evidence: readonly string[];
  /** Hash of file, rule, messageId and the whitespace-collapsed source of the reported lines. */
  readonly fingerprint: string;
  /** Only with `--baseline`: whether the baseline report had this site. */
  readonly baseline?: 'new' | 'known';
}

/**
 * A file ESLint could not parse: its sites are unknown. `line` and `column` are `null` when ESLint gave
 * no position (a parser that ran out of stack: "Maximum call stack size exceeded").
 */
export interface ReportError {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/** Where an error is, for people: `file:line:column`, or the file alone when ESLint gave no position. */
export function errorPlace(error: Pick<ReportError, 'file' | 'line' | 'column'>): string {
  if (error.line === null || error.line === undefined) return error.file;
  return error.column === null || error.column === undefined ? `${error.file}:${error.line}` : `${error.file}:${error.line}:${error.column}`;
}

/** N and the cost model the sites were priced with. */
export interface ReportModel {
  readonly participants: number;
  readonly usdPer1000Messages: number;
  readonly rttMs: number;
  readonly usdPerSecondOfLatency: number;
  readonly slowCallProbability: number;
}

export interface LevelTotal {
  readonly level: LevelCode;
  readonly name: string;
  readonly sites: number;
  /** Sites whose level is a lower bound. */
  readonly atLeast: number;
  /** Sum of `usdPerMillion` over priced sites that are per operation. */
  readonly usdPerMillionOperations: number;
  /** Sum of `usdPerMillion` over priced sites that are per item of a loop. */
  readonly usdPerMillionItems: number;
}

export interface Totals {
  readonly files: number;
  readonly sites: number;
  readonly errors: number;
  /** One entry per ladder level, L0 first. */
  readonly levels: readonly LevelTotal[];
}

export interface GateViolation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly messageId: string | null;
  readonly level: LevelCode;
  readonly confidence: Confidence;
  /** The budget the site exceeds; `null` when a baseline forbids any new site. */
  readonly allowed: LevelCode | null;
}

export interface GateResult {
  readonly maxLevel: LevelCode | null;
  readonly budgets: readonly { readonly path: string; readonly maxLevel: LevelCode }[];
  /** The gates counted only sites graded this or above. */
  readonly minConfidence: Confidence;
  /** Counts against the baseline, when one was given. */
  readonly baseline: { readonly known: number; readonly new: number } | null;
  readonly violations: readonly GateViolation[];
  /** Files that could not be parsed: a gate cannot vouch for them. */
  readonly uncheckedFiles: number;
  readonly passed: boolean;
}

export interface Report {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: typeof TOOL_NAME; readonly version: string };
  /** `null` when sites were priced under different models (per-file settings, or merged shards). */
  readonly model: ReportModel | null;
  /** Every file linted, sorted. */
  readonly files: readonly string[];
  /** Sorted by file, line, column, rule and messageId. */
  readonly sites: readonly ReportSite[];
  readonly errors: readonly ReportError[];
  readonly notes: readonly string[];
  readonly totals: Totals;
  /** Present only when a gate (`--max-level`, `--baseline`) was evaluated. */
  readonly gate?: GateResult;
}

/** The data a report is built from; everything else is derived. */
export type ReportData = Pick<Report, 'tool' | 'model' | 'files' | 'sites' | 'errors' | 'notes'>;

const collator = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Floats rounded to 12 significant digits, so sums and products print the same on every machine. */
export function round(value: number): number {
  return Number(value.toPrecision(12));
}

/** The order of sites in JSON: by place, then rule; the remaining keys make it total. */
export function compareSites(a: ReportSite, b: ReportSite): number {
  return (
    collator(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    collator(a.ruleId, b.ruleId) ||
    collator(a.messageId ?? '', b.messageId ?? '') ||
    collator(canonicalJson(a), canonicalJson(b))
  );
}

/** The level of a site as a number. */
export function siteLevel(site: Pick<ReportSite, 'level'>): LevelId {
  return Number(site.level.slice(1)) as LevelId;
}

/** Where a site is, and which rule said it: two shards that linted one file report it under one key. */
function siteKey(site: ReportSite): string {
  return [site.file, site.line, site.column, site.endLine, site.endColumn, site.ruleId, site.messageId ?? ''].join('\u0000');
}

function errorKey(error: ReportError): string {
  return [error.file, error.line, error.column, error.message].join('\u0000');
}

/** Rebuilds a site with its keys in schema order and derived fields dropped. */
export function canonicalSite(site: ReportSite): ReportSite {
  const { price } = site;
  return {
    file: site.file,
    line: site.line,
    column: site.column,
    endLine: site.endLine,
    endColumn: site.endColumn,
    ruleId: site.ruleId,
    messageId: site.messageId,
    severity: site.severity,
    primitive: site.primitive,
    level: site.level,
    levelName: site.levelName,
    atLeast: site.atLeast,
    price:
      price === null
        ? null
        : {
            per: price.per,
            participants: price.participants,
            messages: price.messages,
            roundTrips: price.roundTrips,
            latencyMs: price.latencyMs,
            loop: price.loop,
            waitsFor: price.waitsFor,
            slowCalls: price.slowCalls,
            slowProbability: price.slowProbability,
            serialises: price.serialises,
            usdPerOperation: price.usdPerOperation,
            usdPerMillion: price.usdPerMillion,
            exact: price.exact,
          },
    typed: site.typed,
    message: site.message,
    advice: site.advice,
    suggestions: [...site.suggestions],
    confidence: site.confidence ?? 'high',
    evidence: [...(site.evidence ?? [])],
    fingerprint: site.fingerprint,
  };
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value);
}

function sameModel(a: ReportModel, b: ReportModel): boolean {
  return (
    a.participants === b.participants &&
    a.usdPer1000Messages === b.usdPer1000Messages &&
    a.rttMs === b.rttMs &&
    a.usdPerSecondOfLatency === b.usdPerSecondOfLatency &&
    a.slowCallProbability === b.slowCallProbability
  );
}

function canonicalModel(model: ReportModel): ReportModel {
  return {
    participants: model.participants,
    usdPer1000Messages: model.usdPer1000Messages,
    rttMs: model.rttMs,
    usdPerSecondOfLatency: model.usdPerSecondOfLatency,
    slowCallProbability: model.slowCallProbability,
  };
}

/** One part of a version: numbers before words, numbers by value, words as text. */
function compareVersionPart(x: string, y: string): number {
  const nx = /^\d+$/.test(x);
  const ny = /^\d+$/.test(y);
  if (nx !== ny) return nx ? -1 : 1;
  return (nx ? Number(x) - Number(y) : 0) || collator(x, y);
}

/**
 * Orders versions part by part (`0.9.0` < `0.10.2`), a shorter prefix first, then as text: a total
 * order, so "the highest version" does not depend on the order reports are merged in.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    const byPart = compareVersionPart(pa[i]!, pb[i]!);
    if (byPart !== 0) return byPart;
  }
  return pa.length - pb.length || collator(a, b);
}

/** Totals per level, derived from the sites. */
export function computeTotals(files: number, sites: readonly ReportSite[], errors: number): Totals {
  const levels = LADDER.map((rung) => {
    const atLevel = sites.filter((site) => site.level === rung.code);
    let operations = 0;
    let items = 0;
    for (const site of atLevel) {
      if (site.price?.per === 'operation') operations += site.price.usdPerMillion;
      if (site.price?.per === 'item') items += site.price.usdPerMillion;
    }
    return {
      level: levelCode(rung.id),
      name: rung.name,
      sites: atLevel.length,
      atLeast: atLevel.filter((site) => site.atLeast).length,
      usdPerMillionOperations: round(operations),
      usdPerMillionItems: round(items),
    };
  });
  return { files, sites: sites.length, errors, levels };
}

/**
 * Merges reports into one. Commutative, associative and idempotent (`merge.test.ts` shows it with
 * fast-check), so CI shards can be merged in any order and grouping, and a report merged with itself
 * is unchanged. Gate results and baseline marks are dropped: gate the merged report again.
 */
export function mergeReports(reports: readonly ReportData[]): Report {
  if (reports.length === 0) throw new Error('nothing to merge');
  const files = new Set<string>();
  const sites = new Map<string, ReportSite>();
  const errors = new Map<string, ReportError>();
  const notes = new Set<string>();
  let version: string | undefined;
  let model: ReportModel | null | undefined;

  for (const report of reports) {
    for (const file of report.files) files.add(file);
    for (const raw of report.sites) {
      const site = canonicalSite(raw);
      const key = siteKey(site);
      const seen = sites.get(key);
      // The same place reported twice (overlapping shards): keep the canonical minimum, so the pick
      // does not depend on the order of the inputs.
      if (!seen || collator(canonicalJson(site), canonicalJson(seen)) < 0) sites.set(key, site);
      files.add(site.file);
    }
    for (const error of report.errors) {
      // ESLint leaves line and column out of a fatal message without a position (and 0.1.0 wrote them out
      // so): the report says null.
      const copy = { file: error.file, line: error.line ?? null, column: error.column ?? null, message: error.message };
      errors.set(errorKey(copy), copy);
      files.add(error.file);
    }
    for (const note of report.notes) notes.add(note);
    version = version === undefined || compareVersions(report.tool.version, version) > 0 ? report.tool.version : version;
    if (model === undefined) model = report.model === null ? null : canonicalModel(report.model);
    else if (model !== null && (report.model === null || !sameModel(model, report.model))) model = null;
  }

  const sortedSites = [...sites.values()].sort(compareSites);
  const sortedErrors = [...errors.values()].sort(
    // No position sorts first in its file.
    (a, b) => collator(a.file, b.file) || (a.line ?? -1) - (b.line ?? -1) || (a.column ?? -1) - (b.column ?? -1) || collator(a.message, b.message),
  );
  const sortedFiles = [...files].sort(collator);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: version! },
    model: model ?? null,
    files: sortedFiles,
    sites: sortedSites,
    errors: sortedErrors,
    notes: [...notes].sort(collator),
    totals: computeTotals(sortedFiles.length, sortedSites, sortedErrors.length),
  };
}

/** The canonical form of one report: sorted, deduplicated, totals derived, gate dropped. */
export function normalizeReport(report: ReportData): Report {
  return mergeReports([report]);
}
