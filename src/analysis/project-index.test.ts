// The project index on a small monorepo (fixtures/project): two workspace packages (one linked through
// node_modules), a tsconfig `paths` alias with `extends`, a barrel, an injected service, a repository
// class with a base class, a client subclass (with a table-lock method), a sequelize-style model, a
// CommonJS module, a lock wrapper, a per-target write helper, a clock helper and an interface-typed
// store. Every line marked `// expect: <rule>` is reported in syntactic and typed mode, with the path in
// the message; `// expect typed: <rule>` in typed mode only (the checker settles the callee); every line
// marked `// ok:` in neither.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../index.js';
import { decodeSiteRecord } from '../model/site.js';
import { loadModule, mayLeaveFile, resolveModule } from './project-index.js';
import { getFileAnalysis } from './file-analysis.js';
import { probe } from '../test-support/lint.js';
import { getSettings } from '../settings.js';

const fixture = fileURLToPath(new URL('../../fixtures/project', import.meta.url));
let root: string;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(?:[cm]?[jt]s)$/.test(name) ? [path] : [];
  });
}

type Mode = 'syntactic' | 'typed';

function lint(file: string, settings: Record<string, unknown> = {}, mode: Mode = 'syntactic'): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const typescript = /\.[cm]?ts$/.test(file);
  return linter.verify(
    readFileSync(file, 'utf8'),
    [
      {
        files: ['**/*.{ts,cts,mts,js,cjs,mjs}'],
        plugins: { coordination: plugin as never },
        languageOptions: {
          ...(typescript ? { parser: tsParser as never } : {}),
          // Typed mode: the program of the monorepo's tsconfig (its .ts sources; the CommonJS module stays syntactic).
          ...(typescript && mode === 'typed' ? { parserOptions: { projectService: true, tsconfigRootDir: root } } : {}),
          sourceType: file.endsWith('.cjs') ? 'commonjs' : 'module',
        },
        settings: { coordination: { siteRecords: true, ...settings } },
        rules: plugin.configs.all.rules as Linter.RulesRecord,
      },
    ],
    { filename: file },
  );
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'coordination-project-'));
  cpSync(fixture, root, { recursive: true });
  // What `npm install` makes of the workspaces: a link per package.
  mkdirSync(join(root, 'node_modules/@acme'), { recursive: true });
  symlinkSync(join(root, 'packages/db'), join(root, 'node_modules/@acme/db'), 'dir');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A package in `folder`: `a.ts` writes per item through `save()` of `b.ts`, a Prisma write the index must open `b.ts` to see. */
function writeLoopThroughHelper(folder: string, manifest: Record<string, unknown>): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(folder, 'b.ts'), `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function save(row: { id: string }) { await prisma.row.create({ data: row }); }\n`);
  writeFileSync(join(folder, 'a.ts'), `import { save } from './b.js';\nexport async function run(rows: { id: string }[]) { for (const row of rows) await save(row); }\n`);
}

/** The rules that report on `folder`'s `a.ts`, every rule on, linted from `folder`. */
function rulesOnLoop(folder: string, settings: Record<string, unknown> = {}): (string | null)[] {
  return new Linter({ configType: 'flat', cwd: folder })
    .verify(
      readFileSync(join(folder, 'a.ts'), 'utf8'),
      [{ files: ['**/*.ts'], plugins: { coordination: plugin as never }, languageOptions: { parser: tsParser as never }, settings: { coordination: settings }, rules: plugin.configs.all.rules as Linter.RulesRecord }],
      { filename: join(folder, 'a.ts') },
    )
    .map((message) => message.ruleId);
}

