/**
 * The `sarif` format: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run, one result
 * per site, written here rather than by a SARIF library so that every field is one we chose: the ones
 * code scanning reads (docs/report.md lists them) and the ladder figures in each result's property bag.
 */
import { pathToFileURL } from 'node:url';
import type { Confidence } from '../model/site.js';
import { DOCS_BASE_URL } from '../util/create-rule.js';
import { formatNumber } from '../util/format-number.js';
import { compareByCost, plural } from './render-table.js';
import { type Report, type ReportSite, TOOL_NAME } from './report.js';
import { RULE_DOCS, type RuleDoc } from './rule-docs.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of our fingerprint in `partialFingerprints`; the version changes if the hash ever does. */
export const FINGERPRINT_KEY = 'coordinationSite/v1';

/** GitHub code scanning rejects a run with more results than this ("Results per run"). */
export const MAX_RESULTS_PER_RUN = 25_000;

/** Paths in results are relative to this base, which `originalUriBaseIds` maps to the working directory. */
const SRCROOT = '%SRCROOT%';

const INFORMATION_URI = new URL('../report.md', DOCS_BASE_URL).href;

export interface SarifOptions {
  /** The working directory the report's paths are relative to. */
  readonly cwd: string;
}

type Level = 'error' | 'warning' | 'note';

interface Region {
  readonly startLine: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

interface Location {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
    /** Absent for a whole-file location (an error without a position). */
    readonly region?: Region;
  };
}

interface ReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: Level };
  readonly properties: { readonly ladderLevels: readonly string[] };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: Level;
  readonly message: { readonly text: string };
  readonly locations: readonly Location[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly baselineState?: 'new' | 'unchanged';
  readonly rank: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

interface Notification {
  readonly level: Level;
  readonly message: { readonly text: string };
  readonly locations?: readonly Location[];
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly {
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version: string;
        readonly semanticVersion: string;
        readonly informationUri: string;
        readonly rules: readonly ReportingDescriptor[];
      };
    };
    readonly automationDetails: { readonly id: string };
    readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string }>>;
    readonly columnKind: 'utf16CodeUnits';
    readonly invocations: readonly { readonly executionSuccessful: boolean; readonly toolExecutionNotifications: readonly Notification[] }[];
    readonly results: readonly SarifResult[];
  }[];
}

/** A report path as a relative URI reference: each segment percent-encoded, `/` kept. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** The working directory as a `file:` URI; a base URI must end in `/` for relative references to resolve below it. */
function baseUri(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function location(file: string, region?: Region): Location {
  return { physicalLocation: { artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT }, ...(region ? { region } : {}) } };
}

// SARIF lines and columns start at 1 like ESLint's, and its end column is exclusive like ESLint's, so
// positions carry over; ESLint reports line 0 only for a whole-file problem, which SARIF cannot express.
function siteRegion(site: ReportSite): Region {
  return {
    startLine: Math.max(1, site.line),
    startColumn: Math.max(1, site.column),
    endLine: Math.max(1, site.endLine),
    endColumn: Math.max(1, site.endColumn),
  };
}

/** A rule as a descriptor: its docs, or for a rule this plugin does not have (a merged older report) its id alone. */
type SarifRule = Omit<RuleDoc, 'url'> & { readonly url: string | undefined };

function unknownRule(ruleId: string): SarifRule {
  return { id: ruleId, name: ruleId.replace(/^.*\//, ''), description: ruleId, url: undefined, ladderLevels: [] };
}

/** The plugin's rules, and any other rule the report names, sorted by id: `ruleIndex` points into it. */
function ruleList(report: Report): SarifRule[] {
  const rules = new Map<string, SarifRule>(RULE_DOCS.map((doc) => [doc.id, doc]));
  for (const site of report.sites) if (!rules.has(site.ruleId)) rules.set(site.ruleId, unknownRule(site.ruleId));
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function descriptor(rule: SarifRule): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    // Code scanning shows the short description atop an alert and the help beside it.
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    help: rule.url
      ? { text: `${rule.description}. See ${rule.url}`, markdown: `${rule.description}. [Rule documentation](${rule.url})` }
      : { text: rule.description, markdown: rule.description },
    ...(rule.url ? { helpUri: rule.url } : {}),
    // The CLI turns every rule on at `error` (configs.all) unless --rules-from-config says otherwise.
    defaultConfiguration: { level: 'error' },
    properties: { ladderLevels: rule.ladderLevels },
  };
}

/** SARIF `rank` per grade: code scanning sorts and filters by it. */
export const SARIF_RANK: Readonly<Record<Confidence, number>> = { high: 90, medium: 60, low: 30 };

function result(site: ReportSite, ruleIndex: number): SarifResult {
  return {
    ruleId: site.ruleId,
    ruleIndex,
    level: site.severity,
    message: { text: site.message },
    locations: [location(site.file, siteRegion(site))],
    partialFingerprints: { [FINGERPRINT_KEY]: site.fingerprint },
    ...(site.baseline ? { baselineState: site.baseline === 'new' ? 'new' : 'unchanged' } : {}),
    // SARIF's rank (0–100) carries the grade; the level still follows the ladder through the severity.
    rank: SARIF_RANK[site.confidence ?? 'high'],
    properties: {
      confidence: site.confidence ?? 'high',
      evidence: site.evidence ?? [],
      ladderLevel: site.level,
      ladderLevelName: site.levelName,
      atLeast: site.atLeast,
      primitive: site.primitive,
      price: site.price,
      typed: site.typed,
    },
  };
}

/**
 * The sites that fit in one run: all of them, or when there are more than code scanning takes, the most
 * expensive ones (so the cut drops the cheapest), still in report order.
 */
function sitesThatFit(sites: readonly ReportSite[]): readonly ReportSite[] {
  if (sites.length <= MAX_RESULTS_PER_RUN) return sites;
  const kept = new Set(sites.slice().sort(compareByCost).slice(0, MAX_RESULTS_PER_RUN));
  return sites.filter((site) => kept.has(site));
}

function notifications(report: Report, left: number): Notification[] {
  return [
    ...report.errors.map((error) => ({
      level: 'error' as const,
      message: { text: `Not checked: ${error.message}` },
      // An error without a position points at the whole file: a location without a region.
      locations: [
        error.line === null
          ? location(error.file)
          : location(error.file, { startLine: Math.max(1, error.line), ...(error.column === null ? {} : { startColumn: Math.max(1, error.column) }) }),
      ],
    })),
    ...report.notes.map((note) => ({ level: 'note' as const, message: { text: note } })),
    ...(left > 0
      ? [{ level: 'warning' as const, message: { text: `${plural(left, 'site')} left out, the cheapest: code scanning takes at most ${formatNumber(MAX_RESULTS_PER_RUN)} results per run` } }]
      : []),
  ];
}

/** Renders a report as a SARIF 2.1.0 log. */
export function renderSarif(report: Report, options: SarifOptions): SarifLog {
  const rules = ruleList(report);
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const sites = sitesThatFit(report.sites);
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(descriptor),
          },
        },
        // Code scanning takes the part before the last `/` as the category; upload-sarif's `category` overrides it.
        automationDetails: { id: `${TOOL_NAME}/` },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(report, report.sites.length - sites.length) }],
        results: sites.map((site) => result(site, index.get(site.ruleId)!)),
      },
    ],
  };
}
