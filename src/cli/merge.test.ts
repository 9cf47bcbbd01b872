import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Report, type ReportData, type ReportSite, compareVersions, mergeReports, normalizeReport } from './report.js';
import { applyGates } from './gate.js';
import { ReportFormatError, parseReport } from './report-schema.js';

// Small pools, so generated shards overlap: the same file in two shards, the same place reported with
// different content (another cost model), the same note twice.
const file = fc.constantFrom('src/a.ts', 'src/b.ts', 'lib/c.js', 'd.cjs');
const level = fc.constantFrom('L0', 'L1', 'L2', 'L3', 'L4', 'L5') as fc.Arbitrary<ReportSite['level']>;

const price = fc.option(
  fc.record({
    per: fc.constantFrom('operation' as const, 'item' as const),
    participants: fc.constantFrom(3, 5),
    messages: fc.nat(20),
    roundTrips: fc.nat(4),
    latencyMs: fc.constantFrom(0, 100, 250.5),
    loop: fc.constantFrom(null, 'sequential' as const, 'parallel' as const, 'floating' as const),
    waitsFor: fc.oneof(fc.nat(5), fc.constantFrom('N' as const, 'k' as const)),
    slowCalls: fc.nat(5),
    slowProbability: fc.option(fc.constantFrom(0, 0.01, 0.0199), { nil: null }),
    serialises: fc.constantFrom(null, 'cluster' as const, 'process' as const),
    usdPerOperation: fc.constantFrom(0, 0.1, 0.20006, 1.5e-7),
    usdPerMillion: fc.constantFrom(0, 100_000, 200_060, 0.15),
    exact: fc.boolean(),
  }),
  { nil: null },
);

const site: fc.Arbitrary<ReportSite> = fc.record({
  file,
  line: fc.integer({ min: 1, max: 4 }),
  column: fc.integer({ min: 1, max: 2 }),
  endLine: fc.constant(4),
  endColumn: fc.constant(9),
  ruleId: fc.constantFrom('coordination/no-global-lock', 'coordination/no-sync-fan-out'),
  messageId: fc.constantFrom('globalLock', 'fanOutAwaitAll', null),
  severity: fc.constantFrom('error' as const, 'warning' as const),
  primitive: fc.constantFrom('lock on a constant key', 'fan-out, waits for all'),
  level,
  levelName: fc.constantFrom('consensus', 'quorum'),
  atLeast: fc.boolean(),
  price,
  typed: fc.boolean(),
  message: fc.constantFrom('m1', 'm2'),
  advice: fc.constantFrom(null, 'Fix it.'),
  suggestions: fc.array(fc.constantFrom('Use X.', 'Use Y.'), { maxLength: 2 }),
  confidence: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
  evidence: fc.array(fc.constantFrom('k = rows of an unlimited findMany()', 'in a @Cron job'), { maxLength: 2 }),
  fingerprint: fc.constantFrom('aaaa', 'bbbb', 'cccc'),
});

const model = fc.option(
  fc.record({
    participants: fc.constantFrom(3, 5),
    usdPer1000Messages: fc.constant(0.01),
    rttMs: fc.constantFrom(50, 100),
    usdPerSecondOfLatency: fc.constant(1),
    slowCallProbability: fc.constant(0.01),
  }),
  { nil: null },
);

/** A report as the CLI writes it: generated data in canonical form. */
const report: fc.Arbitrary<Report> = fc
  .record({
    tool: fc.record({ name: fc.constant('coordination-ladder' as const), version: fc.constantFrom('0.1.0', '0.2.0', '0.10.0', '1.0.0-rc.1') }),
    model,
    files: fc.array(file, { maxLength: 3 }),
    sites: fc.array(site, { maxLength: 6 }),
    // null: an error ESLint gave no position (a parser out of stack).
    errors: fc.array(fc.record({ file, line: fc.option(fc.nat(3), { nil: null }), column: fc.option(fc.nat(3), { nil: null }), message: fc.constantFrom('Parsing error: x', 'Parsing error: y') }), {
      maxLength: 2,
    }),
    notes: fc.array(fc.constantFrom('note a', 'note b'), { maxLength: 2 }),
  })
  .map((data: ReportData) => normalizeReport(data));

