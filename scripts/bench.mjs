// Speed benchmark (issue 12): what the four rules cost on real code, next to the parse they ride on
// and next to core rules of the same kind. Not a test and not run in CI: `npm run bench` (builds
// first), options `--rounds 5`, `--limit N` (every k-th file, N in all, to try a change quickly),
// `--jobs 2` (measure two configurations at once on a busy machine), `--oxlint-rounds 3`, `--no-oxlint`.
//
// Corpus (scripts/bench-corpus.mjs, shared with the crash sweep and the fuzz run): the TypeScript
// sources (`src/**/*.ts`, no `.d.ts`) that these pinned npm tarballs ship, 2,034 files; downloaded once with `npm pack` and unpacked with `tar` into
// node_modules/.cache/coordination-bench/ (ignored by git and by ESLint through node_modules/):
//   effect 3.22.4 with @effect/platform 0.97.2, platform-node 0.106.0, platform-bun 0.91.2,
//   cluster 0.60.2, rpc 0.76.2, sql 0.52.1, sql-pg 0.50.3, sql-mysql2 0.53.0, sql-sqlite-node 0.52.0,
//   experimental 0.61.1, ai 0.37.0, workflow 0.19.1, cli 0.77.2, opentelemetry 0.63.0, printer 0.51.0,
//   typeclass 0.41.0; @temporalio/{client,common,worker,workflow,testing,activity,nexus} 1.24.0;
//   @grpc/grpc-js 1.14.7; rxjs 7.8.2; zod 4.6.7; @trpc/server and @trpc/client 11.25.2;
//   @tanstack/query-core 5.108.0, db 0.15.2, router-core 1.171.39, query-persist-client-core 5.104.5.
//
// Each configuration lints the corpus file by file with `Linter#verifyAndFix(…, { stats: true,
// fix: false })` and @typescript-eslint/parser without type information, in a child process of its
// own (so that its peak RSS is its own), round-robin over the configurations for every round; each
// figure keeps its minimum over the rounds. Each child first lints 40 files unmeasured, so that the
// JIT warm-up does not land on the first files' figures. Times are ESLint's own stats: `parse`
// (parser and scope analysis), `rules` per rule (create() and every listener), `total` per file.
// Memory: peak RSS, and the heap left after one full collection behind the last file (the child runs with
// --expose-gc for that one call). Peak RSS follows when the collector last ran: back to back, one
// configuration read 497 to 822 MB for (a) and 573 to 1,125 MB for (e) on 2026-12-05, so its line compares
// the minimum of the rounds; the heap kept is what the rules hold on to (caches, the index's modules).
//
// The shared analysis (src/analysis/file-analysis.ts) is built by whichever rule asks first, so its
// cost hides inside that rule's figure. It gets its own line from two bench-only rules that do
// nothing else: `bench/analysis` builds the per-file analysis (getFileAnalysis), `bench/origins`
// then runs the import/require ReferenceTracker behind `analysis.origins()`. The rules build
// origins lazily, only in files with a call whose method the catalogue names, so that line is an
// upper bound of what the four rules pay for it.
//
// The floor: `bench/gates` runs what each of the four rules runs before any analysis (the file's
// analysis, the package lookup behind `mayLeaveFile`, the text gates of lock, clock and site), so the
// four rules together cost at least that. (e) warm: (e) again, measured on a second pass over the
// corpus in the same process, as an editor's ESLint server lints (CI lints each file once, cold: (e)).
//
// The project index: the modules it parsed in (e) are linted again with no rule, for one ESLint parse of
// what it reaches; what the index adds to the four rules, (e) − (f), should stay within that.
//
// oxlint: the same files, linted by `oxlint -c fixtures/oxlint/.oxlintrc.json` (the four rules as a
// JS plugin, every native rule off) against the ESLint CLI path (`ESLint#lintFiles`) with the four
// rules; wall-clock of each whole run, child process start to exit, minimum of the rounds. Then both again
// with the project index off (`fixtures/oxlint/.oxlintrc.no-index.json`, `projectIndex: false` for ESLint).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CACHE, PACKAGES, ROOT, benchCorpus as corpus, sampleOf } from './bench-corpus.mjs';

