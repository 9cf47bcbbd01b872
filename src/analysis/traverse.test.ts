import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { probe } from '../test-support/lint.js';
import { walk, walkCode } from './traverse.js';

/** The calls each walk finds from the file's root, by their callee's text. */
function callsFound(code: string): { all: string[]; code: string[]; allTypes: Set<string>; codeTypes: Set<string> } {
  const found = { all: [] as string[], code: [] as string[], allTypes: new Set<string>(), codeTypes: new Set<string>() };
  probe(code, ['Program'], (analysis, program) => {
    const { sourceCode } = analysis;
    const collect = (into: string[], types: Set<string>) => (node: TSESTree.Node) => {
      types.add(node.type);
      if (node.type === 'CallExpression') into.push(sourceCode.getText(node.callee));
    };
    walk(sourceCode, program, collect(found.all, found.allTypes));
    walkCode(sourceCode, program, collect(found.code, found.codeTypes));
  });
  return found;
}

describe('walkCode', () => {
  it('finds every call that runs, in casts, enum initialisers, defaults and class fields, and enters no type (not a cast\'s either)', () => {
    const code = [
      'enum Level { Low = compute() }',
      'const x = (load() as Row<typeof y>).id;',
      'function f(a: number = fallback()): Promise<void> { return run(a); }',
      'class C<T extends Base = Base> { field = init(); [key: string]: unknown; }',
      'interface I { m(): void }',
      'type T = ReturnType<typeof g>;',
      'declare function h(x: number): void;',
    ].join('\n');
    const { all, code: running, allTypes, codeTypes } = callsFound(code);
    expect(running.sort()).toEqual(['compute', 'fallback', 'init', 'load', 'run']);
    // The plain walk finds the same calls: types hold none, they only cost the walk's time.
    expect(all.sort()).toEqual(running);
    for (const typeOnly of ['TSNumberKeyword', 'TSVoidKeyword', 'TSInterfaceBody', 'TSIndexSignature', 'TSTypeParameter', 'TSTypeReference', 'TSTypeQuery', 'TSTypeAnnotation']) {
      expect(allTypes.has(typeOnly), typeOnly).toBe(true);
      expect(codeTypes.has(typeOnly), typeOnly).toBe(false);
    }
  });
});
