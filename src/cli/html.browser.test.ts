/**
 * The HTML report in a real browser: the built CLI writes the demo's page, headless Chromium (Debian's
 * /usr/bin/chromium, no browser download) opens it from disk, and the test checks that it loads nothing,
 * logs no error, draws its chart and sorts its table. It saves the screenshot docs/report.md shows.
 * Run by `npm run test:browser`; the default `vitest run` leaves it out.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HTML_ROWS } from './render-html.js';
import { normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The demo's JSON report as the e2e test recorded it from the same CLI: the levels the chart must show.
const demo = parseReport(readFileSync(new URL('__snapshots__/demo-report.json', import.meta.url), 'utf8'), 'demo-report.json');

/** Sites in the large report: as many as the page that was 32 MB and hung on a header click. */
const LARGE = 35_000;

let work: string;
let url: string;
let largeUrl: string;
let largeBytes: number;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'coordination-ladder-html-'));
  const file = join(work, 'report.html');
  const cli = ['dist/src/cli/main.js', 'fixtures/demo', '--config', 'fixtures/demo/eslint.config.js', '--format', 'html', '-o', file];
  await promisify(execFile)(process.execPath, cli, { cwd: repo });
  url = pathToFileURL(file).href;
  // The large page through the CLI too: `merge` renders a JSON report of 35,000 sites as HTML.
  const sites = Array.from({ length: LARGE }, (_, index) => ({
    ...demo.sites[index % demo.sites.length]!,
    file: `src/part${index % 20}/file${index}.ts`,
    line: 1 + (index % 400),
    fingerprint: `large${index}`,
  }));
  await writeFile(join(work, 'large.json'), JSON.stringify(normalizeReport({ ...demo, sites })));
  const largeFile = join(work, 'large.html');
  await promisify(execFile)(process.execPath, ['dist/src/cli/main.js', 'merge', join(work, 'large.json'), '--format', 'html', '-o', largeFile], { cwd: repo });
  largeBytes = statSync(largeFile).size;
  largeUrl = pathToFileURL(largeFile).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const prices = (): Promise<number[]> => page.$$eval('#sites tbody tr', (rows) => rows.map((row) => Number(row.getAttribute('data-price'))));
const priceSort = (): Promise<string | null> => page.getAttribute('th:has(button[data-sort="price"])', 'aria-sort');

describe('the HTML report in Chromium', () => {
  it('loads with no console error and no request but the file itself', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('draws one bar per level that has sites', async () => {
    const present = demo.totals.levels.filter((total) => total.sites > 0).map((total) => total.level).reverse();
    expect(await page.$$eval('#chart-levels rect.bar', (bars) => bars.map((bar) => bar.getAttribute('data-level')))).toEqual(present);
    expect(await page.locator('#sites tbody tr').count()).toBe(demo.sites.length);
  });

  it('sorts the sites by price when the price header is clicked: dearest first, then cheapest first', async () => {
    const before = await prices();
    const descending = [...before].sort((a, b) => b - a);
    // The report's order puts levels first, so an L1 fan-out ($300,060) sits below the L3 locks.
    expect(before).not.toEqual(descending);

    await page.click('button[data-sort="price"]');
    expect(await prices()).toEqual(descending);
    expect(await priceSort()).toBe('descending');

    await page.click('button[data-sort="price"]');
    expect(await prices()).toEqual([...descending].reverse());
    expect(await priceSort()).toBe('ascending');
    expect(errors).toEqual([]);
  });

  it(`shows the ${MAX_HTML_ROWS.toLocaleString('en-US')} dearest rows of ${LARGE.toLocaleString('en-US')} sites, charts every site, and sorts at once`, async () => {
    expect(largeBytes).toBeLessThan(3 * 1024 * 1024);
    const large = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const largeErrors: string[] = [];
    large.on('pageerror', (error) => largeErrors.push(error.message));
    await large.goto(largeUrl, { waitUntil: 'load' });
    expect(await large.locator('#sites tbody tr').count()).toBe(MAX_HTML_ROWS);
    expect(await large.textContent('#rows-shown')).toContain('Showing the 1,000 most expensive of 35,000 sites');
    const charted = await large.$$eval('#chart-levels g text:last-of-type', (labels) => labels.map((label) => Number(label.textContent!.replace(/,/g, ''))));
    expect(charted.reduce((sum, count) => sum + count, 0)).toBe(LARGE);
    const started = Date.now();
    await large.click('button[data-sort="price"]');
    expect(await large.getAttribute('th:has(button[data-sort="price"])', 'aria-sort')).toBe('descending');
    expect(Date.now() - started).toBeLessThan(5000);
    const sorted = await large.$$eval('#sites tbody tr', (rows) => rows.map((row) => Number(row.getAttribute('data-price'))));
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    expect(largeErrors).toEqual([]);
    await large.close();
  });

  it('saves the screenshot for docs/report.md', async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: join(repo, 'docs/images/report-html.png'), fullPage: true });
    expect(requests.every((request) => request === url)).toBe(true);
  });
});
