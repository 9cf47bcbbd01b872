/**
 * The edges a user hits first, through the built CLI (dist/src/cli/main.js): a file whose parse error has
 * no position, in every format; SIGINT and SIGTERM mid-run; a config file with a syntax error.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from './report.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'dist/src/cli/main.js');
const require = createRequire(import.meta.url);

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Spawned {
  readonly pid: number;
  readonly done: Promise<Run>;
}

/** Starts the CLI with its own TMPDIR, so the test sees every temporary file it writes. */
function start(args: readonly string[], cwd: string, tmp: string): Spawned {
  const env = { ...process.env, CI: '', FORCE_COLOR: '', NO_COLOR: '', TMPDIR: tmp };
  const child = spawn(process.execPath, [bin, ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done };
}

let work: string;
let tmp: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'coordination-ladder-edges-'));
  tmp = join(work, 'tmp');
  await mkdir(tmp);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a parse error without a position', () => {
  let project: string;
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    project = join(work, 'deep');
    await mkdir(project);
    // typescript-estree recurses once per parenthesis: 5,000 of them run out of stack, and ESLint
    // reports the parse error without a line or column.
    await writeFile(join(project, 'deep.ts'), `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    await writeFile(join(project, 'clock.js'), 'export const version = Date.now();\nexport const row = { version: Date.now() };\n');
    const formats = ['json', 'sarif', 'table', 'markdown', 'html'];
    const results = await Promise.all(formats.map((format) => start(['.', '--format', format], project, tmp).done));
    formats.forEach((format, index) => (runs[format] = results[index]!));
    await writeFile(join(project, 'report.json'), runs['json']!.stdout);
    runs['merge'] = await start(['merge', 'report.json', 'report.json', '--format', 'json'], project, tmp).done;
    runs['baseline'] = await start(['.', '--baseline', 'report.json', '--format', 'json'], project, tmp).done;
  }, 120_000);

  it('JSON: null line and column, and merge and --baseline read the report back', () => {
    expect(runs['json']).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(runs['json']!.stdout) as Report;
    expect(report.errors).toEqual([{ file: 'deep.ts', line: null, column: null, message: expect.stringMatching(/^Parsing error: .*stack/i) as unknown }]);
    expect(report.sites.length).toBeGreaterThan(0);
    expect(runs['merge']).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(runs['merge']!.stdout) as Report).errors).toEqual(report.errors);
    // A gate cannot vouch for an unparsed file, so --baseline fails: but it reads the report.
    expect(runs['baseline']).toMatchObject({ code: 1, stderr: '' });
    expect((JSON.parse(runs['baseline']!.stdout) as Report).gate).toMatchObject({ baseline: { new: 0 }, uncheckedFiles: 1 });
  });

  it('SARIF: valid against the SARIF 2.1.0 schema, the error at the whole file', () => {
    expect(runs['sarif']).toMatchObject({ code: 0, stderr: '' });
    const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
    ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
    const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object);
    const log = JSON.parse(runs['sarif']!.stdout) as { runs: { invocations: { toolExecutionNotifications: unknown[] }[] }[] };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'deep.ts', uriBaseId: '%SRCROOT%' } } }],
    });
  });

  it.each(['table', 'markdown', 'html'])('%s: the file alone, no undefined', (format) => {
    expect(runs[format]).toMatchObject({ code: 0, stderr: '' });
    expect(runs[format]!.stdout).not.toContain('undefined');
    expect(runs[format]!.stdout).toMatch(format === 'html' ? /<code>deep\.ts<\/code> Parsing error/ : /deep\.ts Parsing error|deep\.ts {2}Parsing error/);
  });
});

describe('a signal mid-run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s removes the temporary eslint-options.mjs and still ends the process by that signal', async (signal) => {
    const own = await mkdtemp(join(tmp, `${signal}-`));
    // The corpus takes seconds to lint: time to see the options module and signal the run.
    const run = start(['fixtures/corpus', '--format', 'json'], repo, own);
    let seen = false;
    for (let attempt = 0; attempt < 400 && !seen; attempt += 1) {
      const entries = await readdir(own, { recursive: true });
      seen = entries.some((entry) => entry.endsWith('eslint-options.mjs'));
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(seen).toBe(true);
    process.kill(run.pid, signal);
    const result = await run.done;
    expect(result.signal).toBe(signal);
    expect(await readdir(own)).toEqual([]);
  }, 60_000);
});

describe('a config file with a syntax error', () => {
  it.each([
    ['eslint.config.js', []],
    ['custom.config.mjs', ['--config', 'custom.config.mjs']],
  ] as const)('%s: the one-line error names the file', async (file, flags) => {
    const project = await mkdtemp(join(work, 'config-'));
    await writeFile(join(project, file), 'export default [ { rules: { } ];\n');
    await writeFile(join(project, 'a.js'), 'export const a = 1;\n');
    const result = await start(['.', ...flags], project, tmp).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`coordination-ladder: cannot load config file '${file}': SyntaxError: Unexpected token ']'\n`);
    expect(await readFile(join(project, file), 'utf8')).toContain('export default');
  }, 60_000);
});
