/**
 * The `html` format: one self-contained page to open from a CI artifact. Inline CSS, inline SVG charts
 * (sites per level, sites per directory) and a small inline script that sorts the table of sites. It
 * loads nothing: its Content-Security-Policy allows only the inline style and script, so a report that
 * is opened from an untrusted pull request cannot reach the network either. Every text from the report
 * is escaped.
 */
import { LADDER } from '../model/ladder.js';
import { formatNumber } from '../util/format-number.js';
import { formatMoney, gateVerdict, plural, shownSites, slowColumn } from './render-table.js';
import { type Report, type ReportSite, computeTotals, errorPlace, siteLevel } from './report.js';
import { ruleDoc } from './rule-docs.js';

/**
 * Rows of the table of sites at most: the most expensive ones. 35,000 rows made a 32 MB page that hung
 * on a header click; the charts and totals still count every site, and the page says how many rows it shows.
 */
export const MAX_HTML_ROWS = 1000;

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One colour per level, cheap to dear; the table's badges use the same. */
const LEVEL_COLORS = ['#2e7d32', '#00838f', '#b08800', '#8e24aa', '#d32f2f', '#7f0000'] as const;

const STYLE = `
:root { color-scheme: light; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; }
body { margin: 0 auto; padding: 24px; max-width: 1280px; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 28px 0 8px; font-size: 18px; }
.meta { margin: 4px 0; color: #59636e; }
.gate { display: inline-block; margin: 8px 0; padding: 4px 10px; border-radius: 6px; font-weight: 600; }
.gate.passed { background: #dafbe1; color: #116329; }
.gate.failed { background: #ffebe9; color: #a40e26; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; flex: 1 1 420px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font: 12px system-ui, sans-serif; fill: #1f2328; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid #d1d9e0; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: #0969da; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.rule { white-space: nowrap; }
.level { display: inline-block; min-width: 34px; padding: 1px 6px; border-radius: 10px; color: #fff; font-weight: 600; text-align: center; }
${LEVEL_COLORS.map((color, level) => `.level.l${level} { background: ${color}; }`).join('\n')}
details summary { cursor: pointer; }
details p { margin: 6px 0 0; max-width: 70ch; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
a { color: #0969da; }
`;

/**
 * Sorts the table when a header button is clicked: the first click sorts the column's natural way
 * (`data-first`: prices and levels dearest first, names A to Z), the next click reverses it. Ties keep
 * the report's order (`data-order`, most expensive first), so a sort is stable.
 */
const SCRIPT = `
(() => {
  const table = document.getElementById('sites');
  if (!table) return;
  const body = table.tBodies[0];
  const keys = {
    price: (row) => Number(row.dataset.price),
    level: (row) => Number(row.dataset.level),
    rule: (row) => row.dataset.rule,
    file: (row) => row.dataset.file,
  };
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  for (const button of table.querySelectorAll('th button[data-sort]')) {
    button.addEventListener('click', () => {
      const header = button.closest('th');
      const now = header.getAttribute('aria-sort');
      const direction = now === 'ascending' ? 'descending' : now === 'descending' ? 'ascending' : button.dataset.first;
      for (const other of table.querySelectorAll('th[aria-sort]')) other.setAttribute('aria-sort', 'none');
      header.setAttribute('aria-sort', direction);
      const sign = direction === 'ascending' ? 1 : -1;
      const key = keys[button.dataset.sort];
      const rows = [...body.rows].sort(
        (a, b) =>
          sign * compare(key(a), key(b)) ||
          (button.dataset.sort === 'file' ? sign * (Number(a.dataset.line) - Number(b.dataset.line)) : 0) ||
          Number(a.dataset.order) - Number(b.dataset.order),
      );
      body.append(...rows);
    });
  }
})();
`;

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
  /** Attributes that name the bar for tests and styles, already escaped. */
  readonly attributes: string;
}

const BAR_HEIGHT = 22;
const BAR_GAP = 8;
const LABEL_WIDTH = 230;
const CHART_WIDTH = 560;

/** A horizontal bar chart: one labelled bar per entry, lengths relative to the largest. */
function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  // Room after the longest bar for its count.
  const span = CHART_WIDTH - LABEL_WIDTH - 50;
  const height = bars.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
  const rows = bars.map((bar, index) => {
    const y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP);
    const width = Math.max(2, Math.round((bar.value / max) * span));
    // A long path keeps its end, the part that tells bars apart; the tooltip has all of it.
    const label = bar.label.length > 34 ? `…${bar.label.slice(-33)}` : bar.label;
    return [
      `<g>`,
      `<title>${escapeHtml(`${bar.label}: ${plural(bar.value, 'site')}`)}</title>`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>`,
      `<rect class="bar" ${bar.attributes} x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" rx="3" fill="${bar.color}"></rect>`,
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 15}">${formatNumber(bar.value)}</text>`,
      `</g>`,
    ].join('');
  });
  return `<svg id="${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}">${rows.join('\n')}</svg>`;
}

