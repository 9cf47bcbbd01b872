// The per-file memos: one answer per file and key, computed once, never shared between memos or files.
import { describe, expect, it } from 'vitest';
import type { FileAnalysis } from './file-analysis.js';
import { fileMemo, fileValue } from './memo.js';

function analysis(): FileAnalysis {
  return { memo: new Map() } as unknown as FileAnalysis;
}

describe('fileValue', () => {
  it('computes once per file, an undefined answer included', () => {
    const value = fileValue<string | undefined>();
    const file = analysis();
    let computed = 0;
    const compute = (): undefined => {
      computed++;
      return undefined;
    };
    expect(value.get(file, compute)).toBeUndefined();
    expect(value.get(file, compute)).toBeUndefined();
    expect(computed).toBe(1);
  });

  it('keeps each value and each file apart', () => {
    const roles = fileValue<string>();
    const gate = fileValue<string>();
    const first = analysis();
    const second = analysis();
    expect(roles.get(first, () => 'roles of first')).toBe('roles of first');
    expect(gate.get(first, () => 'gate of first')).toBe('gate of first');
    expect(roles.get(second, () => 'roles of second')).toBe('roles of second');
    expect(roles.get(first, () => 'again')).toBe('roles of first');
    expect(gate.get(second, () => 'gate of second')).toBe('gate of second');
  });

  it('does not collide with a per-file memo of the same file', () => {
    const value = fileValue<string>();
    const memo = fileMemo<object, string>();
    const file = analysis();
    const key = {};
    expect(memo.get(file, key, () => 'memo')).toBe('memo');
    expect(value.get(file, () => 'value')).toBe('value');
    expect(memo.lookup(file, key)).toEqual({ value: 'memo' });
  });
});
