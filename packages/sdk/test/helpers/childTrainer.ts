import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

// Runs cases of the child trainer (fixtures/childDiagnostics.ts) and collects what it says on stderr.
const child = fileURLToPath(new URL('../fixtures/childDiagnostics.ts', import.meta.url));
// The child runs in a fresh folder (the embedded default config writes under it): tsx by its path.
const tsx = import.meta.resolve('tsx');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export interface ChildRun {
  /** The folder the child ran in. */
  dir: string;
  code: number | null;
  stderr: string;
  /**
   * stderr lines but the trainer's own (the embedded default prints the `training` channel there),
   * without the prefix the root channel's console handler puts in front of a diagnostic.
   */
  lines: string[];
  result: { shutdownMs?: number; drops?: { signal: string; reason: string; where: string; count: number }[] };
  /** Milliseconds from spawn to exit. */
  wallMs: number;
  /** Milliseconds from the child's result line (printed after shutdown) to its exit. */
  exitLagMs: number;
}

/** Runs one case of the child trainer in a fresh folder (the embedded default writes under it). */
export function runChild(mode: string, env: Record<string, string> = {}, config?: string): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-diag-'));
  dirs.push(dir);
  const args = ['--conditions=source', '--import', tsx, child, mode];
  if (config !== undefined) {
    writeFileSync(join(dir, 'c.yaml'), config);
    args.push(join(dir, 'c.yaml'));
  }
  const started = performance.now();
  const p = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, OTEL_LOG_LEVEL: '', GRPO_OTEL_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let resultAt = Number.NaN;
  p.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (Number.isNaN(resultAt) && stdout.includes('{')) resultAt = performance.now();
  });
  p.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => {
    p.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '{}';
      resolve({
        dir,
        code,
        stderr,
        lines: stderr
          .split('\n')
          .filter((l) => l !== '' && !/^\S+ \S+ - training - /.test(l))
          .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - root - \w+ - /, '')),
        result: JSON.parse(last.startsWith('{') ? last : '{}'),
        wallMs: performance.now() - started,
        exitLagMs: performance.now() - resultAt,
      });
    });
  });
}

/** A loopback port nothing listens on (bound, then released). */
export function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
