// The layered-lock search behind a call that is not named like a lock: it follows the constant
// arguments alone, so a lock they flow into is found modules away, and a callee no constant reaches is
// never resolved (its module never parsed).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import plugin from '../index.js';
import { parseModule } from './module-source.js';

vi.mock('./module-source.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./module-source.js')>();
  return { ...actual, parseModule: vi.fn(actual.parseModule) };
});

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coordination-lock-flow-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'a-service', dependencies: { redlock: '^5.0.0', pg: '^8.0.0' } }));
  vi.mocked(parseModule).mockClear();
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

/** no-global-lock on one file of the temporary project: `line message` per report. */
function globalLocks(name: string): string[] {
  const file = join(root, name);
  return new Linter({ configType: 'flat', cwd: root })
    .verify(
      readFileSync(file, 'utf8'),
      [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never }, rules: { 'coordination/no-global-lock': 'error' } }],
      { filename: file },
    )
    .map((message) => `${message.line} ${message.message}`);
}

const parsed = (): string[] => vi.mocked(parseModule).mock.calls.map(([path]) => path.slice(root.length + 1)).sort();

const serialized = `import Redlock from 'redlock';\nconst redlock = new Redlock([]);\nexport function serialized(name: string, work: () => Promise<void>) { return redlock.using([name], 10_000, work); }\n`;

describe('the layered-lock search behind a name that does not say lock', () => {
  it('follows the constant through a barrel and a helper to the lock it keys', () => {
    write({
      'handler.ts': `import { runJob } from './jobs/index.js';\nexport async function handle(run: () => Promise<void>) {\n  await runJob('orders', run);\n}\n`,
      'jobs/index.ts': `export * from './run-job.js';\n`,
      'jobs/run-job.ts': `import { serialized } from '../lib/serialized.js';\nexport function runJob(name: string, work: () => Promise<void>) { return serialized(name, work); }\n`,
      'lib/serialized.ts': serialized,
    });
    const reports = globalLocks('handler.ts');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^3 runJob\(\) locks 'orders' through serialized\(\) in lib\/serialized\.ts → redlock\.using\(\)/);
  });

  it('resolves no call the constant is not handed to', () => {
    write({
      'handler.ts': `import { runJob } from './jobs/run-job.js';\nexport async function handle(run: () => Promise<void>) {\n  await runJob('orders', run);\n}\n`,
      // `name` only names the job in a log line; `work` goes to a helper that locks a key of its own.
      'jobs/run-job.ts': `import { serialized } from '../lib/serialized.js';\nimport { schedule } from '../lib/schedule.js';\nexport function runJob(name: string, work: () => Promise<void>) { console.log(name); return schedule(work); }\n`,
      'lib/schedule.ts': `import { serialized } from './serialized.js';\nexport function schedule(work: () => Promise<void>) { return serialized('scheduler', work); }\n`,
      'lib/serialized.ts': serialized,
    });
    expect(globalLocks('handler.ts')).toEqual([]);
    // The callee itself, and nothing behind the call that is handed only `work`.
    expect(parsed()).toEqual(['jobs/run-job.ts']);
  });

  it('reports a table the constant names, and leaves a table the SQL names to the SQL itself', () => {
    write({
      'handler.ts': [
        `import { exclusively, placeOrder, lockOrders } from './db.js';`,
        `export async function handle(tx: unknown, id: string) {`,
        `  await exclusively(tx, 'orders');`,
        `  await placeOrder(tx, 'EUR');`,
        `  await lockOrders(tx);`,
        `}`,
        ``,
      ].join('\n'),
      'db.ts': [
        `import { Pool } from 'pg';`,
        `const pool = new Pool();`,
        `export async function exclusively(tx: unknown, table: string) { await pool.query(\`LOCK TABLE \${table} IN EXCLUSIVE MODE\`); }`,
        `export async function placeOrder(tx: unknown, currency: string) { await pool.query('LOCK TABLE orders IN EXCLUSIVE MODE'); }`,
        `export async function lockOrders(tx: unknown) { await pool.query('LOCK TABLE orders IN EXCLUSIVE MODE'); }`,
        ``,
      ].join('\n'),
    });
    const reports = globalLocks('handler.ts');
    expect(reports.map((report) => report.split(' ').slice(0, 2).join(' '))).toEqual(['3 exclusively()', '5 lockOrders()']);
    expect(reports[0]).toMatch(/locks the whole table 'orders' through/);
    // placeOrder's own LOCK TABLE is reported in db.ts, where the table is named.
    expect(globalLocks('db.ts').map((report) => report.split(' ')[0])).toEqual(['4', '5']);
  });
});
