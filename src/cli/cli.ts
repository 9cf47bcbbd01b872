/**
 * `coordination-ladder`: lint, collect the sites, gate, render. `main.ts` is the executable; this module
 * takes its streams as arguments so it can be driven in-process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import plugin from '../index.js';
import { type Command, type OutputOptions, USAGE, parseCommand } from './args.js';
import { collectReport } from './collect.js';
import { describeFsError, lint } from './engine.js';
import { UsageError, shownPath } from './errors.js';
import { applyGates } from './gate.js';
import { Progress, wantsProgress } from './progress.js';
import { renderHtml } from './render-html.js';
import { linkBaseFromEnv, renderMarkdown } from './render-markdown.js';
import { renderSarif } from './render-sarif.js';
import { renderTable } from './render-table.js';
import { type Report, type ReportData, mergeReports, normalizeReport } from './report.js';
import { parseReport } from './report-schema.js';

export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): boolean; readonly isTTY?: boolean; hasColors?(): boolean };
  readonly stderr: { write(text: string): boolean; readonly isTTY?: boolean };
}

/** Exit codes: no gate failed, a gate failed, a usage or I/O error. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const;

async function readText(file: string, what: string, shown: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${shown}': ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}

/** Reads a JSON report; errors name the file as {@link shownPath} does. */
async function readReport(file: string, what: string, cwd: string): Promise<Report> {
  const shown = shownPath(cwd, file);
  return parseReport(await readText(file, what, shown), shown);
}

/** One line for any error: messages from ESLint and config modules may span several. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Colour by default only on a terminal with colours; FORCE_COLOR and NO_COLOR decide when set. */
function wantsColor(options: OutputOptions, io: CliIo): boolean {
  if (options.output !== undefined) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR']) return false;
  return io.stdout.isTTY === true && (io.stdout.hasColors?.() ?? false);
}

/** The report in the chosen format. Only the table has colour: escape codes would corrupt every other format. */
function render(report: Report, options: OutputOptions, io: CliIo): string {
  switch (options.format) {
    case 'table':
      return renderTable(report, { color: options.color ?? wantsColor(options, io) });
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(renderSarif(report, { cwd: io.cwd }), null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report, { linkBase: linkBaseFromEnv(io.env) });
    case 'html':
      return renderHtml(report);
  }
}

async function emit(report: Report, options: OutputOptions, io: CliIo): Promise<number> {
  const text = render(report, options, io);
  if (options.output === undefined) {
    io.stdout.write(text);
  } else {
    try {
      await writeFile(options.output, text);
    } catch (error) {
      throw new UsageError(`cannot write '${shownPath(io.cwd, options.output)}': ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
  }
  return report.gate && !report.gate.passed ? EXIT.gateFailed : EXIT.ok;
}

async function gate(report: Report, options: OutputOptions, io: CliIo): Promise<Report> {
  const baseline = options.baseline === undefined ? undefined : await readReport(options.baseline, 'baseline', io.cwd);
  return applyGates(report, { maxLevel: options.maxLevel, budgets: options.budgets, baseline, minConfidence: options.minConfidence });
}

async function runLint(command: Extract<Command, { kind: 'run' }>, io: CliIo): Promise<number> {
  // Read the baseline first: a bad one should fail before a long lint run.
  const baseline = command.output.baseline === undefined ? undefined : await readReport(command.output.baseline, 'baseline', io.cwd);
  const showProgress = command.progress ?? wantsProgress(io.stderr, io.env, command.output.format);
  const progress = showProgress ? new Progress(io.stderr) : undefined;
  const run = await lint({
    cwd: io.cwd,
    paths: command.paths,
    configFile: command.configFile,
    rulesFromConfig: command.rulesFromConfig,
    settingsOverride: command.settingsOverride,
    concurrency: command.concurrency,
    cache: command.cache,
    cacheLocation: command.cacheLocation,
    onProgress: progress ? (done, total, sites) => progress.update(done, total, sites) : undefined,
  });
  try {
    progress?.end();
    const data: ReportData = await collectReport(run.results, {
      cwd: io.cwd,
      version: plugin.meta.version,
      notes: run.notes,
      factsFor: run.factsFor,
      readSource: (file) => readFile(file, 'utf8'),
      fallbackModel: run.fallbackModel,
    });
    const report = applyGates(normalizeReport(data), {
      maxLevel: command.output.maxLevel,
      budgets: command.output.budgets,
      baseline,
      minConfidence: command.output.minConfidence,
    });
    return await emit(report, command.output, io);
  } finally {
    progress?.end();
    await run.dispose();
  }
}

async function runMerge(command: Extract<Command, { kind: 'merge' }>, io: CliIo): Promise<number> {
  const reports: Report[] = [];
  for (const file of command.reports) reports.push(await readReport(file, 'report', io.cwd));
  return emit(await gate(mergeReports(reports), command.output, io), command.output, io);
}

/** Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code. */
export async function cli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv, io.cwd);
    switch (command.kind) {
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
      case 'version':
        io.stdout.write(`${plugin.meta.version}\n`);
        return EXIT.ok;
      case 'run':
        return await runLint(command, io);
      case 'merge':
        return await runMerge(command, io);
    }
  } catch (error) {
    if (io.env['COORDINATION_LADDER_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    // parseArgs explains `--` at length after the first sentence; the first says what is wrong.
    const fromParseArgs = error instanceof UsageError && /^(Unknown option|Option '|Unexpected argument)/.test(error.message);
    const text = fromParseArgs ? `${oneLine(error).split(/\. (?=To specify|Did you forget)/)[0]!.replace(/\.?$/, '.')} See --help.` : oneLine(error);
    io.stderr.write(`coordination-ladder: ${text}\n`);
    return EXIT.usage;
  }
}
