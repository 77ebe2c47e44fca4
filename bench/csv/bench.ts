// Our CSV exporter vs Python's csv module writing the same seed-shaped model-output rows, side by
// side in one run, plus the training thread's own cost per record (logger.emit + processor onEmit).
// Ours runs in both write modes: `sync` (each batch written by the exporter before its callback, on the
// event loop's thread: what the SDK's csv handler does by default, `async_writes: false`) and `async`
// (libuv's thread pool: `async_writes: true`).
// Usage: node --conditions=source --import tsx bench/csv/bench.ts [--rows 200000] [--reps 3]
//   [--writes sync|async|both] [--check]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { LocalSinkProcessor, type LocalSinkProcessorOptions } from '@grpo-otel/sdk/otel';
import {
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SAMPLE_REASONING,
} from '@grpo-otel/semconv';
import { benchPipeline, otelBatchProcessor } from '../../packages/exporter-csv/scripts/benchPipeline.js';
import { CsvLogRecordExporter } from '../../packages/exporter-csv/src/index.js';
import { type ModelOutputRow, modelOutputRows } from './rows.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROWS = arg('rows', 200_000);
const REPS = arg('reps', 3);
const BATCH = arg('batch', 512); // records per export: the sdk's LocalSinkProcessor default
const STEP = 64; // records emitted per "training step" before the loop yields
const CHECK = args.includes('--check');
const writesAt = args.indexOf('--writes');
const WRITES = writesAt >= 0 ? args[writesAt + 1] : 'both';
if (WRITES !== 'sync' && WRITES !== 'async' && WRITES !== 'both')
  throw new RangeError('--writes: sync, async or both');
type Writes = 'sync' | 'async';
/** Our write modes to run, the SDK's default first. */
const MODES: Writes[] = WRITES === 'both' ? ['sync', 'async'] : [WRITES];
const modeName = (w: Writes) => (w === 'sync' ? 'sync writes, the SDK default' : 'async writes');
const TARGET = 3;
const COLUMNS = ['timestamp', 'question', 'true_answer', 'model_answer', 'model_reasoning'];
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

