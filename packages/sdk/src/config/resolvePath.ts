import { isAbsolute, resolve } from 'node:path';

/** Resolves a config path against the config file's directory unless it is absolute. */
export function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
