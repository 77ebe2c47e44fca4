import { isAbsolute, relative } from 'node:path';

/**
 * How a command prints a path it wrote: relative to the working directory when it lies below it ('.'
 * for the directory itself), else absolute (no `../../tmp/run` for a folder elsewhere).
 */
export function shownPath(cwd: string, path: string): string {
  const r = relative(cwd, path);
  if (r === '') return '.';
  return r === '..' || r.startsWith('../') || isAbsolute(r) ? path : r;
}
