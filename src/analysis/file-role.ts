/**
 * File roles (migration, one-off, script, test), recognised by the path below the project root with
 * the merged catalogue's `fileRoles` patterns.
 */
import { isAbsolute, relative } from 'node:path';
import type { Catalog } from '../model/catalog.js';
import type { FileRole } from '../model/catalog-types.js';

/** The path below the working directory, so that where the checkout lives (`/ci/tests/app/`) never counts. */
export function projectPath(filename: string, cwd: string | undefined): string {
  if (!cwd) return filename;
  const path = relative(cwd, filename);
  return path.startsWith('..') || isAbsolute(path) ? filename : path;
}

/** Does `path` have one of `roles`? */
export function hasFileRole(catalog: Catalog, path: string, roles: readonly FileRole[]): boolean {
  return roles.some((role) => catalog.fileRoles[role].test(path));
}
