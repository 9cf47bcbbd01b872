// Install test: pack the plugin, install the tarball into a fresh project outside the repository
// (a tarball, never a directory path: that would symlink and hide missing dependencies), and lint a
// .ts and a .js file with a flat config that imports the package and uses configs.recommended.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'coordination-install-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo));
  const { filename, files } = packed[0];
  const shipped = files.map((f) => f.path);
  const leaked = shipped.filter((p) => /\.test\.|^src\/|^rules\/|^fixtures\/|^scripts\//.test(p));
  if (leaked.length > 0) throw new Error(`the tarball ships files it should not: ${leaked.join(', ')}`);
  if (!shipped.includes('dist/src/index.js') || !shipped.includes('dist/src/index.d.ts')) {
    throw new Error('the tarball lacks dist/src/index.js or its declarations');
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
        eslint: pkg.devDependencies.eslint,
        '@typescript-eslint/parser': pkg.devDependencies['@typescript-eslint/parser'],
        typescript: pkg.devDependencies.typescript,
      },
    }),
  );
  writeFileSync(
    join(project, 'eslint.config.js'),
    `import coordination from 'eslint-plugin-coordination';
import tsParser from '@typescript-eslint/parser';
export default [
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  coordination.configs.recommended,
];
`,
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

  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  // Lint through a script inside the project so Node resolves everything from its node_modules.
  writeFileSync(
    join(project, 'lint.js'),
    `import { ESLint } from 'eslint';
import coordination from 'eslint-plugin-coordination';
const eslint = new ESLint();
const results = await eslint.lintFiles(['service.ts', 'worker.js']);
const config = await eslint.calculateConfigForFile('service.ts');
console.log(JSON.stringify({
  plugin: coordination.meta,
  fatal: results.flatMap((r) => r.messages.filter((m) => m.fatal || !m.ruleId).map((m) => r.filePath + ': ' + m.message)),
  messages: results.flatMap((r) => r.messages.map((m) => m.ruleId)),
  rules: Object.keys(config.rules ?? {}).filter((r) => r.startsWith('coordination/')),
  recommended: Object.keys(coordination.configs.recommended.rules),
}));
`,
  );
  const report = JSON.parse(run('node', ['lint.js'], project));
  if (report.plugin.name !== pkg.name || report.plugin.version !== pkg.version) {
    throw new Error(`installed plugin reports ${JSON.stringify(report.plugin)}`);
  }
  if (report.fatal.length > 0) throw new Error(`lint failed:\n${report.fatal.join('\n')}`);
  const missing = report.recommended.filter((rule) => !report.rules.includes(rule));
  if (missing.length > 0) throw new Error(`configs.recommended did not enable ${missing.join(', ')}`);
  // Once no-global-lock exists, the constant Redlock key in service.ts must be reported.
  if (report.recommended.includes('coordination/no-global-lock') && !report.messages.includes('coordination/no-global-lock')) {
    throw new Error('no-global-lock did not report the constant Redlock key in service.ts');
  }
  console.log(
    `install test: ${filename} (${shipped.length} files) installed outside the repo; linted service.ts and worker.js with ` +
      `${report.rules.length} recommended rule(s), ${report.messages.length} report(s), no crash.`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
