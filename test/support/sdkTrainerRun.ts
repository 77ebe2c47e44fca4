// Runs test/fixtures/sdkTrainer.ts (a trainer logging through the SDK's public API to a rotating log
// file, a CSV file and a TensorBoard run) in a child process, and reads what it left with each file's
// consumer: the log file line by line, the CSV with csv-parse, the event files with our reader and with
// TensorBoard's own EventAccumulator (Python). Shared by the exit-path, SIGKILL and reliability tests.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';

const TRAINER = join(repoRoot, 'test/fixtures/sdkTrainer.ts');
export const RUN_ID = 'run';
export const CSV_COLUMNS = ['step', 'question', 'model_answer', 'reward'];
/** The scalar each step writes and its TensorBoard tag. */
export const LOSS_TAG = 'grpo.policy.loss';
export const TEXT_TAG = 'logs/training';

export interface TrainerFiles {
  dir: string;
  config: string;
  log: string;
  csv: string;
  /** The TensorBoard run directory. */
  tbRun: string;
  /** `<steps> <ms since epoch>` per step logged, appended synchronously by the trainer. */
  progress: string;
}

/** Writes the trainer's config into a fresh temp dir (removed by `t.after`). */
export function trainerFiles(
  t: { after(fn: () => void): void },
  options: { flushIntervalS: number; extraYaml?: string },
): TrainerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-sdk-trainer-'));
  t.after(() => {
    if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });
  const f = options.flushIntervalS;
  // Large queues and CSV buffer: the flush interval alone decides when buffered records are written.
  // Absolute paths: a fault test makes some of them symbolic links to /dev/full.
  const config = `version: 1
loggers:
  training:
    level: INFO
    handlers: [file, tb]
    propagate: false
  model_outputs:
    level: INFO
    handlers: [file, csv]
    propagate: false
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    filename: ${join(dir, 'out/training.log')}
    formatter: plain
    flush_interval: ${f}
    max_queue_size: 1000000
  csv:
    class: csv
    filename: ${join(dir, 'out/outputs.csv')}
    columns: [${CSV_COLUMNS.join(', ')}]
    buffer_size: 1000000
    flush_interval: ${f}
    max_queue_size: 1000000
  tb:
    class: tensorboard
    log_dir: ${join(dir, 'out/tb')}
    flush_interval: ${f}
    max_queue_size: 1000000
formatters:
  plain:
    format: "%(name)s %(message)s"
metrics:
  enable:
    resource_metrics: false
resource:
  run_id: ${RUN_ID}
${options.extraYaml ?? ''}`;
  writeFileSync(join(dir, 'c.yaml'), config);
  return {
    dir,
    config: join(dir, 'c.yaml'),
    log: join(dir, 'out/training.log'),
    csv: join(dir, 'out/outputs.csv'),
    tbRun: join(dir, 'out/tb', RUN_ID),
    progress: join(dir, 'progress.txt'),
  };
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Steps the trainer logged (the last line of its progress file). */
  logged: number;
  stdout: string;
  stderr: string;
}

export interface RunningTrainer {
  child: ChildProcess;
  exited: Promise<TrainerExit>;
}

/** Starts the trainer; `onLogged` sees each step count it reports. */
export function startTrainer(
  files: TrainerFiles,
  args: readonly string[],
  onLogged?: (steps: number, child: ChildProcess) => void,
  options: { umask?: number; script?: string; uid?: number; gid?: number; stepMs?: number } = {},
): RunningTrainer {
  const node = [
    process.execPath,
    '--conditions=source',
    '--import',
    'tsx',
    options.script ?? TRAINER,
    files.config,
    files.progress,
    ...args,
  ];
  // A umask is set by a shell right before exec'ing node (the process starts with it).
  const [cmd, ...argv] =
    options.umask === undefined
      ? node
      : ['/bin/sh', '-c', `umask ${options.umask.toString(8).padStart(3, '0')} && exec "$@"`, 'sh', ...node];
  const child = spawn(cmd!, argv, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.stepMs !== undefined
      ? { env: { ...process.env, GRPO_TEST_STEP_MS: String(options.stepMs) } }
      : {}),
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout = (stdout + d).slice(-64 * 1024);
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^logged (\d+)$/.exec(line);
      if (m) onLogged?.(Number(m[1]), child);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-64 * 1024);
  });
  const exited = new Promise<TrainerExit>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, logged: readProgress(files.progress).at(-1)?.steps ?? 0, stdout, stderr }),
    ),
  );
  return { child, exited };
}

// ------------------------------------------------------------------------------------------ readers

/** The trainer's progress file: steps logged so far and when (a torn last line is left out). */
export function readProgress(path: string): { steps: number; atMs: number }[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  return lines.map((line) => {
    const [steps, atMs] = line.split(' ').map(Number);
    return { steps: steps!, atMs: atMs! };
  });
}

/** The log file's lines: the whole ones and the bytes after the last newline (a torn line). */
export interface LogContents {
  lines: string[];
  tail: string;
}

export function readLog(path: string): LogContents {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  return { lines, tail };
}

