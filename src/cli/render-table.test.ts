import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyGates } from './gate.js';
import { formatMoney, renderTable } from './render-table.js';
import { normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';

// The demo's report and table as the e2e test (cli.e2e.test.ts) recorded them from the built CLI.
const snapshot = (name: string): string => readFileSync(new URL(`__snapshots__/${name}`, import.meta.url), 'utf8');

describe('renderTable', () => {
  const report = parseReport(snapshot('demo-report.json'), 'demo-report.json');
  const gated = applyGates(report, { maxLevel: 1, budgets: [], baseline: undefined });

  it('is a function of the JSON report: the table of the read-back report is the CLI table', () => {
    expect(renderTable(gated, { color: false })).toBe(snapshot('demo-table.txt'));
  });

  it('colours levels and the verdict only when asked, without moving a column', () => {
    const coloured = renderTable(gated, { color: true });
    expect(coloured).toContain('\u001B[35mL3');
    expect(coloured).toContain('\u001B[31mGate failed');
    expect(coloured.replace(/\u001B\[\d+m/g, '')).toBe(renderTable(gated, { color: false }));
  });

  it('prints an error without a position as its file alone, never file:undefined:undefined', () => {
    const broken = normalizeReport({ ...report, errors: [{ file: 'src/deep.ts', line: null, column: null, message: 'Parsing error: Maximum call stack size exceeded' }] });
    const text = renderTable(broken, { color: false });
    expect(text).toContain('  src/deep.ts  Parsing error: Maximum call stack size exceeded');
    expect(text).not.toMatch(/undefined|null/);
  });

  it('says how the files with sites were analysed: none, some or all of them with types', () => {
    const files = [...new Set(report.sites.map((site) => site.file))];
    expect(files.length).toBeGreaterThan(1);
    const typedIn = (typed: ReadonlySet<string>): string =>
      renderTable(normalizeReport({ ...report, sites: report.sites.map((site) => ({ ...site, typed: typed.has(site.file) })) }), { color: false });
    expect(typedIn(new Set())).toContain('Analysis: syntactic (no type information)');
    expect(typedIn(new Set(files.slice(0, 1)))).toContain(`Analysis: typed in 1 of ${files.length} files with sites, syntactic elsewhere`);
    // Every file typed: nothing is syntactic, so the header must not say "elsewhere".
    const all = typedIn(new Set(files));
    expect(all).toContain(`Analysis: typed (type information in all ${files.length} files with sites)`);
    expect(all).not.toContain('syntactic');
    const one = normalizeReport({ ...report, sites: report.sites.filter((site) => site.file === files[0]).map((site) => ({ ...site, typed: true })) });
    expect(renderTable(one, { color: false })).toContain('Analysis: typed (type information in the file with sites)');
  });

  it('says so when there is nothing to show', () => {
    const empty = normalizeReport({ ...report, files: ['a.ts'], sites: [] });
    expect(renderTable(empty, { color: false })).toContain('No coordination sites in 1 file.');
    expect(renderTable({ ...empty, model: null }, { color: false })).toContain('Cost models differ between files');
  });
});

describe('formatMoney', () => {
  it('prints whole dollars from $100 and significant digits below a cent', () => {
    expect(formatMoney(200_060)).toBe('$200,060');
    expect(formatMoney(12.5)).toBe('$12.50');
    expect(formatMoney(0.00015)).toBe('$0.00015');
    expect(formatMoney(0)).toBe('$0');
  });
});
