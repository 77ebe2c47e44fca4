import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` (recursively), as paths joined to `dir`; none when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}
