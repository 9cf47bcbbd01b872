/**
 * The project index answers a module's top-level binding from its statements while scope analysis has
 * not run (`topLevelDefinition`): that answer must be the first definition scope analysis gives, or
 * "cannot tell". Checked on edge cases and on every name of the repository's own sources and fixtures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { fixtureSources, fixturesRoot } from '../test-support/paths.js';
import { parseModule } from './module-source.js';
import { topLevelDefinition } from './project-index.js';
import { walk } from './traverse.js';

const SOURCES = fileURLToPath(new URL('..', import.meta.url));
const RULES = fileURLToPath(new URL('../../rules', import.meta.url));

/** What scope analysis gives as the first definition of `name` at the top level, in the form the syntax answer has. */
function scopeAnswer(sourceCode: Readonly<TSESLint.SourceCode>, name: string): unknown {
  const { scopeManager, ast } = sourceCode;
  const scope = scopeManager!.acquire(ast, true) ?? scopeManager!.globalScope!;
  const def = ASTUtils.findVariable(scope, name)?.defs[0];
  if (!def) return null;
  switch (def.type) {
    case 'FunctionName':
    case 'ClassName':
    case 'Variable':
      return { type: def.type, node: def.node };
    case 'ImportBinding':
      return { type: def.type, node: def.node, parent: def.parent, name: def.name };
    default:
      return { type: 'other' };
  }
}

/** Compares the two answers for every name the module mentions and one it does not; returns how many the syntax settled. */
function compare(path: string, text: string): { settled: number; asked: number } {
  const sourceCode = parseModule(path, text);
  if (!sourceCode) return { settled: 0, asked: 0 };
  const names = new Set<string>(['notMentionedAnywhere']);
  walk(sourceCode, sourceCode.ast, (node) => {
    if (node.type === 'Identifier') names.add((node as TSESTree.Identifier).name);
  });
  let settled = 0;
  for (const name of names) {
    const syntax = topLevelDefinition(sourceCode.ast, name);
    if (syntax === undefined) continue;
    settled += 1;
    const expected = scopeAnswer(sourceCode, name);
    if (syntax === null) expect(expected, `${path}: ${name}`).toBeNull();
    else expect(syntax, `${path}: ${name}`).toStrictEqual(expected);
  }
  return { settled, asked: names.size };
}

describe('topLevelDefinition', () => {
  it('gives the first definition scope analysis gives, or cannot tell', () => {
    const cases = [
      // merged declarations: the first in source order
      'interface Repo { save(): void }\nexport class Repo { save() {} }\nexport const x = new Repo();',
      'export class Repo {}\nexport interface Repo { extra: number }',
      // destructuring, defaults, rest
      'const { a, b: [c = 1, ...d], ...e } = load();\nexport { a, c, d, e };',
      // imports of every form, type-only ones included
      "import def, { save as store, type Row } from './repo';\nimport * as all from './all';\nexport { def, store, all };",
      // export default with and without a name
      'export default function save() {}\nfunction other() {}',
      'export default class {}\nexport const y = 1;',
      'export default save;\nfunction save() {}',
      // a var hoisted out of a block: syntax cannot tell, scope analysis can
      'if (ready) { var pool = create(); }\nexport { pool };',
      'for (var i = 0; i < 3; i++) {}\nexport function f() {}',
      // declarations syntax leaves to scope analysis
      'declare const db: Db;\nexport { db };',
      'export function f(a: string): void;\nexport function f(a: unknown) {}',
      'export enum Kind { A }\nexport namespace Kind { export const b = 1; }',
      "import fs = require('fs');\nexport const read = fs.readFileSync;",
      // names inside functions and classes are not top-level
      'export function outer() { const inner = 1; return inner; }\nexport class C { method() { const local = 2; return local; } }',
    ];
    let settled = 0;
    for (const [index, text] of cases.entries()) settled += compare(`case-${index}.ts`, text).settled;
    expect(settled).toBeGreaterThan(30);
  });

  it('agrees with scope analysis on every name of the repository’s sources and fixtures', () => {
    let settled = 0;
    let asked = 0;
    for (const path of [...fixtureSources(SOURCES), ...fixtureSources(RULES), ...fixtureSources(fixturesRoot)]) {
      const result = compare(path, readFileSync(path, 'utf8'));
      settled += result.settled;
      asked += result.asked;
    }
    // Most modules hold no statement that hides a binding from syntax: most names are settled without scope analysis.
    expect(asked).toBeGreaterThan(10_000);
    expect(settled / asked).toBeGreaterThan(0.8);
  });
});
