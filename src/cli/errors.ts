import { isAbsolute, relative } from 'node:path';

/** A usage or I/O problem: the CLI prints it as one line on stderr and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A path as people passed it: relative to the working directory when inside it, else absolute. */
export function shownPath(cwd: string, file: string): string {
  const inside = relative(cwd, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
}