describe('project index', () => {
  it('resolves a workspace package through its link, a paths alias through extends, and a .js specifier to its .ts file', () => {
    const handler = join(root, 'apps/api/src/handlers/import-users.ts');
    expect(resolveModule(handler, '@acme/db')).toBe(join(root, 'packages/db/src/index.ts'));
    expect(resolveModule(join(root, 'apps/api/src/services/user.service.ts'), '@app/repositories/user.repository')).toBe(
      join(root, 'apps/api/src/repositories/user.repository.ts'),
    );
    expect(resolveModule(handler, '../repositories/user.repository.js')).toBe(join(root, 'apps/api/src/repositories/user.repository.ts'));
    // A package from node_modules is not the project's.
    expect(resolveModule(handler, '@prisma/client')).toBeUndefined();
  });

  it.each<Mode>(['syntactic', 'typed'])('%s: reports every marked site through the project layers and leaves the hard negatives alone', (mode) => {
    const found: string[] = [];
    const expected: string[] = [];
    for (const file of sources(root)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, index) => {
        const marker = /\/\/ expect( typed)?: (no-[a-z-]+)/.exec(line);
        if (marker && (!marker[1] || mode === 'typed')) expected.push(`${relative(root, file)}:${index + 1} ${marker[2]}`);
      });
      for (const message of lint(file, {}, mode)) {
        expect(message.fatal ? message.message : undefined, file).toBeUndefined();
        found.push(`${relative(root, file)}:${message.line} ${message.ruleId!.replace('coordination/', '')}`);
      }
    }
    expect(found.sort()).toEqual(expected.sort());
  });

  it('names the module that holds the write', () => {
    const messages = lint(join(root, 'apps/api/src/handlers/import-users.ts')).map((message) => decodeSiteRecord(message.message));
    const paths = messages.map(({ record }) => record?.path.join(' → '));
    // Module paths are relative to ESLint's working directory, the monorepo's root here.
    expect(paths).toContain('saveUser() → prisma.user.create() in packages/db/src/users.ts');
    expect(paths).toContain(
      'this.userService.register() → insert() in apps/api/src/repositories/user.repository.ts → prisma.user.create()',
    );
    expect(messages.find(({ record }) => record?.path[0] === 'mailer.recordSend()')?.text).toMatch(/^mailer\.recordSend\(\) writes once per item of messages through prisma\.emailLog\.create\(\) in /);
  });

  it('judges a lock wrapper of another module by what it does, whatever its name', () => {
    const messages = lint(join(root, 'apps/api/src/handlers/checkout.ts')).map((message) => decodeSiteRecord(message.message));
    expect(messages.map(({ record }) => record?.path.join(' → '))).toEqual([
      'serialized() → redlock.using() in apps/api/src/lib/serialized.ts',
      'exclusive() → serialized() in apps/api/src/lib/serialized.ts → redlock.using()',
    ]);
    expect(messages[0]!.text).toMatch(/^serialized\(\) locks 'orders' through redlock\.using\(\) in apps\/api\/src\/lib\/serialized\.ts, the same key for every caller \(L3/);
    expect(messages.map(({ record }) => record?.primitive.kind)).toEqual(['lock', 'lock']);
  });

  it.each<Mode>(['syntactic', 'typed'])('%s: names the path of a table lock, a fan-out and a clock behind the project layers', (mode) => {
    const paths = (file: string): string[] =>
      lint(join(root, file), {}, mode).map((message) => `${message.ruleId} ${decodeSiteRecord(message.message).record?.path.join(' → ')}`);
    expect(paths('apps/api/src/services/order.service.ts').slice(0, 3)).toEqual([
      'coordination/no-global-lock this.prisma.lockTableExclusive() → tx.$executeRawUnsafe() in packages/db/src/client.ts',
      'coordination/no-wall-clock-ordering now() → Date.now() in apps/api/src/lib/clock.ts',
      'coordination/no-wall-clock-ordering currentDate() → now() in apps/api/src/lib/clock.ts → Date.now()',
    ]);
    expect(paths('apps/api/src/handlers/replicate-entry.ts')).toEqual([
      'coordination/no-sync-fan-out Promise.all() → replicate() → target.put() in apps/api/src/lib/replication.ts',
      'coordination/no-sync-fan-out Promise.all() → propagate() → replicate() in apps/api/src/lib/replication.ts → target.put()',
    ]);
    const [table] = lint(join(root, 'apps/api/src/services/order.service.ts'), {}, mode).map((message) => decodeSiteRecord(message.message));
    expect(table!.text).toMatch(/^this\.prisma\.lockTableExclusive\(\) locks the whole table 'Orders' through tx\.\$executeRawUnsafe\(\) in packages\/db\/src\/client\.ts: every writer/);
    expect(table!.record?.primitive.kind).toBe('lock');
  });

  it('typed mode settles an interface-typed store through its one implementation, and the same summariser reads it', () => {
    const service = join(root, 'apps/api/src/services/order.service.ts');
    const loop = (mode: Mode): (string | undefined)[] =>
      lint(service, {}, mode)
        .filter((message) => message.ruleId === 'coordination/no-coordination-in-loop')
        .map((message) => decodeSiteRecord(message.message).record?.path.join(' → '));
    expect(loop('syntactic')).toEqual([]);
    expect(loop('typed')).toEqual(['this.store.save() → prisma.order.create() in apps/api/src/stores/prisma-order-store.ts']);
  });

  it('resolves relative imports when the tsconfig extends a package that is not installed', () => {
    const project = mkdtempSync(join(tmpdir(), 'coordination-no-base-'));
    try {
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { pg: '^8.0.0' } }));
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ extends: '@tsconfig/not-installed/tsconfig.json' }));
      mkdirSync(join(project, 'src/repo'), { recursive: true });
      writeFileSync(join(project, 'src/repo/users.ts'), 'export const users = 1;\n');
      writeFileSync(join(project, 'src/app.ts'), "import { users } from './repo/users';\n");
      expect(resolveModule(join(project, 'src/app.ts'), './repo/users')).toBe(join(project, 'src/repo/users.ts'));
      expect(resolveModule(join(project, 'src/app.ts'), './repo/missing')).toBeUndefined();
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('keeps to the one file with projectIndex: false', () => {
    const handler = join(root, 'apps/api/src/handlers/import-users.ts');
    const calls = lint(handler, { projectIndex: false }).map((message) => decodeSiteRecord(message.message).record?.path.join(' → '));
    // Only what the file shows itself: a receiver whose name reads as a repository client.
    expect(calls).toEqual(['repository.insert()']);
  });

  it('opens no other module for a package whose manifest names no catalogue client and that is in no workspace', () => {
    const lib = mkdtempSync(join(tmpdir(), 'coordination-lib-'));
    try {
      writeLoopThroughHelper(lib, { name: 'a-library', dependencies: { zod: '^3.0.0' } });
      expect(rulesOnLoop(lib)).toEqual([]);
      // The verdict is kept per folder for the process: a second folder with the client among its dependencies.
      writeLoopThroughHelper(join(lib, 'service'), { name: 'a-service', dependencies: { '@prisma/client': '^6.0.0' } });
      expect(rulesOnLoop(join(lib, 'service'))).toEqual(['coordination/no-coordination-in-loop']);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });

  it('lets no search leave a file that imports and requires nothing, whatever its package', () => {
    const service = mkdtempSync(join(tmpdir(), 'coordination-reexport-'));
    try {
      writeLoopThroughHelper(service, { name: 'a-service', dependencies: { '@prisma/client': '^6.0.0' } });
      const leaves = (code: string): string[] => {
        const found: string[] = [];
        const rule = { meta: { schema: [] }, create: (context: never) => ((found.push(String(mayLeaveFile(getFileAnalysis(context)))), {})) };
        new Linter({ configType: 'flat', cwd: service }).verify(
          code,
          [{ files: ['**/*.ts'], plugins: { leave: { rules: { leave: rule as never } } }, languageOptions: { parser: tsParser as never }, rules: { 'leave/leave': 'error' } }],
          { filename: join(service, 'index.ts') },
        );
        return found;
      };
      // An index of re-exports binds no name: nothing of it can call into another module.
      expect(leaves(`export * from './b.js';\nexport { run } from './a.js';\n`)).toEqual(['false']);
      expect(leaves(`import { save } from './b.js';\nexport const go = () => save({ id: '1' });\n`)).toEqual(['true']);
      expect(leaves(`const { save } = require('./b.js');\nmodule.exports = () => save({ id: '1' });\n`)).toEqual(['true']);
    } finally {
      rmSync(service, { recursive: true, force: true });
    }
  });

  it('asks each catalogue of the same package: a package that depends on a client of a user catalogue opens for that catalogue only', () => {
    const lib = mkdtempSync(join(tmpdir(), 'coordination-catalogue-'));
    try {
      writeLoopThroughHelper(lib, { name: 'a-service', dependencies: { '@acme/kv': '^1.0.0' } });
      const acme = { catalog: { clients: [{ id: 'acme.Kv', packages: ['@acme/kv'], reach: ['new Kv'] }] } };
      expect(rulesOnLoop(lib)).toEqual([]);
      expect(rulesOnLoop(lib, acme)).toEqual(['coordination/no-coordination-in-loop']);
      expect(rulesOnLoop(lib)).toEqual([]);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });

  it('opens the modules of every package below a workspace root, the root looked up once for packages side by side', () => {
    const top = mkdtempSync(join(tmpdir(), 'coordination-ws-'));
    try {
      const library = { name: 'a-library', dependencies: { zod: '^3.0.0' } };
      // A pnpm workspace two folders up, and a repository without one beside it.
      writeFileSync(join(top, 'package.json'), JSON.stringify({ name: 'outside' }));
      mkdirSync(join(top, 'repo/.git'), { recursive: true });
      writeFileSync(join(top, 'repo/pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
      writeLoopThroughHelper(join(top, 'repo/packages/first'), library);
      writeLoopThroughHelper(join(top, 'repo/packages/second'), library);
      mkdirSync(join(top, 'plain/.git'), { recursive: true });
      writeLoopThroughHelper(join(top, 'plain/packages/third'), library);
      expect(rulesOnLoop(join(top, 'repo/packages/first'))).toEqual(['coordination/no-coordination-in-loop']);
      expect(rulesOnLoop(join(top, 'repo/packages/second'))).toEqual(['coordination/no-coordination-in-loop']);
      // The search stops at the repository's root: a workspace-like manifest above it does not count.
      writeFileSync(join(top, 'package.json'), JSON.stringify({ name: 'outside', workspaces: ['plain/packages/*'] }));
      expect(rulesOnLoop(join(top, 'plain/packages/third'))).toEqual([]);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });

  it('reads a changed module again at the next linted file, and only then', () => {
    const settings = getSettings({ settings: {} });
    const path = join(root, 'packages/db/src/users.ts');
    const first = loadModule(settings, path);
    expect(loadModule(settings, path)).toBe(first);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nexport const changed = true;\n`);
    const later = new Date(Date.now() + 5_000);
    utimesSync(path, later, later);
    // Within one linted file the file system is asked once per module.
    expect(loadModule(settings, path)).toBe(first);
    probe('const next = 1;', [], () => {});
    const second = loadModule(settings, path);
    expect(second).not.toBe(first);
    expect(second!.sourceCode.text).toContain('changed');
    probe('const again = 1;', [], () => {});
    expect(loadModule(settings, path)).toBe(second);
  });

  it('keeps the 500 modules used last, so that a long editor session stays flat', () => {
    const settings = getSettings({ settings: {} });
    const folder = mkdtempSync(join(tmpdir(), 'coordination-index-bound-'));
    try {
      const paths = Array.from({ length: 501 }, (_, i) => join(folder, `m${i}.ts`));
      paths.forEach((path, i) => writeFileSync(path, `export const value${i} = ${i};\n`));
      const first = paths.slice(0, 2).map((path) => loadModule(settings, path));
      // The first module is used again by a later linted file: the second is then the least recently used.
      probe('const next = 1;', [], () => {});
      expect(loadModule(settings, paths[0]!)).toBe(first[0]);
      for (const path of paths.slice(2)) loadModule(settings, path);
      expect(loadModule(settings, paths[0]!)).toBe(first[0]);
      const again = loadModule(settings, paths[1]!);
      expect(again).toBeDefined();
      expect(again).not.toBe(first[1]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

