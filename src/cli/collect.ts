/**
 * Turns ESLint's results into report data: each `coordination/*` message carries its site record
 * (the report runs ESLint with `settings.coordination.siteRecords`), which the model's codec decodes.
 * Nothing here reads the English or prices anything: the record's price is the rule's own estimate.
 */
import { relative, sep } from 'node:path';
import type { ESLint, Linter } from 'eslint';
import type { Estimate } from '../model/cost.js';
import { ladderLevel, levelCode } from '../model/ladder.js';
import { SiteCodecError, type SiteRecord, decodeSiteRecord } from '../model/site.js';
import { UsageError } from './errors.js';
import { siteFingerprint, normalizedSource } from './fingerprint.js';
import { type ReportData, type ReportError, type ReportModel, type ReportSite, type SitePrice, TOOL_NAME, round } from './report.js';

/** What the CLI knows about one linted file beyond its messages. */
export interface FileFacts {
  /** N and the cost model of the file's `settings.coordination`, flags applied. */
  readonly model: ReportModel;
}

export interface CollectOptions {
  readonly cwd: string;
  readonly version: string;
  readonly notes: readonly string[];
  /** Facts of a file that has sites (absolute path). */
  readonly factsFor: (filePath: string) => Promise<FileFacts>;
  /** The file's text, for fingerprints (absolute path). */
  readonly readSource: (filePath: string) => Promise<string>;
  /** The model to report when no file has a site. */
  readonly fallbackModel: ReportModel;
}

/** The namespace of the plugin's rules; every other rule's messages are left out. */
export const RULE_PREFIX = 'coordination/';

/** A path relative to `cwd` with `/` separators. */
export function relativePosix(cwd: string, filePath: string): string {
  return relative(cwd, filePath).split(sep).join('/');
}

/**
 * The report's JSON view of an estimate: the same figures, named as schema 1 names them, rounded for
 * JSON. A loop of unknown length waits for k calls, whose slow share depends on k: `null`.
 */
export function sitePrice(estimate: Estimate): SitePrice {
  const waited = estimate.messages > 0;
  return {
    per: estimate.perItem ? 'item' : 'operation',
    participants: estimate.participants,
    messages: estimate.messages,
    roundTrips: estimate.roundTrips,
    latencyMs: round(estimate.latencyMs),
    loop: estimate.loopMode ?? null,
    waitsFor: waited ? estimate.waitsForSlowestOf : 0,
    slowCalls: waited ? estimate.slowCalls : 0,
    slowProbability:
      estimate.waitsForSlowestOf === 'k' && estimate.tailSlowProbability > 0 ? null : round(estimate.tailSlowProbability),
    serialises: estimate.serialises ?? null,
    usdPerOperation: round(estimate.usdPerOp),
    usdPerMillion: round(estimate.usdPerMillion),
    exact: true,
  };
}

/** The record a coordination message carries; a missing or unreadable one stops the report with one line. */
function recordOf(message: Linter.LintMessage, file: string): { text: string; record: SiteRecord } {
  const where = `${file}:${message.line}:${message.column}`;
  let decoded: ReturnType<typeof decodeSiteRecord>;
  try {
    decoded = decodeSiteRecord(message.message);
  } catch (error) {
    if (!(error instanceof SiteCodecError)) throw error;
    throw new UsageError(`${where}: ${message.ruleId} reported ${error.message}: a cache or a plugin from another build; run without --cache (or delete the cache file) with one version of eslint-plugin-coordination`);
  }
  if (!decoded.record) {
    throw new UsageError(`${where}: ${message.ruleId} reported no site record: a cache or a plugin from another build; run without --cache (or delete the cache file) with one version of eslint-plugin-coordination`);
  }
  return { text: decoded.text, record: decoded.record };
}

/** One site from one message and the record it carries. */
export function siteFromMessage(message: Linter.LintMessage, file: string, lines: readonly string[]): ReportSite {
  const { text, record } = recordOf(message, file);
  const ruleId = message.ruleId!;
  const messageId = message.messageId ?? null;
  const endLine = message.endLine ?? message.line;
  return {
    file,
    line: message.line,
    column: message.column,
    endLine,
    endColumn: message.endColumn ?? message.column,
    ruleId,
    messageId,
    severity: message.severity === 2 ? 'error' : 'warning',
    primitive: record.smell,
    level: levelCode(record.level),
    levelName: ladderLevel(record.level).name,
    atLeast: record.atLeast,
    price: record.price ? sitePrice(record.price) : null,
    // Whether the rule ran with types is the analysis's decision, carried by the record.
    typed: record.typed,
    message: text,
    advice: record.wayOut,
    suggestions: (message.suggestions ?? []).map((suggestion) => suggestion.desc),
    confidence: record.confidence ?? 'high',
    evidence: record.evidence ?? [],
    fingerprint: siteFingerprint(file, ruleId, messageId, normalizedSource(lines, message.line, endLine)),
  };
}

/** Report data from ESLint's results. */
export async function collectReport(results: readonly ESLint.LintResult[], options: CollectOptions): Promise<ReportData> {
  const files: string[] = [];
  const sites: ReportSite[] = [];
  const errors: ReportError[] = [];
  const notes = new Set(options.notes);
  const models: ReportModel[] = [];

  for (const result of results) {
    const file = relativePosix(options.cwd, result.filePath);
    // A path given explicitly that the config ignores or does not cover: say so, and do not count it.
    const ignored = result.messages.find((message) => message.ruleId === null && !message.fatal && message.message.startsWith('File ignored'));
    if (ignored) {
      notes.add(`${file}: ${ignored.message.replace(/\.$/, '')}`);
      continue;
    }
    files.push(file);
    const messages = result.messages.filter((message) => message.ruleId?.startsWith(RULE_PREFIX) === true);
    for (const message of result.messages) {
      if (message.fatal) errors.push({ file, line: message.line, column: message.column, message: message.message });
    }
    if (messages.length === 0) continue;
    const facts = await options.factsFor(result.filePath);
    models.push(facts.model);
    const lines = (await options.readSource(result.filePath)).replace(/^\uFEFF/, '').split(/\r\n|[\r\n\u2028\u2029]/);
    for (const message of messages) sites.push(siteFromMessage(message, file, lines));
  }

  const [first] = models;
  const uniform = models.every((model) => JSON.stringify(model) === JSON.stringify(first));
  return {
    tool: { name: TOOL_NAME, version: options.version },
    model: first === undefined ? options.fallbackModel : uniform ? first : null,
    files,
    sites,
    errors,
    notes: [...notes],
  };
}
