// A mistyped rule option: ESLint's error names the key and stays short, since ESLint prints the options
// merged with meta.defaultOptions (no 600-character default regular expression in it).
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe.each(Object.keys(plugin.rules))('coordination/%s with a mistyped option', (name) => {
  it('fails with a message that names the key and prints no default regular expression', () => {
    const linter = new Linter({ configType: 'flat' });
    let message = '';
    try {
      linter.verify('export {};\n', [{ plugins: { coordination: plugin }, rules: { [`coordination/${name}`]: ['error', { allowKey: ['cron'] }] } }], {
        filename: 'a.js',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"allowKey"');
    // Word lists (no-wall-clock-ordering's field names) may show; the allowKeys pattern may not.
    expect(message).not.toContain('compaction');
    expect(message.length, message).toBeLessThan(600);
  });
});

it('no-global-lock still applies its default allowKeys when the option is absent', () => {
  const linter = new Linter({ configType: 'flat' });
  const code = "import Redlock from 'redlock';\nconst redlock = new Redlock([]);\nexport async function run(day) { await redlock.acquire(['cron:nightly'], 1000); return day; }\n";
  const messages = linter.verify(code, [{ plugins: { coordination: plugin }, rules: { 'coordination/no-global-lock': 'error' } }], { filename: 'a.js' });
  expect(messages).toEqual([]);
  const withoutDefault = linter.verify(
    code,
    [{ plugins: { coordination: plugin }, rules: { 'coordination/no-global-lock': ['error', { allowKeys: [] }] } }],
    { filename: 'a.js' },
  );
  expect(withoutDefault.map((message) => message.ruleId)).toEqual(['coordination/no-global-lock']);
});