function pythonBinary(): string {
  if (process.env.GRPO_PYTHON) return process.env.GRPO_PYTHON;
  const r = spawnSync('bash', [join(root, 'scripts/setup-python.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/setup-python.sh failed:\n${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

const attributesOf = (r: ModelOutputRow) => ({
  [ATTR_GRPO_SAMPLE_QUESTION]: r.question,
  [ATTR_GRPO_SAMPLE_EXPECTED_ANSWER]: r.trueAnswer,
  [ATTR_GRPO_SAMPLE_ANSWER]: r.modelAnswer,
  [ATTR_GRPO_SAMPLE_REASONING]: r.modelReasoning,
});

/** Real SDK log records (what a processor hands an exporter), built through a LoggerProvider. */
function sdkRecords(rows: readonly ModelOutputRow[]) {
  const captured: Parameters<CsvLogRecordExporter['export']>[0] = [];
  const { logger } = benchPipeline({
    onEmit: (r) => void captured.push(r),
    forceFlush: async () => {},
    shutdown: async () => {},
  });
  for (const r of rows)
    logger.emit({ timestamp: r.hrTime, body: 'model output', attributes: attributesOf(r) });
  return captured;
}

/** The exporter alone: batches exported one after another (as a processor does), then forceFlush. */
async function exporterOnly(
  file: string,
  records: ReturnType<typeof sdkRecords>,
  formulaEscape: boolean,
  writes: Writes,
  batch = BATCH,
) {
  rmSync(file, { force: true });
  const exporter = new CsvLogRecordExporter({
    filename: file,
    columns: COLUMNS,
    formulaEscape,
    syncWrites: writes === 'sync',
  });
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += batch) {
    await new Promise<void>((resolve, reject) =>
      exporter.export(records.slice(i, i + batch), (r) => (r.code === 0 ? resolve() : reject(r.error))),
    );
  }
  await exporter.forceFlush();
  const s = (performance.now() - t0) / 1000;
  await exporter.shutdown();
  return s;
}

/** The whole path: logger.emit -> processor -> exporter -> file; the emit loop timed on its own. */
async function pipeline(
  file: string,
  rows: readonly ModelOutputRow[],
  processorKind: 'local' | 'otel',
  writes: Writes,
) {
  rmSync(file, { force: true });
  const exporter = new CsvLogRecordExporter({
    filename: file,
    columns: COLUMNS,
    syncWrites: writes === 'sync',
  });
  let dropped = 0;
  const drops = {
    record: (_s: string, _r: string, _w: string, n = 1) => {
      dropped += n;
    },
  };
  const processor =
    processorKind === 'local'
      ? new LocalSinkProcessor(exporter, {
          name: 'csv',
          flushIntervalMs: 1000,
          maxQueueSize: rows.length,
          maxExportBatchSize: BATCH,
          drops: drops as unknown as LocalSinkProcessorOptions['drops'],
        })
      : otelBatchProcessor(exporter, BATCH, rows.length);
  const { logger, provider } = benchPipeline(processor);
  const attrs = rows.map(attributesOf); // the trainer's own work, not timed
  let emitMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += STEP) {
    const end = Math.min(rows.length, i + STEP);
    const e0 = performance.now();
    for (let k = i; k < end; k++)
      logger.emit({ timestamp: rows[k]!.hrTime, body: 'model output', attributes: attrs[k] });
    emitMs += performance.now() - e0;
    await yieldToLoop(); // the rest of the training step; background writes run here
  }
  await provider.forceFlush();
  const wall = (performance.now() - t0) / 1000;
  await provider.shutdown();
  return { wall, emitUsPerRecord: (emitMs * 1000) / rows.length, dropped };
}

const best = (xs: number[]) => Math.min(...xs);
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-csv-bench-'));
  try {
    const rows = modelOutputRows(ROWS);
    const rowsJson = join(dir, 'rows.json');
    writeFileSync(
      rowsJson,
      JSON.stringify(
        rows.map((r) => [r.timestamp, r.question, r.trueAnswer, r.modelAnswer, r.modelReasoning]),
      ),
    );
    const py = pythonBinary();
    const pyOut = join(dir, 'python.csv');
    const pyTimes: number[] = [];
    const pyBatchTimes: number[] = [];
    const runPython = () => {
      for (const [mode, times] of [
        ['writerow', pyTimes],
        ['writerows', pyBatchTimes],
      ] as const) {
        const args = [join(here, 'python_csv_writer.py'), rowsJson, pyOut, '1', mode];
        const run = spawnSync(py, args, { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`python failed:\n${run.stderr}`);
        times.push((JSON.parse(run.stdout) as { best_s: number }).best_s);
      }
    };
    runPython();
    const pyVersion = spawnSync(py, ['-c', 'import sys; print(sys.version.split()[0])'], {
      encoding: 'utf8',
    }).stdout.trim();
    const bytes = readFileSync(pyOut).length;

    const records = sdkRecords(rows);
    const ours = join(dir, 'ours.csv');
    // Same bytes as Python's writer when both quote alike (formula escape off): the same work was done.
    await exporterOnly(ours, records, false, MODES[0]!);
    const same = readFileSync(ours).equals(readFileSync(pyOut));

    type Runs = {
      exp: number[];
      exp50: number[];
      local: Awaited<ReturnType<typeof pipeline>>[];
      otel: Awaited<ReturnType<typeof pipeline>>[];
    };
    const by = new Map<Writes, Runs>(MODES.map((w) => [w, { exp: [], exp50: [], local: [], otel: [] }]));
    // Interleaved, so a noisy neighbour slows both sides alike; best of REPS for each.
    for (let r = 0; r < REPS; r++) {
      if (r > 0) runPython();
      for (const w of MODES) {
        const m = by.get(w)!;
        m.exp.push(await exporterOnly(ours, records, true, w));
        m.exp50.push(await exporterOnly(ours, records, true, w, 50));
        m.local.push(await pipeline(ours, rows, 'local', w));
        m.otel.push(await pipeline(ours, rows, 'otel', w));
      }
    }
    const pyBest = best(pyTimes);
    const pyBatchBest = best(pyBatchTimes);
    // Ratios are taken against the faster of Python's two ways.
    const pyRate = ROWS / Math.min(pyBest, pyBatchBest);
    const mb = bytes / 1e6;
    const fastest = (xs: Awaited<ReturnType<typeof pipeline>>[]) =>
      xs.reduce((a, b) => (b.wall < a.wall ? b : a));

    console.log(
      `CSV writers, ${fmt(ROWS)} seed-shaped model-output rows (${fmt(mb, 1)} MB), best of ${REPS}, fsync at the end`,
    );
    console.log(
      `node ${process.version}, Python ${pyVersion}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
        `load average ${loadavg()[0]!.toFixed(1)} at the end`,
    );
    console.log(`identical bytes to Python's csv.writer (formula escape off): ${same ? 'yes' : 'NO'}`);
    console.log('');
    console.log(`${'writer'.padEnd(88)} seconds    rows/s     MB/s   vs Python`);
    const line = (name: string, s: number) =>
      console.log(
        `${name.padEnd(88)} ${fmt(s, 3).padStart(7)} ${fmt(ROWS / s).padStart(9)} ${fmt(mb / s, 1).padStart(8)} ${fmt(pyRate > 0 ? ROWS / s / pyRate : 0, 2).padStart(9)}x`,
      );
    line('Python csv.writer, writerow per row', pyBest);
    line('Python csv.writer, writerows per 512 rows', pyBatchBest);
    for (const w of MODES) {
      const m = by.get(w)!;
      line(`CsvLogRecordExporter, batches of ${BATCH} (${modeName(w)})`, best(m.exp));
      line(`CsvLogRecordExporter, batches of 50, the seed's buffer_size (${modeName(w)})`, best(m.exp50));
      line(`logger.emit -> LocalSinkProcessor -> exporter (${modeName(w)})`, fastest(m.local).wall);
      line(`logger.emit -> OTel BatchLogRecordProcessor -> exporter (${modeName(w)})`, fastest(m.otel).wall);
    }
    console.log('');
    console.log('training thread, per record (logger.emit + processor onEmit, writes excluded):');
    for (const w of MODES) {
      const m = by.get(w)!;
      console.log(
        `  with LocalSinkProcessor, ${modeName(w)}:`.padEnd(68) +
          `${fmt(fastest(m.local).emitUsPerRecord, 2)} us   (dropped ${fastest(m.local).dropped})`,
      );
      console.log(
        `  with OTel BatchLogRecordProcessor, ${modeName(w)}:`.padEnd(68) +
          `${fmt(fastest(m.otel).emitUsPerRecord, 2)} us`,
      );
    }
    console.log('');
    let below = false;
    for (const w of MODES) {
      const m = by.get(w)!;
      const ratio = ROWS / best(m.exp) / pyRate;
      const pipeRatio = Math.min(ROWS / fastest(m.local).wall, ROWS / fastest(m.otel).wall) / pyRate;
      below ||= ratio < TARGET;
      console.log(
        `ratio (exporter / Python), ${modeName(w)}: ${fmt(ratio, 2)}x; end to end through the SDK: ${fmt(pipeRatio, 2)}x (target ${TARGET}x)`,
      );
    }
    if (CHECK && (below || !same)) {
      console.error(`FAIL: below the ${TARGET}x target or output differs`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
