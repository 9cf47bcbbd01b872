// No crash on any input: every rule runs over odd shapes with both parsers (unicorn's empty-file
// test and regexp's odd-input sweep, in small).
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

const ODD_INPUTS = [
  '',
  '// only a comment',
  'a[b](); a?.b?.(); (0, a.b)(); new (foo())(); new new X()();',
  'f(...args); obj.set(...pair); redis.set(...entry, "NX");',
  'tag`x${1}`; a.b`c`; (await x)`y`;',
  'class A { #m = new Map(); static s = 1; get g() { return this.#m.set("k", 1); } m() { super.x(); return this?.#m; } }',
  'for (;;) { break; } for (const [a, b] of c) a.set(b); for (x in y) z.put(x); while (0); do ; while (0);',
  'label: for (const x of xs) { for (const y of ys) { if (y) continue label; break label; } }',
  'const { a = 1, ...rest } = require("ioredis"); new rest.Redis().set(...[]);',
  'import * as ns from "redlock"; new ns.default([]).acquire([...keys], 1); export default async () => { for await (const x of y) await x?.lock?.(); };',
  'Promise.all(); Promise.all([]); Promise.allSettled(xs.map()); [].sort(); x.sort((a) => a); Date.now() > Date.now() ? 1 : 2;',
  'async function f() { await Promise.all([a.set(), b.set()]); await Promise.all([a.set(k), b.set(k)]); }',
  'if (a.updatedAt > a.updatedAt) x(); if (Date.now() - this.lease.at > t) y(); ({ version: Date.now(), [k]: Date.now() });',
  'pool.query(); pool.query(`${x}`); pool.query({}); pool.query("SELECT pg_advisory_lock(", []); sql``;',
  'function g(this: void, ...a: number[]) { return a.reduce(async (p, x) => p, Promise.resolve()); }',
];

/** Shapes that once threw a rule exception on real code, one per crash found (issue 18). */
const CRASH_SHAPES = [
  // a time comparison in a callback passed to a plain call, not a method (RxJS operators): memberName
  // read the callee as a member expression
  'source.pipe(map((messages) => messages.filter((a, b) => a.created_at < b.created_at)), tap((a, b) => a.updatedAt > b.updatedAt ? x(a) : x(b)));',
  'map((a, b) => { if (a.created_at < b.created_at) keep(a); });',
  // a tagged template as the per-item call of a loop: the bulk suggestion read its missing arguments
  'import { PrismaClient } from "@prisma/client"; const prisma = new PrismaClient(); export async function f(rows) { for (const row of rows) await prisma.user.create`${row}`; }',
];

const linter = new Linter({ configType: 'flat' });

describe.each([
  ['typescript-eslint parser', 'file.ts', { parser: tsParser as never }],
  ['espree', 'file.js', { ecmaVersion: 'latest' as const, sourceType: 'module' as const }],
])('every rule with %s', (_, filename, languageOptions) => {
  it.each([...ODD_INPUTS, ...CRASH_SHAPES])('%j', (code) => {
    const messages = linter.verify(
      code,
      [{ files: ['**/*.ts', '**/*.js'], plugins: { coordination: plugin as never }, languageOptions, rules: Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error'])) }],
      { filename },
    );
    // Parse errors of odd syntax are fine; a rule exception would surface as a thrown error above.
    expect(messages.every((message) => message.ruleId === null || message.ruleId.startsWith('coordination/'))).toBe(true);
  });
});

describe('bad input', () => {
  const allRules = (): Linter.RulesRecord => Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error' as const]));

  it.each(Object.keys(plugin.rules))('rejects unknown options of %s with ESLint\'s schema message naming the key', (name) => {
    const verify = () =>
      linter.verify('x();', [{ files: ['**/*.js'], plugins: { coordination: plugin as never }, rules: { [`coordination/${name}`]: ['error', { bogusOption: true }] } }], {
        filename: 'file.js',
      });
    expect(verify).toThrow(/bogusOption/);
  });

  it('rejects invalid settings with a message naming the key', () => {
    const verify = () =>
      linter.verify(
        'x();',
        [{ files: ['**/*.js'], plugins: { coordination: plugin as never }, settings: { coordination: { costModel: { rttMs: -5 } } }, rules: allRules() }],
        { filename: 'file.js' },
      );
    expect(verify).toThrow('settings.coordination.costModel.rttMs should be >= 0, got -5');
  });

  it('lints a huge generated file and a minified bundle without a rule exception', () => {
    const huge = Array.from(
      { length: 3000 },
      (_, i) => `export async function f${i}(items, redis, prisma) { for (const item of items) await prisma.t${i}.create({ data: item }); await redis.set('k${i}', Date.now(), 'NX'); }`,
    ).join('\n');
    const minified = `import R from"ioredis";import L from"redlock";const r=new R,l=new L([r]);${Array.from(
      { length: 200 },
      (_, i) => `export const a${i}=async(e,t)=>{for(const n of e)await r.set(n.id,t);await l.acquire(["x"],1e3);return Promise.all(e.map(e=>e.save(t))).then(()=>[...e].sort((e,t)=>e.updatedAt-t.updatedAt))};`,
    ).join('')}`;
    for (const code of [huge, minified]) {
      const messages = linter.verify(code, [{ files: ['**/*.js'], plugins: { coordination: plugin as never }, languageOptions: { sourceType: 'module' }, rules: allRules() }], {
        filename: 'bundle.js',
      });
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      expect(messages.length).toBeGreaterThan(0);
    }
  });
});
