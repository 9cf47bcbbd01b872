// Seeded fuzz run (issue 18), in the style of ESLint's own rule fuzzer: every rule of the plugin on
// random programs, until a time budget is spent.
//   - JavaScript: eslump generates random valid programs (module or script), linted with espree and
//     with typescript-eslint's parser.
//   - TypeScript: real sources (fixtures/, and the bench corpus of scripts/bench-corpus.mjs when it can be
//     downloaded) mutated by dropping, duplicating and swapping tokens and statements and by moving
//     expressions; mutants that no longer parse are dropped, the rest are linted with typescript-eslint's
//     parser.
// Case k of a run has seed `seed + k` and depends on that seed alone, so a failing case prints its seed,
// writes its program to fuzz-failures/, and `npm run fuzz -- --seed N --cases 1` reproduces it
// (`--replay FILE` lints a written program again). A parse failure of a generated program is not a
// failure; any rule exception is (exit 1).
//
//   npm run fuzz                              90 s, seed from today's date (printed)
//   npm run fuzz -- --seconds 600 --seed 42   longer, another seed
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { benchCorpus } from './bench-corpus.mjs';
import { mulberry32 } from './seeded-random.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'fuzz-failures');
const MAX_SOURCE_BYTES = 30_000; // mutants of small files: more cases per second, the same shapes

// Loaded on first use, in the worker threads only.
let eslump;
let tsParser;

if (isMainThread) await main();
else await worker(workerData);

