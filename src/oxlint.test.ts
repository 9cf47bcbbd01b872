// oxlint parity: the built plugin, loaded by oxlint as a JS plugin (fixtures/oxlint/.oxlintrc.json),
// reports exactly what ESLint reports with the same four rules: same rule, message and range, on the
// demo service, the labelled corpus (ESM and CommonJS, .ts, .mjs, .cjs), the project-index monorepo (sites of every
// rule found through other modules: the syntactic index runs unchanged under oxlint) and a .js file with
// non-ASCII text before flagged calls. Runs after `npm run build` (oxlint loads dist/).
//
// Positions: ESLint gives 1-based lines and 1-based columns in UTF-16 code units, end exclusive.
// oxlint's JSON gives a span per label as a UTF-8 byte offset and byte length from the start of the
// file, with a 1-based line and a 1-based column counted in bytes. Both are converted to ESLint's
// form through the file's bytes, so a line with "é" (2 bytes, 1 unit) or "🚀" (4 bytes, 2 units)
// before a report tests the conversion.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = join(root, 'fixtures/oxlint/.oxlintrc.json');
const oxlintBin = join(root, 'node_modules/oxlint/bin/oxlint');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(?:[cm]?[jt]s)$/.test(name) ? [path] : [];
  });
}

const files = [
  ...sources(join(root, 'fixtures/demo/src')),
  ...sources(join(root, 'fixtures/corpus')),
  // The project index: calls followed into other modules (relative imports, a paths alias, CommonJS).
  ...sources(join(root, 'fixtures/project')),
  join(root, 'fixtures/oxlint/non-ascii.js'),
].map((file) => relative(root, file));

interface Diagnostic {
  readonly rule: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

const rules = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`coordination/${name}`, 'error' as const]));

function eslintDiagnostics(file: string): Diagnostic[] {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const messages = linter.verify(
    readFileSync(join(root, file), 'utf8'),
    [
      {
        files: ['**/*.{ts,js,mjs,cjs}'],
        plugins: { coordination: plugin as never },
        languageOptions: {
          ...(/\.[cm]?ts$/.test(file) ? { parser: tsParser } : {}),
          sourceType: file.endsWith('.cjs') ? 'commonjs' : 'module',
        },
        rules,
      },
    ],
    { filename: join(root, file) },
  );
  // A parse error or "no matching configuration" has no rule: the comparison would be void.
  const unruled = messages.find((message) => message.ruleId === null);
  if (unruled) throw new Error(`${file}: ${unruled.message}`);
  return messages.map((message) => ({
    rule: message.ruleId!,
    message: message.message,
    line: message.line,
    column: message.column,
    endLine: message.endLine!,
    endColumn: message.endColumn!,
  }));
}

/** ESLint's line and column (1-based, UTF-16) of a UTF-8 byte offset into `bytes`. */
function position(bytes: Buffer, byteOffset: number): { line: number; column: number } {
  const before = bytes.subarray(0, byteOffset).toString('utf8');
  const lines = before.split(/\r\n|[\r\n\u2028\u2029]/);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

interface OxlintDiagnostic {
  readonly message: string;
  readonly code: string;
  readonly filename: string;
  readonly labels: readonly { readonly span: { readonly offset: number; readonly length: number; readonly line: number; readonly column: number } }[];
}

let oxlint: Map<string, Diagnostic[]>;

beforeAll(() => {
  // Exit code 1 means "errors found": the output is what the test reads.
  let output: string;
  try {
    output = execFileSync(oxlintBin, ['-c', config, '--format', 'json', ...files], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 1 || !failed.stdout) throw new Error(`oxlint failed: ${failed.stderr ?? String(error)}`);
    output = failed.stdout;
  }
  const { diagnostics } = JSON.parse(output) as { diagnostics: OxlintDiagnostic[] };
  oxlint = new Map(files.map((file) => [file, []]));
  for (const diagnostic of diagnostics) {
    const bytes = readFileSync(join(root, diagnostic.filename));
    const { span } = diagnostic.labels[0]!;
    const start = position(bytes, span.offset);
    const end = position(bytes, span.offset + span.length);
    // oxlint's own line and column: the same line, the column counted in bytes.
    const lineStart = bytes.lastIndexOf(0x0a, span.offset - 1) + 1;
    expect({ line: span.line, column: span.column }).toEqual({ line: start.line, column: span.offset - lineStart + 1 });
    // `coordination(no-global-lock)` → `coordination/no-global-lock`
    const rule = diagnostic.code.replace(/^(.*)\((.*)\)$/, '$1/$2');
    oxlint.get(diagnostic.filename)!.push({ rule, message: diagnostic.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
  }
}, 60_000);

const order = (a: Diagnostic, b: Diagnostic): number => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);

describe('oxlint runs the plugin unchanged', () => {
  it('lints ESM and CommonJS, .ts, .js, .mjs and .cjs files', () => {
    expect(files.some((file) => file.endsWith('.ts'))).toBe(true);
    for (const extension of ['.js', '.mjs', '.cjs']) expect(files.some((file) => file.endsWith(extension))).toBe(true);
  });

  it('reports something on most files (the comparison is not vacuous)', () => {
    const reported = files.filter((file) => eslintDiagnostics(file).length > 0);
    expect(reported.length).toBeGreaterThan(files.length / 2);
    expect(eslintDiagnostics('fixtures/oxlint/non-ascii.js').map((diagnostic) => diagnostic.rule)).toEqual([
      'coordination/no-global-lock',
      'coordination/no-wall-clock-ordering',
    ]);
  });

  it('compares sites found through other modules of the project, of every rule', () => {
    // A message names the module that holds the primitive: `… in fixtures/project/apps/api/src/lib/clock.ts`.
    const layered = files
      .filter((file) => file.startsWith('fixtures/project/'))
      .flatMap((file) => eslintDiagnostics(file).filter((diagnostic) => / in fixtures\/project\//.test(diagnostic.message)))
      .map((diagnostic) => diagnostic.rule);
    expect([...new Set(layered)].sort()).toEqual(Object.keys(rules).sort());
  });

  it.each(files)('%s: the same diagnostics as ESLint', (file) => {
    expect([...oxlint.get(file)!].sort(order)).toEqual(eslintDiagnostics(file).sort(order));
  });
});
