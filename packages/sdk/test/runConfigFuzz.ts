// Runs the config fuzz child (fixtures/configFuzzChild.ts) and returns its summary. The child runs
// in its own process with a time limit, so an input that made the loader hang (or crash the process)
// fails the test and is named, instead of hanging the test run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConfigFuzzSummary {
  cases: number;
  counts: Record<string, number>;
  accepted: number;
  configError: number;
  failureCount: number;
  failures: { index: number; kind: string; input: string; error: string }[];
}

const CHILD = fileURLToPath(new URL('./fixtures/configFuzzChild.ts', import.meta.url));

export function runConfigFuzz(runs: number, seed: number, limitMs: number): ConfigFuzzSummary {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-config-fuzz-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CHILD, String(runs), String(seed), dir],
      {
        encoding: 'utf8',
        timeout: limitMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 << 20,
      },
    );
    const last = (r.stderr.match(/case (\d+)\n(?![\s\S]*case \d+\n)/) ?? [])[1];
    if (r.error || r.status !== 0) {
      throw new Error(
        `the config fuzz child ${r.error ? `failed (${r.error.message})` : `exited with ${r.status ?? r.signal}`}; last case started: ${last ?? 'none'} (seed ${seed})\n${r.stderr
          .split('\n')
          .filter((l) => !l.startsWith('case '))
          .join('\n')
          .slice(-4000)}`,
      );
    }
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as ConfigFuzzSummary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