async function main() {
  let options;
  try {
    options = parseArgs({
      options: {
        seconds: { type: 'string', default: '90' },
        seed: { type: 'string' },
        cases: { type: 'string', default: '0' },
        jobs: { type: 'string', default: String(availableParallelism()) },
        replay: { type: 'string' },
      },
    }).values;
  } catch (error) {
    console.error(`fuzz: ${error.message}`);
    process.exit(2);
  }
  if (options.replay) return replay(options.replay);
  // Today's date as a number (20261203): a new seed each day, the same all day.
  const seed = Number(options.seed ?? new Date().toISOString().slice(0, 10).replaceAll('-', ''));
  if (!Number.isSafeInteger(seed)) {
    console.error(`fuzz: --seed must be an integer, got ${options.seed}`);
    process.exit(2);
  }
  const seconds = Number(options.seconds);
  const cases = Number(options.cases);
  const jobs = Math.max(1, Math.min(Number(options.jobs), cases || Infinity));
  const sources = tsSources();
  console.log(`fuzz: seed ${seed}, ${cases > 0 ? `${cases} cases` : `${seconds} s`}, ${jobs} threads, TypeScript mutants from ${sources.label} (${sources.files.fixtures.length} + ${sources.files.bench.length} files)`);

  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  const totals = { js: 0, ts: 0, runs: 0, parseFailures: 0, failures: [] };
  await Promise.all(
    Array.from({ length: jobs }, (_, job) =>
      new Promise((resolve, reject) => {
        const thread = new Worker(fileURLToPath(import.meta.url), { workerData: { seed, job, jobs, deadline, cases, files: sources.files } });
        thread.on('message', (result) => {
          for (const key of ['js', 'ts', 'runs', 'parseFailures']) totals[key] += result[key];
          totals.failures.push(...result.failures);
        });
        thread.on('error', reject);
        thread.on('exit', resolve);
      }),
    ),
  );
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz: ${totals.js + totals.ts} programs (${totals.js} eslump JavaScript, ${totals.ts} TypeScript mutants) in ${elapsed} s, ` +
      `${totals.runs} lint runs, ${totals.parseFailures} mutants dropped for not parsing`,
  );
  console.log(`rule exceptions: ${totals.failures.length}`);
  if (totals.failures.length > 0) mkdirSync(OUT, { recursive: true });
  totals.failures.sort((a, b) => a.seed - b.seed);
  for (const failure of totals.failures) {
    const file = join(OUT, `seed-${failure.seed}${failure.ext}`);
    writeFileSync(file, failure.code);
    console.log(`  seed ${failure.seed} [${failure.mode}] ${failure.exception}`);
    console.log(`    program: ${file}; reproduce: npm run fuzz -- --seed ${failure.seed} --cases 1 (or --replay ${join('fuzz-failures', `seed-${failure.seed}${failure.ext}`)})`);
  }
  process.exitCode = totals.failures.length > 0 ? 1 : 0;
}

/**
 * The TypeScript sources the mutants start from: the repository's fixtures (the corpus and the demo,
 * code that reaches every rule's deeper checks) and the bench corpus (when it can be downloaded).
 */
function tsSources() {
  const dir = join(ROOT, 'fixtures');
  const fixtures = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  try {
    const bench = benchCorpus().filter((file) => readFileSync(file).length <= MAX_SOURCE_BYTES);
    return { label: `fixtures/ and the bench corpus`, files: { fixtures, bench } };
  } catch (error) {
    console.log(`fuzz: bench corpus unavailable (${String(error.message).split('\n')[0]}); mutating fixtures/ only`);
    return { label: 'fixtures/', files: { fixtures, bench: [] } };
  }
}

/** Lints a written program again, in every parser mode its extension takes. */
async function replay(file) {
  const { lintOnce, modesFor } = await import('./crash-lint.mjs');
  const code = readFileSync(file, 'utf8');
  let failed = false;
  for (const mode of modesFor(file)) {
    const result = lintOnce(code, `fuzz${extname(file)}`, mode);
    if (result.exception) failed = true;
    console.log(`[${mode}] ${result.exception ?? (result.parseError ? `parse error: ${result.parseError}` : `no rule exception, ${result.messages.length} messages`)}`);
  }
  process.exitCode = failed ? 1 : 0;
}


/** One thread's share of the run: the cases seed + job, seed + job + jobs, … until the deadline. */
async function worker({ seed, job, jobs, deadline, cases, files }) {
  const { lintOnce } = await import('./crash-lint.mjs');
  const tally = { js: 0, ts: 0, runs: 0, parseFailures: 0, failures: [] };
  for (let k = job; cases > 0 ? k < cases : Date.now() < deadline; k += jobs) {
    const caseSeed = seed + k;
    const { program, dropped } = await generate(caseSeed, files);
    tally.parseFailures += dropped;
    if (!program) continue;
    tally[program.kind] += 1;
    for (const mode of program.modes) {
      tally.runs += 1;
      const result = lintOnce(program.code, `fuzz${program.ext}`, mode);
      if (result.exception) tally.failures.push({ seed: caseSeed, mode, ext: program.ext, code: program.code, exception: result.exception });
    }
    if (tally.failures.length >= 20) break;
  }
  parentPort.postMessage(tally);
}

/**
 * The program of one case, from its seed alone: an even seed is eslump's JavaScript, an odd one a
 * mutant of a TypeScript source (none when eight tries gave no mutant that parses); `dropped` counts
 * the mutants that did not parse.
 */
async function generate(caseSeed, files) {
  const random = mulberry32(caseSeed);
  if (caseSeed % 2 === 0) {
    eslump ??= (await import('eslump')).default;
    const sourceType = random() < 0.5 ? 'module' : 'script';
    const original = Math.random;
    // eslump draws from Math.random: the seeded generator makes its program a function of the seed.
    Math.random = random;
    let code;
    try {
      code = eslump.generateRandomJS({ sourceType, maxDepth: 3 + Math.floor(random() * 5), comments: random() < 0.3, whitespace: random() < 0.3 });
    } finally {
      Math.random = original;
    }
    return { program: { kind: 'js', code, ext: sourceType === 'module' ? '.js' : '.cjs', modes: ['espree', 'ts'] }, dropped: 0 };
  }
  tsParser ??= (await import('@typescript-eslint/parser')).default;
  // Half from the fixtures, half from the bench corpus.
  const pool = files.bench.length === 0 || random() < 0.5 ? files.fixtures : files.bench;
  const file = pool[Math.floor(random() * pool.length)];
  const source = readFileSync(file, 'utf8');
  let dropped = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const code = mutate(source, random, 1 + Math.floor(random() * 4));
    if (code !== undefined && parses(code)) return { program: { kind: 'ts', code, ext: '.ts', modes: ['ts'] }, dropped };
    dropped += 1;
  }
  return { program: undefined, dropped };
}

function parses(code) {
  try {
    tsParser.parse(code, { range: true, sourceType: 'module', ecmaVersion: 'latest' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies `count` random edits to `code`: drop, duplicate or swap a token or a statement, or move an
 * expression to another's place (`a.created_at < b.created_at` into a `map(…)` callback, say).
 */
function mutate(code, random, count) {
  let text = code;
  for (let i = 0; i < count; i++) {
    let ast;
    try {
      ast = tsParser.parse(text, { range: true, tokens: true, sourceType: 'module', ecmaVersion: 'latest' });
    } catch {
      return undefined;
    }
    const slice = (unit) => text.slice(unit.range[0], unit.range[1]);
    const draw = (list) => list[Math.floor(random() * list.length)];
    const r = random();
    if (r < 0.3) {
      // an expression in another's place, or two expressions swapped
      const expressions = nodes(ast).filter((node) => /Expression$|^Identifier$|^Literal$/.test(node.type) && node.range[1] - node.range[0] < 400);
      const a = draw(expressions);
      const b = draw(expressions);
      if (!a || !b || a === b || !(a.range[1] <= b.range[0] || b.range[1] <= a.range[0])) continue;
      if (random() < 0.5) text = text.slice(0, a.range[0]) + slice(b) + text.slice(a.range[1]);
      else text = swap(text, a, b);
      continue;
    }
    const useTokens = r < 0.65;
    const units = useTokens ? ast.tokens : (draw(statementLists(ast)) ?? []);
    if (units.length === 0) continue;
    const a = draw(units);
    const op = Math.floor(random() * 3);
    if (op === 0) text = text.slice(0, a.range[0]) + text.slice(a.range[1]);
    else if (op === 1) text = text.slice(0, a.range[1]) + (useTokens ? ' ' : '\n') + slice(a) + text.slice(a.range[1]);
    else {
      // Tokens swap with a neighbour (a wider swap almost never parses); statements within their list.
      const b = useTokens ? units[units.indexOf(a) + 1] : draw(units);
      if (!b || b === a) continue;
      text = swap(text, a, b);
    }
  }
  return text === code ? undefined : text;
}

/** `text` with the (disjoint) ranges of `a` and `b` exchanged. */
function swap(text, a, b) {
  const [first, second] = a.range[0] < b.range[0] ? [a, b] : [b, a];
  const slice = (unit) => text.slice(unit.range[0], unit.range[1]);
  return text.slice(0, first.range[0]) + slice(second) + text.slice(first.range[1], second.range[0]) + slice(first) + text.slice(second.range[1]);
}

/** Every node of the program, depth first. */
function nodes(ast) {
  const all = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    all.push(node);
    for (const key of Object.keys(node)) {
      if (key === 'parent' || key === 'range' || key === 'loc' || key === 'tokens' || key === 'comments') continue;
      const value = node[key];
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast);
  return all;
}

/** Every list of statements or members in the program: bodies of the program, blocks, classes and cases. */
function statementLists(ast) {
  const lists = [];
  for (const node of nodes(ast)) {
    if ((node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'ClassBody' || node.type === 'TSModuleBlock') && node.body.length) lists.push(node.body);
    if (node.type === 'SwitchCase' && node.consequent.length) lists.push(node.consequent);
  }
  return lists;
}
