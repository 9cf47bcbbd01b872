// Other languages in the same config: the configs apply to JavaScript and TypeScript files only, and every
// rule does nothing on an AST that is not an ESTree Program (ESLint 9 runs rules on any language).
import { ESLint, Linter } from 'eslint';
import json from '@eslint/json';
import { describe, expect, it } from 'vitest';
import { JS_TS_FILES } from './config-files.js';
import plugin from './index.js';
import { isJavaScriptAst } from './util/create-rule.js';

const eslintMajor = Number(ESLint.version.split('.')[0]);
const JS = 'export const version = Date.now();\nexport function newer(a, b) { return a.updatedAt > b.updatedAt ? a : b; }\n';
const JSON_TEXT = '{ "body": { "some": 1 }, "type": "Program" }\n';

describe('configs', () => {
  it.each(['recommended', 'strict', 'all'] as const)('%s is scoped to JavaScript and TypeScript files', (name) => {
    expect(plugin.configs[name].files).toEqual([...JS_TS_FILES]);
    for (const extension of ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx']) expect(JS_TS_FILES).toContain(`**/*.${extension}`);
  });

  // recommended enables no rule until one clears the blind-audit bar: strict and all carry the four.
  it.each(['strict', 'all'] as const)('%s lints JavaScript beside @eslint/json without touching JSON files', (name) => {
    const linter = new Linter({ configType: 'flat' });
    const config: Linter.Config[] = [
      plugin.configs[name],
      { files: ['**/*.json'], plugins: { json }, language: 'json/json', rules: json.configs.recommended.rules },
    ];
    expect(linter.verify(JSON_TEXT, config, { filename: 'package.json' })).toEqual([]);
    const messages = linter.verify(JS, config, { filename: 'clock.js' });
    expect(messages.filter((message) => message.fatal)).toEqual([]);
    expect(messages.map((message) => message.ruleId)).toContain('coordination/no-wall-clock-ordering');
  });
});

describe('a rule turned on for a JSON file', () => {
  const rulesOn = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error' as const]));
  const config: Linter.Config[] = [{ files: ['**/*.json'], plugins: { json, coordination: plugin }, language: 'json/json', rules: rulesOn }];

  it.runIf(eslintMajor < 10)('does nothing on ESLint 9 (no crash in no-wall-clock-ordering)', () => {
    const linter = new Linter({ configType: 'flat' });
    expect(linter.verify(JSON_TEXT, config, { filename: 'data.json' })).toEqual([]);
  });

  it.runIf(eslintMajor >= 10)('is refused by ESLint 10, which reads meta.languages', () => {
    const linter = new Linter({ configType: 'flat' });
    expect(() => linter.verify(JSON_TEXT, config, { filename: 'data.json' })).toThrow(/do not support the language "json\/json"/);
  });

  it.each(Object.keys(plugin.rules))('%s returns no visitor for a non-ESTree root, whatever ESLint version runs it', (name) => {
    const rule = plugin.rules[name]!;
    for (const ast of [
      { type: 'Document', body: { type: 'Object', members: [] } },
      { type: 'root', children: [] },
      { type: 'StyleSheet', children: [] },
    ]) {
      const context = { id: `coordination/${name}`, options: [], settings: {}, sourceCode: { ast, text: '' }, filename: 'x.json' };
      expect((rule.create as (context: unknown) => object)(context)).toEqual({});
    }
  });
});

describe('isJavaScriptAst', () => {
  it('accepts an ESTree Program and nothing else', () => {
    expect(isJavaScriptAst({ type: 'Program', body: [] })).toBe(true);
    expect(isJavaScriptAst({ type: 'Program', body: { some: 1 } })).toBe(false);
    expect(isJavaScriptAst({ type: 'Document', body: [] })).toBe(false);
    expect(isJavaScriptAst(undefined)).toBe(false);
  });
});
