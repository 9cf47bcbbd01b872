// Crash sweep: every .js/.cjs/.mjs/.jsx/.ts/.mts/.cts/.tsx/.d.ts file under node_modules, and the bench's
// pinned corpus of 2,034 TypeScript sources (scripts/bench-corpus.mjs: RxJS, effect, Temporal, tRPC,
// TanStack …), linted file by file with Linter and every rule, in each parser mode that applies
// (scripts/crash-lint.mjs: typescript-eslint's parser for TypeScript; espree and typescript-eslint's
// parser for JavaScript), on worker threads (--jobs, default one per core). Records each rule exception
// with its file. Parse errors of the inputs are counted, not failures. Exits 1 on any rule exception
// or when fewer files than the floor were linted.
//
//   npm run sweep                                   node_modules and the bench corpus
//   npm run sweep -- --root /tmp/x --root /tmp/y    other trees instead (absolute, or relative to the repo)
//   npm run sweep -- --root /tmp/x --bench          other trees and the bench corpus
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const EXTENSIONS = /\.(?:[cm]?jsx?|[cm]?tsx?)$/;
const MAX_BYTES = 2_000_000; // generated bundles beyond this only slow the sweep, they test nothing new

if (isMainThread) await main();
else await worker();

async function main() {
  let options;
  try {
    options = parseArgs({
      options: {
        floor: { type: 'string' },
        root: { type: 'string', multiple: true },
        bench: { type: 'boolean', default: false },
        jobs: { type: 'string', default: String(availableParallelism()) },
      },
    }).values;
  } catch (error) {
    console.error(`sweep: ${error.message}`);
    process.exit(2);
  }
  const { ROOT, benchCorpus } = await import('./bench-corpus.mjs');
  const { modesFor } = await import('./crash-lint.mjs');
  const explicit = options.root !== undefined;
  const roots = (options.root ?? ['node_modules']).map((root) => ({ label: basename(resolve(ROOT, root)), dir: resolve(ROOT, root), files: [...files(resolve(ROOT, root))] }));
  if (!explicit || options.bench) {
    const cache = join(ROOT, 'node_modules/.cache/coordination-bench');
    let corpus;
    try {
      corpus = benchCorpus();
    } catch (error) {
      // npm pack needs the registry: say so rather than sweep less than CI expects
      console.error(`sweep: could not fetch the bench corpus: ${String(error.message).split('\n')[0]}`);
      process.exit(2);
    }
    roots.push({ label: 'bench corpus', dir: cache, files: corpus });
  }
  const floor = Number(options.floor ?? (explicit ? '1' : '4000'));

  const tasks = [];
  const skipped = [];
  for (const [index, root] of roots.entries()) {
    for (const file of root.files) {
      const size = statSync(file).size;
      if (size > MAX_BYTES) {
        skipped.push(file);
        continue;
      }
      // A name without node_modules in it: ESLint ignores those paths by default, nested ones included.
      const name = relative(root.dir, file);
      const filename = join('swept', String(index), name).split(sep).map((part) => (part === 'node_modules' ? 'nm' : part)).join(sep);
      for (const mode of modesFor(file)) tasks.push({ root: index, file, name, filename, mode, size });
    }
  }
  // Largest first: the long files start early and the workers finish together.
  tasks.sort((a, b) => b.size - a.size);

  const started = Date.now();
  const results = await runOnWorkers(tasks, Math.max(1, Number(options.jobs)));
  const seconds = (Date.now() - started) / 1000;

  const exceptions = [];
  const unlinted = [];
  const sites = {};
  const slowest = [];
  const perRoot = roots.map(() => ({ files: new Set(), runs: 0, parseErrors: 0, modes: {} }));
  for (const [i, result] of results.entries()) {
    const task = tasks[i];
    const stats = perRoot[task.root];
    if (result.exception) {
      exceptions.push(`${roots[task.root].label}/${task.name} [${task.mode}]: ${result.exception}`);
      continue;
    }
    stats.files.add(task.file);
    stats.runs += 1;
    stats.modes[task.mode] = (stats.modes[task.mode] ?? 0) + 1;
    if (result.parseError) stats.parseErrors += 1;
    if (result.unlinted) unlinted.push(`${roots[task.root].label}/${task.name}`);
    for (const [rule, count] of Object.entries(result.sites)) sites[rule] = (sites[rule] ?? 0) + count;
    slowest.push([result.ms, `${task.name} [${task.mode}]`]);
  }
  slowest.sort((a, b) => b[0] - a[0]);
  const linted = perRoot.reduce((sum, stats) => sum + stats.files.size, 0);
  console.log(`sweep: ${linted} files (${tasks.length} file × parser runs) linted in ${seconds.toFixed(1)} s on ${options.jobs} threads, ${skipped.length} files over ${MAX_BYTES} bytes skipped`);
  for (const [index, root] of roots.entries()) {
    const stats = perRoot[index];
    console.log(`  ${root.label}: ${stats.files.size} files, runs per parser ${JSON.stringify(stats.modes)}, ${stats.parseErrors} parse errors of inputs`);
  }
  console.log(`sites per rule: ${JSON.stringify(sites)}`);
  console.log(`slowest files: ${slowest.slice(0, 5).map(([ms, file]) => `${file} ${ms.toFixed(0)} ms`).join('; ')}`);
  console.log(`rule exceptions: ${exceptions.length}`);
  for (const exception of exceptions) console.log(`  ${exception}`);
  console.log(`files the config did not take: ${unlinted.length}`);
  for (const file of unlinted.slice(0, 10)) console.log(`  ${file}`);
  if (linted < floor) console.log(`sweep: only ${linted} files linted, below the floor of ${floor}`);
  process.exitCode = exceptions.length > 0 || unlinted.length > 0 || linted < floor ? 1 : 0;
}

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Dot folders hold caches (node_modules/.cache, .git), not sources.
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) yield* files(path);
    } else if (entry.isFile() && EXTENSIONS.test(entry.name)) yield path;
  }
}

