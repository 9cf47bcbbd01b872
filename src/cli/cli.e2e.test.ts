/**
 * End to end: the built `coordination-ladder` (dist/src/cli/main.js) spawned on fixtures/demo. The runs
 * start together in `beforeAll` (a few at a time) and the tests read their results.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SarifLog } from './render-sarif.js';
import type { Report } from './report.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'dist/src/cli/main.js');
const demoConfig = join(repo, 'fixtures/demo/eslint.config.js');
const DEMO = ['fixtures/demo', '--config', 'fixtures/demo/eslint.config.js'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** At most three CLIs at once: each one loads ESLint and the TypeScript parser. */
let running = 0;
const waiting: (() => void)[] = [];
async function cli(args: readonly string[], cwd = repo): Promise<Run> {
  if (running >= 3) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await new Promise<Run>((resolve, reject) => {
      // No CI variable and no TTY: the defaults a pipe gets; no GitHub Actions commit for Markdown links.
      const env = { ...process.env, CI: '', FORCE_COLOR: '', NO_COLOR: '', GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', GITHUB_SHA: '' };
      const child = spawn(process.execPath, [bin, ...args], { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

async function sources(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${join('src', 'test-support')}`));
}

/** Builds dist/ when a source is newer than its output (`npm test` has just built it; `npx vitest` may not have). */
async function ensureBuilt(): Promise<void> {
  const files = [...(await sources(join(repo, 'src'))), ...(await sources(join(repo, 'rules')))];
  for (const file of files) {
    const output = join(repo, 'dist', relative(repo, file)).replace(/\.ts$/, '.js');
    const [source, built] = await Promise.all([stat(file), stat(output).catch(() => undefined)]);
    if (!built || built.mtimeMs < source.mtimeMs) {
      await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo });
      return;
    }
  }
}

const json = (run: Run): Report => JSON.parse(run.stdout) as Report;

let work: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  await ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'coordination-ladder-e2e-'));
  const cache = join(work, 'cache', '');

  // A copy of the demo's sources: the baseline run, then the same code with its lines moved.
  const shifted = join(work, 'shifted');
  await cp(join(repo, 'fixtures/demo/src'), join(shifted, 'src'), { recursive: true });
  const bookings = join(shifted, 'src/bookings/booking-service.ts');
  const original = await readFile(bookings, 'utf8');
  const moved = `// Seven lines moved every site below them.\n\n\n\n\n\n\n${original.replace(/^ {2}(?=\S)/gm, '    ')}`;
  const added = `${moved}
export async function importAgain(rows: Prisma.BookingCreateManyInput[]): Promise<void> {
  for (const row of rows) {
    await prisma.booking.create({ data: { ...row, source: 'again' } });
  }
}
`;

  // The demo's sources without any eslint.config.*: the built-in config lints them.
  const bare = join(work, 'bare');
  await cp(join(repo, 'fixtures/demo/src'), join(bare, 'src'), { recursive: true });

  const shifting = async (): Promise<void> => {
    runs['baseline'] = await cli(['src', '--config', demoConfig, '--format', 'json', '--output', join(work, 'baseline.json')], shifted);
    await writeFile(bookings, moved);
    runs['moved'] = await cli(['src', '--config', demoConfig, '--format', 'json', '--baseline', join(work, 'baseline.json')], shifted);
    await writeFile(bookings, added);
    runs['added'] = await cli(['src', '--config', demoConfig, '--baseline', join(work, 'baseline.json')], shifted);
  };
  const caching = async (): Promise<void> => {
    runs['cacheCold'] = await cli([...DEMO, '--format', 'json', '--cache', '--cache-location', cache]);
    runs['cacheWarm'] = await cli([...DEMO, '--format', 'json', '--cache', '--cache-location', cache]);
  };
  const sharding = async (): Promise<void> => {
    const [first, second] = await Promise.all([
      cli(['fixtures/demo/src/bookings', 'fixtures/demo/src/events', '--config', demoConfig, '-f', 'json', '-o', join(work, 'shard-1.json')]),
      cli(['fixtures/demo/src/inventory', 'fixtures/demo/src/jobs', 'fixtures/demo/src/legacy', 'fixtures/demo/src/lib', 'fixtures/demo/src/db.ts', demoConfig, '--config', demoConfig, '-f', 'json', '-o', join(work, 'shard-2.json')]),
    ]);
    runs['shard1'] = first;
    runs['shard2'] = second;
    runs['merged'] = await cli(['merge', join(work, 'shard-2.json'), join(work, 'shard-1.json'), '--format', 'json']);
    runs['mergedGate'] = await cli(['merge', join(work, 'shard-1.json'), join(work, 'shard-2.json'), '--max-level', 'L2']);
    runs['mergedSarif'] = await cli(['merge', join(work, 'shard-1.json'), join(work, 'shard-2.json'), '--format', 'sarif']);
  };
  const single = async (name: string, args: readonly string[], cwd?: string): Promise<void> => {
    runs[name] = await cli(args, cwd);
  };

  await Promise.all([
    single('json', [...DEMO, '--format', 'json']),
    single('table', [...DEMO, '--max-level', 'L1']),
    single('l5', [...DEMO, '--max-level', 'L5']),
    single('concurrent', [...DEMO, '--format', 'json', '--concurrency', '2']),
    single('progress', [...DEMO, '--format', 'json', '--progress']),
    single('bare', ['--rtt-ms', '10', '--participants', '5', '--format', 'json'], bare),
    single('sarif', [...DEMO, '--format', 'sarif']),
    single('markdown', [...DEMO, '--format', 'markdown', '--max-level', 'L1']),
    single('html', [...DEMO, '--format', 'html', '--output', join(work, 'report.html')]),
    caching(),
    shifting(),
    sharding(),
    single('badFlag', ['--max-level', 'L9']),
    single('unknownFlag', ['--frobnicate']),
    single('missingPath', ['no/such/dir']),
    single('badBaseline', [...DEMO, '--baseline', 'package.json']),
  ]);
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('coordination-ladder on fixtures/demo', () => {
  it('prints the ladder table and fails --max-level L1 (exit 1)', async () => {
    const run = runs['table']!;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('\u001B[');
    await expect(run.stdout).toMatchFileSnapshot('./__snapshots__/demo-table.txt');
  });

  it('passes --max-level L5 (exit 0)', () => {
    expect(runs['l5']!.code).toBe(0);
    expect(runs['l5']!.stdout).toContain('Gate passed (max level L5).');
  });

  it('writes the versioned JSON report', async () => {
    const run = runs['json']!;
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.schemaVersion).toBe(1);
    expect(report.sites).toHaveLength(15);
    expect(report.sites.every((site) => site.price === null || site.price.exact)).toBe(true);
    await expect(run.stdout).toMatchFileSnapshot('./__snapshots__/demo-report.json');
  });

  it('reports the same JSON with --concurrency 2, with a cold and a warm --cache, and with --progress batches', () => {
    const plain = runs['json']!.stdout;
    for (const name of ['concurrent', 'cacheCold', 'cacheWarm', 'progress']) {
      expect(runs[name]!.code, name).toBe(0);
      expect(runs[name]!.stdout, name).toBe(plain);
    }
  });

  it('uses the built-in config when there is none, with cost-model flags over the settings', () => {
    const report = json(runs['bare']!);
    expect(report.model).toEqual({ participants: 5, usdPer1000Messages: 0.01, rttMs: 10, usdPerSecondOfLatency: 1, slowCallProbability: 0.01 });
    expect(report.sites).toHaveLength(15);
    expect(report.notes).toEqual([expect.stringMatching(/^no eslint\.config\.\* found: linted with the built-in config/)]);
    // The rules priced with the flags: the re-priced figures agree with every message.
    const lock = report.sites.find((site) => site.messageId === 'globalLock')!;
    expect(lock.price).toMatchObject({ participants: 5, messages: 10, roundTrips: 2, latencyMs: 20, exact: true });
  });
});

describe('--format sarif, markdown and html', () => {
  it('writes SARIF 2.1.0 with one result per site, paths relative to the working directory', () => {
    const run = runs['sarif']!;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const log = JSON.parse(run.stdout) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(pathToFileURL(repo).href);
    expect(log.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(
      json(runs['json']!).sites.map((site) => site.file),
    );
  });

  it('writes the Markdown comment the JSON report renders to, with the same gate and exit code', async () => {
    const run = runs['markdown']!;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    // render-markdown.test.ts renders this file from the recorded JSON report.
    await expect(run.stdout).toMatchFileSnapshot('./__snapshots__/demo-report.md');
  });

  it('writes the HTML page to --output', async () => {
    const run = runs['html']!;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const html = await readFile(join(work, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<tr data-order=/g)).toHaveLength(15);
  });

  it('merges shards into the SARIF of one run', () => {
    expect(runs['mergedSarif']!.code).toBe(0);
    expect(runs['mergedSarif']!.stdout).toBe(runs['sarif']!.stdout);
  });
});

describe('baseline', () => {
  it('finds no new site when lines move', () => {
    expect(runs['baseline']!.code).toBe(0);
    const run = runs['moved']!;
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.gate).toMatchObject({ baseline: { known: 15, new: 0 }, passed: true });
    const before = JSON.parse(runs['baseline']!.stdout || '{}') as Partial<Report>;
    expect(before).toEqual({}); // written to --output, not stdout
    expect(report.sites.filter((site) => site.file === 'src/bookings/booking-service.ts').every((site) => site.baseline === 'known')).toBe(true);
  });

  it('fails for the one site a change adds, and shows only it', () => {
    const run = runs['added']!;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^coordination-ladder \S+: 9 files, 1 new site\n/);
    expect(run.stdout).toContain('Baseline: 15 known sites not shown.');
    expect(run.stdout).toMatch(/Gate failed \(no new sites\): 1 new site over budget\.\n {2}src\/bookings\/booking-service\.ts:150 {2}L1, new {2}coordination\/no-coordination-in-loop/);
  });
});

describe('merge', () => {
  it('merges shards into the report of one run', () => {
    expect(runs['shard1']!.code).toBe(0);
    expect(runs['shard2']!.code).toBe(0);
    expect(runs['merged']!.code).toBe(0);
    expect(runs['merged']!.stdout).toBe(runs['json']!.stdout);
  });

  it('gates the merged report', () => {
    expect(runs['mergedGate']!.code).toBe(1);
    expect(runs['mergedGate']!.stdout).toContain('Gate failed (max level L2): 3 sites over budget.');
  });
});

describe('usage and I/O errors', () => {
  it.each([
    ['badFlag', "coordination-ladder: --max-level must be a level L0 to L5, got 'L9'"],
    ['unknownFlag', "coordination-ladder: Unknown option '--frobnicate'. See --help."],
    ['missingPath', "coordination-ladder: cannot read path 'no/such/dir': no such file or directory"],
    ['badBaseline', 'coordination-ladder: package.json is not a coordination-ladder JSON report (no schemaVersion)'],
  ])('%s: exit 2 with one line on stderr', (name, line) => {
    const run = runs[name]!;
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${line}\n`);
  });
});

/**
 * Lints `project` cold-cached, changes one file that the linted one depends on, lints it again from the
 * cache and cold: the cached answer must be the cold one, and that must be `expected`.
 */
async function cacheParity(project: string, paths: string, change: () => Promise<void>, expected: string[]): Promise<void> {
  const sitesOf = (run: Run): string[] => {
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as Report).sites.map((site) => `${site.file}:${site.line} ${site.ruleId}`);
  };
  const args = [paths, '--format', 'json'];
  const cached = [...args, '--cache', '--cache-location', join(project, '.cache', '')];
  expect(sitesOf(await cli(cached, project))).toEqual([]);
  await change();
  const fromCache = sitesOf(await cli(cached, project));
  const cold = sitesOf(await cli(args, project));
  expect(cold).toEqual(expected);
  expect(fromCache).toEqual(cold);
}

describe('--cache with the project index', () => {
  // a.ts loops over a helper of b.ts: whether a.ts has a site depends on b.ts alone.
  const loop = `import { save } from './b.js';\nexport async function run(rows: { id: string }[]) {\n  for (const row of rows) await save(row);\n}\n`;
  // (a read keyed by the row would be a read per item: the first version of b.ts touches no store)
  const local = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function save(row: { id: string }) {\n  return row.id;\n}\n`;
  const write = local.replace('return row.id', 'await prisma.user.create({ data: row })');

  // Three CLI processes in a row: more than the default 30 s on a loaded two-core machine.
  it("gives the cold run's answer when only an imported module changed", async () => {
    const project = await mkdtemp(join(tmpdir(), 'coordination-cache-'));
    try {
      await writeFile(join(project, 'a.ts'), loop);
      await writeFile(join(project, 'b.ts'), local);
      await cacheParity(project, '.', () => writeFile(join(project, 'b.ts'), write), ['a.ts:3 coordination/no-coordination-in-loop']);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('--cache with type information', () => {
  // a.ts writes through a parameter typed in types.ts: whether it is a client depends on types.ts alone.
  const loop = `import type { Store } from './types.js';\nexport async function run(target: Store, keys: string[]) {\n  for (const key of keys) await target.set(key, '1');\n}\n`;
  const plain = `export interface Store {\n  set(key: string, value: string): Promise<unknown>;\n}\n`;
  const redis = `import type { Redis } from 'ioredis';\nexport type Store = Redis;\n`;
  const config = `import tsParser from '@typescript-eslint/parser';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }];\n`;
  const tsconfig = JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, noEmit: true }, include: ['*.ts'] });

  // Three CLI processes, each building a TypeScript program: more than 30 s on a loaded two-core machine.
  it("gives the cold run's answer when only a type-providing file changed", async () => {
    // Inside the repository, so that the config and the type of `ioredis` resolve from its node_modules.
    await mkdir(join(repo, '.scratch'), { recursive: true });
    const project = await mkdtemp(join(repo, '.scratch', 'typed-cache-'));
    try {
      await writeFile(join(project, 'eslint.config.js'), config);
      await writeFile(join(project, 'tsconfig.json'), tsconfig);
      await writeFile(join(project, 'a.ts'), loop);
      await writeFile(join(project, 'types.ts'), plain);
      await cacheParity(project, 'a.ts', () => writeFile(join(project, 'types.ts'), redis), ['a.ts:3 coordination/no-coordination-in-loop']);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 90_000);
});
