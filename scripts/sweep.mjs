// Crash sweep: every .js/.cjs/.mjs/.ts/.mts/.cts/.d.ts file under node_modules, linted file by file
// with Linter and configs.all (ESLint would ignore node_modules), recording each rule exception with
// its file. Parse errors of the inputs are counted, not failures. Exits 1 on any rule exception or
// when fewer files than the floor were linted.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from 'eslint-plugin-coordination';

let options;
try {
  options = parseArgs({ options: { floor: { type: 'string', default: '4000' }, root: { type: 'string', default: 'node_modules' } } }).values;
} catch (error) {
  console.error(`sweep: ${error.message}`);
  process.exit(2);
}
const root = new URL(`../${options.root}/`, import.meta.url).pathname;
const EXTENSIONS = /\.(?:[cm]?js|[cm]?ts)$/;
const MAX_BYTES = 2_000_000; // generated bundles beyond this only slow the sweep, they test nothing new

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Dot folders hold caches (node_modules/.cache), not installed packages.
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) yield* files(path);
    } else if (entry.isFile() && EXTENSIONS.test(entry.name)) yield path;
  }
}

const rules = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error']));
const linter = new Linter({ configType: 'flat' });
const configFor = (file) => [
  {
    // A pattern ending in `*` does not make a file lintable on its own (ESLint lints only .js, .mjs and
    // .cjs then, and answers "No matching configuration" for .ts): `**/*.*` names an extension.
    files: ['**/*.*'],
    plugins: { coordination: plugin },
    languageOptions: {
      ...(/\.[cm]?ts$/.test(file) ? { parser: tsParser } : {}),
      ecmaVersion: 'latest',
      sourceType: file.endsWith('.cjs') ? 'commonjs' : 'module',
    },
    linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
    rules,
  },
];

const started = Date.now();
let linted = 0;
let parseErrors = 0;
let skipped = 0;
const exceptions = [];
const unlinted = []; // files the config did not take: a sweep that lints nothing must not pass
const sites = {};
const slowest = [];
for (const file of files(root)) {
  if (statSync(file).size > MAX_BYTES) {
    skipped += 1;
    continue;
  }
  const code = readFileSync(file, 'utf8');
  const t0 = performance.now();
  let messages;
  try {
    // A name without node_modules in it: ESLint ignores those paths by default, nested ones included.
    const filename = join('swept', relative(root, file)).split(sep).map((part) => (part === 'node_modules' ? 'nm' : part)).join(sep);
    messages = linter.verify(code, configFor(file), { filename });
  } catch (error) {
    exceptions.push(`${relative(root, file)}: ${String(error?.message ?? error).split('\n')[0]}`);
    continue;
  }
  const ms = performance.now() - t0;
  linted += 1;
  slowest.push([ms, relative(root, file)]);
  if (slowest.length > 40) slowest.sort((a, b) => b[0] - a[0]).splice(10);
  for (const message of messages) {
    if (message.fatal) parseErrors += 1;
    else if (!message.ruleId && message.message.startsWith('No matching configuration')) unlinted.push(relative(root, file));
    else if (message.ruleId) sites[message.ruleId] = (sites[message.ruleId] ?? 0) + 1;
  }
}
slowest.sort((a, b) => b[0] - a[0]);
console.log(`sweep: ${linted} files linted in ${((Date.now() - started) / 1000).toFixed(1)} s, ${parseErrors} parse errors of inputs, ${skipped} files over ${MAX_BYTES} bytes skipped`);
console.log(`sites per rule: ${JSON.stringify(sites)}`);
console.log(`slowest files: ${slowest.slice(0, 5).map(([ms, file]) => `${file} ${ms.toFixed(0)} ms`).join('; ')}`);
console.log(`rule exceptions: ${exceptions.length}`);
for (const exception of exceptions) console.log(`  ${exception}`);
console.log(`files the config did not take: ${unlinted.length}`);
for (const file of unlinted.slice(0, 10)) console.log(`  ${file}`);
const floor = Number(options.floor);
if (linted < floor) console.log(`sweep: only ${linted} files linted, below the floor of ${floor}`);
process.exitCode = exceptions.length > 0 || unlinted.length > 0 || linted < floor ? 1 : 0;
