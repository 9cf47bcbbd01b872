/**
 * File roles (migration, one-off, script, test), recognised by the path below the project root with
 * the merged catalogue's `fileRoles` patterns.
 */
import { isAbsolute, relative } from 'node:path';
import type { FileRole } from '../model/catalog-types.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileValue } from './memo.js';

/** The path below the working directory, so that where the checkout lives (`/ci/tests/app/`) never counts. */
export function projectPath(filename: string, cwd: string | undefined): string {
  if (!cwd) return filename;
  const path = relative(cwd, filename);
  return path.startsWith('..') || isAbsolute(path) ? filename : path;
}

/**
 * Does the analysed file have one of `roles`? Every rule asks when it starts on a file: the roles of the
 * file's path are read once per file.
 */
export function fileHasRole(analysis: FileAnalysis, cwd: string | undefined, roles: readonly FileRole[]): boolean {
  const own = rolesOfFile.get(analysis, () => {
    const path = projectPath(analysis.filename, cwd);
    const { fileRoles } = analysis.settings.catalog;
    return new Set((Object.keys(fileRoles) as FileRole[]).filter((role) => fileRoles[role].test(path)));
  });
  return roles.some((role) => own.has(role));
}

const rolesOfFile = fileValue<ReadonlySet<FileRole>>();
