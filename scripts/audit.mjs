// Real-code audit (issue 13): precision of each rule on public services no one here wrote, against
// hand labels, and recall on a hand-labelled sample of sites the rules did not report.
//
// Usage: node scripts/audit.mjs <mirror-folder> [--repo owner/name …] [--round N] [--half tuning|blind]
//                                [--list] [--out DIR]
//
//   <mirror-folder>  where the repositories were fetched, one folder per repository named
//                    `<owner>+<name>` (or `<owner>/<name>`) holding a bare git directory, either
//                    itself or one or two levels down (the `fetch` tool writes `<owner>+<name>/repo`).
//   --repo owner/name  audit only that repository of fixtures/audit/repos.json (repeatable).
//   --round N        audit only the entries of that round (`"round": N` in repos.json).
//   --half tuning|blind  audit only the entries of that half (round 2 on: `"half"` in repos.json).
//   --list           print the current reports as JSON lines (one per report, with the label's
//                    verdict when there is one) instead of the summary: the input for labelling.
//   --stored DIR     score reports stored earlier by --out (DIR/<owner>+<name>.jsonl) instead of linting:
//                    the blind half is linted once per rule state and labelled later from those files.
//                    The mirror folder is still named, and not read.
//   --min-confidence high|medium|low  count only reports graded at least so (what `minConfidence`
//                    lets through; reports stored before grades existed have none and always count).
//   --out DIR        write the same JSON lines as --list, one file per repository,
//                    DIR/<owner>+<name>.jsonl (an empty file when a repository has no report), and
//                    print one line per repository with its file count and report count only.
// The filters combine (a repository must pass every one given).
//
// For each entry of fixtures/audit/repos.json ({repo, commit, domain, packages, include, exclude}),
// the tree at the recorded commit is extracted into a temporary folder as an installed checkout has it
// for the project index (every source file, package.json and tsconfig; workspace packages linked under
// node_modules/ by name), and every .ts/.tsx/.mts/.cts/.js/.jsx/.mjs/.cjs file under the include prefixes
// there (not .d.ts, not under node_modules/, dist/ or build/, not under an exclude prefix, not over
// 2 MB) is linted file by file with `Linter` and configs.all, syntactically: @typescript-eslint/parser
// for TypeScript (jsx on for .tsx), espree with jsx for JavaScript (CommonJS for .cjs and for a .js
// without import/export). The filename given to the rules is the absolute path inside the temporary
// folder, so path-based exemptions (seed/, migrations/) see the repository's own folders.
//
// Labels are fixtures/audit/labels/<owner>+<name>.json:
//   {repo, commit, sites: [{path, line, rule, messageId, verdict: 'right'|'wrong', reason}],
//    sampled: [{path, line, kind, smell, rule?, reason}]}
// A report matches a site label by path + rule + line (a rule may be written with or without the
// `coordination/` prefix). The summary gives, per repository and in total, per rule: reports,
// labelled right, labelled wrong, unlabelled, precision = right / (right + wrong) with its 95% Wilson
// score interval; the reports with no
// label (new) and the labels with no report any more (gone, with their verdict); and the recall
// sample: sampled smells caught (a report of the smell's rule on the same path and line) and missed,
// plus sampled non-smells that are now reported.
//
// Exit 0 whatever the numbers say; exit 2, with one line on stderr, for a usage or I/O error (a
// repository missing from the mirror folder, a commit it does not have, unreadable JSON). Not part of
// CI: it needs the fetched repositories and takes minutes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from 'eslint-plugin-coordination';

const USAGE = 'usage: node scripts/audit.mjs <mirror-folder> [--repo owner/name …] [--round N] [--half tuning|blind] [--list] [--out DIR] [--stored DIR] [--min-confidence high|medium|low] [--settings JSON]';
const auditRoot = new URL('../fixtures/audit/', import.meta.url).pathname;
const EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.git']);
const MAX_BYTES = 2_000_000;
const PREFIX = 'coordination/';

class AuditError extends Error {}

/** `settings.coordination` for every file (`--settings '{"projectIndex":false}'`); default settings otherwise. */
let coordinationSettings;

