import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyGates } from './gate.js';
import { CONTENT_SECURITY_POLICY, MAX_HTML_ROWS, escapeHtml, renderHtml } from './render-html.js';
import { type ReportSite, normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';

const snapshot = (name: string): string => readFileSync(new URL(`__snapshots__/${name}`, import.meta.url), 'utf8');
const demo = parseReport(snapshot('demo-report.json'), 'demo-report.json');
const site = (overrides: Partial<ReportSite>): ReportSite => ({ ...demo.sites[0]!, ...overrides });

const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((match) => match[1]!);

describe('renderHtml', () => {
  const html = renderHtml(applyGates(demo, { maxLevel: 1, budgets: [], baseline: undefined }));

  it('is one self-contained page: it loads nothing, and its CSP allows only inline style and script', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/url\(|@import/);
    expect(matches(html, /<link [^>]*href="([^"]*)"/g)).toEqual(['data:,']);
    // The only URLs are links to rule docs, which load only when followed.
    for (const href of matches(html, /<a href="([^"]*)"/g)) expect(href).toMatch(/^https:\/\/github\.com\/.*\/docs\/rules\/[a-z-]+\.md$/);
    expect(matches(html, /(?:src|href)="(https?:[^"]*)"/g).length).toBe(matches(html, /<a href="(https?:[^"]*)"/g).length);
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('prints an error without a position as its file alone, never file:undefined:undefined', () => {
    const report = normalizeReport({ ...demo, errors: [{ file: 'src/deep.ts', line: null, column: null, message: 'Parsing error: Maximum call stack size exceeded' }] });
    const text = renderHtml(report);
    expect(text).toContain('<li><code>src/deep.ts</code> Parsing error: Maximum call stack size exceeded</li>');
    expect(text).not.toMatch(/undefined|null/);
  });

  it('says how many rows it shows', () => {
    expect(html).toContain('<p class="meta" id="rows-shown" data-rows="15" data-sites="15">All 15 sites.</p>');
  });

  it('caps a large report at the most expensive rows, with charts and totals of every site', () => {
    const sites = Array.from({ length: 35_000 }, (_, index) =>
      site({ file: `src/part${index % 20}/file${index}.ts`, line: 1 + (index % 500), level: index % 7 === 0 ? 'L3' : 'L1', fingerprint: `f${index}` }),
    );
    const big = renderHtml(normalizeReport({ ...demo, sites }));
    expect(MAX_HTML_ROWS).toBe(1000);
    expect(big.match(/<tr data-order=/g)).toHaveLength(MAX_HTML_ROWS);
    expect(big.length).toBeLessThan(3_000_000);
    expect(big).toContain(
      'Showing the 1,000 most expensive of 35,000 sites; sorting orders these rows. The charts and totals count all 35,000, and the JSON report (--format json) lists every one.',
    );
    // The rows kept are the dearest: every L3 site sorts before any L1 one, and there are 5,000 L3 sites.
    expect(matches(big, /<tr data-order="\d+" data-level="(\d)"/g).every((level) => level === '3')).toBe(true);
    const bars = (attribute: string): number =>
      [...big.matchAll(new RegExp(`<rect class="bar" ${attribute}="[^"]*"[^>]*></rect><text[^>]*>([\\d,]+)</text>`, 'g'))].reduce((sum, match) => sum + Number(match[1]!.replace(/,/g, '')), 0);
    expect(bars('data-level')).toBe(35_000);
    expect(bars('data-directory')).toBe(35_000);
    expect(big).toContain('<td>L3 consensus</td><td class="num">5,000</td>');
  });

  it('escapes every text from the report', () => {
    const evil = normalizeReport({
      ...demo,
      sites: [site({ file: 'src/"><img src=x onerror=alert(1)>.ts', message: 'locks </summary><script>alert(1)</script> & more', primitive: "it's <b>" })],
      notes: ['<script>alert(2)</script>'],
    });
    const page = renderHtml(evil);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('locks &#60;/summary&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; more');
    expect(page).toContain('data-file="src/&#34;&#62;&#60;img src=x onerror=alert(1)&#62;.ts"');
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&#60;a href=&#39;x&#39;&#62;&#34;&#38;&#34;&#60;/a&#62;');
  });

  it('charts one bar per level that has sites, and sites per directory below the shared prefix', () => {
    expect(matches(html, /<rect class="bar" data-level="(L\d)"/g)).toEqual(['L3', 'L2', 'L1', 'L0']);
    expect(matches(html, /<rect class="bar" data-directory="([^"]*)"/g)).toEqual([
      'fixtures/demo/src/inventory/',
      'fixtures/demo/src/bookings/',
      'fixtures/demo/src/events/',
      'fixtures/demo/src/legacy/',
      'fixtures/demo/src/jobs/',
    ]);
  });

  it('has a row per site, most expensive first, under headers that sort by price, level, file and rule', () => {
    expect(matches(html, /<tr data-order="\d+" data-level="\d" data-price="([-\d.]+)"/g).map(Number)).toEqual(
      [200060, 200060, 200060, 100020, 100020, 300060, 100060, 100040, 100020, 100020, 100020, -1, -1, -1, 0],
    );
    expect(matches(html, /<th [^>]*aria-sort="none"><button type="button" data-sort="(\w+)"/g)).toEqual(['level', 'price', 'rule', 'file']);
    expect(html).toContain('<p class="gate failed">Gate failed (max level L1): 5 sites over budget.</p>');
  });

  it('says so when there is nothing to show', () => {
    const empty = renderHtml(normalizeReport({ ...demo, files: ['a.ts'], sites: [] }));
    expect(empty).toContain('<p>No coordination sites in 1 file.</p>');
    expect(empty).not.toContain('<svg');
  });
});
