/**
 * Drives ESLint's Node API for the report.
 *
 * Configuration travels as an options module (`ESLint.fromOptionsModule`): a generated ESM file that
 * imports the plugin and layers `configs.all` and the cost-model flags (as `settings.coordination`) over
 * the user's config through `overrideConfig`. Worker threads under `--concurrency` import that module
 * themselves, so no plugin object has to be cloned, and ESLint still finds the user's `eslint.config.*`
 * as it always does (or reads `--config`).
 */
import { mkdtemp, readdir, rm, stat, writeFile, access } from 'node:fs/promises';
import { constants, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { type CoordinationSettingsInput, parseSettings } from '../settings.js';
import { projectDigest } from './project-digest.js';
import type { FileFacts } from './collect.js';
import { RULE_PREFIX } from './collect.js';
import { UsageError, shownPath } from './errors.js';
import type { ReportModel } from './report.js';

export interface LintOptions {
  readonly cwd: string;
  /** Files, directories or glob patterns, as ESLint takes them. */
  readonly paths: readonly string[];
  /** `--config`: an absolute path. */
  readonly configFile: string | undefined;
  /** Keep the config's own coordination rules instead of turning on `configs.all`. */
  readonly rulesFromConfig: boolean;
  /** Cost-model flags, written over `settings.coordination`. */
  readonly settingsOverride: CoordinationSettingsInput | undefined;
  readonly concurrency: 'off' | 'auto' | number;
  readonly cache: boolean;
  readonly cacheLocation: string | undefined;
  /** Called after each batch when set; the files are then linted in batches to report progress. */
  readonly onProgress?: ((done: number, total: number, sites: number) => void) | undefined;
}

export interface LintRun {
  readonly results: ESLint.LintResult[];
  readonly notes: string[];
  /** N and cost model of a file under the run's configuration. */
  readonly factsFor: (filePath: string) => Promise<FileFacts>;
  /** The model when no file has a site: the flags over the documented defaults. */
  readonly fallbackModel: ReportModel;
  /** Removes the generated options module. */
  readonly dispose: () => Promise<void>;
}

const GLOB = /[*?{}[\]!]/;

/** The shipped config used when the user has none: `configs.all`, with the TypeScript parser if installed. */
export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL('default-config.js', import.meta.url));
const PLUGIN_URL = new URL('../index.js', import.meta.url).href;

/**
 * Temporary directories of runs still going. SIGINT or SIGTERM would end the process without running
 * `dispose`, so while any exists a handler removes them all, synchronously, then raises the signal
 * again with the handler gone: the process still dies of that signal (exit status 130 or 143 in a shell).
 * `exit` removes them too, should something call `process.exit` mid-run.
 */
const liveDirectories = new Set<string>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function removeLiveDirectories(): void {
  for (const directory of liveDirectories) rmSync(directory, { recursive: true, force: true });
  liveDirectories.clear();
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  removeLiveDirectories();
  unwatch();
  process.kill(process.pid, signal);
}

function unwatch(): void {
  for (const signal of TERMINATING_SIGNALS) process.off(signal, onTerminatingSignal);
  process.off('exit', removeLiveDirectories);
}

function track(directory: string): void {
  if (liveDirectories.size === 0) {
    for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
    process.on('exit', removeLiveDirectories);
  }
  liveDirectories.add(directory);
}

function untrack(directory: string): void {
  liveDirectories.delete(directory);
  if (liveDirectories.size === 0) unwatch();
}

/** A file-system error in words: `no such file or directory`, `permission denied`. */
export function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return error.message;
  }
}

/** The first ESLint with the `concurrency` option (and `ESLint.fromOptionsModule`). */
export const CONCURRENCY_SINCE = '9.34.0';

/** Is `version` (an ESLint version, `9.33.0`) older than `since`? Pre-release tags are ignored. */
export function olderThan(version: string, since: string): boolean {
  const parts = (text: string): number[] => text.split('-')[0]!.split('.').map((part) => Number(part) || 0);
  const [a, b] = [parts(version), parts(since)];
  for (let index = 0; index < 3; index += 1) {
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) < (b[index] ?? 0);
  }
  return false;
}

/** Throws a {@link UsageError} when a flag needs a newer ESLint than `eslintVersion`. */
export function assertEslintSupports(eslintVersion: string, concurrency: LintOptions['concurrency']): void {
  if (concurrency !== 'off' && olderThan(eslintVersion, CONCURRENCY_SINCE)) {
    throw new UsageError(`--concurrency needs ESLint ${CONCURRENCY_SINCE} or later; this is ESLint ${eslintVersion} (upgrade ESLint, or leave the flag out)`);
  }
}

