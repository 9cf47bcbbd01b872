// Install test: pack the plugin, install the tarball into a fresh project outside the repository
// (a tarball, never a directory path: that would symlink and hide missing dependencies), and lint a
// .ts and a .js file with a flat config that imports the package and uses configs.strict (no rule has met the bar for recommended yet), with
// @eslint/json alongside for a .json file. `tsc` type-checks the configs as users write them: a
// `// @ts-check` eslint.config.js and an eslint.config.ts, with defineConfig and `plugins: { coordination }`.
// All of it runs under the ESLint of devDependencies (10), then again under ESLint 9.39.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'coordination-install-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** The ESLint versions the installed project is checked under: the devDependency, then the last 9.x minor. */
const ESLINT_VERSIONS = [pkg.devDependencies.eslint, '~9.39.0'];

try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo));
  const { filename, files } = packed[0];
  const shipped = files.map((f) => f.path);
  const leaked = shipped.filter((p) => /\.test\.|^src\/|^rules\/|^fixtures\/|^scripts\//.test(p));
  if (leaked.length > 0) throw new Error(`the tarball ships files it should not: ${leaked.join(', ')}`);
  for (const required of ['dist/src/index.js', 'dist/src/index.d.ts', 'LICENSE']) {
    if (!shipped.includes(required)) throw new Error(`the tarball lacks ${required}`);
  }

  const project = join(work, 'project');
  run('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'install-test',
      private: true,
      type: 'module',
      devDependencies: {
        'eslint-plugin-coordination': `file:${join(work, filename)}`,
        eslint: ESLINT_VERSIONS[0],
        '@eslint/json': pkg.devDependencies['@eslint/json'],
        '@typescript-eslint/parser': pkg.devDependencies['@typescript-eslint/parser'],
        typescript: pkg.devDependencies.typescript,
      },
    }),
  );
  writeFileSync(
    join(project, 'eslint.config.js'),
    `// @ts-check
import { defineConfig } from 'eslint/config';
import coordination from 'eslint-plugin-coordination';
import json from '@eslint/json';
import tsParser from '@typescript-eslint/parser';
export default defineConfig([
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  coordination.configs.strict,
  { files: ['**/*.json'], plugins: { json }, language: 'json/json', extends: ['json/recommended'] },
]);
`,
  );
  // Type-checked only: more of the shapes users write, against ESLint's own config types.
  writeFileSync(
    join(project, 'eslint.config.ts'),
    `import { defineConfig } from 'eslint/config';
import type { Linter } from 'eslint';
import coordination, { type CoordinationSettingsInput } from 'eslint-plugin-coordination';
const coordinationSettings: CoordinationSettingsInput = { participants: 5, costModel: { rttMs: 20 }, backends: { pg: 'single-primary' } };
export const flat: Linter.Config[] = [coordination.configs.all, { plugins: { coordination }, settings: { coordination: coordinationSettings } }];
export default defineConfig([
  coordination.configs.recommended,
  { files: ['**/*.vue'], plugins: { coordination }, rules: coordination.configs.recommended.rules },
  { files: ['src/**'], extends: [coordination.configs.all], settings: { coordination: coordinationSettings } },
]);
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['eslint.config.js', 'eslint.config.ts'],
    }),
  );
  writeFileSync(
    join(project, 'service.ts'),
    `import Redlock from 'redlock';
import Redis from 'ioredis';
const redlock = new Redlock([new Redis()]);
export async function book(roomId: string): Promise<void> {
  const lock = await redlock.acquire(['bookings'], 5000);
  try { console.log(roomId); } finally { await lock.release(); }
}
`,
  );
  writeFileSync(join(project, 'worker.js'), `export async function tick(queue) { for (const job of queue) await job.run(); }\n`);
  // A JSON file whose root has a "body" that is no array: no-wall-clock-ordering crashed on it under ESLint 9.
  writeFileSync(join(project, 'data.json'), `{ "type": "Program", "body": { "some": 1 } }\n`);

  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  // Lint through a script inside the project so Node resolves everything from its node_modules.
  writeFileSync(
    join(project, 'lint.js'),
    `import { ESLint } from 'eslint';
import coordination from 'eslint-plugin-coordination';
const eslint = new ESLint();
const results = await eslint.lintFiles(['service.ts', 'worker.js', 'data.json']);
const config = await eslint.calculateConfigForFile('service.ts');
console.log(JSON.stringify({
  eslint: ESLint.version,
  plugin: coordination.meta,
  fatal: results.flatMap((r) => r.messages.filter((m) => m.fatal || !m.ruleId).map((m) => r.filePath + ': ' + m.message)),
  messages: results.flatMap((r) => r.messages.map((m) => m.ruleId)),
  onJson: results.filter((r) => r.filePath.endsWith('.json')).flatMap((r) => r.messages.map((m) => m.ruleId)),
  rules: Object.keys(config.rules ?? {}).filter((r) => r.startsWith('coordination/')),
  strict: Object.keys(coordination.configs.strict.rules),
}));
`,
  );

  // What importing the plugin loads: oxlint (and a project linting JavaScript with ESLint's default parser)
  // starts the plugin without TypeScript or ESLint in the process, and loading them would cost it most of
  // a second. The project index loads its parsers and resolver on first use.
  writeFileSync(
    join(project, 'load.cjs'),
    `import('eslint-plugin-coordination').then(() => {
  const loaded = new Set(Object.keys(require.cache).map((path) => path.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*node_modules)/)?.[1]));
  console.log(JSON.stringify(['typescript', 'eslint', '@typescript-eslint/typescript-estree', '@typescript-eslint/scope-manager', 'oxc-parser', 'oxc-resolver'].filter((name) => loaded.has(name))));
});
`,
  );
  const loadedWithPlugin = JSON.parse(run('node', ['load.cjs'], project));
  if (loadedWithPlugin.length > 0) throw new Error(`importing the plugin loads ${loadedWithPlugin.join(', ')}`);

  const checked = [];
  for (const [index, eslintVersion] of ESLINT_VERSIONS.entries()) {
    if (index > 0) run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `eslint@${eslintVersion}`], project);
    try {
      run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], project);
    } catch (error) {
      throw new Error(`tsc rejected the configs (eslint@${eslintVersion}):\n${error.stdout}${error.stderr}`);
    }
    const report = JSON.parse(run('node', ['lint.js'], project));
    const where = `under ESLint ${report.eslint}`;
    if (report.plugin.name !== pkg.name || report.plugin.version !== pkg.version) {
      throw new Error(`installed plugin reports ${JSON.stringify(report.plugin)} ${where}`);
    }
    if (report.fatal.length > 0) throw new Error(`lint failed ${where}:\n${report.fatal.join('\n')}`);
    if (report.onJson.some((rule) => rule?.startsWith('coordination/'))) throw new Error(`a coordination rule reported on data.json ${where}`);
    const missing = report.strict.filter((rule) => !report.rules.includes(rule));
    if (missing.length > 0) throw new Error(`configs.strict did not enable ${missing.join(', ')} ${where}`);
    // The constant Redlock key in service.ts must be reported.
    if (!report.messages.includes('coordination/no-global-lock')) {
      throw new Error(`no-global-lock did not report the constant Redlock key in service.ts ${where}`);
    }
    checked.push(`ESLint ${report.eslint} (${report.rules.length} rules, ${report.messages.length} reports)`);
  }
  console.log(
    `install test: ${filename} (${shipped.length} files) installed outside the repo; importing it loads neither TypeScript nor ESLint; tsc accepted a @ts-check eslint.config.js and an ` +
      `eslint.config.ts; linted service.ts, worker.js and data.json (@eslint/json alongside) with no crash under ${checked.join(' and ')}.`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
