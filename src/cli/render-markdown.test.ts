import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyGates } from './gate.js';
import { escapeMarkdown, linkBaseFromEnv, renderMarkdown } from './render-markdown.js';
import { type ReportSite, normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';

const snapshot = (name: string): string => readFileSync(new URL(`__snapshots__/${name}`, import.meta.url), 'utf8');
const demo = parseReport(snapshot('demo-report.json'), 'demo-report.json');
const site = (overrides: Partial<ReportSite>): ReportSite => ({ ...demo.sites[0]!, ...overrides });

/** The cells of a table row, split at the pipes Markdown sees (not the escaped ones). */
const cells = (line: string): string[] => line.split(/(?<!\\)\|/).slice(1, -1);

describe('renderMarkdown', () => {
  it('renders the demo as a pull-request comment', async () => {
    const gated = applyGates(demo, { maxLevel: 1, budgets: [], baseline: undefined });
    await expect(renderMarkdown(gated, { linkBase: undefined })).toMatchFileSnapshot('./__snapshots__/demo-report.md');
  });

  it('prints an error without a position as its file alone, never file:undefined:undefined', () => {
    const report = normalizeReport({ ...demo, errors: [{ file: 'src/deep.ts', line: null, column: null, message: 'Parsing error: Maximum call stack size exceeded' }] });
    const text = renderMarkdown(report, { linkBase: undefined });
    expect(text).toContain('- src/deep.ts Parsing error: Maximum call stack size exceeded');
    expect(text).not.toMatch(/undefined|null/);
  });

  it('links files to the commit when GitHub Actions names it, else relatively', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123' };
    const base = linkBaseFromEnv(env);
    expect(base).toBe('https://github.com/acme/shop/blob/abc123/');
    expect(linkBaseFromEnv({ ...env, GITHUB_SHA: '' })).toBeUndefined();
    expect(renderMarkdown(demo, { linkBase: base })).toContain(
      '[fixtures/demo/src/bookings/booking-service.ts:42](https://github.com/acme/shop/blob/abc123/fixtures/demo/src/bookings/booking-service.ts#L42)',
    );
    expect(renderMarkdown(demo, { linkBase: undefined })).toContain('(fixtures/demo/src/bookings/booking-service.ts#L42)');
  });

  it('escapes pipes, backticks and markup in cells, so a row keeps its columns', () => {
    const report = normalizeReport({ ...demo, sites: [site({ file: 'src/a|b `x` (1).ts', primitive: 'lock | on `key` <b>$1</b> *x*' })] });
    const row = renderMarkdown(report, { linkBase: undefined })
      .split('\n')
      .find((line) => line.includes('src/a'))!;
    expect(cells(row)).toHaveLength(8);
    expect(row).toContain('| lock \\| on \\`key\\` \\<b\\>\\$1\\</b\\> \\*x\\* |');
    expect(row).toContain('[src/a\\|b \\`x\\` (1).ts:42](src/a%7Cb%20%60x%60%20%281%29.ts#L42)');
    expect(escapeMarkdown('# two\nlines')).toBe('\\# two lines');
  });

  it('lists the most expensive sites first, up to the limit, then says how many more', () => {
    const text = renderMarkdown(demo, { linkBase: undefined, limit: 5 });
    const rows = text.split('\n').filter((line) => line.includes('#L'));
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^\| L3 \| high \| \\\$200,060 \|/);
    expect(text).toContain('…and 10 more sites.');
  });

  it('shows only new sites against a baseline, and says when there is nothing to show', () => {
    const gated = applyGates(demo, { maxLevel: undefined, budgets: [], baseline: normalizeReport({ ...demo, sites: demo.sites.slice(1) }) });
    const text = renderMarkdown(gated, { linkBase: undefined });
    expect(text).toContain('**1 new site** in 10 files.');
    expect(text).toContain('Baseline: 14 known sites not shown.');
    expect(text).toContain('❌ **Gate failed (no new sites): 1 new site over budget.**');
    const empty = renderMarkdown(normalizeReport({ ...demo, files: ['a.ts'], sites: [] }), { linkBase: undefined });
    expect(empty).toContain('**0 sites** in 1 file.');
    expect(empty).not.toContain('### ');
  });
});
