/**
 * Command-line flags of `coordination-ladder`, parsed strictly (`node:util` `parseArgs`): an unknown flag,
 * a missing value or a bad value is a {@link UsageError}, which the CLI prints as one line with exit 2.
 */
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { CostModel } from '../model/cost.js';
import type { Confidence } from '../model/site.js';
import { type LevelId, parseLevel } from '../model/ladder.js';
import type { CoordinationSettingsInput } from '../settings.js';
import type { LintOptions } from './engine.js';
import { UsageError } from './errors.js';
import type { Budget } from './gate.js';

/** Output formats; `table` is the default. */
export const FORMATS = ['table', 'json', 'sarif', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** Flags shared by a run and `merge`: output and gates. */
export interface OutputOptions {
  readonly format: Format;
  readonly output: string | undefined;
  readonly color: boolean | undefined;
  readonly maxLevel: LevelId | undefined;
  readonly budgets: readonly Budget[];
  readonly baseline: string | undefined;
  /** Gates count only sites graded at or above this (default high, as configs.recommended reports). */
  readonly minConfidence: Confidence;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | (Omit<LintOptions, 'cwd' | 'onProgress'> & {
      readonly kind: 'run';
      readonly progress: boolean | undefined;
      readonly output: OutputOptions;
    })
  | { readonly kind: 'merge'; readonly reports: readonly string[]; readonly output: OutputOptions };

export const USAGE = `Usage: coordination-ladder [paths...] [options]
       coordination-ladder merge <report.json...> [options]

Lints the paths (default: .) with every coordination/* rule layered over your ESLint config and prints
every coordination site on the cost ladder, most expensive first. Exit code 0 when no gate fails,
1 when a gate fails, 2 for a usage or I/O error.

Configuration
  -c, --config FILE                 use this flat config instead of the eslint.config.* ESLint finds
      --rules-from-config           keep the coordination rules as the config sets them
                                    (default: turn on every rule of configs.all over it)
Output
  -f, --format FORMAT               table (default; colour on a terminal), json (versioned report),
                                    sarif (SARIF 2.1.0 for code scanning), markdown (a pull-request
                                    comment) or html (one self-contained page)
  -o, --output FILE                 write the report to FILE instead of standard output
      --color, --no-color           force colour on or off in the table (other formats have none)
      --progress, --no-progress     force the progress line on stderr on or off
Gates
      --max-level L<n>              fail (exit 1) when a site is above this level
      --max-level DIR=L<n>          budget for the files under DIR (repeatable; the longest DIR wins)
      --baseline FILE               report and gate only sites that FILE (a JSON report) does not have;
                                    without --max-level, any new site fails
      --min-confidence GRADE        gates count only sites graded GRADE or above: high (default, as
                                    configs.recommended), medium or low; the report shows every grade
Cost model (overrides settings.coordination)
      --participants N              participants N of a coordination (default 3)
      --rtt-ms MS                   one round trip in milliseconds (default 100)
      --usd-per-1000-messages USD   price of 1,000 messages (default 0.01)
      --usd-per-second-of-latency USD  price of one second of added latency (default 1)
      --slow-call-probability P     probability that one call is slow, 0 to 1 (default 0.01)
Large repositories
      --concurrency auto|off|N      lint in N worker threads (ESLint's --concurrency)
      --cache                       reuse results of unchanged files (ESLint's --cache)
      --cache-location PATH         where the cache lives (default node_modules/.cache/coordination-ladder/)

  -h, --help                        show this help
  -v, --version                     show the version

merge combines JSON reports of CI shards (order does not matter) and takes the Output and Gates flags.
Reports and fields: docs/report.md`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'rules-from-config': { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  color: { type: 'boolean' },
  progress: { type: 'boolean' },
  'max-level': { type: 'string', multiple: true },
  baseline: { type: 'string' },
  'min-confidence': { type: 'string' },
  participants: { type: 'string' },
  'rtt-ms': { type: 'string' },
  'usd-per-1000-messages': { type: 'string' },
  'usd-per-second-of-latency': { type: 'string' },
  'slow-call-probability': { type: 'string' },
  concurrency: { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Flags that only a lint run takes. */
const RUN_ONLY = [
  'config',
  'rules-from-config',
  'progress',
  'participants',
  'rtt-ms',
  'usd-per-1000-messages',
  'usd-per-second-of-latency',
  'slow-call-probability',
  'concurrency',
  'cache',
  'cache-location',
] as const;

function isFormat(text: string): text is Format {
  return (FORMATS as readonly string[]).includes(text);
}

function number(flag: string, text: string, check: (value: number) => boolean, expected: string): number {
  const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || !check(value)) throw new UsageError(`--${flag} must be ${expected}, got '${text}'`);
  return value;
}

function level(flag: string, text: string): LevelId {
  const value = parseLevel(text);
  if (value === undefined) throw new UsageError(`--${flag} must be a level L0 to L5, got '${text}'`);
  return value;
}

/** `src/legacy/` or `./src\\legacy` → `src/legacy`, relative to the working directory. */
function budgetPath(text: string): string {
  return text
    .replaceAll('\\', '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

function parseMaxLevels(values: readonly string[]): { maxLevel: LevelId | undefined; budgets: Budget[] } {
  let maxLevel: LevelId | undefined;
  const budgets: Budget[] = [];
  for (const value of values) {
    const equals = value.lastIndexOf('=');
    if (equals === -1) {
      if (maxLevel !== undefined) throw new UsageError(`--max-level is given twice without a directory ('${value}')`);
      maxLevel = level('max-level', value);
    } else {
      const path = budgetPath(value.slice(0, equals));
      if (budgets.some((budget) => budget.path === path)) throw new UsageError(`--max-level sets '${path || '.'}' twice`);
      budgets.push({ path, maxLevel: level('max-level', value.slice(equals + 1)) });
    }
  }
  return { maxLevel, budgets };
}

const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

function confidence(value: string | undefined): Confidence {
  if (value === undefined) return 'high';
  if (!(CONFIDENCES as readonly string[]).includes(value)) throw new UsageError(`--min-confidence must be high, medium or low, got '${value}'`);
  return value as Confidence;
}

/**
 * Parses `argv` (without `node` and the script). Relative files are resolved against `cwd`.
 *
 * @throws {UsageError} for an unknown flag, a missing or bad value, or a flag `merge` does not take.
 */
export function parseCommand(argv: readonly string[], cwd: string): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const format = values.format ?? 'table';
  if (!isFormat(format)) throw new UsageError(`--format must be ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS.at(-1)!}, got '${format}'`);
  const output: OutputOptions = {
    format,
    output: values.output === undefined ? undefined : resolve(cwd, values.output),
    color: values.color,
    ...parseMaxLevels(values['max-level'] ?? []),
    baseline: values.baseline === undefined ? undefined : resolve(cwd, values.baseline),
    minConfidence: confidence(values['min-confidence']),
  };

  if (positionals[0] === 'merge') {
    const misplaced = RUN_ONLY.find((flag) => values[flag] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} does not apply to merge`);
    const reports = positionals.slice(1).map((file) => resolve(cwd, file));
    if (reports.length === 0) throw new UsageError('merge needs at least one JSON report');
    return { kind: 'merge', reports, output };
  }

  const costModel: { -readonly [K in keyof CostModel]?: number } = {};
  if (values['rtt-ms'] !== undefined) costModel.rttMs = number('rtt-ms', values['rtt-ms'], (v) => v >= 0, 'a number of milliseconds >= 0');
  if (values['usd-per-1000-messages'] !== undefined) {
    costModel.usdPer1000Messages = number('usd-per-1000-messages', values['usd-per-1000-messages'], (v) => v >= 0, 'an amount >= 0');
  }
  if (values['usd-per-second-of-latency'] !== undefined) {
    costModel.usdPerSecondOfLatency = number('usd-per-second-of-latency', values['usd-per-second-of-latency'], (v) => v >= 0, 'an amount >= 0');
  }
  if (values['slow-call-probability'] !== undefined) {
    costModel.slowCallProbability = number('slow-call-probability', values['slow-call-probability'], (v) => v >= 0 && v <= 1, 'a probability from 0 to 1');
  }
  const participants =
    values.participants === undefined
      ? undefined
      : number('participants', values.participants, (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1');
  const hasCostModel = Object.keys(costModel).length > 0;
  const settingsOverride: CoordinationSettingsInput | undefined =
    participants === undefined && !hasCostModel
      ? undefined
      : { ...(participants === undefined ? {} : { participants }), ...(hasCostModel ? { costModel } : {}) };

  let concurrency: 'off' | 'auto' | number = 'off';
  if (values.concurrency !== undefined) {
    const text = values.concurrency;
    concurrency =
      text === 'auto' || text === 'off'
        ? text
        : number('concurrency', text, (v) => Number.isInteger(v) && v >= 1, "'auto', 'off' or a whole number >= 1");
  }
  if (values['cache-location'] !== undefined && !values.cache) throw new UsageError('--cache-location needs --cache');

  return {
    kind: 'run',
    paths: positionals.length === 0 ? ['.'] : positionals,
    configFile: values.config === undefined ? undefined : resolve(cwd, values.config),
    rulesFromConfig: values['rules-from-config'] ?? false,
    settingsOverride,
    concurrency,
    cache: values.cache ?? false,
    // A trailing separator tells ESLint the location is a directory, even before it exists.
    cacheLocation:
      values['cache-location'] === undefined
        ? undefined
        : resolve(cwd, values['cache-location']) + (/[\\/]$/.test(values['cache-location']) ? sep : ''),
    progress: values.progress,
    output,
  };
}
