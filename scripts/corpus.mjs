// Precision and recall of each rule on its labelled corpus (fixtures/corpus/<rule>/).
// A line ending in `// expect: <rule>` must be reported by that rule; any other report is a false
// positive. Usage: node scripts/corpus.mjs [--rule name] [--verbose] [--min-precision 0.9] [--min-recall 0.8]
// Each rule runs at minConfidence 'low', so the gate holds detection (what the rule finds, at any grade);
// `TP at high` counts the positives graded high, which configs.recommended would show.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from 'eslint-plugin-coordination';

let args;
try {
  args = parseArgs({
    options: {
      rule: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'min-precision': { type: 'string', default: '0' },
      'min-recall': { type: 'string', default: '0' },
    },
  }).values;
} catch (error) {
  console.error(`corpus: ${error.message}`);
  process.exit(2);
}

const root = new URL('../fixtures/corpus/', import.meta.url).pathname;
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(?:[cm]?[jt]s)$/.test(name) ? [path] : [];
  });

const linter = new Linter({ configType: 'flat' });
let failed = false;
const rules = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory() && (!args.rule || name === args.rule));
console.log('rule                      files  expected  reported  TP  FP  FN  precision  recall  TP at high');
for (const rule of rules) {
  if (!plugin.rules[rule]) {
    console.log(`${rule.padEnd(26)}(no such rule yet)`);
    continue;
  }
  let expected = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let reported = 0;
  const highLines = new Set();
  const notes = [];
  const ruleFiles = files(join(root, rule));
  for (const file of ruleFiles) {
    const code = readFileSync(file, 'utf8');
    const lines = code.split('\n');
    const want = new Set(lines.flatMap((line, i) => (new RegExp(`//\\s*expect:\\s*${rule}\\b`).test(line) ? [i + 1] : [])));
    const isTs = /\.[cm]?ts$/.test(file);
    const messages = linter.verify(
      code,
      [
        {
          files: ['**/*.*'],
          plugins: { coordination: plugin },
          languageOptions: {
            ...(isTs ? { parser: tsParser } : {}),
            sourceType: file.endsWith('.cjs') ? 'commonjs' : 'module',
          },
          // Every grade: the gate checks what the rule finds. Grades are earned on real code (the audit),
          // not on this corpus, so the gate does not hold them; the `high` column shows where they fall.
          rules: { [`coordination/${rule}`]: ['error', { minConfidence: 'low' }] },
          settings: { coordination: { siteRecords: true } },
        },
      ],
      { filename: file },
    );
    for (const message of messages.filter((m) => m.fatal)) {
      failed = true;
      notes.push(`  PARSE ${relative(root, file)}:${message.line} ${message.message}`);
    }
    const own = messages.filter((m) => m.ruleId === `coordination/${rule}`);
    const got = new Set(own.map((m) => m.line));
    for (const m of own) if (want.has(m.line) && /"confidence":"high"/.test(m.message)) highLines.add(`${file}:${m.line}`);
    expected += want.size;
    reported += got.size;
    for (const line of got) {
      if (want.has(line)) tp += 1;
      else {
        fp += 1;
        notes.push(`  FP ${relative(root, file)}:${line}  ${lines[line - 1].trim().slice(0, 110)}`);
      }
    }
    for (const line of want) {
      if (!got.has(line)) {
        fn += 1;
        notes.push(`  FN ${relative(root, file)}:${line}  ${lines[line - 1].trim().slice(0, 110)}`);
      }
    }
  }
  const precision = reported === 0 ? 1 : tp / (tp + fp);
  const recall = expected === 0 ? 1 : tp / expected;
  console.log(
    `${rule.padEnd(26)}${String(ruleFiles.length).padStart(5)}${String(expected).padStart(10)}${String(reported).padStart(10)}${String(tp).padStart(4)}${String(fp).padStart(4)}${String(fn).padStart(4)}${precision.toFixed(2).padStart(11)}${recall.toFixed(2).padStart(8)}${String(highLines.size).padStart(12)}`,
  );
  if (args.verbose) for (const note of notes) console.log(note);
  if (precision < Number(args['min-precision']) || recall < Number(args['min-recall'])) failed = true;
}
process.exitCode = failed ? 1 : 0;
