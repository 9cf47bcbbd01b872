// Keeps the rule docs true: every rule has a page with the required sections, every option is
// documented, and every example block reports exactly on the lines marked `// error`.
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOW_KEYS } from '../rules/no-global-lock.js';
import plugin from './index.js';

/** Defaults a rule applies in create() rather than in meta.defaultOptions. */
const LONG_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = { 'no-global-lock': { allowKeys: DEFAULT_ALLOW_KEYS } };

const REQUIRED_SECTIONS = ['## Examples', '## Options', '## Ladder level', '## When Not To Use It'];

interface Example {
  readonly kind: 'incorrect' | 'correct';
  readonly code: string;
}

function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const section = /^### (Incorrect|Correct)\s*$/gm;
  let match: RegExpExecArray | null;
  while ((match = section.exec(markdown))) {
    const rest = markdown.slice(match.index + match[0].length);
    const end = rest.search(/^##/m);
    const body = end === -1 ? rest : rest.slice(0, end);
    for (const block of body.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)) {
      found.push({ kind: match[1] === 'Incorrect' ? 'incorrect' : 'correct', code: block[1]! });
    }
  }
  return found;
}

function reportedLines(name: string, code: string): number[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never } }],
    { filename: 'example.ts' },
  );
  const fatal = messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((message) => message.message).join('\n'));
  return messages.filter((message) => message.ruleId === `coordination/${name}`).map((message) => message.line);
}

describe.each(Object.keys(plugin.rules))('docs/rules/%s.md', (name) => {
  const markdown = readFileSync(new URL(`../docs/rules/${name}.md`, import.meta.url), 'utf8');
  const rule = plugin.rules[name]!;

  it('has the required sections', () => {
    for (const section of REQUIRED_SECTIONS) expect(markdown, section).toContain(`\n${section}\n`);
  });

  it('documents every option with its default', () => {
    const schema = (Array.isArray(rule.meta.schema) ? rule.meta.schema[0] : rule.meta.schema) as { properties?: object } | undefined;
    // A default too long for ESLint's options error is applied in create() instead (no-global-lock's allowKeys).
    const defaults = { ...LONG_DEFAULTS[name], ...(rule.meta.defaultOptions?.[0] ?? {}) } as Record<string, unknown>;
    for (const option of Object.keys(schema?.properties ?? {})) {
      const heading = `### \`${option}\``;
      expect(markdown, heading).toContain(heading);
      const section = markdown.slice(markdown.indexOf(heading)).split(/\n### |\n## /)[0]!;
      expect(section, `${option} default`).toContain(`Default \`${JSON.stringify(defaults[option])}\``);
    }
  });

  it('has incorrect and correct examples that start with the rule comment', () => {
    const found = examples(markdown);
    expect(found.some((example) => example.kind === 'incorrect')).toBe(true);
    expect(found.some((example) => example.kind === 'correct')).toBe(true);
    for (const example of found) expect(example.code.startsWith(`/* eslint coordination/${name}: "error" */`)).toBe(true);
  });

  it('reports exactly the example lines marked `// error`', () => {
    for (const example of examples(markdown)) {
      const marked = example.code
        .split('\n')
        .map((line, index) => (/\/\/ error\s*$/.test(line) ? index + 1 : 0))
        .filter(Boolean);
      if (example.kind === 'correct') expect(marked).toEqual([]);
      expect(reportedLines(name, example.code), example.code).toEqual(marked);
    }
  });
});