const OXLINT_CONFIG = join(ROOT, 'fixtures/oxlint/.oxlintrc.json');
const OXLINT_CONFIG_NO_INDEX = join(ROOT, 'fixtures/oxlint/.oxlintrc.no-index.json');
const OUR_RULES = ['no-global-lock', 'no-sync-fan-out', 'no-wall-clock-ordering', 'no-coordination-in-loop'].map((name) => `coordination/${name}`);

/** Every configuration measured: its label and the rules it turns on. */
const CONFIGS = {
  a: { label: '(a) no rules', rules: [] },
  b: { label: '(b) no-await-in-loop', rules: ['no-await-in-loop'] },
  c: { label: '(c) require-atomic-updates', rules: ['require-atomic-updates'] },
  d1: { label: '(d) no-global-lock', rules: [OUR_RULES[0]] },
  d2: { label: '(d) no-sync-fan-out', rules: [OUR_RULES[1]] },
  d3: { label: '(d) no-wall-clock-ordering', rules: [OUR_RULES[2]] },
  d4: { label: '(d) no-coordination-in-loop', rules: [OUR_RULES[3]] },
  e: { label: '(e) our four together', rules: OUR_RULES },
  f: { label: '(f) four, no project index', rules: OUR_RULES, settings: { projectIndex: false } },
  s: { label: 'shared analysis', rules: ['bench/analysis', 'bench/origins'] },
  g: { label: 'gates only (floor)', rules: ['bench/gates'] },
  w: { label: '(e) warm: second pass', rules: OUR_RULES, passes: 2 },
};

let options;
try {
  options = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      limit: { type: 'string', default: '0' },
      jobs: { type: 'string', default: '1' },
      'oxlint-rounds': { type: 'string', default: '3' },
      'no-oxlint': { type: 'boolean', default: false },
      // Internal: one measurement in a child process.
      child: { type: 'string' },
      list: { type: 'string' },
    },
  }).values;
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}

/** Runs a command to its end; returns the wall-clock ms from spawn to exit and the result. */
function timed(command, args) {
  const t0 = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, cwd: ROOT });
  return { ms: performance.now() - t0, result };
}

