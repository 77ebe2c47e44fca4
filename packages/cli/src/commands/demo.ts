import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Types only: the trainer (and tfjs under it) is loaded when the command runs, see loadDemoTrainer.
import type { DemoProgress, DemoSummary } from '@grpo-otel/demo-trainer';
import { writeReport } from '@grpo-otel/report';
import { ConfigError } from '@grpo-otel/sdk';
import { generateRunId } from '@grpo-otel/semconv';
import { DemoTrainerMissingError, type DemoTrainerModule, loadDemoTrainer } from '../loadDemoTrainer.js';
import { shownPath } from '../shownPath.js';
import type { CommandIO } from './validateConfig.js';

const USAGE =
  'usage: grpo-otel demo [--steps N] [--seed N] [--group-size G] [--config F] [--out DIR]\n' +
  '  a real GRPO training run (tfjs, wasm) on arithmetic word problems; writes logs, a CSV of model\n' +
  '  outputs, TensorBoard event files and summary.json to DIR (default ./runs/<run id>/)';

/** A terminal stream the progress bar may draw on. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const num = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/**
 * A one-line progress bar at the bottom of a terminal. While it is shown, anything else written to
 * stdout or stderr (the console log handler's lines) is printed above it: the bar is cleared, the
 * text written, the bar drawn again.
 */
class ProgressBar {
  private line = '';
  private lastDraw = 0;
  private readonly originals: [NodeJS.WriteStream, NodeJS.WriteStream['write']][] = [];
  private drawing = false;

  constructor(private readonly stream: ProgressStream) {
    for (const s of [process.stdout, process.stderr]) {
      const original = s.write;
      this.originals.push([s, original]);
      s.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (this.drawing || this.line === '')
          return (original as (...a: unknown[]) => boolean).call(s, chunk, ...rest);
        this.clear();
        const ok = (original as (...a: unknown[]) => boolean).call(s, chunk, ...rest);
        this.draw(true);
        return ok;
      }) as NodeJS.WriteStream['write'];
    }
  }

  update(line: string, force = false): void {
    this.line = line;
    const now = Date.now();
    if (force || now - this.lastDraw >= 100) this.draw(false);
  }

  private clear(): void {
    this.drawing = true;
    this.stream.write('\r\u001b[K');
    this.drawing = false;
  }

  private draw(afterText: boolean): void {
    if (this.line === '') return;
    const width = Math.max(20, (this.stream.columns ?? 100) - 1);
    this.drawing = true;
    this.stream.write(`${afterText ? '' : '\r\u001b[K'}${this.line.slice(0, width)}`);
    this.drawing = false;
    this.lastDraw = Date.now();
  }

  /** Removes the bar and gives the streams back. */
  close(): void {
    if (this.line !== '') this.clear();
    this.line = '';
    for (const [s, original] of this.originals) s.write = original;
  }
}

function bar(fraction: number, width: number): string {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || String(n) !== value.trim()) {
    throw new Error(`--${name} must be a positive integer, got '${value}'`);
  }
  return n;
}

function printSummary(s: DemoSummary, io: CommandIO): void {
  const rel = (p: string) => shownPath(io.cwd, p);
  const v = s.validation;
  io.out(
    `grpo-otel demo: run ${s.runId} ${s.stoppedEarly ? 'stopped' : 'finished'} after ${s.steps} GRPO steps ` +
      `(${s.options.warmupSteps} warm-up steps first) in ${duration(s.seconds.total)}`,
  );
  io.out(
    `  reward (sum of the reward functions)  ${num(s.reward.first)} -> ${num(s.reward.last)}   (mean of the first vs last ${s.reward.window} steps)`,
  );
  io.out(
    `  correctness (sampled answers right)   ${num(s.correctness.first)} -> ${num(s.correctness.last)}   (same steps)`,
  );
  io.out(
    `  validation accuracy (${v.end.total} held-out)     ${num(v.start.accuracy)} -> ${num(v.end.accuracy)}   (greedy, step ${v.start.step} -> ${v.end.step})`,
  );
  io.out(`files in ${rel(s.outDir)}/`);
  const files: [string, string][] = [
    [s.files.log, 'log file (rotating)'],
    [s.files.csv, 'model outputs, one sampled completion per step'],
    [s.files.tensorboard, 'TensorBoard event files'],
    [s.files.validationSet, 'the held-out problems'],
    [s.files.summary, 'this summary, with per-step history'],
  ];
  for (const [path, what] of files) {
    if (path && existsSync(path)) io.out(`  ${relative(s.outDir, path).padEnd(28)} ${what}`);
  }
  const dropped = s.drops.filter((d) => d.reason === 'sink_unavailable');
  if (dropped.length) {
    io.out(`  (records for sinks this build lacks were dropped: ${dropped.map((d) => d.where).join(', ')})`);
  }
  if (s.files.tensorboard && existsSync(s.files.tensorboard)) {
    io.out(
      `open TensorBoard: tensorboard --logdir ${rel(s.files.tensorboard)}   (to install it: pip install tensorboard)`,
    );
  }
}

