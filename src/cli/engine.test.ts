import { describe, expect, it } from 'vitest';
import { CONCURRENCY_SINCE, assertEslintSupports, olderThan } from './engine.js';
import { UsageError } from './errors.js';

describe('assertEslintSupports', () => {
  it('names the ESLint version --concurrency needs when the installed one is older', () => {
    expect(CONCURRENCY_SINCE).toBe('9.34.0');
    expect(() => assertEslintSupports('9.33.1', 2)).toThrow(UsageError);
    expect(() => assertEslintSupports('9.33.1', 'auto')).toThrow(
      '--concurrency needs ESLint 9.34.0 or later; this is ESLint 9.33.1 (upgrade ESLint, or leave the flag out)',
    );
    expect(() => assertEslintSupports('9.0.0', 'off')).not.toThrow();
    expect(() => assertEslintSupports('9.34.0', 4)).not.toThrow();
    expect(() => assertEslintSupports('10.0.0-rc.1', 'auto')).not.toThrow();
  });

  it('compares versions part by part', () => {
    expect(olderThan('9.9.0', '9.34.0')).toBe(true);
    expect(olderThan('9.39.5', '9.34.0')).toBe(false);
    expect(olderThan('10.0.0', '9.34.0')).toBe(false);
    expect(olderThan('9.34.0-alpha.1', '9.34.0')).toBe(false);
  });
});
