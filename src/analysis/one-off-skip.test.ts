// no-global-lock and no-sync-fan-out in one-off files (tests, seeds, scripts): below the rule's floor a call
// there can report nothing, so the search behind it never runs; a function around it with a path of its
// own still reports.
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import plugin from '../index.js';
import { fixtureReports } from '../test-support/lint.js';
import { fixtureSources, fixturesRoot } from '../test-support/paths.js';

const searches = vi.hoisted(() => ({ count: 0, writes: 0, skipOff: false, oneOffFiles: 0 }));

vi.mock('./judgement.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./judgement.js')>();
  return {
    ...actual,
    oneOffByPath: (...args: Parameters<typeof actual.oneOffByPath>) => {
      const oneOff = actual.oneOffByPath(...args);
      if (oneOff) searches.oneOffFiles++;
      return !searches.skipOff && oneOff;
    },
  };
});

vi.mock('./call-graph.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./call-graph.js')>();
  return {
    ...actual,
    parameterLockAt: (...args: Parameters<typeof actual.parameterLockAt>) => {
      searches.count++;
      return actual.parameterLockAt(...args);
    },
    parameterWrite: (...args: Parameters<typeof actual.parameterWrite>) => {
      searches.writes++;
      return actual.parameterWrite(...args);
    },
  };
});

// A lock keyed by the caller's constant, behind a function whose name says nothing of locks.
const serialized = `import Redlock from 'redlock';
const redlock = new Redlock([]);
async function serialized(key: string, work: () => Promise<void>) { await redlock.using([key], 5000, work); }
`;

function lint(code: string, filename: string, minConfidence?: 'low' | 'medium' | 'high', rule = 'no-global-lock', cwd = '/repo'): string[] {
  const linter = new Linter({ configType: 'flat', cwd });
  return linter
    .verify(
      code,
      [
        {
          files: ['**/*.ts'],
          plugins: { coordination: plugin as never },
          languageOptions: { parser: tsParser as never },
          settings: { coordination: { projectIndex: false } },
          rules: { [`coordination/${rule}`]: ['error', ...(minConfidence ? [{ minConfidence }] : [])] },
        },
      ],
      filename,
    )
    .map((message) => `${message.line} ${message.messageId ?? message.message}`);
}

describe('no-global-lock in one-off files', () => {
  beforeEach(() => {
    searches.count = 0;
    searches.writes = 0;
  });

  const perOrder = `${serialized}export async function pay(orderId: string) { await serialized('orders', async () => charge(orderId)); }\n`;

  it('reports the layered lock in service code, and searches for it', () => {
    expect(lint(perOrder, '/repo/src/orders.ts')).toEqual(['4 globalLock']);
    expect(searches.count).toBeGreaterThan(0);
  });

  it('neither reports nor searches in a test file at the default floor', () => {
    expect(lint(perOrder, '/repo/test/orders.test.ts')).toEqual([]);
    expect(lint(perOrder, '/repo/src/seed/orders.ts', 'medium')).toEqual([]);
    expect(searches.count).toBe(0);
  });

  it('reads the role from the path below the working directory: where the checkout lives never counts', () => {
    // A CI machine that checks out under a tests/ or jobs/ folder: the project's own files are service code.
    expect(lint(perOrder, '/ci/tests/repo/src/orders.ts', undefined, 'no-global-lock', '/ci/tests/repo')).toEqual(['4 globalLock']);
    expect(searches.count).toBeGreaterThan(0);
    expect(lint(perOrder, '/ci/tests/repo/test/orders.ts', undefined, 'no-global-lock', '/ci/tests/repo')).toEqual([]);
    const perItem = `import Redis from 'ioredis';
const redis = new Redis();
export async function save(items: { id: string }[]) { for (const item of items) await redis.set(item.id, '1'); }
`;
    // A scheduled job lowers a per-item cost to medium: below the default floor.
    expect(lint(perItem, '/home/ci/jobs/repo/src/save.ts', undefined, 'no-coordination-in-loop', '/home/ci/jobs/repo')).toEqual(['3 perItemWrite']);
    expect(lint(perItem, '/home/ci/jobs/repo/src/jobs/save.ts', undefined, 'no-coordination-in-loop', '/home/ci/jobs/repo')).toEqual([]);
  });

  it('reports it at floor low, where a test is graded low', () => {
    expect(lint(perOrder, '/repo/test/orders.test.ts', 'low')).toEqual(['4 globalLock']);
    expect(searches.count).toBeGreaterThan(0);
  });

  it('still reports in a test file where a function around the call has a path of its own', () => {
    const route = `${serialized}app.post('/orders', async (req: { orderId: string }) => { await serialized('orders', async () => charge(req.orderId)); });\n`;
    expect(lint(route, '/repo/test/app.test.ts')).toEqual(['4 globalLock']);
  });

  // The same write to every replica of a fixed list, one after another.
  const replicated = `import Redis from 'ioredis';
const replicas = [new Redis(), new Redis(), new Redis()];
export async function put(key: string, value: string) { for (const replica of replicas) await replica.set(key, value); }
`;

  it('no-sync-fan-out: reports in service code, and neither reports nor searches in a test file unless at floor low', () => {
    expect(lint(replicated, '/repo/src/store.ts', undefined, 'no-sync-fan-out')).toEqual(['3 fanOutSequential']);
    expect(searches.writes).toBeGreaterThan(0);
    searches.writes = 0;
    expect(lint(replicated, '/repo/test/store.test.ts', undefined, 'no-sync-fan-out')).toEqual([]);
    expect(searches.writes).toBe(0);
    expect(lint(replicated, '/repo/test/store.test.ts', 'low', 'no-sync-fan-out')).toEqual(['3 fanOutSequential']);
    expect(searches.writes).toBeGreaterThan(0);
  });

  // The skip is asked at the first candidate of a file, not at its start: no-global-lock asks it in one-off
  // fixtures (a call that may reach a layered lock); no one-off fixture holds a candidate of no-sync-fan-out
  // (a Promise.all or loop over targets), whose skip the test above covers.
  it.each([
    ['no-global-lock', 1],
    ['no-sync-fan-out', 0],
  ] as const)('%s reports the same on every fixture with the skip and without it', (rule, askedInOneOffFiles) => {
    const linter = new Linter({ configType: 'flat', cwd: fixturesRoot });
    const reports = (file: string): string[] => fixtureReports(linter, file, plugin, rule);
    searches.oneOffFiles = 0;
    let total = 0;
    for (const file of fixtureSources()) {
      searches.skipOff = true;
      const without = reports(file);
      searches.skipOff = false;
      expect(reports(file), file).toEqual(without);
      total += without.length;
    }
    // Not empty: the fixtures hold reports, and (no-global-lock) files where the skip is asked and applies.
    expect(total).toBeGreaterThan(20);
    expect(searches.oneOffFiles).toBeGreaterThanOrEqual(askedInOneOffFiles);
  });
});
