/**
 * File roles (migration, one-off, script, test), recognised by the path below the project root with
 * the merged catalogue's `fileRoles` patterns.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { FileRole } from '../model/catalog-types.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileValue } from './memo.js';

/** The path below the working directory, so that where the checkout lives (`/ci/tests/app/`) never counts. */
export function projectPath(filename: string, cwd: string | undefined): string {
  if (!cwd) return filename;
  // ESLint hands both paths absolute and normalised: a file below cwd is cwd, a separator, the rest
  // (path.relative, the general answer, costs more than the rest of a rule's start on a file).
  const base = cwd.endsWith('/') || cwd.endsWith('\\') ? cwd.slice(0, -1) : cwd;
  if (filename.length > base.length + 1 && filename.startsWith(base) && (filename[base.length] === '/' || filename[base.length] === sep)) {
    return filename.slice(base.length + 1);
  }
  const path = relative(cwd, filename);
  return path.startsWith('..') || isAbsolute(path) ? filename : path;
}

/**
 * Does the analysed file have one of `roles`? Read from its path below the lint's working directory (as
 * the judgement reads its role), once per file.
 */
export function fileHasRole(analysis: FileAnalysis, roles: readonly FileRole[]): boolean {
  const own = rolesOfFile.get(analysis, () => {
    const path = projectPath(analysis.filename, analysis.cwd);
    const { fileRoles } = analysis.settings.catalog;
    return new Set((Object.keys(fileRoles) as FileRole[]).filter((role) => fileRoles[role].test(path)));
  });
  return roles.some((role) => own.has(role));
}

const rolesOfFile = fileValue<ReadonlySet<FileRole>>();