function fail(message) {
  console.error(`audit: ${message}`);
  process.exit(2);
}

const shortRule = (rule) => (String(rule).startsWith(PREFIX) ? String(rule).slice(PREFIX.length) : String(rule));
const fullRule = (rule) => `${PREFIX}${shortRule(rule)}`;
const ruleNames = Object.keys(plugin.rules).map(fullRule).sort();

function readJson(path, fallback) {
  if (fallback !== undefined && !existsSync(path)) return fallback;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AuditError(`cannot read ${relative(process.cwd(), path) || path}: ${String(error.message).split('\n')[0]}`);
  }
}

const isGitDir = (dir) => existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'));

/** The bare git directory of `owner/name` under the mirror folder, searched two levels down. */
function findGitDir(mirror, repo) {
  const [owner, name] = repo.split('/');
  for (const base of [join(mirror, `${owner}+${name}`), join(mirror, owner, name)]) {
    if (!existsSync(base)) continue;
    const queue = [[base, 0]];
    while (queue.length > 0) {
      const [dir, depth] = queue.shift();
      if (isGitDir(dir)) return dir;
      if (existsSync(join(dir, '.git')) && isGitDir(join(dir, '.git'))) return join(dir, '.git');
      if (depth >= 2) continue;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) queue.push([join(dir, entry.name), depth + 1]);
      }
    }
  }
  throw new AuditError(`${repo}: no git directory under ${mirror} (fetch it first, or pass --repo)`);
}

function git(gitDir, args) {
  try {
    return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (error) {
    throw new AuditError(`git ${args[0]} in ${gitDir}: ${String(error.stderr || error.message).trim().split('\n')[0]}`);
  }
}

/** Source and configuration files: what the project index reads besides the linted folders. */
const CONTEXT_FILE = /(?:\.(?:[cm]?[jt]s|[jt]sx)|(?:^|\/)(?:package|tsconfig[^/]*|jsconfig)\.json)$/;

/**
 * Extracts the tree at `commit` into `dest` as a checkout with its dependencies installed would have it
 * for the project index: every source file and every package.json and tsconfig, with each workspace
 * package linked under node_modules/ by its name. Only the include prefixes are linted.
 */
function extract(gitDir, entry, dest) {
  git(gitDir, ['cat-file', '-e', `${entry.commit}^{commit}`]);
  const listed = git(gitDir, ['ls-tree', '-r', '-z', '--name-only', entry.commit]).split('\0');
  const wanted = listed.filter((path) => path && CONTEXT_FILE.test(path) && !path.split('/').includes('node_modules'));
  // One `git cat-file --batch` reads every file: no command line holds tens of thousands of paths, and a
  // file the snapshot lists but does not hold (too large, Git LFS) is only missing context.
  const batch = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], {
    input: wanted.map((path) => `${entry.commit}:${path}`).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  if (batch.status !== 0) throw new AuditError(`git cat-file in ${gitDir}: ${String(batch.stderr).trim().split('\n')[0]}`);
  const out = batch.stdout;
  let offset = 0;
  for (const path of wanted) {
    const headerEnd = out.indexOf(10, offset);
    const header = out.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) continue; // "<object> missing"
    const size = Number(match[2]);
    if (match[1] === 'blob') {
      mkdirSync(dirname(join(dest, path)), { recursive: true });
      writeFileSync(join(dest, path), out.subarray(offset, offset + size));
    }
    offset += size + 1;
  }
  // What `npm install` / `pnpm install` makes of workspaces: each package reachable by its name.
  for (const path of wanted.filter((candidate) => candidate.endsWith('package.json') && candidate !== 'package.json')) {
    let name;
    try {
      name = JSON.parse(readFileSync(join(dest, path), 'utf8')).name;
    } catch {
      continue;
    }
    if (typeof name !== 'string' || !/^(?:@[\w.-]+\/)?[\w.-]+$/.test(name)) continue;
    const link = join(dest, 'node_modules', name);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(dest, dirname(path)), link, 'dir');
  }
}

