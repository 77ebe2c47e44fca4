import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repoRoot.js';

let cached: string | undefined;

/**
 * The Python interpreter of the venv with python/requirements.txt (real TensorBoard, tensorboardX,
 * numpy, scipy): $GRPO_PYTHON if set (scripts/test.sh sets it), else scripts/setup-python.sh, which
 * creates the venv once and caches it outside the repo.
 */
export function pythonBinary(): string {
  if (cached) return cached;
  if (process.env.GRPO_PYTHON) {
    cached = process.env.GRPO_PYTHON;
    return cached;
  }
  const r = spawnSync('bash', [join(repoRoot, 'scripts/setup-python.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/setup-python.sh failed:\n${r.stderr}`);
  cached = r.stdout.trim().split('\n').pop()!;
  return cached;
}
