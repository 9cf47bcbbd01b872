import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { applyGates } from './gate.js';
import { FINGERPRINT_KEY, MAX_RESULTS_PER_RUN, type SarifLog, renderSarif } from './render-sarif.js';
import { type Report, type ReportSite, normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';
import { RULE_DOCS } from './rule-docs.js';

const require = createRequire(import.meta.url);
const snapshot = (name: string): string => readFileSync(new URL(`__snapshots__/${name}`, import.meta.url), 'utf8');

// The OASIS schema (via @microsoft/jest-sarif) is draft-04, which ajv 6 reads with its draft-04 meta-schema.
const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
const validateSarif = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object);

function schemaErrors(log: SarifLog): string[] {
  return validateSarif(JSON.parse(JSON.stringify(log))) ? [] : validateSarif.errors!.map((error) => `${error.dataPath} ${error.message ?? ''}`);
}

const cwd = '/home/ci/repo';
const demo = parseReport(snapshot('demo-report.json'), 'demo-report.json');
const site = (overrides: Partial<ReportSite>): ReportSite => ({ ...demo.sites[0]!, ...overrides });

describe('renderSarif', () => {
  const log = renderSarif(demo, { cwd });
  const run = log.runs[0]!;

  it('is valid SARIF 2.1.0 (the OASIS JSON schema)', () => {
    expect(schemaErrors(log)).toEqual([]);
    // The validator is live: a wrong version or a result without a message fails it.
    expect(schemaErrors({ ...log, version: '2.0.0' } as unknown as SarifLog)).not.toEqual([]);
    const unsaid = { ...run, results: [{ ...run.results[0]!, message: {} }] };
    expect(schemaErrors({ ...log, runs: [unsaid] } as unknown as SarifLog)).not.toEqual([]);
  });

  // What GitHub code scanning requires of an uploaded file ("SARIF support for code scanning") and the
  // hard limits it rejects a file over ("SARIF results exceed one or more limits").
  it('has every property GitHub code scanning requires, within its limits', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/^https:\/\/.*sarif-2\.1\.0\.json$/);
    expect(log.runs.length).toBeGreaterThan(0);
    expect(log.runs.length).toBeLessThanOrEqual(20);
    expect(run.tool.driver.name).toBe('coordination-ladder');
    expect(run.tool.driver.rules.length).toBeLessThanOrEqual(25_000);
    for (const rule of run.tool.driver.rules) {
      expect(rule.id).toMatch(/^coordination\//);
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
    }
    expect(run.results.length).toBe(demo.sites.length);
    expect(run.results.length).toBeLessThanOrEqual(25_000);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.message.text).not.toBe('');
      expect(result.locations.length).toBeGreaterThan(0);
      expect(result.locations.length).toBeLessThanOrEqual(1000);
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      expect(artifactLocation.uri).toMatch(/^[^/:]+\//);
      expect(region!.startLine).toBeGreaterThanOrEqual(1);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('describes each rule from its meta.docs', () => {
    const lock = run.tool.driver.rules.find((rule) => rule.id === 'coordination/no-global-lock')!;
    const docs = RULE_DOCS.find((rule) => rule.id === lock.id)!;
    expect(lock).toMatchObject({
      name: 'no-global-lock',
      helpUri: docs.url,
      shortDescription: { text: docs.description },
      fullDescription: { text: docs.description },
      defaultConfiguration: { level: 'error' },
    });
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(RULE_DOCS.map((rule) => rule.id));
  });

  it('places a site with 1-based columns relative to %SRCROOT% and carries its price', () => {
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/ci/repo/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results[0]).toEqual({
      ruleId: 'coordination/no-global-lock',
      ruleIndex: 1,
      level: 'error',
      message: { text: demo.sites[0]!.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'fixtures/demo/src/bookings/booking-service.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 42, startColumn: 24, endLine: 42, endColumn: 64 },
          },
        },
      ],
      partialFingerprints: { 'coordinationSite/v1': '5bf4d0fbae5695eb' },
      // the grade as SARIF's rank, and the judgement beside the ladder level
      rank: 90,
      properties: {
        confidence: 'high',
        evidence: demo.sites[0]!.evidence,
        ladderLevel: 'L3',
        ladderLevelName: 'consensus',
        atLeast: false,
        primitive: 'lock on a constant key',
        price: demo.sites[0]!.price,
        typed: false,
      },
    });
  });

  it('percent-encodes paths and keeps sites of rules this version does not have', () => {
    const report = normalizeReport({ ...demo, sites: [site({ file: 'src/my file#1.ts', ruleId: 'coordination/retired-rule' })] });
    const sarif = renderSarif(report, { cwd: '/' });
    const only = sarif.runs[0]!.results[0]!;
    expect(only.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/my%20file%231.ts');
    expect(sarif.runs[0]!.tool.driver.rules[only.ruleIndex]).toMatchObject({ id: 'coordination/retired-rule', name: 'retired-rule' });
    expect(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///');
    expect(schemaErrors(sarif)).toEqual([]);
  });

  it('marks baseline states, and reports unparsed files and notes as notifications', () => {
    const baseline: Report = normalizeReport({ ...demo, sites: demo.sites.slice(1) });
    const gated = applyGates({ ...demo, errors: [{ file: 'src/broken.ts', line: 3, column: 7, message: 'Parsing error: oops' }], notes: ['a note'] }, {
      maxLevel: undefined,
      budgets: [],
      baseline,
    });
    const sarif = renderSarif(gated, { cwd });
    const states = sarif.runs[0]!.results.map((result) => result.baselineState);
    expect(states.filter((state) => state === 'new')).toHaveLength(1);
    expect(states.filter((state) => state === 'unchanged')).toHaveLength(demo.sites.length - 1);
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'Not checked: Parsing error: oops' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 7 } } }],
      },
      { level: 'note', message: { text: 'a note' } },
    ]);
    expect(schemaErrors(sarif)).toEqual([]);
  });

  it('reports an error without a position at the whole file, and stays valid SARIF', () => {
    const report = normalizeReport({ ...demo, errors: [{ file: 'src/deep.ts', line: null, column: null, message: 'Parsing error: Maximum call stack size exceeded' }] });
    const sarif = renderSarif(report, { cwd });
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]).toEqual({
      level: 'error',
      message: { text: 'Not checked: Parsing error: Maximum call stack size exceeded' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/deep.ts', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(schemaErrors(sarif)).toEqual([]);
    // The validator sees the difference: the old output (startLine null) fails it.
    const old = JSON.parse(JSON.stringify(sarif).replace('"uriBaseId":"%SRCROOT%"}}', '"uriBaseId":"%SRCROOT%"},"region":{"startLine":null}}')) as SarifLog;
    expect(schemaErrors(old)).not.toEqual([]);
  });

  it('keeps the most expensive sites when there are more than code scanning takes in one run', () => {
    const cheap = site({ file: 'src/cheap.ts', level: 'L0', price: { ...demo.sites[0]!.price!, usdPerMillion: 0 } });
    const sites = Array.from({ length: MAX_RESULTS_PER_RUN }, (_, line) => site({ line: line + 1, endLine: line + 1 }));
    const sarif = renderSarif({ ...demo, sites: [cheap, ...sites] }, { cwd });
    const { results, invocations } = sarif.runs[0]!;
    expect(results).toHaveLength(MAX_RESULTS_PER_RUN);
    expect(results.some((result) => result.locations[0]!.physicalLocation.artifactLocation.uri === 'src/cheap.ts')).toBe(false);
    expect(invocations[0]!.toolExecutionNotifications.at(-1)).toEqual({
      level: 'warning',
      message: { text: '1 site left out, the cheapest: code scanning takes at most 25,000 results per run' },
    });
  });
});
