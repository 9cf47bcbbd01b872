// Real-code audit, round 2 (issue 17): the candidate finder for the recall sample.
//
// Usage: node scripts/audit-candidates.mjs <mirror-folder> --seed N [--per-repo 20]
//          [--repo owner/name …] [--round N] [--half tuning|blind] [--out DIR]
//
// For each selected entry of fixtures/audit/repos.json, the include prefixes of the tree at the
// recorded commit are read straight from git (`git ls-tree` + `git cat-file`, no work tree; the same
// files as scripts/audit.mjs: no .d.ts, nothing under node_modules/, dist/, build/ or an exclude
// prefix, nothing over 2 MB; and, since the rules exempt them by path, no tests, seeds, migrations or
// scripts: `*.test.*`, `*.spec.*`, `__tests__/`, `test/`, `tests/`, `e2e/`, `seed/`, `seeders/`,
// `migrations/`, `scripts/`), parsed with @typescript-eslint/typescript-estree (jsx on), and every
// site of these kinds is listed, one per path + line + kind:
//   await-in-loop  an `await` (or `for await`) inside a loop body (for, for…of, for…in, while,
//                  do…while) or inside a callback of forEach/map/flatMap/reduce/filter, not inside a
//                  nested function that the loop only defines; also a call pushed into an array in a
//                  loop (`promises.push(f(x))`), a promise collection.
//   lock           a call whose method or function is named like a lock (acquire, lock, tryLock,
//                  withLock, runExclusive, using, setnx, extend on a lock) or a `set(…, 'NX')`, and
//                  SQL text naming pg_advisory / GET_LOCK / FOR UPDATE / LOCK TABLE.
//   promise-all    Promise.all / allSettled over an array of calls (a .map callback or a literal).
//   clock          a clock read (Date.now(), new Date() with no argument, performance.now()) and a
//                  comparison (<, <=, >, >=) whose either side is a member named like a time field
//                  (…At, …Time, …time, timestamp, …Date, ts, expires…).
// Then a seeded random sample of `--per-repo` candidates per repository (mulberry32(seed + i) for the
// i-th selected repository, Fisher–Yates, first k) is written to DIR/<owner>+<name>.jsonl as
// {repo, path, line, kind} lines, followed by nothing else; the summary line per repository gives the
// candidate count per kind. The sample is drawn from *all* candidates, reported or not: a sampled smell
// counts as caught when its rule reports the same path and line (scripts/audit.mjs does that match).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from '@typescript-eslint/typescript-estree';
import { mulberry32 } from './seeded-random.mjs';

const USAGE = 'usage: node scripts/audit-candidates.mjs <mirror-folder> --seed N [--per-repo 20] [--repo owner/name …] [--round N] [--half tuning|blind] [--out DIR]';
const auditRoot = new URL('../fixtures/audit/', import.meta.url).pathname;
const EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED = /(?:^|\/)(?:node_modules|dist|build|\.git)\//;
const MAX_BYTES = 2_000_000;
const EXEMPT = /(?:^|\/)(?:__tests__|tests?|e2e|seeds?|seeders|migrations|scripts)\/|\.(?:test|spec)\.[^/]*$/;

function fail(message) {
  console.error(`audit-candidates: ${message}`);
  process.exit(2);
}

function findGitDir(mirror, repo) {
  const [owner, name] = repo.split('/');
  const isGit = (dir) => existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'));
  for (const base of [join(mirror, `${owner}+${name}`), join(mirror, owner, name)]) {
    if (!existsSync(base)) continue;
    const queue = [[base, 0]];
    while (queue.length > 0) {
      const [dir, depth] = queue.shift();
      if (isGit(dir)) return dir;
      if (depth >= 2) continue;
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) queue.push([join(dir, entry.name), depth + 1]);
    }
  }
  fail(`${repo}: no git directory under ${mirror}`);
}

const git = (gitDir, args) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

