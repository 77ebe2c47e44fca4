// bench/peers runs as documented: one short round of grpo-otel, the numpy + tensorboardX + csv +
// logging peer and the Python bridge (the test venv's interpreter, which has no wandb: that peer is
// reported as skipped), each with a CPU time per step and the peer's ratio to grpo-otel (with the
// telemetry thread, and on the calling thread), and the loop alone they are read net of. No timing is
// asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { pythonBinary } from '@grpo-otel/testkit/python';

test('bench:peers prints every peer with its CPU per step and its ratio', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      'bench/peers/run.ts',
      '--rounds',
      '1',
      '--steps',
      '6',
      '--skip',
      '2',
      '--gap-ms',
      '0',
      '--python',
      pythonBinary(),
    ],
    { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const row = (peer: string) => {
    const line = r.stdout.split('\n').find((l) => l.startsWith(peer));
    assert.ok(line, `no row for ${peer} in:\n${r.stdout}`);
    return line.slice(peer.length).trim().split(/\s+/);
  };
  // Ours are net of the loop alone, which a run this short measures roughly: only their presence and
  // the loop's own figure are checked.
  const loop = row('(the Node loop alone, subtracted)');
  assert.ok(Number(loop[0]) > 0, `loop: ${loop}`);
  for (const peer of ['grpo-otel ', 'grpo-otel, telemetry thread ']) {
    const ours = row(peer);
    assert.ok(Number.isFinite(Number(ours[0])), `${peer}: ${ours}`);
  }
  for (const peer of [
    'grpo-otel (calls only, median wall)',
    'grpo-otel, telemetry thread (calls only, median wall)',
  ]) {
    const calls = row(peer);
    assert.ok(Number(calls[0]) > 0, `${peer}: ${calls}`);
  }
  const peer = row('numpy+tensorboardX+csv+logging');
  assert.ok(Number(peer[0]) > 0, `peer: ${peer}`);
  // The ratio to ours, or n/a when a run this short measured ours at or below the loop's own noise.
  assert.match(peer[2] ?? '', /^(x\d+\.\d\d|n\/a)$/);
  assert.match(r.stdout, /skipped: wandb offline\+logging: wandb is not installed/);
  // The Python bridge (the test venv has its dependencies): its training thread, and its whole process.
  const bridge = row('grpo_otel Python bridge ');
  assert.ok(Number(bridge[0]) > 0, `bridge: ${bridge}`);
  const all = row('grpo_otel Python bridge (all threads)');
  assert.ok(Number(all[0]) >= Number(bridge[0]), `bridge, all threads: ${all}`);
  assert.match(
    r.stdout,
    /Python peers \/ grpo_otel Python bridge \(training thread\): numpy\+tensorboardX\+csv\+logging x\d+\.\d\d/,
  );
});

test('bench/peers/pause prints both kinds of work after each kind of pause, with the ratios', () => {
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'bench/peers/pause.ts', '--rounds', '20', '--pause-ms', '1'],
    { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  for (const work of ['copy the per-token arrays (256 KB)', 'encode the generation frame (codec)']) {
    const line = r.stdout.split('\n').find((l) => l.startsWith(work));
    assert.ok(line, `no row for ${work} in:\n${r.stdout}`);
    const [none, sleep, spin, sleepRatio, spinRatio] = line.slice(work.length).trim().split(/\s+/);
    for (const v of [none, sleep, spin]) assert.ok(Number(v) > 0, `${work}: ${line}`);
    // Each ratio is the pause's median over the no-pause median, as printed (rounded).
    assert.ok(Math.abs(Number(sleepRatio?.slice(1)) - Number(sleep) / Number(none)) < 0.02, line);
    assert.ok(Math.abs(Number(spinRatio?.slice(1)) - Number(spin) / Number(none)) < 0.02, line);
  }
  const bad = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'bench/peers/pause.ts', '--rounds', '5'],
    { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 60_000 },
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /bad --rounds: 5/);
});
