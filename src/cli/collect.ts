/**
 * Turns ESLint's results into report data: each `coordination/*` message becomes a site, read back from
 * the `LintMessage` alone (messageId, text, suggestions) and re-priced exactly under its file's cost model.
 */
import { relative, sep } from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { formatPercent, formatUsd, tailSlowProbability } from '../model/cost.js';
import { ladderLevel, levelCode } from '../model/ladder.js';
import { siteFingerprint, normalizedSource } from './fingerprint.js';
import { type ParsedPrice, parseSiteMessage } from './parse-message.js';
import { primitiveName } from './primitives.js';
import { type ReportData, type ReportError, type ReportModel, type ReportSite, type SitePrice, TOOL_NAME, round } from './report.js';

/** What the CLI knows about one linted file beyond its messages. */
export interface FileFacts {
  /** N and the cost model of the file's `settings.coordination`, flags applied. */
  readonly model: ReportModel;
  /** Parsed with type information. */
  readonly typed: boolean;
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

function sameFigure(written: number | undefined, computed: number): boolean {
  // The message prints whole numbers exactly and others to two decimals.
  return written === undefined ? computed === 0 : Math.abs(written - computed) < 0.0051;
}

/**
 * The exact price behind a parsed message under `model`: the same formula as `estimate()` in
 * src/model/cost.ts, applied to the message's messages and round trips. When the rounded text does not
 * agree (the file was priced under another model), the message's own figures are kept, marked inexact.
 */
export function priceFromMessage(parsed: ParsedPrice, model: ReportModel): SitePrice {
  const latencyMs = parsed.roundTrips * model.rttMs;
  const usd = (parsed.messages * model.usdPer1000Messages) / 1000 + (latencyMs / 1000) * model.usdPerSecondOfLatency;
  // As estimate() has it: no message, no call that can be slow; a parallel loop of unknown k has no number.
  const slowProbability =
    // As the model: no message or nothing waited for (roundTrips 0) means no slow operation.
    parsed.messages === 0 || parsed.roundTrips === 0 ? 0 : parsed.waitsFor === 'k' ? null : tailSlowProbability(parsed.slowCalls, model.slowCallProbability);
  const exact =
    formatUsd(usd) === parsed.usdText &&
    sameFigure(parsed.latencyMs, latencyMs) &&
    (parsed.slowShare === undefined || slowProbability === null || formatPercent(slowProbability) === formatPercent(parsed.slowShare));
  const usdPerOperation = exact ? usd : parsed.usd;
  return {
    per: parsed.per,
    participants: model.participants,
    messages: parsed.messages,
    roundTrips: parsed.roundTrips,
    latencyMs: round(exact ? latencyMs : (parsed.latencyMs ?? 0)),
    loop: parsed.loop ?? null,
    waitsFor: parsed.messages === 0 ? 0 : parsed.waitsFor,
    slowCalls: parsed.messages === 0 ? 0 : parsed.slowCalls,
    slowProbability: slowProbability === null ? null : round(exact ? slowProbability : (parsed.slowShare ?? slowProbability)),
    serialises: parsed.serialises ?? null,
    usdPerOperation: round(usdPerOperation),
    usdPerMillion: round(usdPerOperation * 1_000_000),
    exact,
  };
}

/** One site from one message, or `undefined` when the message states no level (not a site). */
export function siteFromMessage(
  message: Linter.LintMessage,
  file: string,
  lines: readonly string[],
  facts: FileFacts,
): ReportSite | undefined {
  const parsed = parseSiteMessage(message.message);
  if (!parsed || message.ruleId === null) return undefined;
  const messageId = message.messageId ?? null;
  const endLine = message.endLine ?? message.line;
  return {
    file,
    line: message.line,
    column: message.column,
    endLine,
    endColumn: message.endColumn ?? message.column,
    ruleId: message.ruleId,
    messageId,
    severity: message.severity === 2 ? 'error' : 'warning',
    primitive: primitiveName(message.messageId),
    level: levelCode(parsed.level),
    levelName: ladderLevel(parsed.level).name,
    atLeast: parsed.atLeast,
    price: parsed.price ? priceFromMessage(parsed.price, facts.model) : null,
    typed: facts.typed,
    message: message.message,
    advice: parsed.advice ?? null,
    suggestions: (message.suggestions ?? []).map((suggestion) => suggestion.desc),
    fingerprint: siteFingerprint(file, message.ruleId, messageId, normalizedSource(lines, message.line, endLine)),
  };
}

/** Report data from ESLint's results; coordination messages that state no level are noted, not dropped silently. */
export async function collectReport(results: readonly ESLint.LintResult[], options: CollectOptions): Promise<ReportData> {
  const files: string[] = [];
  const sites: ReportSite[] = [];
  const errors: ReportError[] = [];
  const notes = new Set(options.notes);
  const models: ReportModel[] = [];
  let unreadable = 0;

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
    for (const message of messages) {
      const site = siteFromMessage(message, file, lines, facts);
      if (site) sites.push(site);
      else unreadable += 1;
    }
  }
  if (unreadable > 0) {
    notes.add(`${unreadable} coordination message${unreadable === 1 ? '' : 's'} stated no ladder level and ${unreadable === 1 ? 'is' : 'are'} not in the report`);
  }
  const inexact = sites.filter((site) => site.price && !site.price.exact).length;
  if (inexact > 0) {
    notes.add(`${inexact} site price${inexact === 1 ? ' was' : 's were'} read from the rounded message text: the file's cost model could not be matched`);
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
