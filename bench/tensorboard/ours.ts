// Our side of the TensorBoard writer benchmark (see run.mjs): writes the workload with
// TensorBoardRun and prints one JSON line of timings. Values are generated before timing starts.
// Usage: ours.ts [workload json] [sync|async]: `sync` (the default, as the SDK's tensorboard handler
// writes unless `async_writes: true`) hands each step's records to the OS with one writev on the
// event loop's thread right after the step; `async` writes through libuv's thread pool.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { readEvents, TensorBoardRun } from '../../packages/exporter-tensorboard/src/index.js';

interface Workload {
  scalarTags: number;
  scalarSteps: number;
  histogramTags: number;
  histogramSteps: number;
  valuesPerHistogram: number;
}

const w = JSON.parse(
  process.argv[2] ?? readFileSync(new URL('./workload.json', import.meta.url), 'utf8'),
) as Workload;
const keep = process.env.GRPO_BENCH_KEEP === '1';
const writes = process.argv[3] ?? 'sync';
if (writes !== 'sync' && writes !== 'async')
  throw new RangeError(`writes must be sync or async, got ${writes}`);

/** MINSTD generator: exact in doubles, so Python produces the same values. */
function histogramValues(seed: number, n: number, step: number): Float64Array {
  let x = seed;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    out[i] = (x / 2147483647 - 0.5) * 4 * (1 + step / 1000);
  }
  return out;
}

async function timeRun(
  name: string,
  steps: number,
  perStep: (run: TensorBoardRun, step: number) => void,
): Promise<{ seconds: number; callerSeconds: number; bytes: number; dir: string }> {
  const logDir = mkdtempSync(join(tmpdir(), `grpo-bench-tb-${name}-`));
  const start = process.hrtime.bigint();
  const run = new TensorBoardRun({ logDir, runName: 'ours', syncWrites: writes === 'sync' });
  let caller = 0n;
  for (let step = 0; step < steps; step++) {
    const t0 = process.hrtime.bigint();
    perStep(run, step);
    caller += process.hrtime.bigint() - t0;
    // a training loop yields between steps; the writer's I/O runs there
    await yieldToLoop();
  }
  await run.close(); // everything written and fdatasync'ed
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stats = run.stats;
  if (stats.droppedRecords || stats.failedRecords)
    throw new Error(`${name}: records lost ${JSON.stringify(stats)}`);
  return { seconds, callerSeconds: Number(caller) / 1e9, bytes: stats.bytesWritten, dir: logDir };
}

const tags = Array.from({ length: w.scalarTags }, (_, t) => `bench/scalar_${t}`);
const scalar = await timeRun('scalars', w.scalarSteps, (run, step) => {
  for (let t = 0; t < tags.length; t++) run.addScalar(tags[t]!, Math.sin(step * 0.001 + t), step);
});

const hTags = Array.from({ length: w.histogramTags }, (_, t) => `bench/histogram_${t}`);
const values: Float64Array[][] = [];
for (let step = 0; step < w.histogramSteps; step++) {
  values.push(
    hTags.map((_, t) => histogramValues(1 + step * w.histogramTags + t, w.valuesPerHistogram, step)),
  );
}
const histo = await timeRun('histograms', w.histogramSteps, (run, step) => {
  const row = values[step]!;
  for (let t = 0; t < hTags.length; t++) run.addHistogram(hTags[t]!, row[t]!, step);
});

// Check what was written (outside the timings): record counts and a checksum of the scalars.
async function summarize(dir: string) {
  let scalars = 0;
  let histograms = 0;
  let checksum = 0;
  for (const f of await readEvents(dir)) {
    if (f.issues.length) throw new Error(`${f.path}: ${f.issues.map((i) => i.message).join('; ')}`);
    for (const e of f.events)
      for (const v of e.values) {
        if (v.kind === 'scalar') {
          scalars++;
          checksum += v.value;
        } else if (v.kind === 'histogram') histograms++;
      }
  }
  return { scalars, histograms, checksum };
}
const check = { scalarRun: await summarize(scalar.dir), histogramRun: await summarize(histo.dir) };
if (!keep) {
  rmSync(scalar.dir, { recursive: true, force: true });
  rmSync(histo.dir, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({
    writer: 'grpo-otel',
    writes,
    scalars: { records: w.scalarTags * w.scalarSteps, ...scalar },
    histograms: { records: w.histogramTags * w.histogramSteps, ...histo },
    check,
  })}\n`,
);
