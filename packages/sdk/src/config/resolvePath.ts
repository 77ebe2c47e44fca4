import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A path in the config that cannot be used (it leaves its base directory, or a file it names cannot be
 * read). `keyPath` names the key (e.g. `handlers.file.filename`), or the environment variable when
 * `fromEnv`; the loader turns this into a one-line ConfigError there.
 */
export class ConfigPathError extends Error {
  constructor(
    readonly keyPath: (string | number)[],
    readonly detail: string,
    readonly fromEnv = false,
  ) {
    super(detail);
    this.name = 'ConfigPathError';
  }
}

function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** The real path of `p`'s deepest existing ancestor (itself when it exists), with the rest appended. */
function realpathOfExisting(p: string): string {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(existing);
      return rest.length ? resolve(real, ...rest.reverse()) : real;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return p;
      rest.push(existing.slice(parent.length).replace(/^[/\\]+/, ''));
      existing = parent;
    }
  }
}

/**
 * Resolves a path from the config file against `baseDir`: the working directory by default (Python's
 * `logging.config` rule), or the `baseDir` the caller of `initialize`/`loadConfigFile` chose.
 *
 * The rule: an absolute path is used as written (the user chose it). A relative path must stay inside
 * `baseDir`, both as written (`../x` and `a/../../x` are refused) and on disk (a symlink inside
 * `baseDir` that points outside it is refused as well): write the absolute path to go elsewhere.
 * Nothing is URL-decoded, so `%2e%2e` is a plain file name. A NUL byte is refused.
 */
export function resolvePath(baseDir: string, p: string, keyPath: (string | number)[] = []): string {
  if (p.includes('\0')) throw new ConfigPathError(keyPath, 'path contains a NUL byte');
  if (isAbsolute(p)) return p;
  const base = resolve(baseDir);
  const target = resolve(base, p);
  const hint = `relative paths resolve against, and must stay inside, the base directory ${base} (the working directory unless baseDir is given); write an absolute path to use another place`;
  if (!inside(base, target))
    throw new ConfigPathError(keyPath, `path '${p}' leaves its base directory: ${hint}`);
  const realBase = realpathOfExisting(base);
  const realTarget = realpathOfExisting(target);
  if (!inside(realBase, realTarget))
    throw new ConfigPathError(
      keyPath,
      `path '${p}' leaves its base directory through a symbolic link (to ${realTarget}): ${hint}`,
    );
  return target;
}
