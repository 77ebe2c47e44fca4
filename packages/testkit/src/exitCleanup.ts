import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// Collectors still running when the test process exits are killed (by their PID), and their temp dirs
// removed unless GRPO_KEEP_TEST_DIRS is set, so a failing test never leaves anything behind.
// Shared with the other server harnesses (prometheus.ts, jaeger.ts, tempDir.ts).
export const live = new Set<ChildProcess>();
export const tempDirs = new Set<string>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!process.env.GRPO_KEEP_TEST_DIRS) {
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}
