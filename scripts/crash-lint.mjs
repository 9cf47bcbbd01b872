// Shared by the crash sweep (scripts/sweep.mjs) and the fuzz run (scripts/fuzz.mjs): lint one program
// with every rule of the plugin in one parser mode, and tell a rule exception from a parse failure.
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from 'eslint-plugin-coordination';

const rules = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error']));
const linter = new Linter({ configType: 'flat' });

/**
 * The parser modes a file is linted in: TypeScript sources with typescript-eslint's parser;
 * JavaScript with espree and with typescript-eslint's parser (which users point at .js files too).
 */
export function modesFor(file) {
  if (/\.[cm]?tsx?$/.test(file)) return ['ts'];
  return ['espree', 'ts'];
}

function configFor(file, mode) {
  const jsx = /x$/.test(file);
  return [
    {
      // A pattern ending in `*` does not make a file lintable on its own (ESLint lints only .js, .mjs and
      // .cjs then, and answers "No matching configuration" for .ts): `**/*.*` names an extension.
      files: ['**/*.*'],
      plugins: { coordination: plugin },
      languageOptions: {
        ...(mode === 'ts' ? { parser: tsParser } : {}),
        ecmaVersion: 'latest',
        sourceType: file.endsWith('.cjs') || file.endsWith('.cts') ? 'commonjs' : 'module',
        parserOptions: { ecmaFeatures: { jsx } },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
      rules,
    },
  ];
}

/**
 * Lints `code` as `filename` (a name outside node_modules: ESLint ignores those) in `mode`. Answers
 * `{ exception }` (the rule and the first line of the error, with the innermost frame of the plugin)
 * when a rule threw, else `{ messages, parseError, unlinted }`.
 */
export function lintOnce(code, filename, mode) {
  let messages;
  try {
    messages = linter.verify(code, configFor(filename, mode), { filename });
  } catch (error) {
    const text = String(error?.message ?? error);
    const rule = /Rule: "([^"]+)"/.exec(text)?.[1] ?? 'unknown rule';
    const frame = String(error?.stack ?? '')
      .split('\n')
      .find((line) => /\/dist\/(rules|src)\//.test(line))
      ?.trim()
      .replace(/^at /, '')
      .replace(/(?:file:\/\/)?\/\S*\/dist\//, 'dist/');
    return { exception: `${rule}: ${text.split('\n')[0]}${frame ? ` at ${frame}` : ''}` };
  }
  const parseError = messages.find((message) => message.fatal);
  const unlinted = messages.some((message) => !message.ruleId && message.message.startsWith('No matching configuration'));
  return { messages, parseError: parseError?.message, unlinted };
}