/** Hands the tasks out to `jobs` worker threads in small batches; answers one result per task, in order. */
function runOnWorkers(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const BATCH = 16;
  return new Promise((resolvePromise, reject) => {
    let running = 0;
    const feed = (worker) => {
      if (next >= tasks.length) {
        worker.terminate();
        running -= 1;
        if (running === 0) resolvePromise(results);
        return;
      }
      const start = next;
      next = Math.min(tasks.length, next + BATCH);
      worker.postMessage({ start, tasks: tasks.slice(start, next).map(({ file, filename, mode }) => ({ file, filename, mode })) });
    };
    for (let j = 0; j < Math.min(jobs, tasks.length || 1); j++) {
      const worker = new Worker(fileURLToPath(import.meta.url));
      running += 1;
      worker.on('message', ({ start, batch }) => {
        for (const [k, result] of batch.entries()) results[start + k] = result;
        feed(worker);
      });
      worker.on('error', reject);
      feed(worker);
    }
    if (tasks.length === 0) resolvePromise(results);
  });
}

async function worker() {
  const { lintOnce } = await import('./crash-lint.mjs');
  parentPort.on('message', ({ start, tasks }) => {
    const batch = tasks.map(({ file, filename, mode }) => {
      const code = readFileSync(file, 'utf8');
      const t0 = performance.now();
      const result = lintOnce(code, filename, mode);
      const ms = performance.now() - t0;
      if (result.exception) return { exception: result.exception };
      const sites = {};
      for (const message of result.messages) if (message.ruleId) sites[message.ruleId] = (sites[message.ruleId] ?? 0) + 1;
      return { ms, sites, parseError: result.parseError !== undefined, unlinted: result.unlinted };
    });
    parentPort.postMessage({ start, batch });
  });
}