/**
 * A syntax error in a config module reaches us without the file's name (Node gives an ES module's
 * SyntaxError no location): name the config file the run loads.
 */
async function namingConfigFile(error: unknown, cwd: string, paths: readonly string[], configFile: string | undefined): Promise<unknown> {
  if (!(error instanceof Error) || error.name !== 'SyntaxError') return error;
  let file = configFile;
  if (file === undefined) {
    const probe = new ESLint({ cwd });
    file = await probe.findConfigFile();
    for (const path of paths) {
      if (file !== undefined) break;
      if (!GLOB.test(path)) file = await (probe.findConfigFile as (filePath?: string) => Promise<string | undefined>)(join(resolve(cwd, path), '__placeholder__.js'));
    }
  }
  if (file === undefined) return error;
  const wrapped = new UsageError(`cannot load config file '${shownPath(cwd, file)}': SyntaxError: ${error.message}`);
  wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${error.stack ?? ''}`;
  return wrapped;
}

/** Throws a {@link UsageError} unless `path` exists and can be read. */
export async function assertReadable(path: string, what: string, shown: string = path): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${shown}': ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}

function modelOf(settings: unknown): ReportModel {
  const parsed = parseSettings(settings);
  return { participants: parsed.participants, ...parsed.costModel };
}

/** Writes over `base` the keys `override` sets, one level into `costModel`, as flat config merges settings. */
function overlay(base: unknown, override: CoordinationSettingsInput | undefined): unknown {
  if (!override) return base;
  const from = (base ?? {}) as CoordinationSettingsInput;
  return { ...from, ...override, costModel: { ...from.costModel, ...override.costModel } };
}

/** Does the config of some path come from a config file that ESLint finds on its own? */
async function findsConfig(cwd: string, paths: readonly string[]): Promise<boolean> {
  const probe = new ESLint({ cwd });
  if (await probe.findConfigFile()) return true;
  for (const path of paths) {
    if (GLOB.test(path)) continue;
    const absolute = resolve(cwd, path);
    const isDirectory = await stat(absolute).then((s) => s.isDirectory(), () => false);
    const found = await (probe.findConfigFile as (filePath?: string) => Promise<string | undefined>)(
      isDirectory ? join(absolute, '__placeholder__.js') : absolute,
    );
    if (found) return true;
  }
  return false;
}

function optionsModuleSource(options: Record<string, unknown>, addAll: boolean, settings: CoordinationSettingsInput | undefined, digest: string | undefined): string {
  return `// Generated by coordination-ladder for one run, then removed.
import plugin from ${JSON.stringify(PLUGIN_URL)};
const options = ${JSON.stringify(options, null, 2)};
options.overrideConfig = [
${addAll ? '  plugin.configs.all,\n' : ''}  { name: 'coordination-ladder/flags', settings: { coordination: ${JSON.stringify({ ...settings, siteRecords: true, reportMinConfidence: 'low', ...(digest === undefined ? {} : { projectDigest: digest }) })} } },
];
export default options;
`;
}

/**
 * Files ESLint would lint for `paths`, for progress batches: explicit files as given, directories walked
 * (skipping `node_modules` and `.git`, ESLint's default ignores) and kept when ESLint has a config for
 * them. `undefined` when a path is a glob pattern: then the run goes in one piece.
 */
async function discoverFiles(eslint: ESLint, cwd: string, paths: readonly string[]): Promise<string[] | undefined> {
  const found = new Set<string>();
  async function walk(directory: string): Promise<void> {
    const entries = await readdir(directory, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = entries.filter((entry) => !entry.isDirectory()).map((entry) => join(directory, entry.name));
    const ignored = await Promise.all(files.map((file) => eslint.isPathIgnored(file)));
    files.forEach((file, index) => {
      if (!ignored[index]) found.add(file);
    });
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') await walk(join(directory, entry.name));
    }
  }
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) return undefined;
    if (info.isDirectory()) await walk(absolute);
    else found.add(absolute);
  }
  return [...found];
}

function countSites(results: readonly ESLint.LintResult[]): number {
  let sites = 0;
  for (const result of results) {
    for (const message of result.messages) if (message.ruleId?.startsWith(RULE_PREFIX)) sites += 1;
  }
  return sites;
}

/** Lints `options.paths` with the plugin layered over the user's config. */
export async function lint(options: LintOptions): Promise<LintRun> {
  const { cwd } = options;
  assertEslintSupports(ESLint.version, options.concurrency);
  for (const path of options.paths) {
    if (!GLOB.test(path)) await assertReadable(resolve(cwd, path), 'path', path);
  }
  const notes: string[] = [];
  let overrideConfigFile: string | undefined = options.configFile;
  if (overrideConfigFile) {
    await assertReadable(overrideConfigFile, 'config file', shownPath(cwd, overrideConfigFile));
  } else if (!(await findsConfig(cwd, options.paths))) {
    overrideConfigFile = DEFAULT_CONFIG_FILE;
    const defaults = (await import(pathToFileURL(DEFAULT_CONFIG_FILE).href)) as { typescriptParser: boolean };
    notes.push(
      defaults.typescriptParser
        ? 'no eslint.config.* found: linted with the built-in config (configs.all; @typescript-eslint/parser for TypeScript files)'
        : 'no eslint.config.* found: linted JavaScript only with the built-in config, since @typescript-eslint/parser is not installed',
    );
  }
  if (options.rulesFromConfig) notes.push('rules as the config sets them (--rules-from-config)');

  let cacheLocation = options.cacheLocation;
  if (options.cache && cacheLocation === undefined) {
    const nodeModules = await stat(join(cwd, 'node_modules')).then((s) => s.isDirectory(), () => false);
    cacheLocation = nodeModules ? `${join(cwd, 'node_modules', '.cache', 'coordination-ladder')}${sep}` : join(cwd, '.coordination-ladder-cache');
  }
  const eslintOptions: Record<string, unknown> = {
    cwd,
    ...(overrideConfigFile ? { overrideConfigFile } : {}),
    // Left out when off: ESLint before 9.34 rejects the option.
    ...(options.concurrency === 'off' ? {} : { concurrency: options.concurrency }),
    cache: options.cache,
    ...(cacheLocation ? { cacheLocation } : {}),
    errorOnUnmatchedPattern: true,
  };

  const directory = await mkdtemp(join(tmpdir(), 'coordination-ladder-'));
  track(directory);
  const dispose = async (): Promise<void> => {
    await rm(directory, { recursive: true, force: true });
    untrack(directory);
  };
  try {
    const moduleFile = join(directory, 'eslint-options.mjs');
    // A cached result must not outlive a change to the modules it read: see project-digest.ts.
    const digest = options.cache ? await projectDigest(cwd) : undefined;
    await writeFile(moduleFile, optionsModuleSource(eslintOptions, !options.rulesFromConfig, options.settingsOverride, digest));
    const url = pathToFileURL(moduleFile);
    // ESLint before 9.34 has no options modules (and no concurrency): construct it from the module's object.
    const eslint =
      typeof ESLint.fromOptionsModule === 'function'
        ? await ESLint.fromOptionsModule(url)
        : new ESLint(((await import(url.href)) as { default: ESLint.Options }).default);

    let results: ESLint.LintResult[];
    const files = options.onProgress ? await discoverFiles(eslint, cwd, options.paths) : undefined;
    // No file found: lint in one piece, so ESLint answers with its own "no files matching" error.
    if (options.onProgress && files && files.length > 0) {
      results = [];
      let sites = 0;
      const batch = options.concurrency === 'off' ? Math.max(10, Math.ceil(files.length / 100)) : Math.max(100, Math.ceil(files.length / 10));
      options.onProgress(0, files.length, 0);
      for (let start = 0; start < files.length; start += batch) {
        const chunk = await eslint.lintFiles(files.slice(start, start + batch));
        results.push(...chunk);
        sites += countSites(chunk);
        options.onProgress(Math.min(files.length, start + batch), files.length, sites);
      }
    } else {
      results = await eslint.lintFiles(options.paths.length === 0 ? ['.'] : [...options.paths]);
    }

    const facts = new Map<string, Promise<FileFacts>>();
    const factsFor = (filePath: string): Promise<FileFacts> => {
      let known = facts.get(filePath);
      if (!known) {
        known = eslint.calculateConfigForFile(filePath).then((config: Linter.Config | undefined) => {
          return { model: modelOf((config?.settings as Record<string, unknown> | undefined)?.['coordination']) };
        });
        facts.set(filePath, known);
      }
      return known;
    };
    return { results, notes, factsFor, fallbackModel: modelOf(overlay(undefined, options.settingsOverride)), dispose };
  } catch (error) {
    await dispose();
    throw await namingConfigFile(error, cwd, options.paths, overrideConfigFile);
  }
}

