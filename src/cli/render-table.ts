/**
 * The `table` format: every site on the ladder, most expensive first, then totals per level, files that
 * could not be parsed, notes and the gate. Colour only when asked (the CLI asks on a terminal).
 */
import { formatPercent, formatUsd } from '../model/cost.js';
import { LADDER } from '../model/ladder.js';
import { formatNumber } from '../util/format-number.js';
import { type GateResult, type Report, type ReportSite, computeTotals, errorPlace, siteLevel } from './report.js';

export interface TableOptions {
  readonly color: boolean;
}

/** Whole dollars from $100 up (`$200,000`), cents or significant digits below. */
export function formatMoney(value: number): string {
  return value >= 100 ? `$${formatNumber(Math.round(value))}` : formatUsd(value);
}

type Paint = (style: Style, text: string) => string;
type Style = 'bold' | 'dim' | 'red' | 'green' | `level${number}`;

const STYLES: Record<string, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  level0: [32, 39],
  level1: [36, 39],
  level2: [33, 39],
  level3: [35, 39],
  level4: [31, 39],
  level5: [91, 39],
};

function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = STYLES[style] ?? [0, 0];
    return `\u001B[${open}m${text}\u001B[${close}m`;
  };
}

/** The order people read: highest level first, then the highest price, then place. */
export function compareByCost(a: ReportSite, b: ReportSite): number {
  return (
    siteLevel(b) - siteLevel(a) ||
    (b.price?.usdPerMillion ?? -1) - (a.price?.usdPerMillion ?? -1) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** The SLOW column: the share of operations that are slow, and how many calls they wait for. */
export function slowColumn(site: ReportSite): string {
  const { price } = site;
  if (!price || price.waitsFor === 0 || price.slowProbability === null) {
    return price?.waitsFor === 'k' ? 'k calls' : '—';
  }
  const share = formatPercent(price.slowProbability);
  if (price.waitsFor === 'N') return `${share} of N=${price.slowCalls}`;
  return price.slowCalls > 1 ? `${share} of ${price.slowCalls}` : share;
}

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly cell: (site: ReportSite) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'LEVEL', align: 'left', cell: (site) => (site.atLeast ? `≥${site.level}` : site.level) },
  { title: 'CONF', align: 'left', cell: (site) => site.confidence ?? 'high' },
  { title: '$ PER 1M', align: 'right', cell: (site) => (site.price ? formatMoney(site.price.usdPerMillion) : '—') },
  { title: 'PER', align: 'left', cell: (site) => (site.price ? (site.price.per === 'item' ? 'item' : 'op') : '—') },
  { title: 'MSGS', align: 'right', cell: (site) => (site.price ? formatNumber(site.price.messages) : '—') },
  { title: 'RTTS', align: 'right', cell: (site) => (site.price ? formatNumber(site.price.roundTrips) : '—') },
  { title: 'MS', align: 'right', cell: (site) => (site.price ? formatNumber(site.price.latencyMs) : '—') },
  { title: 'SLOW', align: 'right', cell: slowColumn },
  { title: 'RULE', align: 'left', cell: (site) => site.ruleId.replace(/^coordination\//, '') },
  { title: 'PRIMITIVE', align: 'left', cell: (site) => site.primitive },
  { title: 'SITE', align: 'left', cell: (site) => `${site.file}:${site.line}` },
];

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'left' ? text + fill : fill + text;
}

export function plural(count: number, word: string): string {
  return `${formatNumber(count)} ${word}${count === 1 ? '' : 's'}`;
}

function header(report: Report, shown: readonly ReportSite[], paint: Paint): string[] {
  const lines = [
    paint(
      'bold',
      `${report.tool.name} ${report.tool.version}: ${plural(report.totals.files, 'file')}, ${plural(shown.length, report.gate?.baseline ? 'new site' : 'site')}`,
    ),
  ];
  const { model } = report;
  lines.push(
    model
      ? `N = ${model.participants} participants · RTT ${formatNumber(model.rttMs)} ms · ${formatUsd(model.usdPer1000Messages)} per 1,000 messages · ${formatUsd(
          model.usdPerSecondOfLatency,
        )} per second of latency · ${formatPercent(model.slowCallProbability)} of calls slow`
      : 'Cost models differ between files: each site is priced under its own file\'s settings (see --format json).',
  );
  const typed = new Set(report.sites.filter((site) => site.typed).map((site) => site.file)).size;
  const withSites = new Set(report.sites.map((site) => site.file)).size;
  if (withSites > 0) {
    lines.push(
      typed === 0
        ? 'Analysis: syntactic (no type information)'
        : typed === withSites
          ? `Analysis: typed (type information in ${withSites === 1 ? 'the file' : `all ${withSites} files`} with sites)`
          : `Analysis: typed in ${typed} of ${plural(withSites, 'file')} with sites, syntactic elsewhere`,
    );
  }
  if (report.gate?.baseline) {
    const { known } = report.gate.baseline;
    lines.push(`Baseline: ${plural(known, 'known site')} not shown.`);
  }
  return lines;
}

function siteRows(sites: readonly ReportSite[], paint: Paint): string[] {
  const cells = sites.map((site) => COLUMNS.map((column) => column.cell(site)));
  const widths = COLUMNS.map((column, index) => Math.max([...column.title].length, ...cells.map((row) => [...row[index]!].length)));
  const join = (row: readonly string[], color?: (index: number, text: string) => string): string =>
    row
      .map((text, index) => {
        const padded = pad(text, widths[index]!, COLUMNS[index]!.align);
        return color ? color(index, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const lines = [paint('bold', join(COLUMNS.map((column) => column.title)))];
  sites.forEach((site, index) => {
    lines.push(join(cells[index]!, (column, text) => (column === 0 ? paint(`level${siteLevel(site)}`, text) : text)));
    if ((site.evidence ?? []).length > 0) lines.push(paint('dim', `${' '.repeat(widths[0]! + 2)}? ${site.evidence.join('; ')}`));
    const way = site.suggestions[0] ?? site.advice;
    if (way) lines.push(paint('dim', `${' '.repeat(widths[0]! + 2)}↳ ${way}`));
  });
  return lines;
}

function totalRows(sites: readonly ReportSite[], paint: Paint): string[] {
  const totals = computeTotals(0, sites, 0);
  const rows = [...totals.levels].reverse().map((total) => [
    total.level,
    total.name,
    formatNumber(total.sites),
    formatNumber(total.atLeast),
    formatMoney(total.usdPerMillionOperations),
    formatMoney(total.usdPerMillionItems),
  ]);
  const sum = (pick: (total: (typeof totals.levels)[number]) => number): number => totals.levels.reduce((acc, total) => acc + pick(total), 0);
  rows.push([
    'all',
    '',
    formatNumber(totals.sites),
    formatNumber(sum((total) => total.atLeast)),
    formatMoney(sum((total) => total.usdPerMillionOperations)),
    formatMoney(sum((total) => total.usdPerMillionItems)),
  ]);
  const titles = ['LEVEL', 'NAME', 'SITES', 'AT LEAST', '$ PER 1M OPS', '$ PER 1M ITEMS'];
  const align: ('left' | 'right')[] = ['left', 'left', 'right', 'right', 'right', 'right'];
  const widths = titles.map((title, index) => Math.max(title.length, ...rows.map((row) => [...row[index]!].length)));
  const join = (row: readonly string[], level?: number): string =>
    row
      .map((text, index) => {
        const padded = pad(text, widths[index]!, align[index]!);
        return index === 0 && level !== undefined ? paint(`level${level}`, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  // Rows run L5 … L0, then the sum; a level with sites gets its colour.
  return [paint('bold', join(titles)), ...rows.map((row, index) => join(row, index < LADDER.length && row[2] !== '0' ? LADDER.length - 1 - index : undefined))];
}

/** The gate's verdict in one sentence, `Gate failed (max level L1): 5 sites over budget.`; every format prints it. */
export function gateVerdict(gate: GateResult): string {
  const rules: string[] = [];
  if (gate.maxLevel) rules.push(`max level ${gate.maxLevel}`);
  for (const budget of gate.budgets) rules.push(`${budget.path || '.'}: max ${budget.maxLevel}`);
  const graded = gate.minConfidence && gate.minConfidence !== 'high' ? `; ${gate.minConfidence} confidence and up` : '';
  const what = (gate.baseline ? (rules.length === 0 ? 'no new sites' : `${rules.join(', ')}; new sites only`) : rules.join(', ')) + graded;
  const failures = [
    ...(gate.violations.length > 0 ? [`${plural(gate.violations.length, gate.baseline ? 'new site' : 'site')} over budget`] : []),
    ...(gate.uncheckedFiles > 0 ? [plural(gate.uncheckedFiles, 'unparsed file')] : []),
  ];
  return gate.passed ? `Gate passed (${what}).` : `Gate failed (${what}): ${failures.join(', ')}.`;
}

function gateLines(report: Report, paint: Paint): string[] {
  const { gate } = report;
  if (!gate) return [];
  const lines: string[] = [];
  for (const violation of gate.violations) {
    const why = violation.allowed ? `${violation.level} above ${violation.allowed}` : `${violation.level}, new`;
    lines.push(`  ${violation.file}:${violation.line}  ${why}  ${violation.ruleId}`);
  }
  if (gate.uncheckedFiles > 0) lines.push(`  ${plural(gate.uncheckedFiles, 'file')} could not be parsed, so no budget can be checked there`);
  return [paint(gate.passed ? 'green' : 'red', gateVerdict(gate)), ...lines];
}

/** The sites a report shows: with a baseline only the new ones; most expensive first. */
export function shownSites(report: Report): ReportSite[] {
  return (report.gate?.baseline ? report.sites.filter((site) => site.baseline === 'new') : report.sites).slice().sort(compareByCost);
}

/** Renders a report as the people's table. */
export function renderTable(report: Report, options: TableOptions): string {
  const paint = painter(options.color);
  const shown = shownSites(report);
  const out = [...header(report, shown, paint), ''];
  if (shown.length === 0) {
    out.push(report.gate?.baseline ? 'No new coordination sites.' : `No coordination sites in ${plural(report.totals.files, 'file')}.`);
  } else {
    out.push(
      ...siteRows(shown, paint),
      '',
      paint('bold', report.gate?.baseline ? 'Totals per level (new sites)' : 'Totals per level'),
      ...totalRows(shown, paint),
      '',
      paint('dim', `≥ marks a lower bound (no backend profile settled the level). PER item: per item of a loop of unknown length k.`),
    );
  }
  if (report.errors.length > 0) {
    out.push('', paint('bold', 'Not checked: ESLint could not parse these files'));
    for (const error of report.errors) out.push(`  ${errorPlace(error)}  ${error.message}`);
  }
  if (report.notes.length > 0) {
    out.push('');
    for (const note of report.notes) out.push(`Note: ${note}.`);
  }
  const gate = gateLines(report, paint);
  if (gate.length > 0) out.push('', ...gate);
  return `${out.join('\n')}\n`;
}
