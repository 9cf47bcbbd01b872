import { describe, expect, it } from 'vitest';
import { contentCache } from './content-cache.js';

describe('contentCache', () => {
  it('computes once per content, for new but equal inputs, and again for a new content', () => {
    const cache = contentCache<number>(8);
    let computed = 0;
    const value = (input: unknown): number => cache(input, () => ++computed);
    expect(value([{ a: 1, b: ['x'] }])).toBe(1);
    expect(value([{ a: 1, b: ['x'] }])).toBe(1);
    expect(value([{ a: 1, b: ['y'] }])).toBe(2);
    expect(value([{ a: 1, b: ['x'] }])).toBe(1);
    expect(value([{ b: ['x'], a: 1 }])).toBe(3); // another key order is another JSON
    expect(computed).toBe(3);
  });

  it('does not answer from an input the host changed in place after handing it over', () => {
    const cache = contentCache<string>(8);
    const input = { mode: 'a' };
    expect(cache(input, () => 'a')).toBe('a');
    input.mode = 'b';
    expect(cache(input, () => 'b')).toBe('b');
  });

  it('computes every time for inputs JSON cannot tell apart', () => {
    const cache = contentCache<number>(8);
    let computed = 0;
    for (const input of [{ n: Number.NaN }, { n: Number.NaN }, { r: /a/ }, { r: /a/ }, undefined, undefined]) cache(input, () => ++computed);
    expect(computed).toBe(6);
  });
});