async function main() {
  const rounds = Number(options.rounds);
  const files = sampleOf(corpus(), Number(options.limit));
  const list = join(CACHE, 'files.json');
  writeFileSync(list, JSON.stringify(files));
  const versions = PACKAGES.map(([name, version]) => `${name}@${version}`).join(', ');
  console.log(`corpus: ${files.length} .ts files from ${PACKAGES.length} packages (${versions})`);
  console.log(`node ${process.version}, ${rounds} rounds, round-robin over ${Object.keys(CONFIGS).length} configurations (${options.jobs} at a time), minimum of each figure\n`);

  const best = {};
  const jobs = Math.max(1, Number(options.jobs));
  for (let round = 1; round <= rounds; round++) {
    const queue = Object.keys(CONFIGS);
    const worker = async () => {
      for (let key = queue.shift(); key; key = queue.shift()) best[key] = keepMinimum(best[key], await measure(key, list));
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    process.stderr.write(`round ${round}/${rounds} done\n`);
  }
  report(best);
  await indexReport(best, rounds);
  if (!options['no-oxlint']) oxlint(files, Number(options['oxlint-rounds']));
}

/** One configuration's measurement, from a child process of its own. */
function measure(key, list) {
  return new Promise((resolve, reject) => {
    // --expose-gc only lets the child collect once after its last file, for the heap it keeps.
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', key, '--list', list], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`bench child ${key} failed: ${stderr}`))));
  });
}

/** Element-wise minimum of two measurements of the same configuration. */
function keepMinimum(previous, next) {
  if (!previous) return next;
  const rules = {};
  for (const id of Object.keys(next.rules)) rules[id] = Math.min(previous.rules[id], next.rules[id]);
  return {
    ...next,
    parse: Math.min(previous.parse, next.parse),
    rulesTotal: Math.min(previous.rulesTotal, next.rulesTotal),
    total: Math.min(previous.total, next.total),
    maxRssKb: Math.min(previous.maxRssKb, next.maxRssKb),
    heapKeptKb: Math.min(previous.heapKeptKb, next.heapKeptKb),
    rules,
    perFile: next.perFile.map((ms, i) => Math.min(ms, previous.perFile[i])),
    perFileParse: next.perFileParse.map((ms, i) => Math.min(ms, previous.perFileParse[i])),
  };
}

const ms = (value) => `${value.toFixed(0)} ms`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const pct = (value) => `${(value * 100).toFixed(2)}%`;
const verdict = (pass) => (pass ? 'PASS' : 'FAIL');
const line = (target, measured, pass) => console.log(`${target.padEnd(58)}${measured.padEnd(20)}${verdict(pass)}`);

/** The issue's per-file p99 target counts files under this many lines. */
const PER_FILE_LINE_LIMIT = 2000;

/** Lines of a file's text, a last line without a newline included. */
function lineCount(text) {
  let lines = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}

function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(best) {
  const base = best.a;
  console.log('configuration                   parse      rules   rule/parse   total      peak RSS   vs (a)   heap kept   vs (a)   reports');
  for (const [key, { label }] of Object.entries(CONFIGS)) {
    const m = best[key];
    console.log(
      `${label.padEnd(30)}${ms(m.parse).padStart(8)}${ms(m.rulesTotal).padStart(11)}${pct(m.rulesTotal / m.parse).padStart(13)}${ms(m.total).padStart(9)}` +
        `${mb(m.maxRssKb).padStart(11)}${`${((m.maxRssKb / base.maxRssKb - 1) * 100).toFixed(1)}%`.padStart(9)}` +
        `${mb(m.heapKeptKb).padStart(12)}${`${((m.heapKeptKb / base.heapKeptKb - 1) * 100).toFixed(1)}%`.padStart(9)}${String(m.reports).padStart(10)}`,
    );
  }

  console.log('\nper rule (alone; in (e) together)');
  for (const key of ['b', 'c', 'd1', 'd2', 'd3', 'd4', 's', 'g']) {
    for (const id of CONFIGS[key].rules) {
      const together = best.e.rules[id];
      console.log(`  ${id.padEnd(40)}${ms(best[key].rules[id]).padStart(8)}${together === undefined ? '' : `; ${ms(together)}`.padStart(10)}`);
    }
  }

  const e = best.e;
  const ours = OUR_RULES.reduce((sum, id) => sum + e.rules[id], 0);
  const share = ours / e.parse;
  const atomic = best.c.rules['require-atomic-updates'];
  // The issue's per-file targets: p99 over the files under 2,000 lines, and no file slower than its own parse.
  const p99 = percentile(e.perFile, 99);
  const underLimit = e.perFile.filter((_, i) => e.lines[i] < PER_FILE_LINE_LIMIT);
  const p99Under = underLimit.length ? percentile(underLimit, 99) : 0;
  const slowerThanParse = e.perFile.flatMap((ms, i) => (ms > e.perFileParse[i] ? [i] : []));
  const maxIndex = e.perFile.indexOf(Math.max(...e.perFile));
  const memory = Math.max(...['d1', 'd2', 'd3', 'd4', 'e'].map((key) => best[key].maxRssKb / base.maxRssKb - 1));
  const kept = Math.max(...['d1', 'd2', 'd3', 'd4', 'e'].map((key) => best[key].heapKeptKb - base.heapKeptKb));
  console.log(`\nour four together: ${ms(ours)} of rules, parse ${ms(e.parse)}; shared analysis ≤ ${ms(best.s.rulesTotal)} (${pct(best.s.rulesTotal / best.s.parse)} of parse)`);
  // The project index reads other modules inside the rules' time: (e) with it, (f) without.
  const withoutIndex = OUR_RULES.reduce((sum, id) => sum + best.f.rules[id], 0);
  console.log(`project index: ${ms(ours - withoutIndex)} (${pct((ours - withoutIndex) / e.parse)} of parse; the four without it: ${ms(withoutIndex)}, ${pct(withoutIndex / e.parse)})`);
  console.log(`floor: the gates the four ask before any analysis (bench/gates) ${ms(best.g.rulesTotal)}, ${pct(best.g.rulesTotal / best.g.parse)} of parse`);
  const w = best.w;
  const warmOurs = OUR_RULES.reduce((sum, id) => sum + w.rules[id], 0);
  const warmUnder = w.perFile.filter((_, i) => w.lines[i] < PER_FILE_LINE_LIMIT);
  console.log(`warm, a second pass in one process as in an editor: our four ${ms(warmOurs)}, ${pct(warmOurs / w.parse)} of parse; p99 ${(warmUnder.length ? percentile(warmUnder, 99) : 0).toFixed(3)} ms (files under ${PER_FILE_LINE_LIMIT.toLocaleString('en')} lines)`);
  console.log(`per file, our four together: median ${e.perFile.length ? percentile(e.perFile, 50).toFixed(3) : '-'} ms, p99 ${p99.toFixed(3)} ms (all files), max ${e.perFile[maxIndex].toFixed(2)} ms (${e.files[maxIndex]})`);
  console.log(`  ${underLimit.length} files under ${PER_FILE_LINE_LIMIT.toLocaleString('en')} lines: p99 ${p99Under.toFixed(3)} ms`);
  for (const i of slowerThanParse.slice(0, 5)) console.log(`  slower than its parse: ${e.files[i]} (${e.lines[i]} lines): ${e.perFile[i].toFixed(2)} ms, parse ${e.perFileParse[i].toFixed(2)} ms`);
  console.log('\ntarget                                                    measured            result');
  line('our four together ≤ 3% of parse time', pct(share), share <= 0.03);
  for (const key of ['d1', 'd2', 'd3', 'd4']) {
    const id = CONFIGS[key].rules[0];
    line(`${id.replace('coordination/', '')} ≤ require-atomic-updates (${ms(atomic)})`, ms(best[key].rules[id]), best[key].rules[id] <= atomic);
  }
  line(`per-file p99 of our four, files < ${PER_FILE_LINE_LIMIT.toLocaleString('en')} lines, ≤ 1 ms`, `${p99Under.toFixed(3)} ms`, p99Under <= 1);
  line('no file slower than its own parse (our four)', `${slowerThanParse.length} file(s)`, slowerThanParse.length === 0);
  line('peak memory (each of (d), (e)) within 5% of (a)', `+${(memory * 100).toFixed(1)}% at most`, memory <= 0.05);
  // Peak RSS follows when the collector last ran more than what is live: one configuration's runs differ by
  // far more than 5% (see the header). The heap left after a full collection is what the rules keep
  // (their caches, the project index's modules); not a target, the reading that tells the two apart.
  console.log(`  heap kept after the last file (full collection), the most of (d), (e) against (a): ${kept >= 0 ? '+' : ''}${mb(kept)}`);
}

/**
 * The project index against one parse of what it reaches: the modules it parsed in (e), linted with no
 * rule (ESLint's own parse and scope analysis), next to what the index adds to the four rules, (e) − (f).
 */
async function indexReport(best, rounds) {
  const reached = best.e.indexed;
  if (reached.length === 0) return console.log('\nproject index: reached no module');
  const list = join(CACHE, 'indexed.json');
  writeFileSync(list, JSON.stringify(reached));
  let parse = Infinity;
  for (let round = 1; round <= rounds; round++) parse = Math.min(parse, (await measure('a', list)).parse);
  const added = OUR_RULES.reduce((sum, id) => sum + best.e.rules[id] - best.f.rules[id], 0);
  console.log(`\nproject index: parsed ${reached.length} module${reached.length === 1 ? "" : "s"}; one parse of them ${ms(parse)}; the index adds (e) − (f) = ${ms(added)} to the four rules`);
  line('project index (e − f) ≤ one parse of what it reaches', `${(added / parse).toFixed(2)}×`, added <= parse);
}

/**
 * oxlint with the plugin against the ESLint CLI path with the four rules: wall-clock, minimum of rounds;
 * with the project index on (the target) and off (the same configurations with `projectIndex: false`).
 */
function oxlint(files, rounds) {
  const oxlintBin = join(ROOT, 'node_modules/oxlint/bin/oxlint');
  const relativeFiles = files.map((file) => relative(ROOT, file));
  const best = {};
  const keep = (key, ms, reports) => {
    if (!best[key] || ms < best[key].ms) best[key] = { ms, reports };
  };
  for (let round = 1; round <= rounds; round++) {
    for (const [index, cliKey, config] of [
      ['on', 'eslint-cli', OXLINT_CONFIG],
      ['off', 'eslint-cli-no-index', OXLINT_CONFIG_NO_INDEX],
    ]) {
      const eslintRun = timed(process.execPath, [fileURLToPath(import.meta.url), '--child', cliKey, '--list', join(CACHE, 'files.json')]);
      if (eslintRun.result.status !== 0) throw new Error(`ESLint run failed: ${eslintRun.result.stderr}`);
      keep(`eslint ${index}`, eslintRun.ms, JSON.parse(eslintRun.result.stdout).reports);
      const common = ['-c', config, '--format', 'json', '--no-ignore', ...relativeFiles];
      const oxlintRun = timed(oxlintBin, common);
      if (oxlintRun.result.status > 1) throw new Error(`oxlint failed: ${oxlintRun.result.stderr}`);
      keep(`oxlint ${index}`, oxlintRun.ms, JSON.parse(oxlintRun.result.stdout).diagnostics.length);
      if (index === 'on') keep('oxlint one thread', timed(oxlintBin, ['--threads=1', ...common]).ms, undefined);
    }
  }
  const eslintOn = best['eslint on'];
  const eslintOff = best['eslint off'];
  console.log(`\noxlint ${spawnSync(oxlintBin, ['--version'], { encoding: 'utf8' }).stdout.trim()} (JS plugin) against ESLint (ESLint#lintFiles), the four rules, ${files.length} files, wall-clock, minimum of ${rounds}`);
  console.log(`  ESLint:                 ${ms(eslintOn.ms).padStart(9)}  ${eslintOn.reports} reports`);
  console.log(`  oxlint (default threads): ${ms(best['oxlint on'].ms).padStart(7)}  ${best['oxlint on'].reports} reports  speed-up ${(eslintOn.ms / best['oxlint on'].ms).toFixed(1)}×`);
  console.log(`  oxlint --threads=1:     ${ms(best['oxlint one thread'].ms).padStart(9)}  speed-up ${(eslintOn.ms / best['oxlint one thread'].ms).toFixed(1)}×`);
  console.log(`  project index off: ESLint ${ms(eslintOff.ms)} (${eslintOff.reports} reports), oxlint ${ms(best['oxlint off'].ms)} (${best['oxlint off'].reports} reports), speed-up ${(eslintOff.ms / best['oxlint off'].ms).toFixed(1)}×`);
  const speedUp = eslintOn.ms / best['oxlint on'].ms;
  line('oxlint speed-up over ESLint ≥ 10×', `${speedUp.toFixed(1)}×`, speedUp >= 10);
}

/** One configuration over the corpus, in this (child) process; prints its measurement as JSON. */
async function child(key, files) {
  const [{ ESLint, Linter }, { default: tsParser }, { default: plugin }, { getFileAnalysis }, { indexedModulePaths, mayLeaveFile }, gates] = await Promise.all([
    import('eslint'),
    import('@typescript-eslint/parser'),
    import('eslint-plugin-coordination'),
    // The built modules the plugin itself imports: the same WeakMap memo, the same module cache.
    import('../dist/src/analysis/file-analysis.js'),
    import('../dist/src/analysis/project-index.js'),
    gateModules(),
  ]);
  const bench = {
    rules: {
      analysis: { create: (context) => (getFileAnalysis(context), {}) },
      origins: { create: (context) => (getFileAnalysis(context).origins(), {}) },
      gates: {
        create(context) {
          // What each rule asks before its analysis, in its order (a rule stops at its first open gate).
          const analysis = getFileAnalysis(context);
          gates.mayHoldLockText(analysis) || mayLeaveFile(analysis);
          mayLeaveFile(analysis) || gates.mayHoldClockText(analysis, gates.timestampFields);
          mayLeaveFile(analysis) || gates.mayHoldSiteText(analysis);
          return {};
        },
      },
    },
  };
  const languageOptions = { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' };
  const plugins = { coordination: plugin, bench };

  if (key === 'eslint-cli' || key === 'eslint-cli-no-index') {
    // The path `npx eslint` takes: file reading, config lookup per file, formatting left out.
    const eslint = new ESLint({
      cwd: ROOT,
      // The corpus lives under node_modules/, which ESLint ignores by default.
      ignorePatterns: ['!**/node_modules/'],
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          plugins,
          languageOptions,
          ...(key === 'eslint-cli-no-index' ? { settings: { coordination: { projectIndex: false } } } : {}),
          rules: Object.fromEntries(OUR_RULES.map((id) => [id, 'error'])),
        },
      ],
    });
    const results = await eslint.lintFiles(files);
    const reports = results.flatMap((result) => result.messages).filter((message) => message.ruleId?.startsWith('coordination/'));
    console.log(JSON.stringify({ reports: reports.length }));
    return;
  }

  const rules = Object.fromEntries(CONFIGS[key].rules.map((id) => [id, 'error']));
  const settings = CONFIGS[key].settings ? { coordination: CONFIGS[key].settings } : {};
  // Each file under its real path, so that the project index reads the modules it imports; the corpus
  // lives under node_modules/, which ESLint ignores unless told otherwise.
  const config = [
    { ignores: ['!**/node_modules/', '!**/node_modules/.cache/'] },
    { files: ['**/*.ts'], plugins, languageOptions, linterOptions: { reportUnusedDisableDirectives: 'off' }, settings, rules },
  ];
  const linter = new Linter({ configType: 'flat', cwd: ROOT });
  const measured = { parse: 0, rulesTotal: 0, total: 0, rules: {}, perFile: [], perFileParse: [], lines: [], files: [], reports: 0, maxRssKb: 0, heapKeptKb: 0 };
  for (const id of CONFIGS[key].rules) measured.rules[id] = 0;
  // Warm-up: the same files again later, unmeasured now; all of them for a measured second pass.
  const warmUp = CONFIGS[key].passes === 2 ? files : files.slice(0, 40);
  for (const file of warmUp) linter.verify(readFileSync(file, 'utf8'), config, file);
  for (const file of files) {
    const name = relative(CACHE, file);
    const text = readFileSync(file, 'utf8');
    const messages = linter.verifyAndFix(text, config, { filename: file, stats: true, fix: false }).messages;
    const fatal = messages.find((message) => message.fatal);
    if (fatal) throw new Error(`${name}: ${fatal.message}`);
    // Only the configuration's rules: corpus files carry inline-config comments ESLint reports too.
    measured.reports += messages.filter((message) => message.ruleId !== null && message.ruleId in rules).length;
    const pass = linter.getTimes().passes[0];
    measured.parse += pass.parse?.total ?? 0;
    measured.total += pass.total ?? 0;
    let ours = 0;
    for (const [id, { total }] of Object.entries(pass.rules ?? {})) {
      measured.rules[id] += total;
      measured.rulesTotal += total;
      if (OUR_RULES.includes(id)) ours += total;
    }
    measured.perFile.push(ours);
    measured.perFileParse.push(pass.parse?.total ?? 0);
    measured.lines.push(lineCount(text));
    measured.files.push(name);
  }
  measured.maxRssKb = process.resourceUsage().maxRSS;
  globalThis.gc?.();
  measured.heapKeptKb = process.memoryUsage().heapUsed / 1024;
  measured.indexed = indexedModulePaths();
  process.stdout.write(JSON.stringify(measured));
}

/** The text gates of the three rules that have one, and the clock rule's default timestamp fields as it keeps them. */
async function gateModules() {
  const [{ mayHoldLockText }, { mayHoldClockText }, { mayHoldSiteText }, { DEFAULT_TIMESTAMP_FIELDS }] = await Promise.all([
    import('../dist/src/analysis/lock-text.js'),
    import('../dist/src/analysis/clock-text.js'),
    import('../dist/src/analysis/site-text.js'),
    import('../dist/src/model/option-defaults.js'),
  ]);
  const timestampFields = new Set(DEFAULT_TIMESTAMP_FIELDS.map((field) => field.toLowerCase()));
  return { mayHoldLockText, mayHoldClockText, mayHoldSiteText, timestampFields };
}

if (options.child) await child(options.child, JSON.parse(readFileSync(options.list, 'utf8')));
else await main();
