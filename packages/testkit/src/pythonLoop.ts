// python/examples/train_loop.py (or another script of the repository) as a process of the test venv's
// Python: the Python bridge's trainer in the tests that run it against real servers (pythonBridgeCollector,
// pythonBridgeSink, pythonBridgeDashboards, sinkVsSdk). No .pyc files in the checkout, no GRPO_OTEL_CONFIG
// of the caller's; killed by its PID at exit if still running.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { installExitHook, live } from './exitCleanup.js';
import { pythonBinary } from './python.js';
import { repoRoot } from './repoRoot.js';

export interface PythonProcess {
  child: ChildProcess;
  /** Its stdout and stderr so far. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** The repository's example training loop. */
export const TRAIN_LOOP: string = join(repoRoot, 'python', 'examples', 'train_loop.py');

/** Starts `python <script> <args>` in the repository root. */
export function startPythonScript(script: string, args: readonly string[]): PythonProcess {
  installExitHook();
  const child = spawn(pythonBinary(), [script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', GRPO_OTEL_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const append = (c: string) => {
    out += c;
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => out, exited };
}