/**
 * `grpo-otel demo`: runs the demo trainer (packages/demo-trainer) with its shipped config, shows
 * progress (a bar on a terminal, periodic lines otherwise) and prints a summary. `progressStream` is
 * where the bar may go (the CLI passes process.stderr; tests pass nothing and get plain lines).
 * The trainer is imported only here (`loadTrainer`, replaceable in tests); when it is not installed
 * the command says what to install and exits 1.
 */
export async function demo(
  args: string[],
  io: CommandIO,
  progressStream?: ProgressStream,
  loadTrainer: () => Promise<DemoTrainerModule> = loadDemoTrainer,
): Promise<number> {
  let values: {
    steps?: string;
    seed?: string;
    'group-size'?: string;
    config?: string;
    out?: string;
    help?: boolean;
  };
  let trainer: { steps?: number; seed?: number; groupSize?: number };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        steps: { type: 'string' },
        seed: { type: 'string' },
        'group-size': { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && (!Number.isInteger(seed) || values.seed?.trim() === '')) {
      throw new Error(`--seed must be an integer, got '${values.seed}'`);
    }
    const groupSize = positiveInt('group-size', values['group-size']);
    if (groupSize !== undefined && groupSize < 2) throw new Error('--group-size must be at least 2');
    trainer = {
      ...(values.steps !== undefined ? { steps: positiveInt('steps', values.steps) } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(groupSize !== undefined ? { groupSize } : {}),
    };
  } catch (err) {
    io.err(`grpo-otel demo: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  let runDemo: DemoTrainerModule['runDemo'];
  try {
    ({ runDemo } = await loadTrainer());
  } catch (err) {
    if (!(err instanceof DemoTrainerMissingError)) throw err;
    io.err(`grpo-otel demo: ${err.message}`);
    return 1;
  }
  const runId = generateRunId();
  const outDir = resolve(io.cwd, values.out ?? join('runs', runId));
  const configPath = values.config ? resolve(io.cwd, values.config) : undefined;

  const tty = progressStream?.isTTY === true;
  const progressBar = tty && progressStream ? new ProgressBar(progressStream) : undefined;
  let validation = Number.NaN;
  let nextLine = 0;
  const onProgress = (e: DemoProgress) => {
    if (e.kind === 'validation') {
      validation = e.accuracy;
      if (!progressBar)
        io.err(`demo: validation at step ${e.step}: accuracy ${num(e.accuracy)} (${e.correct}/${e.total})`);
      return;
    }
    if (e.kind === 'warmup') {
      progressBar?.update(
        `warm-up ${e.step}/${e.total} ${bar(e.step / e.total, 20)} loss ${num(e.loss, 3)}`,
        e.step === e.total,
      );
      if (!progressBar && e.step === e.total)
        io.err(`demo: warm-up done (${e.total} supervised steps, loss ${num(e.loss, 3)})`);
      return;
    }
    const pct = Math.floor((100 * e.step) / e.total);
    if (progressBar) {
      progressBar.update(
        `step ${e.step}/${e.total} ${bar(e.step / e.total, 20)} ${String(pct).padStart(3)}%  reward ${num(e.reward)}  ` +
          `correct ${num(e.correctness)}  val ${num(validation)}  eta ${duration(e.etaSeconds)}`,
        e.step === e.total,
      );
    } else if (e.step >= nextLine || e.step === e.total) {
      nextLine = e.step + Math.max(1, Math.round(e.total / 10));
      io.err(
        `demo: step ${e.step}/${e.total} (${pct}%): reward ${num(e.reward)}, correctness ${num(e.correctness)}, ` +
          `elapsed ${duration(e.elapsedSeconds)}, eta ${duration(e.etaSeconds)}`,
      );
    }
  };

  // Ctrl-C stops after the current step (the run still validates, flushes and writes its summary);
  // a second one exits at once.
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  if (!progressBar) io.err(`demo: run ${runId}, writing to ${shownPath(io.cwd, outDir)}`);
  let summary: DemoSummary;
  try {
    summary = await runDemo({
      outDir,
      runId,
      trainer,
      ...(configPath ? { configPath } : {}),
      env: io.env,
      onProgress,
      signal: stop.signal,
    });
  } catch (err) {
    progressBar?.close();
    if (err instanceof ConfigError || err instanceof RangeError) {
      io.err(`grpo-otel demo: ${err.message}`);
      return err instanceof ConfigError ? 1 : 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  progressBar?.close();
  printSummary(summary, io);
  // The HTML report (charts and sampled completions) for people without TensorBoard or Grafana.
  try {
    const report = await writeReport(outDir);
    io.out(`report: ${shownPath(io.cwd, report.path)}   (open it in a browser; no server needed)`);
  } catch (err) {
    io.err(`grpo-otel demo: the HTML report could not be written: ${(err as Error).message}`);
  }
  return stop.signal.aborted ? 130 : 0;
}
