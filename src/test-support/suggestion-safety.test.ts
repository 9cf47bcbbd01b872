// The suggestion-safety check must be able to fail, and must see the real client declarations.
import { describe, expect, it } from 'vitest';
import { addedDiagnostics, parseErrors, type SuggestionCase } from './suggestion-safety.js';

const redis = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;

function check(code: string, output: string, filename = 'file.ts'): string[] {
  const test: SuggestionCase = { name: 'probe', code, output, filename };
  return addedDiagnostics([test]).get(test) ?? [];
}

describe('suggestion safety', () => {
  it('reports an output that does not parse, with the parser the filename implies', () => {
    expect(parseErrors('export const x = ;', 'file.ts')).toHaveLength(1);
    expect(parseErrors('const x: number = 1;', 'file.js')).toHaveLength(1);
    expect(parseErrors('const x: number = 1;', 'file.ts')).toEqual([]);
    expect(parseErrors('module.exports = 1; return;', 'file.cjs')).toEqual([]);
  });

  it('type-checks against the real ioredis declarations', () => {
    const input = `${redis}export async function f(key: string) { await redis.set(key, '1'); }`;
    expect(check(input, `${redis}export async function f(key: string) { await redis.incrby(key, 1); }`)).toEqual([]);
    expect(check(input, `${redis}export async function f(key: string) { await redis.incrbyy(key, 1); }`)).toEqual([
      expect.stringMatching(/^TS2551 Property 'incrbyy' does not exist on type 'Redis'/),
    ]);
  });

  it('reports what the output strands, and only what it adds', () => {
    const input = `${redis}export async function f(key: string) { const value = await redis.get(key); await redis.set(key, Number(value) + 1); missing(); }`;
    expect(check(input, `${redis}export async function f(key: string) { const value = await redis.get(key); await redis.incrby(key, 1); missing(); }`)).toEqual([
      "TS6133 'value' is declared but its value is never read.",
    ]);
    expect(check(input, `${redis}export async function f(key: string) { await redis.incrby(key, 1); missing(); }`)).toEqual([]);
  });

  it('leaves JavaScript cases to the parse check', () => {
    const test: SuggestionCase = { name: 'js', code: 'f();', output: 'g();', filename: 'file.cjs' };
    expect(addedDiagnostics([test]).has(test)).toBe(false);
  });
});
