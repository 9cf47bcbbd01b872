// The bench's pinned corpus (issue 12), shared by `npm run bench`, the crash sweep and the fuzz run:
// the TypeScript sources (`src/**/*.ts`, no `.d.ts`) that these pinned npm tarballs ship, 2,034 files;
// downloaded once with `npm pack` and unpacked with `tar` into node_modules/.cache/coordination-bench/
// (ignored by git and by ESLint through node_modules/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGES = [
  ['effect', '3.22.4'],
  ['@effect/platform', '0.97.2'],
  ['@effect/platform-node', '0.106.0'],
  ['@effect/platform-bun', '0.91.2'],
  ['@effect/cluster', '0.60.2'],
  ['@effect/rpc', '0.76.2'],
  ['@effect/sql', '0.52.1'],
  ['@effect/sql-pg', '0.50.3'],
  ['@effect/sql-mysql2', '0.53.0'],
  ['@effect/sql-sqlite-node', '0.52.0'],
  ['@effect/experimental', '0.61.1'],
  ['@effect/ai', '0.37.0'],
  ['@effect/workflow', '0.19.1'],
  ['@effect/cli', '0.77.2'],
  ['@effect/opentelemetry', '0.63.0'],
  ['@effect/printer', '0.51.0'],
  ['@effect/typeclass', '0.41.0'],
  ['@temporalio/client', '1.24.0'],
  ['@temporalio/common', '1.24.0'],
  ['@temporalio/worker', '1.24.0'],
  ['@temporalio/workflow', '1.24.0'],
  ['@temporalio/testing', '1.24.0'],
  ['@temporalio/activity', '1.24.0'],
  ['@temporalio/nexus', '1.24.0'],
  ['@grpc/grpc-js', '1.14.7'],
  ['rxjs', '7.8.2'],
  ['zod', '4.6.7'],
  ['@trpc/server', '11.25.2'],
  ['@trpc/client', '11.25.2'],
  ['@tanstack/query-core', '5.108.0'],
  ['@tanstack/db', '0.15.2'],
  ['@tanstack/router-core', '1.171.39'],
  ['@tanstack/query-persist-client-core', '5.104.5'],
];

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CACHE = join(ROOT, 'node_modules/.cache/coordination-bench');

/** Downloads and unpacks the pinned tarballs once; returns the corpus files (absolute paths), sorted. */
export function benchCorpus() {
  const files = [];
  for (const [name, version] of PACKAGES) {
    const dir = join(CACHE, `${name.replace('/', '+')}@${version}`);
    if (!existsSync(join(dir, '.unpacked'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent'], { encoding: 'utf8' });
      const tarball = pack.stdout.trim().split('\n').pop();
      if (pack.status !== 0 || !tarball) throw new Error(`npm pack ${name}@${version} failed: ${pack.stderr}`);
      const untar = spawnSync('tar', ['xzf', join(dir, tarball), '-C', dir, '--strip-components=1'], { encoding: 'utf8' });
      if (untar.status !== 0) throw new Error(`tar ${tarball} failed: ${untar.stderr}`);
      rmSync(join(dir, tarball));
      writeFileSync(join(dir, '.unpacked'), '');
    }
    files.push(...tsSources(join(dir, 'src')));
  }
  return files.sort();
}

/** Every k-th file of `files`, `limit` in all, spread over the whole corpus; all of them when `limit` is 0. */
export function sampleOf(files, limit) {
  if (!(limit > 0)) return files;
  const stride = Math.max(1, Math.floor(files.length / limit));
  return files.filter((_, index) => index % stride === 0).slice(0, limit);
}

/**
 * The TypeScript sources of a project of one's own (`npm run bench:compare -- --project <dir>`), in a stable
 * order: every `.ts` and `.tsx` file under `dir`, or under its subfolders `under` (`['src', 'test']`),
 * without declaration files, `node_modules` or dot-folders.
 */
export function projectSources(dir, under = []) {
  const walk = (folder) =>
    readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(path);
        return entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
      });
  const roots = under.length === 0 ? [dir] : under.map((folder) => join(dir, folder));
  for (const root of roots) if (!existsSync(root)) throw new Error(`no folder ${root}`);
  return roots.flatMap(walk);
}

function tsSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsSources(path);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