describe('mergeReports', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(report, report, (a, b) => {
        expect(mergeReports([a, b])).toEqual(mergeReports([b, a]));
      }),
      { numRuns: 300 },
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(report, report, report, (a, b, c) => {
        expect(mergeReports([mergeReports([a, b]), c])).toEqual(mergeReports([a, mergeReports([b, c])]));
        // …and merging all at once is the same as merging in steps.
        expect(mergeReports([a, b, c])).toEqual(mergeReports([mergeReports([a, b]), c]));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(report, report, (a, b) => {
        expect(mergeReports([a, a])).toEqual(a);
        const ab = mergeReports([a, b]);
        expect(mergeReports([ab, b])).toEqual(ab);
      }),
      { numRuns: 300 },
    );
  });

  it('writes reports that read back and validate', () => {
    fc.assert(
      fc.property(report, report, (a, b) => {
        const merged = mergeReports([a, b]);
        expect(parseReport(JSON.stringify(merged), 'merged.json')).toEqual(merged);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps one copy of a site two shards both report, and unions files', () => {
    const shared = fc.sample(site, { numRuns: 1, seed: 7 })[0]!;
    const a = normalizeReport({ tool: { name: 'coordination-ladder', version: '0.1.0' }, model: null, files: ['x.ts'], sites: [shared], errors: [], notes: [] });
    const b = normalizeReport({ ...a, files: ['y.ts'] });
    const merged = mergeReports([a, b]);
    expect(merged.sites).toHaveLength(1);
    expect(merged.files).toEqual([...new Set(['x.ts', 'y.ts', shared.file])].sort());
    expect(merged.totals.sites).toBe(1);
  });

  it('drops gate results and baseline marks: the merged report is gated again', () => {
    const [base] = fc.sample(report, { numRuns: 1, seed: 3 });
    const gated: Report = {
      ...base!,
      sites: base!.sites.map((s) => ({ ...s, baseline: 'new' as const })),
      gate: { maxLevel: 'L1', budgets: [], minConfidence: 'high', baseline: null, violations: [], uncheckedFiles: 0, passed: true },
    };
    const merged = mergeReports([gated]);
    expect(merged.gate).toBeUndefined();
    expect(merged.sites.every((s) => s.baseline === undefined)).toBe(true);
  });
});

describe('compareVersions', () => {
  it('orders by numeric parts, then text, totally', () => {
    expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-z.+-]{0,8}$/), fc.stringMatching(/^[0-9a-z.+-]{0,8}$/), fc.stringMatching(/^[0-9a-z.+-]{0,8}$/), (a, b, c) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseReport', () => {
  const valid = normalizeReport({ tool: { name: 'coordination-ladder', version: '0.1.0' }, model: null, files: [], sites: [], errors: [], notes: [] });

  it('reads a report and rejects what is not one, naming the file', () => {
    expect(parseReport(JSON.stringify(valid), 'r.json')).toEqual(valid);
    expect(() => parseReport('{', 'r.json')).toThrow(ReportFormatError);
    expect(() => parseReport('{"name":"pkg"}', 'package.json')).toThrow('package.json is not a coordination-ladder JSON report (no schemaVersion)');
    expect(() => parseReport(JSON.stringify({ ...valid, schemaVersion: 2 }), 'r.json')).toThrow('r.json has schemaVersion 2; this version reads 1');
    expect(() => parseReport(JSON.stringify({ ...valid, sites: [{ file: 'a.ts' }] }), 'r.json')).toThrow(/^r\.json: report\.sites\[0\]/);
  });

  it('reads an error without a position: null as written now, or left out as 0.1.0 wrote it', () => {
    const overflow = { file: 'src/deep.ts', message: 'Parsing error: Maximum call stack size exceeded' };
    const written = normalizeReport({ ...valid, files: ['src/deep.ts'], errors: [overflow as never] });
    expect(written.errors).toEqual([{ file: 'src/deep.ts', line: null, column: null, message: overflow.message }]);
    const text = JSON.stringify(written);
    expect(text).toContain('"line":null,"column":null');
    expect(parseReport(text, 'r.json')).toEqual(written);
    const old = JSON.stringify({ ...written, errors: [overflow] });
    // merge and --baseline read it and normalise it to null.
    expect(mergeReports([parseReport(old, 'old.json'), written])).toEqual(written);
    expect(applyGates(written, { maxLevel: undefined, budgets: [], baseline: parseReport(old, 'old.json') }).gate).toMatchObject({ uncheckedFiles: 1, passed: false });
    expect(() => parseReport(JSON.stringify({ ...written, errors: [{ ...overflow, line: 'x' }] }), 'r.json')).toThrow(/report\.errors\[0\]\.line/);
  });
});
