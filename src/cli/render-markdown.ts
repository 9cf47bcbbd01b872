/**
 * The `markdown` format: a pull-request comment. The gate's verdict with the sites over budget, a summary
 * per ladder level, the most expensive sites with links to their lines and to the rules' docs, and what
 * was not checked.
 * GitHub-flavoured Markdown; every text from the report is escaped, so a file name or message cannot
 * break a table or start a link.
 */
import { formatNumber } from '../util/format-number.js';
import { formatMoney, gateVerdict, plural, shownSites } from './render-table.js';
import { type GateResult, type Report, type ReportSite, computeTotals, errorPlace } from './report.js';
import { ruleDoc } from './rule-docs.js';

export interface MarkdownOptions {
  /** Prefix of file links (`https://github.com/o/r/blob/<sha>/`); relative links without it. */
  readonly linkBase: string | undefined;
  /** Sites listed before "and N more" (default {@link DEFAULT_LIMIT}). */
  readonly limit?: number;
}

/** The first line: a hidden marker by which a workflow can find and update its earlier comment. */
export const MARKDOWN_MARKER = '<!-- coordination-ladder report -->';

/** A comment stays readable, and far below GitHub's 65,536 characters, with this many site rows. */
export const DEFAULT_LIMIT = 20;

/**
 * The blob URL of the commit under test in GitHub Actions (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
 * `GITHUB_SHA`), so links work from a comment; `undefined` elsewhere. Report paths are relative to the
 * working directory, so the links are right when the CLI runs at the repository root.
 */
export function linkBaseFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const sha = env['GITHUB_SHA'];
  return server && repository && sha ? `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}/` : undefined;
}

