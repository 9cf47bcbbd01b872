/**
 * What a file's lint result depends on besides the file itself: the other modules of the project (the
 * project index follows imports into them) and, under `projectService`, the files that provide its
 * types. ESLint's cache keys a result on the file's own content and its config, so with `--cache` the
 * report puts a digest of those files into the config (`settings.coordination.projectDigest`): any
 * change to any of them changes every file's config, and the cache never answers from a stale run.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Sources, declarations and the files that say how modules resolve. */
const DEPENDED_ON = /(?:\.(?:[cm]?[jt]s|[jt]sx)|^(?:package|tsconfig[^/]*|jsconfig)\.json)$/;

/** Folders that hold no project source (ESLint ignores the same by default). */
const SKIPPED = new Set(['node_modules', '.git', 'coverage']);

/**
 * A digest of the path, size and modification time of every project source and configuration file
 * under `root`: cheap (stat only), and different whenever any of them changes.
 */
export async function projectDigest(root: string): Promise<string> {
  const hash = createHash('sha256');
  const entries: string[] = [];
  async function walk(directory: string): Promise<void> {
    let listed;
    try {
      listed = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of listed) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) await walk(path);
      } else if (entry.isFile() && DEPENDED_ON.test(entry.name)) {
        const stats = await stat(path).catch(() => undefined);
        if (stats) entries.push(`${relative(root, path)}\0${stats.size}\0${stats.mtimeMs}`);
      }
    }
  }
  await walk(root);
  for (const entry of entries.sort()) hash.update(entry).update('\n');
  return hash.digest('hex').slice(0, 32);
}
