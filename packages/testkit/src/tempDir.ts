import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExitHook, tempDirs } from './exitCleanup.js';

/** A temporary directory removed after the test `t` (node:test's `after`). */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'grpo-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temporary directory removed when the test process exits (unless GRPO_KEEP_TEST_DIRS is set). */
export async function tempDirUntilExit(prefix: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}
