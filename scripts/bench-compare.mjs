// A change's speed and diagnostics against a base revision, in one process (issue 28). `npm run bench`
// measures each configuration in a child process of its own; on a shared machine two runs of the same
// build there differ by 10-25 %, more than most changes. Here the base and the working tree lint the same
// files in one process, file by file, in alternating order, so drift hits both alike; the same build
// against itself reads 1.04 for the four rules in one round of the full corpus (`--base HEAD` on a clean
// tree is that control), up to 1.12 for one rule.
//
//   npm run bench:compare -- --base <rev> [--limit N] [--rounds R] [--rules a,b] [--no-index]
//                            [--project <dir> [--under src,test]]
//
// `--project` lints a project of one's own instead of the bench corpus (typeorm's `src` and `test` are the
// issue's second corpus), from that folder as ESLint's working directory.
//
// The base is checked out once per commit as a git worktree under node_modules/.cache/coordination-compare/
// (ignored by git and ESLint) and built there with the working tree's node_modules. Prints each rule's
// milliseconds for both and their ratio (working tree / base), and every diagnostic that differs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, benchCorpus, projectSources, sampleOf } from './bench-corpus.mjs';

const RULES = ['no-global-lock', 'no-sync-fan-out', 'no-wall-clock-ordering', 'no-coordination-in-loop'];

let options;
try {
  options = parseArgs({
    options: {
      base: { type: 'string' },
      limit: { type: 'string', default: '0' },
      rounds: { type: 'string', default: '1' },
      rules: { type: 'string', default: RULES.join(',') },
      'no-index': { type: 'boolean', default: false },
      project: { type: 'string' },
      under: { type: 'string' },
    },
  }).values;
  if (options.under !== undefined && options.project === undefined) throw new Error('--under needs --project <dir>');
  if (!options.base) throw new Error('--base <rev> is required');
  if (!/^\d+$/.test(options.limit) || !/^[1-9]\d*$/.test(options.rounds)) throw new Error('--limit takes a count (0: every file), --rounds a positive count');
  for (const name of options.rules.split(',')) if (!RULES.includes(name)) throw new Error(`unknown rule ${name}`);
} catch (error) {
  console.error(`bench:compare: ${error.message}`);
  process.exit(2);
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The base revision built once in a worktree of its own; returns its plugin entry. */
function baseBuild(rev) {
  const sha = git('rev-parse', '--verify', `${rev}^{commit}`);
  const dir = join(ROOT, 'node_modules/.cache/coordination-compare', sha.slice(0, 12));
  const entry = join(dir, 'dist/src/index.js');
  if (existsSync(entry)) return { sha, entry };
  mkdirSync(join(dir, '..'), { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) {
    git('worktree', 'prune');
    git('worktree', 'add', '--detach', dir, sha);
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  return { sha, entry };
}

const project = options.project === undefined ? undefined : resolve(options.project);
let files;
try {
  files = sampleOf(project ? projectSources(project, options.under?.split(',').filter(Boolean) ?? []) : benchCorpus(), Number(options.limit));
  if (files.length === 0) throw new Error(`no TypeScript file under ${project}`);
} catch (error) {
  console.error(`bench:compare: ${error.message}`);
  process.exit(2);
}
const shown = (file) => (project ? relative(project, file) : file.split('coordination-bench/').pop());

let base;
try {
  base = baseBuild(options.base);
} catch (error) {
  console.error(`bench:compare: cannot build ${options.base}: ${(error.stderr?.toString() || error.message).trim().split('\n')[0]}`);
  process.exit(2);
}
const [{ Linter }, { default: tsParser }, { default: basePlugin }, { default: headPlugin }] = await Promise.all([
  import('eslint'),
  import('@typescript-eslint/parser'),
  import(pathToFileURL(base.entry).href),
  import(pathToFileURL(join(ROOT, 'dist/src/index.js')).href),
]);

const rules = options.rules.split(',');
const settings = options['no-index'] ? { coordination: { projectIndex: false } } : {};
const configOf = (plugin) => [
  { ignores: ['!**/node_modules/', '!**/node_modules/.cache/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { coordination: plugin },
    languageOptions: { parser: tsParser },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    settings,
    rules: Object.fromEntries(rules.map((name) => [`coordination/${name}`, 'error'])),
  },
];
const sides = { base: configOf(basePlugin), head: configOf(headPlugin) };
const linter = new Linter({ configType: 'flat', cwd: project ?? ROOT });
const texts = files.map((file) => readFileSync(file, 'utf8'));

const lint = (side, index) => linter.verifyAndFix(texts[index], sides[side], { filename: files[index], stats: true, fix: false }).messages;
const key = (message) => `${message.line}:${message.column} ${message.ruleId} ${message.message}`;
// Unmeasured: the JIT warms up on both before anything counts.
for (let index = 0; index < Math.min(40, files.length); index++) for (const side of ['base', 'head']) lint(side, index);

const times = { base: {}, head: {} };
const differences = [];
for (let round = 0; round < Number(options.rounds); round++) {
  for (let index = 0; index < files.length; index++) {
    const seen = {};
    for (const side of (index + round) % 2 ? ['base', 'head'] : ['head', 'base']) {
      seen[side] = lint(side, index).map(key);
      for (const [id, { total }] of Object.entries(linter.getTimes().passes[0].rules ?? {})) times[side][id] = (times[side][id] ?? 0) + total;
    }
    if (round === 0 && seen.base.join('\n') !== seen.head.join('\n')) differences.push({ file: files[index], base: seen.base, head: seen.head });
  }
}

const sum = (side) => Object.values(times[side]).reduce((total, ms) => total + ms, 0);
console.log(`${files.length} files${project ? ` of ${project}` : ''}, ${options.rounds} round(s), project index ${options['no-index'] ? 'off' : 'on'}; base ${base.sha.slice(0, 12)} (${options.base}) against the working tree`);
console.log(`${'rule'.padEnd(36)}${'base'.padStart(10)}${'head'.padStart(10)}${'head/base'.padStart(11)}`);
for (const name of rules) {
  const id = `coordination/${name}`;
  console.log(`${name.padEnd(36)}${`${(times.base[id] ?? 0).toFixed(0)} ms`.padStart(10)}${`${(times.head[id] ?? 0).toFixed(0)} ms`.padStart(10)}${((times.head[id] ?? 0) / (times.base[id] || 1)).toFixed(3).padStart(11)}`);
}
console.log(`${'together'.padEnd(36)}${`${sum('base').toFixed(0)} ms`.padStart(10)}${`${sum('head').toFixed(0)} ms`.padStart(10)}${(sum('head') / (sum('base') || 1)).toFixed(3).padStart(11)}`);
console.log(`diagnostics: ${differences.length === 0 ? 'identical' : `${differences.length} file(s) differ`}`);
for (const { file, base: before, head: after } of differences.slice(0, 10)) {
  console.log(`  ${shown(file)}`);
  for (const line of before.filter((entry) => !after.includes(entry))) console.log(`    - ${line}`);
  for (const line of after.filter((entry) => !before.includes(entry))) console.log(`    + ${line}`);
}
process.exitCode = differences.length === 0 ? 0 : 1;
