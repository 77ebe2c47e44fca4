#!/usr/bin/env node
// Our TensorBoard writer vs tensorboardX, side by side in one command, on the same workload
// (bench/tensorboard/workload.json: 1M scalars = 100 tags x 10k steps, 10k histograms of 1000
// values = 10 tags x 1k steps). Each writer runs in its own process, one after the other, and is
// timed from its first value to its file closed (flushed and synced); values are generated before
// timing. Both outputs are then read back with our reader (counts and a checksum must agree).
// Ours runs in both write modes: `sync` (one writev per step on the event loop's thread, right after
// the step: what the SDK's tensorboard handler does by default, `async_writes: false`) and `async`
// (libuv's thread pool: `async_writes: true`).
//
//   node bench/tensorboard/run.mjs [--scale F] [--writes sync|async|both] [--no-assert]
//
// --scale F multiplies the step counts (e.g. 0.1 for a quick look); --writes picks our modes (default
// both). Exits 1 when ours is not at least 3x faster than tensorboardX on both workloads in every mode
// run (unless --no-assert).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
const assertTarget = !args.includes('--no-assert');
const writesAt = args.indexOf('--writes');
const writesArg = writesAt >= 0 ? args[writesAt + 1] : 'both';
if (!['sync', 'async', 'both'].includes(writesArg)) throw new RangeError('--writes: sync, async or both');
/** Our write modes to run, the SDK's default first. */
const modes = writesArg === 'both' ? ['sync', 'async'] : [writesArg];
const TARGET = 3;

const base = JSON.parse(readFileSync(`${here}workload.json`, 'utf8'));
const workload = {
  ...base,
  scalarSteps: Math.max(1, Math.round(base.scalarSteps * scale)),
  histogramSteps: Math.max(1, Math.round(base.histogramSteps * scale)),
};

function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${cmd} ${argv.join(' ')} failed with status ${r.status}`);
  }
  return r.stdout.trim().split('\n').pop();
}

const python = run('bash', ['scripts/setup-python.sh']);
const tsx = ['--conditions=source', '--import', 'tsx'];
const json = JSON.stringify(workload);

process.stderr.write(`workload: ${json}\n`);
/** Our runs by write mode. */
const oursBy = {};
for (const mode of modes) {
  process.stderr.write(`running grpo-otel (${mode} writes) ...\n`);
  oursBy[mode] = JSON.parse(run(process.execPath, [...tsx, `${here}ours.ts`, json, mode]));
}
process.stderr.write('running tensorboardX ...\n');
const tbx = JSON.parse(run(python, [`${here}tbx.py`, json]));

// Same output? Read tensorboardX's files with our reader too.
const tbxScalars = JSON.parse(run(process.execPath, [...tsx, `${here}verify.ts`, tbx.scalars.dir]));
const tbxHistograms = JSON.parse(run(process.execPath, [...tsx, `${here}verify.ts`, tbx.histograms.dir]));
rmSync(tbx.scalars.dir, { recursive: true, force: true });
rmSync(tbx.histograms.dir, { recursive: true, force: true });
const same =
  modes.every(
    (mode) =>
      oursBy[mode].check.scalarRun.scalars === tbxScalars.scalars &&
      oursBy[mode].check.scalarRun.checksum === tbxScalars.checksum &&
      oursBy[mode].check.histogramRun.histograms === tbxHistograms.histograms,
  ) &&
  tbxScalars.issues === 0 &&
  tbxHistograms.issues === 0;

const rate = (n, s) => n / s;
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const rows = [];
for (const kind of ['scalars', 'histograms']) {
  for (const mode of modes) {
    const o = oursBy[mode][kind];
    const t = tbx[kind];
    rows.push({
      kind,
      mode,
      records: o.records,
      oursSeconds: o.seconds,
      tbxSeconds: t.seconds,
      oursRate: rate(o.records, o.seconds),
      tbxRate: rate(t.records, t.seconds),
      ratio: t.seconds / o.seconds,
      callerMicros: (o.callerSeconds / o.records) * 1e6,
      oursBytes: o.bytes,
      tbxBytes: t.bytes,
    });
  }
}

console.log(
  `TensorBoard writers, ${os.cpus().length} cores, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ` +
    `load average ${os.loadavg()[0].toFixed(1)} at the end`,
);
console.log('');
console.log(
  '| workload | grpo-otel writes | records | grpo-otel | tensorboardX | ratio | grpo-otel caller time per record | file bytes (ours / tbx) |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const mode = r.mode === 'sync' ? 'sync (SDK default)' : 'async (`async_writes: true`)';
  console.log(
    `| ${r.kind} | ${mode} | ${fmt(r.records)} | ${r.oursSeconds.toFixed(2)} s (${fmt(r.oursRate)}/s) | ${r.tbxSeconds.toFixed(2)} s (${fmt(r.tbxRate)}/s) | ${r.ratio.toFixed(1)}x | ${r.callerMicros.toFixed(2)} µs | ${fmt(r.oursBytes)} / ${fmt(r.tbxBytes)} |`,
  );
}
console.log('');
console.log(
  `same data written by both (counts and scalar checksum, read back with our reader): ${same ? 'yes' : 'NO'}`,
);
const ok = same && rows.every((r) => r.ratio >= TARGET);
if (!same)
  console.log(
    JSON.stringify({ ours: modes.map((m) => oursBy[m].check), tbx: { tbxScalars, tbxHistograms } }),
  );
if (assertTarget && !ok) {
  console.log(`FAILED: target is ${TARGET}x on both workloads with identical output`);
  process.exit(1);
}
