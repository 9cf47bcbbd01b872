// The clock text gate of no-wall-clock-ordering: what opens it, what keeps it closed, that no wall-clock
// read or timestamp field of a file it keeps closed is found, and that closing it changes no report.
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it, vi } from 'vitest';
import plugin from '../index.js';
import { buildCatalog } from '../model/catalog.js';
import { DEFAULT_TIMESTAMP_FIELDS } from '../model/option-defaults.js';
import { probe } from '../test-support/lint.js';
import { fixturesRoot } from '../test-support/paths.js';
import { CLOSED_INDEX, gateOnFixtures, reportsWithGateForcedOpen } from '../test-support/text-gate.js';
import { isTimestampField } from './clock.js';
import { clockTextGate, mayHoldClockText } from './clock-text.js';
import { memberName } from './shapes.js';
import { wallClock } from './wall-clock.js';

const gateState = vi.hoisted(() => ({ forceOpen: false, closed: 0, asked: 0 }));

vi.mock('./clock-text.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./clock-text.js')>();
  return {
    ...actual,
    mayHoldClockText: (...args: Parameters<typeof actual.mayHoldClockText>) => {
      const held = actual.mayHoldClockText(...args);
      gateState.asked++;
      if (!held) gateState.closed++;
      return gateState.forceOpen || held;
    },
  };
});

const timestampFields: ReadonlySet<string> = new Set(DEFAULT_TIMESTAMP_FIELDS.map((field) => field.toLowerCase()));
const defaultGate = clockTextGate(buildCatalog(), timestampFields);

describe('the clock text gate', () => {
  it('opens on every way the rule finds a clock or a timestamp', () => {
    for (const text of [
      `const version = Date.now();`,
      `const at = new Date();`,
      `const stamp = performance.timeOrigin + performance.now();`,
      `if (a.updatedAt > b.updatedAt) keep(a);`,
      `rows.sort((x, y) => x.ts - y.ts);`,
      `if (a['createdAt'] < b['createdAt']) keep(a);`,
      `class C { #mtime = 0; newer(o: C) { return this.#mtime > o.#mtime; } }`,
      // Field names are matched whatever their case.
      `if (a.UpdatedAt > b.UpdatedAt) keep(a);`,
      `if (a.TIMESTAMP > b.TIMESTAMP) keep(a);`,
    ]) {
      expect(defaultGate.test(text), text).toBe(true);
    }
  });

  it('stays closed on code that reads no clock and names no timestamp', () => {
    for (const text of [
      `for (const item of items) total += item.price;`,
      `const runtime = getRuntime(); const dated = isDated(x); const timestamps = list();`,
      `if (a.version > b.version) keep(a);`,
      `const _Date = 1; const myDate = parse(s); obj.updatedAtMs = 1;`,
    ]) {
      expect(defaultGate.test(text), text).toBe(false);
    }
  });

  it('does not count what a comment says', () => {
    const held = (code: string): string[] =>
      probe(code, ['Program'], (analysis, _node, report) => report(String(mayHoldClockText(analysis, timestampFields))), { settings: CLOSED_INDEX });
    const commented = `/** Sorted by \`updatedAt\`; see Date.now(). */\n// if (a.ts > b.ts)\nexport const x = 1;\n`;
    expect(held(commented)).toEqual(['false']);
    for (const code of [`export const now = Date.now();`, `export const newer = (a: R, b: R) => a.updatedAt > b.updatedAt;`]) {
      expect(held(commented + code), code).toEqual(['true']);
    }
  });

  it('follows the catalogue and the rule option', () => {
    const catalog = buildCatalog({
      clockSources: [
        { id: 'acme.now', callee: 'clock.now', package: '@acme/time', kind: 'clock-read', level: 1, why: 'x' },
        { id: 'dayjs', callee: 'dayjs', kind: 'clock-read', level: 1, why: 'x' },
      ],
    });
    const gate = clockTextGate(catalog, timestampFields);
    expect(gate.test(`import { clock as c } from '@acme/time'; const v = c.now();`)).toBe(true);
    expect(gate.test(`const v = dayjs();`)).toBe(true);
    expect(defaultGate.test(`const v = dayjs();`)).toBe(false);
    const own = clockTextGate(buildCatalog(), new Set(['stampedat']));
    expect(own.test(`if (a.stampedAt > b.stampedAt) keep(a);`)).toBe(true);
    expect(own.test(`if (a.updatedAt > b.updatedAt) keep(a);`)).toBe(false);
  });

  it('is open on every fixture file where a wall-clock read or a timestamp field is found with the index closed', () => {
    const { missed, foundFiles, closedFiles } = gateOnFixtures(
      (text) => defaultGate.test(text),
      ['CallExpression', 'NewExpression', 'BinaryExpression', 'MemberExpression', 'Identifier', 'UnaryExpression'],
      (analysis, node) =>
        wallClock(analysis, node) !== undefined || (node.type === 'MemberExpression' && isTimestampField(analysis, memberName(node), timestampFields)),
    );
    expect(missed).toEqual([]);
    expect(foundFiles).toBeGreaterThan(20);
    expect(closedFiles).toBeGreaterThan(10);
  });
});

describe('no-wall-clock-ordering behind the gate', () => {
  it('reports the same on every fixture with the gate and with the gate forced open', () => {
    const { gated, open, closed } = reportsWithGateForcedOpen(plugin, 'no-wall-clock-ordering', gateState);
    expect(gated).toEqual(open);
    expect(Object.values(gated).flat().length).toBeGreaterThan(20);
    expect(closed).toBeGreaterThan(10);
  });

  it('is asked only where every search stays in the file', () => {
    const linter = new Linter({ configType: 'flat' });
    const code = `export const total = (items: { price: number }[]) => items.reduce((sum, item) => sum + item.price, 0);\n`;
    const asked = (settings: Record<string, unknown>, filename: string, text = code): number => {
      gateState.asked = 0;
      linter.verify(
        text,
        [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never }, settings, rules: { 'coordination/no-wall-clock-ordering': 'error' } }],
        { filename },
      );
      return gateState.asked;
    };
    expect(asked(CLOSED_INDEX, 'lib.ts')).toBe(1);
    // A file of a workspace that imports: the index may follow a call into another module's clock.
    expect(asked({}, `${fixturesRoot}project/apps/site-text-gate/lib.ts`, `import { price } from './prices.js';\n${code}`)).toBe(0);
    // One that imports nothing reaches no other module: the gate is asked.
    expect(asked({}, `${fixturesRoot}project/apps/site-text-gate/lib.ts`)).toBe(1);
  });
});