/**
 * Text as literal Markdown: the ASCII punctuation that can start markup mid-line is backslash-escaped (`|`
 * would end a table cell, a backtick start code, `$` start math on GitHub, `<` start HTML, `&` an
 * entity), and so is a `#`, `+`, `-` or `=` that begins the text (a heading or a list). A line break,
 * which would end a table row, becomes a space.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~$&]/g, '\\$&')
    .replace(/^[#+=-]/, '\\$&');
}

/** A link target: each path segment percent-encoded, parentheses too, so nothing in a name can end it. */
function linkTarget(base: string, file: string, line: number): string {
  const path = file
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return `${base}${path}#L${line}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function header(report: Report, shown: readonly ReportSite[], options: MarkdownOptions): string[] {
  const what = plural(shown.length, report.gate?.baseline ? 'new site' : 'site');
  const lines = [MARKDOWN_MARKER, '## Coordination report', '', `**${what}** in ${plural(report.totals.files, 'file')}.`];
  const { model } = report;
  lines.push(
    '',
    model
      ? escapeMarkdown(
          `Priced for N = ${model.participants} participants, RTT ${formatNumber(model.rttMs)} ms, ${formatMoney(model.usdPer1000Messages)} per 1,000 messages, ${formatMoney(model.usdPerSecondOfLatency)} per second of latency.`,
        )
      : 'Cost models differ between files: each site is priced under its own file’s settings.',
  );
  if (report.gate?.baseline) lines.push('', `Baseline: ${plural(report.gate.baseline.known, 'known site')} not shown.`);
  if (report.gate) lines.push('', `${report.gate.passed ? '✅' : '❌'} **${escapeMarkdown(gateVerdict(report.gate))}**`, ...violations(report.gate, options));
  return lines;
}

/** The sites over budget, linked, under the verdict: what a reviewer has to look at. */
function violations(gate: GateResult, options: MarkdownOptions): string[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const lines = gate.violations.slice(0, limit).map((violation) => {
    const why = violation.allowed ? `${violation.level} above ${violation.allowed}` : `${violation.level}, new`;
    const where = `[${escapeMarkdown(`${violation.file}:${violation.line}`)}](${linkTarget(options.linkBase ?? '', violation.file, violation.line)})`;
    return `- ${where} ${escapeMarkdown(why)} (${ruleCell(violation.ruleId)})`;
  });
  if (gate.violations.length > limit) lines.push(`- …and ${plural(gate.violations.length - limit, 'more')}`);
  return lines.length > 0 ? ['', ...lines] : [];
}

/** One row per level that has sites, highest first, then the sum. */
function levelTable(shown: readonly ReportSite[]): string[] {
  const totals = computeTotals(0, shown, 0);
  const levels = [...totals.levels].reverse().filter((total) => total.sites > 0);
  const sum = (pick: (total: (typeof levels)[number]) => number): number => levels.reduce((acc, total) => acc + pick(total), 0);
  const money = (value: number): string => escapeMarkdown(formatMoney(value));
  return [
    '### Sites per level',
    '',
    row(['Level', 'Name', 'Sites', 'At least', '$ per 1M ops', '$ per 1M items'].map(escapeMarkdown)),
    row([':--', ':--', '--:', '--:', '--:', '--:']),
    ...levels.map((total) =>
      row([total.level, escapeMarkdown(total.name), formatNumber(total.sites), formatNumber(total.atLeast), money(total.usdPerMillionOperations), money(total.usdPerMillionItems)]),
    ),
    row([
      '**all**',
      '',
      `**${formatNumber(totals.sites)}**`,
      `**${formatNumber(sum((total) => total.atLeast))}**`,
      `**${money(sum((total) => total.usdPerMillionOperations))}**`,
      `**${money(sum((total) => total.usdPerMillionItems))}**`,
    ]),
  ];
}

function ruleCell(ruleId: string): string {
  const doc = ruleDoc(ruleId);
  return doc ? `[${escapeMarkdown(doc.name)}](${doc.url})` : escapeMarkdown(ruleId);
}

function siteCells(site: ReportSite, linkBase: string): string[] {
  const { price } = site;
  return [
    escapeMarkdown(site.atLeast ? `≥${site.level}` : site.level),
    escapeMarkdown(site.confidence ?? 'high'),
    price ? escapeMarkdown(formatMoney(price.usdPerMillion)) : '—',
    price ? (price.per === 'item' ? 'item' : 'op') : '—',
    price ? formatNumber(price.messages) : '—',
    ruleCell(site.ruleId),
    escapeMarkdown((site.evidence ?? []).length > 0 ? `${site.primitive} (${site.evidence.join('; ')})` : site.primitive),
    `[${escapeMarkdown(`${site.file}:${site.line}`)}](${linkTarget(linkBase, site.file, site.line)})`,
  ];
}

function siteTable(shown: readonly ReportSite[], options: MarkdownOptions): string[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const lines = [
    '### Most expensive sites',
    '',
    row(['Level', 'Confidence', '$ per 1M', 'Per', 'Messages', 'Rule', 'Primitive (evidence)', 'Site'].map(escapeMarkdown)),
    row([':--', ':--', '--:', ':--', '--:', ':--', ':--', ':--']),
    ...shown.slice(0, limit).map((site) => row(siteCells(site, options.linkBase ?? ''))),
  ];
  if (shown.length > limit) lines.push('', `…and ${plural(shown.length - limit, 'more site')}.`);
  lines.push('', '_≥ marks a lower bound (no backend profile settled the level). Per item: per item of a loop of unknown length k._');
  return lines;
}

function unchecked(report: Report): string[] {
  if (report.errors.length === 0) return [];
  return [
    '### Not checked: ESLint could not parse these files',
    '',
    ...report.errors.map((error) => `- ${escapeMarkdown(`${errorPlace(error)} ${error.message}`)}`),
  ];
}

/** Renders a report as a Markdown pull-request comment. */
export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const shown = shownSites(report);
  const sections = [header(report, shown, options)];
  if (shown.length > 0) sections.push(levelTable(shown), siteTable(shown, options));
  sections.push(unchecked(report), report.notes.map((note) => `Note: ${escapeMarkdown(note)}.`));
  sections.push([`<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version}`)}</sub>`]);
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