function* sourceFiles(root, dir = root) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* sourceFiles(root, path);
    } else if (entry.isFile() && EXTENSIONS.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
      yield relative(root, path).split(sep).join('/');
    }
  }
}

const allConfig = plugin.configs.all;

function configFor(file, code) {
  const ts = /\.(?:[cm]?ts|tsx)$/.test(file);
  const jsx = !ts || file.endsWith('.tsx');
  const commonjs = file.endsWith('.cjs') || (/\.jsx?$/.test(file) && !/^\s*(?:import|export)\b/m.test(code));
  return [
    {
      ...allConfig,
      files: ['**/*.*'], // `**/*` alone only widens configs that match a file otherwise: .ts would match none
      languageOptions: {
        ...(ts ? { parser: tsParser } : {}),
        ecmaVersion: 'latest',
        sourceType: commonjs ? 'commonjs' : 'module',
        parserOptions: { ecmaFeatures: { jsx } },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
      // Site records carry each report's grade and evidence (the report's own codec, docs/report.md).
      settings: { coordination: { ...coordinationSettings, siteRecords: true } },
    },
  ];
}

/** Lints one repository; returns {files, parseErrors, exceptions, skipped, reports}. */
function lintRepo(mirror, entry) {
  const gitDir = findGitDir(mirror, entry.repo);
  const dest = mkdtempSync(join(tmpdir(), 'coordination-audit-'));
  try {
    extract(gitDir, entry, dest);
    const excludes = (entry.exclude ?? []).map((prefix) => prefix.replace(/\/+$/, ''));
    const result = { files: 0, parseErrors: [], exceptions: [], skipped: 0, reports: [] };
    // The temporary folder is the linter's cwd: a file outside the cwd matches no configuration.
    const linter = new Linter({ configType: 'flat', cwd: dest });
    const includes = (entry.include ?? []).map((prefix) => prefix.replace(/\/+$/, ''));
    for (const path of sourceFiles(dest)) {
      if (includes.length > 0 && !includes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) continue;
      if (excludes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) continue;
      const absolute = join(dest, path);
      if (statSync(absolute).size > MAX_BYTES) {
        result.skipped += 1;
        continue;
      }
      const code = readFileSync(absolute, 'utf8');
      let messages;
      try {
        messages = linter.verify(code, configFor(path, code), { filename: absolute });
      } catch (error) {
        result.exceptions.push(`${path}: ${String(error?.message ?? error).split('\n')[0]}`);
        continue;
      }
      result.files += 1;
      for (const message of messages) {
        // A message without a rule is a parse error (fatal), a file no configuration matched (not linted:
        // counted with them, so it shows), or a note on the repository's own eslint comments (ignored).
        if (message.fatal || (!message.ruleId && /No matching configuration/.test(message.message))) result.parseErrors.push(`${path}:${message.line}: ${message.message}`);
        else if (message.ruleId?.startsWith(PREFIX)) {
          const { text, record } = splitRecord(message.message);
          result.reports.push({
            path, line: message.line, column: message.column, rule: message.ruleId, messageId: message.messageId, message: text,
            confidence: record?.confidence ?? null, evidence: record?.evidence ?? [],
          });
        }
      }
    }
    return result;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

const RECORD_MARK = '\ncoordination-site/';

/** A message's English and its site record (src/model/site.ts's codec: `\ncoordination-site/<version> <json>`). */
function splitRecord(message) {
  const at = message.lastIndexOf(RECORD_MARK);
  if (at === -1) return { text: message, record: undefined };
  const encoded = message.slice(at + RECORD_MARK.length);
  return { text: message.slice(0, at), record: JSON.parse(encoded.slice(encoded.indexOf(' ') + 1)) };
}

const GRADES = ['high', 'medium', 'low'];

const key = (path, rule, line) => `${path}\u0000${shortRule(rule)}\u0000${line}`;
const pct = (right, wrong) => (right + wrong === 0 ? '   -  ' : `${((100 * right) / (right + wrong)).toFixed(1).padStart(5)}%`);

/** The 95% Wilson score interval of a proportion right / (right + wrong), as [low, high]. */
function wilson(right, wrong, z = 1.959964) {
  const n = right + wrong;
  if (n === 0) return null;
  const p = right / n;
  const centre = p + (z * z) / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denominator = 1 + (z * z) / n;
  return [Math.max(0, (centre - margin) / denominator), Math.min(1, (centre + margin) / denominator)];
}
const interval = (right, wrong) => {
  const w = wilson(right, wrong);
  return w ? `[${(100 * w[0]).toFixed(1)}, ${(100 * w[1]).toFixed(1)}]` : '';
};

function emptyCounts() {
  return Object.fromEntries(ruleNames.map((rule) => [rule, { reported: 0, right: 0, wrong: 0, unlabelled: 0 }]));
}

const GRADE_RANK = { low: 0, medium: 1, high: 2 };

/** The reports an earlier `--out` run stored for `entry`, in the shape lintRepo returns (no files were linted now). */
function storedReports(folder, entry) {
  const file = join(folder, `${entry.repo.replace('/', '+')}.jsonl`);
  if (!existsSync(file)) throw new AuditError(`${file}: no stored reports for ${entry.repo}`);
  const reports = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        const { repo, verdict, ...report } = JSON.parse(line);
        return report;
      } catch (error) {
        throw new AuditError(`${file}:${index + 1}: ${error.message}`);
      }
    });
  return { files: 0, parseErrors: [], exceptions: [], skipped: 0, reports };
}

