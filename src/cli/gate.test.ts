import { describe, expect, it } from 'vitest';
import { normalizedSource, siteFingerprint } from './fingerprint.js';
import { applyGates, budgetFor, markAgainstBaseline } from './gate.js';
import { type Report, type ReportSite, normalizeReport } from './report.js';

function site(file: string, line: number, level: ReportSite['level'], fingerprint: string, confidence: ReportSite['confidence'] = 'high'): ReportSite {
  return {
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 10,
    ruleId: 'coordination/no-global-lock',
    messageId: 'globalLock',
    severity: 'error',
    primitive: 'lock on a constant key',
    level,
    levelName: 'x',
    atLeast: false,
    price: null,
    typed: false,
    message: 'm',
    advice: null,
    suggestions: [],
    confidence,
    evidence: [],
    fingerprint,
  };
}

function report(sites: ReportSite[], errors: Report['errors'] = []): Report {
  return normalizeReport({ tool: { name: 'coordination-ladder', version: '0.1.0' }, model: null, files: [], sites, errors, notes: [] });
}

describe('siteFingerprint', () => {
  it('ignores indentation and line position, not the code, rule or file', () => {
    const lines = ['', '  await redlock.acquire(["jobs"],', '      5000);'];
    const moved = ['// a new comment', '', '', 'await   redlock.acquire(["jobs"],', '5000);'];
    expect(normalizedSource(lines, 2, 3)).toBe('await redlock.acquire(["jobs"], 5000);');
    expect(normalizedSource(moved, 4, 5)).toBe(normalizedSource(lines, 2, 3));
    const at = (file: string, rule: string, source: string): string => siteFingerprint(file, rule, 'globalLock', source);
    expect(at('a.ts', 'r', normalizedSource(moved, 4, 5))).toBe(at('a.ts', 'r', normalizedSource(lines, 2, 3)));
    expect(at('b.ts', 'r', 'x')).not.toBe(at('a.ts', 'r', 'x'));
    expect(at('a.ts', 'q', 'x')).not.toBe(at('a.ts', 'r', 'x'));
    expect(at('a.ts', 'r', 'y')).not.toBe(at('a.ts', 'r', 'x'));
    expect(at('a.ts', 'r', 'x')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('budgetFor', () => {
  const options = {
    maxLevel: 1 as const,
    budgets: [
      { path: 'src/legacy', maxLevel: 3 as const },
      { path: 'src/legacy/worker', maxLevel: 4 as const },
      { path: 'src', maxLevel: 2 as const },
    ],
  };

  it('picks the longest directory that contains the file, else the global budget', () => {
    expect(budgetFor('src/legacy/worker/a.ts', options)).toBe(4);
    expect(budgetFor('src/legacy/a.ts', options)).toBe(3);
    expect(budgetFor('src/legacyish/a.ts', options)).toBe(2);
    expect(budgetFor('test/a.ts', options)).toBe(1);
    expect(budgetFor('test/a.ts', { maxLevel: undefined, budgets: [] })).toBeUndefined();
  });
});

describe('markAgainstBaseline', () => {
  it('matches fingerprints as a multiset: a third copy of a known line is new', () => {
    const baseline = report([site('a.ts', 1, 'L3', 'f1'), site('a.ts', 9, 'L3', 'f1'), site('a.ts', 5, 'L1', 'f2')]);
    const marked = markAgainstBaseline([site('a.ts', 20, 'L3', 'f1'), site('a.ts', 30, 'L3', 'f1'), site('a.ts', 40, 'L3', 'f1'), site('a.ts', 50, 'L1', 'f3')], baseline);
    expect(marked.map((s) => s.baseline)).toEqual(['known', 'known', 'new', 'new']);
  });
});

describe('applyGates', () => {
  const sites = [site('src/a.ts', 1, 'L3', 'f1'), site('src/legacy/b.ts', 2, 'L3', 'f2'), site('src/c.ts', 3, 'L1', 'f3')];

  it('leaves a report without gates alone', () => {
    const plain = report(sites);
    expect(applyGates(plain, { maxLevel: undefined, budgets: [], baseline: undefined })).toBe(plain);
  });

  it('fails for sites above the budget, honouring directory budgets', () => {
    const gated = applyGates(report(sites), { maxLevel: 2, budgets: [{ path: 'src/legacy', maxLevel: 3 }], baseline: undefined });
    expect(gated.gate).toMatchObject({ maxLevel: 'L2', passed: false, baseline: null, uncheckedFiles: 0 });
    expect(gated.gate?.violations).toEqual([
      { file: 'src/a.ts', line: 1, column: 1, ruleId: 'coordination/no-global-lock', messageId: 'globalLock', level: 'L3', confidence: 'high', allowed: 'L2' },
    ]);
    expect(applyGates(report(sites), { maxLevel: 3, budgets: [], baseline: undefined }).gate?.passed).toBe(true);
  });

  it('gates only new sites against a baseline; without a budget any new site fails', () => {
    const baseline = report(sites.slice(0, 2));
    const onlyBaseline = applyGates(report(sites), { maxLevel: undefined, budgets: [], baseline });
    expect(onlyBaseline.gate).toMatchObject({ baseline: { known: 2, new: 1 }, passed: false });
    expect(onlyBaseline.gate?.violations.map((v) => [v.file, v.allowed])).toEqual([['src/c.ts', null]]);
    const withBudget = applyGates(report(sites), { maxLevel: 1, budgets: [], baseline });
    expect(withBudget.gate).toMatchObject({ passed: true, violations: [] });
    expect(withBudget.sites.map((s) => [s.file, s.baseline])).toEqual([
      ['src/a.ts', 'known'],
      ['src/c.ts', 'new'],
      ['src/legacy/b.ts', 'known'],
    ]);
  });

  it('counts only sites at or above --min-confidence (default high), against a budget and a baseline', () => {
    const mixed = [site('src/a.ts', 1, 'L3', 'f1', 'medium'), site('src/b.ts', 2, 'L3', 'f2', 'low'), site('src/c.ts', 3, 'L1', 'f3')];
    const byDefault = applyGates(report(mixed), { maxLevel: 2, budgets: [], baseline: undefined });
    expect(byDefault.gate).toMatchObject({ passed: true, minConfidence: 'high', violations: [] });
    // the sites below the grade stay in the report
    expect(byDefault.sites).toHaveLength(3);
    const medium = applyGates(report(mixed), { maxLevel: 2, budgets: [], baseline: undefined, minConfidence: 'medium' });
    expect(medium.gate?.violations.map((v) => [v.file, v.confidence])).toEqual([['src/a.ts', 'medium']]);
    const low = applyGates(report(mixed), { maxLevel: 2, budgets: [], baseline: undefined, minConfidence: 'low' });
    expect(low.gate?.violations.map((v) => v.file)).toEqual(['src/a.ts', 'src/b.ts']);
    // new medium and low sites are shown as new, but do not fail a baseline gate at the default grade
    const baseline = applyGates(report(mixed), { maxLevel: undefined, budgets: [], baseline: report([mixed[2]!]) });
    expect(baseline.gate).toMatchObject({ passed: true, baseline: { known: 1, new: 2 }, violations: [] });
    const lowBaseline = applyGates(report(mixed), { maxLevel: undefined, budgets: [], baseline: report([mixed[2]!]), minConfidence: 'low' });
    expect(lowBaseline.gate?.violations.map((v) => v.file)).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('fails when a file could not be parsed, since no budget can be checked there', () => {
    const gated = applyGates(report([], [{ file: 'x.ts', line: 1, column: 1, message: 'Parsing error' }]), { maxLevel: 5, budgets: [], baseline: undefined });
    expect(gated.gate).toMatchObject({ passed: false, uncheckedFiles: 1, violations: [] });
  });
});
