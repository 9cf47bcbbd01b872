// The project path a file's roles are read from: the prefix cut agrees with path.relative.
import { isAbsolute, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectPath } from './file-role.js';

/** What projectPath answered before its prefix cut: path.relative, or the file's own name outside cwd. */
function byRelative(filename: string, cwd: string | undefined): string {
  if (!cwd) return filename;
  const path = relative(cwd, filename);
  return path.startsWith('..') || isAbsolute(path) ? filename : path;
}

describe('projectPath', () => {
  it('cuts cwd off a file below it, and keeps a file elsewhere whole', () => {
    expect(projectPath('/ci/app/src/migrations/1.ts', '/ci/app')).toBe('src/migrations/1.ts');
    expect(projectPath('/ci/app/src/a.ts', '/ci/app/')).toBe('src/a.ts');
    expect(projectPath('/ci/application/src/a.ts', '/ci/app')).toBe('/ci/application/src/a.ts');
    expect(projectPath('/other/a.ts', '/ci/app')).toBe('/other/a.ts');
    expect(projectPath('/a.ts', '/')).toBe('a.ts');
    expect(projectPath('/ci/app/a.ts', undefined)).toBe('/ci/app/a.ts');
  });

  it('agrees with path.relative on normalised absolute paths', () => {
    const segment = fc.constantFrom('app', 'ap', 'src', 'scripts', 'a.ts', 'migrations', 'x');
    const path = fc.array(segment, { minLength: 0, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(path, path, fc.boolean(), (cwd, file, slash) => {
        const dir = slash && cwd !== '/' ? `${cwd}/` : cwd;
        expect(projectPath(file, dir)).toBe(byRelative(file, dir));
      }),
      { numRuns: 2000 },
    );
  });
});
