// The project index parses other modules with oxc-parser and falls back to typescript-estree: both must
// give the same TS-ESTree AST (node types, values, ranges, every property typescript-estree sets), and
// oxc must accept no file that typescript-estree rejects, or the index would see other modules.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureSources } from '../test-support/paths.js';
import { parseModule, parseWithOxc, parseWithTypescriptEstree } from './module-source.js';

/** Where `actual` differs from `expected` (typescript-estree's), property by property; parents and locations aside. */
function differences(expected: unknown, actual: unknown, path: string, found: string[]): void {
  if (found.length > 5) return;
  if (expected === null || typeof expected !== 'object') {
    if (expected !== actual && !(expected == null && actual == null)) found.push(`${path}: ${String(expected)} ≠ ${String(actual)}`);
    return;
  }
  if (actual === null || typeof actual !== 'object') return void found.push(`${path}: missing`);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return void found.push(`${path}: array length`);
    expected.forEach((item, index) => differences(item, actual[index], `${path}[${index}]`, found));
    return;
  }
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'parent' || key === 'loc') continue;
    differences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, found);
  }
}

describe('parseModule', () => {
  const files = fixtureSources(undefined, { declarations: true });

  it('reads enough fixtures to mean something', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('gives the AST typescript-estree gives, for every fixture oxc accepts', () => {
    let compared = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const fast = parseWithOxc(file, source);
      if (!fast) continue;
      const reference = parseWithTypescriptEstree(file, source);
      expect(reference, `${file}: oxc accepts what typescript-estree rejects`).toBeDefined();
      const found: string[] = [];
      differences(reference, fast, 'Program', found);
      expect(found, file).toEqual([]);
      compared += 1;
    }
    // oxc parses nearly every fixture: the comparison is not vacuous, and the fast path is taken.
    expect(compared).toBeGreaterThan(files.length * 0.9);
  });

  it('falls back to typescript-estree where oxc reports an error', () => {
    // A TypeScript-only construct in a .js file: oxc refuses it, typescript-estree reads it.
    const source = 'export function save(id: string) { return id; }\n';
    expect(parseWithOxc('/project/src/save.js', source)).toBeUndefined();
    const module = parseModule('/project/src/save.js', source);
    expect(module?.ast.body[0]?.type).toBe('ExportNamedDeclaration');
  });

  it('returns undefined for text no parser reads', () => {
    expect(parseModule('/project/src/broken.ts', 'export function (')).toBeUndefined();
  });
});
