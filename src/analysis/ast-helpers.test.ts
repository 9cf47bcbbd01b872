// variableOf looks a name up from the identifier's own scope, skipping findVariable's descent through
// child scopes: the same variable for every identifier of every fixture, in scripts and modules alike.
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { fixtureSources } from '../test-support/paths.js';
import { variableOf } from './ast-helpers.js';

interface Tally {
  identifiers: number;
  resolved: number;
  mismatches: string[];
}

function compareOn(code: string, filename: string, sourceType: 'module' | 'script', tally: Tally): void {
  const rule = {
    create(context: TSESLint.RuleContext<string, []>) {
      return {
        Identifier(node: TSESTree.Identifier) {
          const expected = ASTUtils.findVariable(context.sourceCode.getScope(node), node);
          const actual = variableOf(context.sourceCode, node);
          tally.identifiers++;
          if (expected) tally.resolved++;
          if (actual !== expected) tally.mismatches.push(`${filename}:${node.loc.start.line} ${node.name}`);
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat', cwd: '/repo' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts', '**/*.tsx'], plugins: { probe: { rules: { same: rule as never } } }, languageOptions: { parser: tsParser as never, sourceType }, rules: { 'probe/same': 'error' } }],
    filename.endsWith('.tsx') || filename.endsWith('.jsx') ? '/repo/probe.tsx' : '/repo/probe.ts',
  );
  expect(messages.filter((message) => message.fatal || message.ruleId === null)).toEqual([]);
}

describe('variableOf', () => {
  it('finds the variable findVariable finds from the identifier node, for every identifier of the fixtures', () => {
    const tally: Tally = { identifiers: 0, resolved: 0, mismatches: [] };
    for (const file of fixtureSources()) compareOn(readFileSync(file, 'utf8'), file, 'module', tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.identifiers).toBeGreaterThan(10_000);
    expect(tally.resolved).toBeGreaterThan(2_000);
  });

  it('agrees where scopes nest closely: shadowing, class members, parameters, catch, labels, function names, scripts', () => {
    const code = `
const x = 1;
function x2(x) { return x + x2.length; }
const f = function g(g2 = g) { return g2; };
class A { x = x; static y = A; m(x = this.x) { { const x = 2; return x; } } static { const x = 3; x; } }
for (let x = 0; x < 2; x++) { setTimeout(() => x); }
try { x; } catch (x) { x; }
outer: for (const x of [x]) { break outer; }
enum E { a = 1, b = a }
namespace N { export const x = 1; x; }
type T = typeof x;
`;
    const tally: Tally = { identifiers: 0, resolved: 0, mismatches: [] };
    compareOn(code, 'nested.ts', 'module', tally);
    compareOn('var a = 1; function b() { return a; } b(); c;', 'script.js', 'script', tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.resolved).toBeGreaterThan(20);
  });
});
