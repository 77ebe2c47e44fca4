// Every file and directory the SDK creates (the log file, the CSV, the TensorBoard event files and
// all their directories) gets the configured permissions: owner+group by default (0640 / 0750), or
// owner only (`files: { mode: "0600", dir_mode: "0700" }`). The trainer runs with umask 0, so the
// modes seen are exactly the ones the SDK asked for.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { startTrainer, trainerFiles } from './support/sdkTrainerRun.js';

/** Every path under `dir` (itself included) with its permission bits. */
function modes(dir: string): { path: string; dir: boolean; mode: number }[] {
  const out = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...modes(p));
    else out.push({ path: p, dir: false, mode: st.mode & 0o777 });
  }
  return out;
}

const CASES = [
  { name: 'default: owner+group (0640 / 0750)', yaml: '', file: 0o640, dir: 0o750 },
  {
    name: 'files: owner only (0600 / 0700)',
    yaml: 'files:\n  mode: "0600"\n  dir_mode: "0700"\n',
    file: 0o600,
    dir: 0o700,
  },
];

for (const c of CASES) {
  test(`created with umask 0: ${c.name}`, { timeout: 60_000 }, async (t) => {
    const files = trainerFiles(t, { flushIntervalS: 0.05, extraYaml: c.yaml });
    const exit = await startTrainer(files, ['shutdown', '20'], undefined, { umask: 0 }).exited;
    assert.equal(exit.code, 0, exit.stderr);
    const out = join(files.dir, 'out');
    const seen = modes(out);
    const names = seen.map((e) => relative(files.dir, e.path));
    for (const want of ['out', 'out/training.log', 'out/outputs.csv', 'out/tb', 'out/tb/run']) {
      assert.ok(names.includes(want), `${want} was created (found ${names.join(', ')})`);
    }
    assert.ok(
      names.some((n) => n.startsWith('out/tb/run/events.out.tfevents.')),
      'an event file',
    );
    for (const e of seen) {
      const want = e.dir ? c.dir : c.file;
      assert.equal(e.mode.toString(8), want.toString(8), `${relative(files.dir, e.path)}`);
    }
  });
}