/** One bar per level that has sites, highest level first. */
function levelBars(shown: readonly ReportSite[]): Bar[] {
  return [...LADDER]
    .reverse()
    .map((rung) => ({ rung, value: shown.filter((site) => siteLevel(site) === rung.id).length }))
    .filter(({ value }) => value > 0)
    .map(({ rung, value }) => ({
      label: `${rung.code} ${rung.name}`,
      value,
      color: LEVEL_COLORS[rung.id],
      attributes: `data-level="${rung.code}"`,
    }));
}

/** The longest directory prefix every file shares (`fixtures/demo/src/`), or `''`. */
function commonDirectory(files: readonly string[]): string {
  const directories = files.map((file) => file.split('/').slice(0, -1));
  const first = directories[0] ?? [];
  let length = 0;
  while (length < first.length && directories.every((parts) => parts[length] === first[length])) length += 1;
  return first.slice(0, length).map((part) => `${part}/`).join('');
}

/**
 * Sites per top directory: the first directory below the prefix all sites share, so a repository whose
 * code all sits under `src/` still gets one bar per part of it. Largest first, at most 12 bars.
 */
function directoryBars(shown: readonly ReportSite[]): Bar[] {
  const prefix = commonDirectory(shown.map((site) => site.file));
  const counts = new Map<string, number>();
  for (const site of shown) {
    const rest = site.file.slice(prefix.length).split('/');
    const directory = rest.length > 1 ? `${prefix}${rest[0]}/` : prefix || './';
    counts.set(directory, (counts.get(directory) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = sorted.slice(0, 12);
  const others = sorted.slice(12).reduce((sum, [, count]) => sum + count, 0);
  if (others > 0) kept.push([`${sorted.length - 12} other directories`, others]);
  return kept.map(([label, value]) => ({ label, value, color: '#0969da', attributes: `data-directory="${escapeHtml(label)}"` }));
}

function levelBadge(site: ReportSite): string {
  return `<span class="level l${siteLevel(site)}">${site.atLeast ? '≥' : ''}${site.level}</span>`;
}

function ruleLink(ruleId: string): string {
  const doc = ruleDoc(ruleId);
  return doc ? `<a href="${escapeHtml(doc.url)}">${escapeHtml(doc.name)}</a>` : escapeHtml(ruleId);
}

function siteRow(site: ReportSite, order: number): string {
  const { price } = site;
  const figure = (value: number | undefined): string => (value === undefined ? '—' : formatNumber(value));
  const data = [
    `data-order="${order}"`,
    `data-level="${siteLevel(site)}"`,
    // An unpriced site (a level only) sorts below every priced one.
    `data-price="${price ? price.usdPerMillion : -1}"`,
    `data-rule="${escapeHtml(site.ruleId)}"`,
    `data-file="${escapeHtml(site.file)}"`,
    `data-line="${site.line}"`,
  ].join(' ');
  const cells = [
    `<td>${levelBadge(site)}</td>`,
    `<td class="confidence">${escapeHtml(site.confidence ?? 'high')}</td>`,
    `<td class="num">${price ? escapeHtml(formatMoney(price.usdPerMillion)) : '—'}</td>`,
    `<td>${price ? (price.per === 'item' ? 'item' : 'op') : '—'}</td>`,
    `<td class="num">${figure(price?.messages)}</td>`,
    `<td class="num">${figure(price?.roundTrips)}</td>`,
    `<td class="num">${figure(price?.latencyMs)}</td>`,
    `<td class="num">${escapeHtml(slowColumn(site))}</td>`,
    `<td class="rule">${ruleLink(site.ruleId)}</td>`,
    `<td><details><summary>${escapeHtml(site.primitive)}</summary><p>${escapeHtml(site.message)}</p>${(site.evidence ?? []).length > 0 ? `<ul class="evidence">${site.evidence.map((phrase) => `<li>${escapeHtml(phrase)}</li>`).join('')}</ul>` : ''}</details></td>`,
    `<td><code>${escapeHtml(`${site.file}:${site.line}:${site.column}`)}</code></td>`,
  ];
  return `<tr ${data}>${cells.join('')}</tr>`;
}

/** A sortable column: the row attribute it sorts by, and the direction of the first click. */
interface Sort {
  readonly key: 'level' | 'price' | 'rule' | 'file';
  readonly first: 'ascending' | 'descending';
}

function headerCell(title: string, numeric = false, sort?: Sort): string {
  const classes = numeric ? ' class="num"' : '';
  if (!sort) return `<th scope="col"${classes}>${escapeHtml(title)}</th>`;
  return `<th scope="col"${classes} aria-sort="none"><button type="button" data-sort="${sort.key}" data-first="${sort.first}">${escapeHtml(title)}</button></th>`;
}

/** How many rows the table shows, said above it. */
function rowsNote(shown: readonly ReportSite[], rows: number, baseline: boolean): string {
  const noun = baseline ? 'new site' : 'site';
  const text =
    rows === shown.length
      ? `${rows === 1 ? 'The one' : `All ${formatNumber(rows)}`} ${rows === 1 ? noun : `${noun}s`}.`
      : `Showing the ${formatNumber(rows)} most expensive of ${plural(shown.length, noun)}; sorting orders these rows. The charts and totals count all ${formatNumber(shown.length)}, and the JSON report (--format json) lists every one.`;
  return `<p class="meta" id="rows-shown" data-rows="${rows}" data-sites="${shown.length}">${escapeHtml(text)}</p>`;
}

function siteTable(shown: readonly ReportSite[], baseline: boolean): string {
  const rows = shown.slice(0, MAX_HTML_ROWS);
  const headers = [
    headerCell('Level', false, { key: 'level', first: 'descending' }),
    headerCell('Confidence'),
    headerCell('$ per 1M', true, { key: 'price', first: 'descending' }),
    headerCell('Per'),
    headerCell('Msgs', true),
    headerCell('RTTs', true),
    headerCell('ms', true),
    headerCell('Slow', true),
    headerCell('Rule', false, { key: 'rule', first: 'ascending' }),
    headerCell('Primitive and message'),
    headerCell('Site', false, { key: 'file', first: 'ascending' }),
  ];
  return [
    rowsNote(shown, rows.length, baseline),
    `<table id="sites">`,
    `<thead><tr>${headers.join('')}</tr></thead>`,
    `<tbody>`,
    ...rows.map((site, order) => siteRow(site, order)),
    `</tbody>`,
    `</table>`,
    `<p class="meta">≥ marks a lower bound (no backend profile settled the level). Per item: per item of a loop of unknown length k.</p>`,
  ].join('\n');
}

function totalsTable(shown: readonly ReportSite[]): string {
  const totals = computeTotals(0, shown, 0);
  const rows = [...totals.levels]
    .reverse()
    .filter((total) => total.sites > 0)
    .map(
      (total) =>
        `<tr><td>${escapeHtml(`${total.level} ${total.name}`)}</td><td class="num">${formatNumber(total.sites)}</td><td class="num">${formatNumber(total.atLeast)}</td><td class="num">${escapeHtml(formatMoney(total.usdPerMillionOperations))}</td><td class="num">${escapeHtml(formatMoney(total.usdPerMillionItems))}</td></tr>`,
    );
  const head = ['Level', 'Sites', 'At least', '$ per 1M ops', '$ per 1M items'].map((title, index) => headerCell(title, index > 0)).join('');
  return `<table id="totals"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summary(report: Report, shown: readonly ReportSite[]): string {
  const { model, gate } = report;
  const lines = [
    `<h1>Coordination report</h1>`,
    `<p class="meta">${escapeHtml(`${report.tool.name} ${report.tool.version}: ${plural(report.totals.files, 'file')}, ${plural(shown.length, gate?.baseline ? 'new site' : 'site')}`)}</p>`,
    `<p class="meta">${escapeHtml(
      model
        ? `Priced for N = ${model.participants} participants, RTT ${formatNumber(model.rttMs)} ms, ${formatMoney(model.usdPer1000Messages)} per 1,000 messages, ${formatMoney(model.usdPerSecondOfLatency)} per second of latency.`
        : 'Cost models differ between files: each site is priced under its own file’s settings.',
    )}</p>`,
  ];
  if (gate?.baseline) lines.push(`<p class="meta">${escapeHtml(`Baseline: ${plural(gate.baseline.known, 'known site')} not shown.`)}</p>`);
  if (gate) lines.push(`<p class="gate ${gate.passed ? 'passed' : 'failed'}">${escapeHtml(gateVerdict(gate))}</p>`);
  return `<header>${lines.join('\n')}</header>`;
}

function sitesSection(report: Report, shown: readonly ReportSite[]): string {
  if (shown.length === 0) {
    return `<p>${escapeHtml(report.gate?.baseline ? 'No new coordination sites.' : `No coordination sites in ${plural(report.totals.files, 'file')}.`)}</p>`;
  }
  return [
    `<section class="charts">`,
    `<figure><figcaption>Sites per level</figcaption>${barChart('chart-levels', 'Sites per level', levelBars(shown))}</figure>`,
    `<figure><figcaption>Sites per directory</figcaption>${barChart('chart-directories', 'Sites per directory', directoryBars(shown))}</figure>`,
    `</section>`,
    `<h2>Totals per level</h2>`,
    totalsTable(shown),
    `<h2>Sites, most expensive first</h2>`,
    siteTable(shown, Boolean(report.gate?.baseline)),
  ].join('\n');
}

function footnotes(report: Report): string {
  const parts: string[] = [];
  if (report.errors.length > 0) {
    const items = report.errors.map((error) => `<li><code>${escapeHtml(errorPlace(error))}</code> ${escapeHtml(error.message)}</li>`);
    parts.push(`<h2>Not checked: ESLint could not parse these files</h2>`, `<ul>${items.join('')}</ul>`);
  }
  if (report.notes.length > 0) parts.push(`<ul class="notes">${report.notes.map((note) => `<li>${escapeHtml(`Note: ${note}.`)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

/** Renders a report as one self-contained HTML page. The `data:` icon keeps browsers from asking for /favicon.ico. */
export function renderHtml(report: Report): string {
  const shown = shownSites(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Coordination report · ${report.tool.name} ${report.tool.version}`)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
${summary(report, shown)}
<main>
${sitesSection(report, shown)}
${footnotes(report)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
