/**
 * CI gates: a level budget (`--max-level L2`, per directory `--max-level src/legacy=L3`) and a baseline
 * (`--baseline main.json`), so a pull request fails only for the coordination it adds.
 */
import { type LevelId, levelCode } from '../model/ladder.js';
import { type Confidence, meetsConfidence } from '../model/site.js';
import { type GateResult, type GateViolation, type Report, type ReportSite, siteLevel } from './report.js';

/** A level budget for the files under `path` (relative, `/` separators; `''` for everything). */
export interface Budget {
  readonly path: string;
  readonly maxLevel: LevelId;
}

export interface GateOptions {
  /** The budget for files no directory budget covers. */
  readonly maxLevel: LevelId | undefined;
  readonly budgets: readonly Budget[];
  readonly baseline: Report | undefined;
  /** Only sites graded this or above count (default high: the CI gate agrees with configs.recommended). */
  readonly minConfidence?: Confidence;
}

/** True when any gate is set. */
export function hasGate(options: GateOptions): boolean {
  return options.maxLevel !== undefined || options.budgets.length > 0 || options.baseline !== undefined;
}

/** The budget for `file`: the longest directory budget that contains it, else the global one. */
export function budgetFor(file: string, options: Pick<GateOptions, 'maxLevel' | 'budgets'>): LevelId | undefined {
  let best: Budget | undefined;
  for (const budget of options.budgets) {
    const inside = budget.path === '' || file === budget.path || file.startsWith(`${budget.path}/`);
    if (inside && (!best || budget.path.length > best.path.length)) best = budget;
  }
  return best ? best.maxLevel : options.maxLevel;
}

/**
 * Marks each site `new` or `known` against a baseline. Sites match by fingerprint (file, rule, messageId
 * and the normalised source), as a multiset: when the baseline had a fingerprint m times and the report
 * has it n times, the last n − m of them (in line order) are new.
 */
export function markAgainstBaseline(sites: readonly ReportSite[], baseline: Report): ReportSite[] {
  const remaining = new Map<string, number>();
  for (const site of baseline.sites) remaining.set(site.fingerprint, (remaining.get(site.fingerprint) ?? 0) + 1);
  return sites.map((site) => {
    const left = remaining.get(site.fingerprint) ?? 0;
    if (left > 0) remaining.set(site.fingerprint, left - 1);
    return { ...site, baseline: left > 0 ? 'known' : 'new' };
  });
}

/**
 * Evaluates the gates on a report. With a baseline only new sites are gated; a baseline without a level
 * budget fails on any new site. Files that could not be parsed fail every gate, since no budget can be
 * vouched for them.
 */
export function applyGates(report: Report, options: GateOptions): Report {
  if (!hasGate(options)) return report;
  const sites = options.baseline ? markAgainstBaseline(report.sites, options.baseline) : [...report.sites];
  const minConfidence = options.minConfidence ?? 'high';
  // Sites below the grade are shown, not gated: a hint must not fail a build.
  const graded = sites.filter((site) => meetsConfidence(site.confidence ?? 'high', minConfidence));
  const gated = options.baseline ? graded.filter((site) => site.baseline === 'new') : graded;
  const anyBudget = options.maxLevel !== undefined || options.budgets.length > 0;
  const violations: GateViolation[] = [];
  for (const site of gated) {
    const allowed = anyBudget ? budgetFor(site.file, options) : undefined;
    // No budget covers the file: only a baseline gates it, and then any new site fails.
    if (allowed === undefined && anyBudget) continue;
    if (allowed !== undefined && siteLevel(site) <= allowed) continue;
    violations.push({
      file: site.file,
      line: site.line,
      column: site.column,
      ruleId: site.ruleId,
      messageId: site.messageId,
      level: site.level,
      confidence: site.confidence ?? 'high',
      allowed: allowed === undefined ? null : levelCode(allowed),
    });
  }
  const gate: GateResult = {
    maxLevel: options.maxLevel === undefined ? null : levelCode(options.maxLevel),
    budgets: options.budgets.map((budget) => ({ path: budget.path, maxLevel: levelCode(budget.maxLevel) })),
    minConfidence,
    baseline: options.baseline
      ? { known: sites.filter((site) => site.baseline === 'known').length, new: sites.filter((site) => site.baseline === 'new').length }
      : null,
    violations,
    uncheckedFiles: new Set(report.errors.map((error) => error.file)).size,
    passed: violations.length === 0 && report.errors.length === 0,
  };
  return { ...report, sites, gate };
}
