import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { createRule } from './create-rule.js';

type Options = [{ limit: number; words: string[] }];

/** A rule that reports the options its create() received, as JSON, once per file. */
function optionsProbe(seen: unknown[]): ReturnType<typeof createRule<Options, 'options'>> {
  return createRule<Options, 'options'>({
    name: 'options-probe',
    meta: {
      type: 'suggestion',
      docs: { description: 'test probe', recommended: false, requiresTypeChecking: false, ladderLevels: [] },
      schema: [{ type: 'object', properties: { limit: { type: 'number' }, words: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
      defaultOptions: [{ limit: 5, words: ['a'] }],
      messages: { options: '{{options}}' },
    },
    defaultOptions: [{ limit: 5, words: ['a'] }],
    create(context, [options]) {
      seen.push(options);
      return { Program: (node) => context.report({ node, messageId: 'options', data: { options: JSON.stringify(options) } }) };
    },
  });
}

describe('createRule options', () => {
  it('hands create() the defaults, the configured options and the options of a comment, each merged with the defaults and frozen', () => {
    const seen: unknown[] = [];
    const plugin = { rules: { probe: optionsProbe(seen) } };
    const linter = new Linter({ configType: 'flat' });
    const lint = (code: string, ruleConfig: Linter.RuleEntry): string[] =>
      linter.verify(code, [{ plugins: { test: plugin as never }, rules: { 'test/probe': ruleConfig } }], 'file.js').map((message) => message.message);

    expect(lint('a;', 'error')).toEqual(['{"limit":5,"words":["a"]}']);
    expect(lint('b;', 'error')).toEqual(['{"limit":5,"words":["a"]}']);
    expect(lint('c;', ['error', { limit: 2 }])).toEqual(['{"limit":2,"words":["a"]}']);
    expect(lint('/* eslint test/probe: ["error", { "words": ["z"] }] */ d;', 'error')).toEqual(['{"limit":5,"words":["z"]}']);
    // Back to no options: the defaults again, not the last options seen.
    expect(lint('e;', 'error')).toEqual(['{"limit":5,"words":["a"]}']);
    expect(seen.every((options) => Object.isFrozen(options) && Object.isFrozen((options as Options[0]).words))).toBe(true);
    // Equal options are merged once: the same object for every file that has them.
    expect(seen[0]).toBe(seen[1]);
    expect(seen[4]).toBe(seen[0]);
  });
});