function addCounts(into, from) {
  for (const [rule, counts] of Object.entries(from)) {
    into[rule] ??= { reported: 0, right: 0, wrong: 0, unlabelled: 0 };
    for (const field of Object.keys(counts)) into[rule][field] += counts[field];
  }
}

function printTable(counts, indent) {
  console.log(`${indent}${'rule'.padEnd(40)}reported  right  wrong  unlabelled  precision  95% Wilson`);
  const total = { reported: 0, right: 0, wrong: 0, unlabelled: 0 };
  for (const [rule, c] of Object.entries(counts)) {
    for (const field of Object.keys(total)) total[field] += c[field];
    console.log(`${indent}${rule.padEnd(40)}${String(c.reported).padStart(8)}${String(c.right).padStart(7)}${String(c.wrong).padStart(7)}${String(c.unlabelled).padStart(12)}  ${pct(c.right, c.wrong)}     ${interval(c.right, c.wrong)}`);
  }
  console.log(`${indent}${'all rules'.padEnd(40)}${String(total.reported).padStart(8)}${String(total.right).padStart(7)}${String(total.wrong).padStart(7)}${String(total.unlabelled).padStart(12)}  ${pct(total.right, total.wrong)}     ${interval(total.right, total.wrong)}`);
}

function main() {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: {
      repo: { type: 'string', multiple: true },
      settings: { type: 'string' },
      round: { type: 'string' },
      half: { type: 'string' },
      list: { type: 'boolean', default: false },
      out: { type: 'string' },
      stored: { type: 'string' },
      'min-confidence': { type: 'string' },
    } });
  } catch (error) {
    fail(`${error.message} (${USAGE})`);
  }
  if (args.positionals.length !== 1) fail(USAGE);
  const mirror = args.positionals[0];
  if (!existsSync(mirror) || !statSync(mirror).isDirectory()) fail(`${mirror}: not a folder (${USAGE})`);

  const entries = readJson(join(auditRoot, 'repos.json'));
  if (!Array.isArray(entries)) throw new AuditError('fixtures/audit/repos.json: not a JSON array');
  const wanted = args.values.repo ?? [];
  const unknown = wanted.filter((repo) => !entries.some((entry) => entry.repo === repo));
  if (unknown.length > 0) fail(`${unknown.join(', ')}: not in fixtures/audit/repos.json`);
  const { round, half, out } = args.values;
  if (round !== undefined && !/^\d+$/.test(round)) fail(`--round ${round}: not a number (${USAGE})`);
  if (half !== undefined && half !== 'tuning' && half !== 'blind') fail(`--half ${half}: tuning or blind (${USAGE})`);
  if (out !== undefined && args.values.list) fail(`--list and --out: choose one (${USAGE})`);
  const { stored } = args.values;
  if (stored !== undefined && out !== undefined) fail(`--stored and --out: choose one (${USAGE})`);
  if (stored !== undefined && (!existsSync(stored) || !statSync(stored).isDirectory())) fail(`--stored ${stored}: not a folder (${USAGE})`);
  const minConfidence = args.values['min-confidence'];
  if (minConfidence !== undefined && !(minConfidence in GRADE_RANK)) fail(`--min-confidence ${minConfidence}: high, medium or low (${USAGE})`);
  const selected = entries.filter(
    (entry) =>
      (wanted.length === 0 || wanted.includes(entry.repo)) &&
      (round === undefined || String(entry.round ?? 1) === round) &&
      (half === undefined || entry.half === half),
  );
  if (selected.length === 0) fail('no repository of fixtures/audit/repos.json passes the filters');
  if (out !== undefined) mkdirSync(out, { recursive: true });
  if (args.values.settings !== undefined) {
    try {
      coordinationSettings = JSON.parse(args.values.settings);
    } catch (error) {
      fail(`--settings: ${error.message}`);
    }
  }

  const totalCounts = emptyCounts();
  const totalGraded = {};
  const totalRecall = { smells: 0, caught: 0 };
  let totalFiles = 0;
  for (const entry of selected) {
    const started = Date.now();
    const result = stored === undefined ? lintRepo(mirror, entry) : storedReports(stored, entry);
    if (minConfidence !== undefined) result.reports = result.reports.filter((report) => report.confidence == null || GRADE_RANK[report.confidence] >= GRADE_RANK[minConfidence]);
    totalFiles += result.files;
    const labels = readJson(join(auditRoot, 'labels', `${entry.repo.replace('/', '+')}.json`), { sites: [], sampled: [] });
    const verdicts = new Map((labels.sites ?? []).map((site) => [key(site.path, site.rule, site.line), site]));

    const lines = () =>
      result.reports.map((report) => JSON.stringify({ repo: entry.repo, ...report, verdict: verdicts.get(key(report.path, report.rule, report.line))?.verdict ?? null }));
    if (args.values.list) {
      for (const line of lines()) console.log(line);
      continue;
    }
    if (out !== undefined) {
      const file = join(out, `${entry.repo.replace('/', '+')}.jsonl`);
      const body = lines();
      writeFileSync(file, body.length > 0 ? `${body.join('\n')}\n` : '');
      console.log(`${entry.repo} @ ${entry.commit.slice(0, 12)}: ${result.files} files, ${result.parseErrors.length} parse errors, ${result.exceptions.length} rule exceptions -> ${file}`);
      continue;
    }

    const counts = emptyCounts();
    const graded = {};
    const reportedKeys = new Set();
    const fresh = [];
    for (const report of result.reports) {
      const k = key(report.path, report.rule, report.line);
      reportedKeys.add(k);
      const c = (counts[report.rule] ??= { reported: 0, right: 0, wrong: 0, unlabelled: 0 });
      c.reported += 1;
      const label = verdicts.get(k);
      const g = (graded[`${report.rule} @ ${report.confidence ?? 'ungraded'}`] ??= { reported: 0, right: 0, wrong: 0, unlabelled: 0 });
      g.reported += 1;
      if (label?.verdict === 'right') g.right += 1;
      else if (label?.verdict === 'wrong') g.wrong += 1;
      else g.unlabelled += 1;
      if (label?.verdict === 'right') c.right += 1;
      else if (label?.verdict === 'wrong') c.wrong += 1;
      else {
        c.unlabelled += 1;
        fresh.push(report);
      }
    }
    const gone = (labels.sites ?? []).filter((site) => !reportedKeys.has(key(site.path, site.rule, site.line)));
    addCounts(totalCounts, counts);
    addCounts(totalGraded, graded);

    console.log(`== ${entry.repo} @ ${entry.commit.slice(0, 12)} (${entry.domain ?? 'no domain'}): ${result.files} files linted in ${((Date.now() - started) / 1000).toFixed(1)} s, ${result.parseErrors.length} parse errors, ${result.skipped} files over 2 MB skipped, ${result.exceptions.length} rule exceptions`);
    if (labels.commit && labels.commit !== entry.commit) console.log(`   warning: labels are for commit ${labels.commit.slice(0, 12)}, repos.json says ${entry.commit.slice(0, 12)}`);
    for (const line of result.parseErrors.slice(0, 5)) console.log(`   parse error: ${line}`);
    for (const line of result.exceptions) console.log(`   rule exception: ${line}`);
    printTable(counts, '   ');
    if (fresh.length > 0) {
      console.log(`   new (reported, unlabelled): ${fresh.length}`);
      for (const r of fresh) console.log(`     ${r.path}:${r.line}:${r.column} ${r.rule} ${r.messageId} ${r.confidence ?? ''}`);
    }
    if (gone.length > 0) {
      console.log(`   gone (labelled, no longer reported): ${gone.length}`);
      for (const s of gone) console.log(`     ${s.path}:${s.line} ${fullRule(s.rule)} was ${s.verdict}${s.verdict === 'wrong' ? ' (a false positive fixed)' : ' (a true positive lost)'}`);
    }
    const smells = (labels.sampled ?? []).filter((s) => s.smell === true);
    const caught = smells.filter((s) => reportedKeys.has(key(s.path, s.rule, s.line)));
    const missed = smells.filter((s) => !reportedKeys.has(key(s.path, s.rule, s.line)));
    const noisy = (labels.sampled ?? []).filter((s) => s.smell !== true && result.reports.some((r) => r.path === s.path && r.line === s.line));
    totalRecall.smells += smells.length;
    totalRecall.caught += caught.length;
    const kinds = {};
    for (const s of labels.sampled ?? []) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    console.log(`   recall sample: ${(labels.sampled ?? []).length} sampled (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}), ${smells.length} smells, ${caught.length} caught, ${missed.length} missed`);
    for (const s of missed) console.log(`     missed ${s.path}:${s.line} ${s.kind} -> ${fullRule(s.rule)}: ${s.reason}`);
    for (const s of noisy) console.log(`     sampled non-smell now reported: ${s.path}:${s.line} ${s.kind}: ${s.reason}`);
  }
  if (args.values.list || out !== undefined) return;
  console.log(`== total: ${selected.length} repositories, ${totalFiles} files`);
  printTable(totalCounts, '   ');
  console.log('   per grade (configs.all reports every grade; recommended reports high only):');
  const byGrade = Object.fromEntries(
    Object.keys(totalGraded)
      .sort((a, b) => a.localeCompare(b) || 0)
      .map((name) => [name, totalGraded[name]]),
  );
  printTable(byGrade, '   ');
  for (const grade of GRADES) {
    const atOrAbove = { reported: 0, right: 0, wrong: 0, unlabelled: 0 };
    for (const [name, c] of Object.entries(totalGraded)) {
      const g = name.slice(name.lastIndexOf(' @ ') + 3);
      if (GRADES.indexOf(g) !== -1 && GRADES.indexOf(g) <= GRADES.indexOf(grade)) for (const field of Object.keys(atOrAbove)) atOrAbove[field] += c[field];
    }
    console.log(`   ${grade} and up: ${atOrAbove.reported} reported, ${atOrAbove.right} right, ${atOrAbove.wrong} wrong, precision ${pct(atOrAbove.right, atOrAbove.wrong).trim()} ${interval(atOrAbove.right, atOrAbove.wrong)}`);
  }
  const rate = totalRecall.smells === 0 ? '-' : `${((100 * totalRecall.caught) / totalRecall.smells).toFixed(1)}%`;
  console.log(`   recall sample: ${totalRecall.caught} of ${totalRecall.smells} sampled smells caught (${rate})`);
}

try {
  main();
} catch (error) {
  if (error instanceof AuditError) fail(error.message);
  throw error;
}