const LOOP_TYPES = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const ITERATING = new Set(['forEach', 'map', 'flatMap', 'reduce', 'filter']);
const LOCK_NAMES = /^(?:acquire|acquireLock|lock|tryLock|tryAcquire|withLock|runExclusive|using|setnx|setNX|getLock|obtainLock|takeLock|lockResource)$/;
const TIME_FIELD = /(?:At|Time|time|Timestamp|timestamp|Date|^ts|Ts|^expires|Expiry|expiry)$/;
const SQL_LOCK = /pg_(?:try_)?advisory|GET_LOCK\s*\(|FOR\s+UPDATE|LOCK\s+TABLE/i;

const propName = (node) => (node?.type === 'Identifier' ? node.name : node?.type === 'Literal' ? String(node.value) : null);
const calleeName = (callee) => (callee?.type === 'MemberExpression' ? propName(callee.property) : callee?.type === 'Identifier' ? callee.name : null);

function candidatesOf(code, path) {
  const ast = parse(code, { loc: true, jsx: true, range: false, comment: false, errorOnUnknownASTType: false, allowInvalidAST: true });
  const found = new Map();
  const add = (node, kind) => {
    const k = `${node.loc.start.line}\u0000${kind}`;
    if (!found.has(k)) found.set(k, { path, line: node.loc.start.line, kind });
  };
  // inLoop: the innermost enclosing function is run per item (a loop body in it, or an iterating callback).
  const visit = (node, inLoop) => {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'AwaitExpression':
        if (inLoop) add(node, 'await-in-loop');
        break;
      case 'ForOfStatement':
        if (node.await && inLoop) add(node, 'await-in-loop');
        break;
      case 'CallExpression': {
        const name = calleeName(node.callee);
        const object = node.callee.type === 'MemberExpression' ? node.callee.object : null;
        if (inLoop && name === 'push' && node.arguments.some((a) => a.type === 'CallExpression')) add(node, 'await-in-loop');
        if (name && LOCK_NAMES.test(name)) add(node, 'lock');
        if (name && /^set$/i.test(name) && node.arguments.some((a) => a.type === 'Literal' && /^nx$/i.test(String(a.value)))) add(node, 'lock');
        if (object?.type === 'Identifier' && object.name === 'Promise' && (name === 'all' || name === 'allSettled')) {
          const arg = node.arguments[0];
          const overCalls =
            (arg?.type === 'CallExpression' && ['map', 'flatMap'].includes(calleeName(arg.callee))) ||
            (arg?.type === 'ArrayExpression' && arg.elements.some((e) => e?.type === 'CallExpression' || e?.type === 'AwaitExpression')) ||
            arg?.type === 'Identifier';
          if (overCalls) add(node, 'promise-all');
        }
        if (name === 'now' && object?.type === 'Identifier' && (object.name === 'Date' || object.name === 'performance')) add(node, 'clock');
        break;
      }
      case 'NewExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'Date' && node.arguments.length === 0) add(node, 'clock');
        break;
      case 'BinaryExpression':
        if (['<', '<=', '>', '>='].includes(node.operator) && [node.left, node.right].some((side) => side.type === 'MemberExpression' && TIME_FIELD.test(propName(side.property) ?? ''))) add(node, 'clock');
        break;
      case 'Literal':
      case 'TemplateElement': {
        const text = node.type === 'Literal' ? (typeof node.value === 'string' ? node.value : '') : node.value.raw;
        if (SQL_LOCK.test(text)) add(node, 'lock');
        break;
      }
      default:
    }
    for (const [field, child] of Object.entries(node)) {
      if (field === 'parent' || field === 'loc' || field === 'range' || !child || typeof child !== 'object') continue;
      let childInLoop = inLoop;
      if (FUNCTION_TYPES.has(node.type)) childInLoop = false;
      if (LOOP_TYPES.has(node.type) && field === 'body') childInLoop = true;
      if (node.type === 'CallExpression' && field === 'arguments' && ITERATING.has(calleeName(node.callee) ?? '')) {
        for (const arg of child) {
          if (FUNCTION_TYPES.has(arg?.type)) visitFunctionAsLoop(arg);
          else visit(arg, inLoop);
        }
        continue;
      }
      if (Array.isArray(child)) for (const c of child) visit(c, childInLoop);
      else visit(child, childInLoop);
    }
  };
  const visitFunctionAsLoop = (fn) => {
    for (const p of fn.params) visit(p, false);
    visit(fn.body, true);
  };
  visit(ast, false);
  return [...found.values()];
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      'per-repo': { type: 'string', default: '20' },
      repo: { type: 'string', multiple: true },
      round: { type: 'string' },
      half: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || values.seed === undefined || !/^\d+$/.test(values.seed)) fail(USAGE);
  const seed = Number(values.seed);
  const perRepo = Number(values['per-repo']);
  const entries = JSON.parse(readFileSync(join(auditRoot, 'repos.json'), 'utf8'));
  const selected = entries.filter(
    (e) =>
      (!values.repo || values.repo.includes(e.repo)) &&
      (values.round === undefined || String(e.round ?? 1) === values.round) &&
      (values.half === undefined || e.half === values.half),
  );
  if (selected.length === 0) fail('no repository passes the filters');
  if (values.out) mkdirSync(values.out, { recursive: true });
  selected.forEach((entry, index) => {
    const gitDir = findGitDir(positionals[0], entry.repo);
    const excludes = (entry.exclude ?? []).map((p) => p.replace(/\/+$/, ''));
    const listing = git(gitDir, ['ls-tree', '-r', '-l', entry.commit, '--', ...(entry.include?.length ? entry.include : ['.'])]);
    const candidates = [];
    let parseErrors = 0;
    for (const row of listing.split('\n')) {
      const match = /^\d+ blob ([0-9a-f]+)\s+(\d+|-)\t(.*)$/.exec(row);
      if (!match) continue;
      const [, blob, size, path] = match;
      if (!EXTENSIONS.test(path) || /\.d\.[cm]?ts$/.test(path) || SKIPPED.test(path) || EXEMPT.test(path) || Number(size) > MAX_BYTES) continue;
      if (excludes.some((p) => path === p || path.startsWith(`${p}/`))) continue;
      try {
        candidates.push(...candidatesOf(git(gitDir, ['cat-file', 'blob', blob]), path));
      } catch {
        parseErrors += 1;
      }
    }
    const random = mulberry32(seed + index);
    const shuffled = [...candidates];
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const sample = shuffled.slice(0, perRepo).sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
    const kinds = {};
    for (const c of candidates) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    console.log(`${entry.repo}: ${candidates.length} candidates (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')}), ${parseErrors} parse errors, sampled ${sample.length} with seed ${seed + index}`);
    if (values.out) writeFileSync(join(values.out, `${entry.repo.replace('/', '+')}.jsonl`), sample.map((c) => JSON.stringify({ repo: entry.repo, ...c })).join('\n') + (sample.length ? '\n' : ''));
  });
}

main();