/** The log file holds, in order, both lines of steps 0, 1, ..., k-1 (and maybe the first of step k). */
export function logStepsWhole(log: LogContents, first = 0): number {
  for (const [i, line] of log.lines.entries()) {
    const step = first + Math.floor(i / 2);
    const re =
      i % 2 === 0 ? /^training step (\d+): loss=\S+, learning_rate=\S+$/ : /^model_outputs output (\d+)$/;
    const m = re.exec(line);
    assert.ok(m, `log line ${i} is not the expected record: ${JSON.stringify(line.slice(0, 200))}`);
    assert.equal(Number(m[1]), step, `log line ${i} is out of order`);
  }
  if (log.tail !== '') {
    const next = log.lines.length;
    const step = first + Math.floor(next / 2);
    const want = next % 2 === 0 ? `training step ${step}: ` : `model_outputs output ${step}`;
    assert.ok(
      want.startsWith(log.tail) || log.tail.startsWith(want),
      `the torn last line is not the start of the next record: ${JSON.stringify(log.tail)}`,
    );
  }
  return Math.floor(log.lines.length / 2);
}

export function expectedCsvRow(i: number): string[] {
  return [String(i), `question ${i}`, `answer ${i}`, String(i % 3)];
}

/** Rows of the CSV file read with csv-parse, checked in order; a torn last row is left out. */
export function csvRowsWhole(path: string, first = 0): { rows: number; tornBytes: number } {
  if (!existsSync(path)) return { rows: 0, tornBytes: 0 };
  const buf = readFileSync(path);
  const boundary = buf.lastIndexOf('\r\n') + 2; // no cell here holds a line break
  const whole = parseCsv(buf.subarray(0, Math.max(0, boundary)).toString('utf8'));
  if (whole.length > 0) assert.deepEqual(whole[0], CSV_COLUMNS, `${path}: header`);
  const rows = whole.slice(1);
  for (const [i, row] of rows.entries()) {
    assert.deepEqual(row, expectedCsvRow(first + i), `${path}: row ${i}`);
  }
  const tail = buf.subarray(Math.max(0, boundary)).toString('utf8');
  if (tail !== '') {
    const next = `${expectedCsvRow(first + rows.length).join(',')}\r\n`;
    assert.ok(next.startsWith(tail), `${path}: the torn last row is not the start of row ${rows.length}`);
  }
  return { rows: rows.length, tornBytes: tail.length };
}

export interface TensorBoardContents {
  /** Steps with a `logs/training` text (in file order). */
  textSteps: number[];
  /** Steps with a loss scalar (in file order). */
  lossSteps: number[];
  /** Files that end in a torn record (at most the last may). */
  tornFiles: number;
  /** Records failing their CRC or undecodable. */
  corrupt: number;
}

/** The run read with our reader; asserts each text is the one its step logged. */
export async function readRunOurs(runDir: string): Promise<TensorBoardContents> {
  const out: TensorBoardContents = { textSteps: [], lossSteps: [], tornFiles: 0, corrupt: 0 };
  if (!existsSync(runDir)) return out;
  const files = await readEvents(runDir);
  for (const [i, f] of files.entries()) {
    for (const issue of f.issues) {
      if (issue.kind === 'torn') {
        out.tornFiles++;
        assert.equal(i, files.length - 1, `only the last event file may end in a torn record (${f.path})`);
      } else out.corrupt++;
    }
    for (const e of f.events) {
      const step = Number(e.event.step);
      for (const v of e.values) {
        if (v.tag === LOSS_TAG && v.kind === 'scalar') {
          assert.equal(v.value, Math.fround(1 / (step + 1)), `loss at step ${step}`);
          out.lossSteps.push(step);
        }
        if (v.tag === TEXT_TAG && v.kind === 'text') {
          assert.match(String(v.text), new RegExp(`\\*\\* step ${step}: loss=`), `text at step ${step}`);
          out.textSteps.push(step);
        }
      }
    }
  }
  return out;
}

/** The run read by TensorBoard's EventAccumulator: steps of the loss scalar and of the texts. */
export function readRunTensorBoard(runDir: string): { lossSteps: number[]; textSteps: number[] } {
  if (!existsSync(runDir) || readdirSync(runDir).length === 0) return { lossSteps: [], textSteps: [] };
  const acc = readWithEventAccumulator(runDir);
  const lossSteps = (acc.scalars[LOSS_TAG] ?? []).map(([step, value]) => {
    assert.equal(value, Math.fround(1 / (step + 1)), `TensorBoard: loss at step ${step}`);
    return step;
  });
  const textSteps = (acc.tensors[TEXT_TAG] ?? []).map(([step, _plugin, values]) => {
    assert.match(
      String(values[0]),
      new RegExp(`\\*\\* step ${step}: loss=`),
      `TensorBoard: text at step ${step}`,
    );
    return step;
  });
  return { lossSteps, textSteps };
}

/** 0, 1, ..., n-1 (or from, ..., to-1). */
export function range(n: number, to?: number): number[] {
  const [from, end] = to === undefined ? [0, n] : [n, to];
  return Array.from({ length: Math.max(0, end - from) }, (_, i) => from + i);
}

/** The length of the run 0, 1, 2, ... that `steps` is (asserted: nothing else in it). */
export function contiguousSteps(steps: readonly number[], what: string): number {
  assert.deepEqual(steps, range(steps.length), `${what}: steps are not 0..${steps.length - 1} in order`);
  return steps.length;
}
