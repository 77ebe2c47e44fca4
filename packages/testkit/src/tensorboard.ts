// Test harness for the real TensorBoard (Python, from the venv of scripts/setup-python.sh).
// It binds 127.0.0.1 on a free port and is stopped by its own PID only.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';
import { pythonBinary } from './python.js';
import { waitFor } from './waitFor.js';

export interface RunningTensorBoard {
  pid: number;
  /** e.g. http://127.0.0.1:6123 */
  url: string;
  loadFast: boolean;
  /** GET a path (e.g. `/data/runs`); parses JSON (TensorBoard writes NaN/Infinity literals too). */
  get<T = unknown>(path: string): Promise<T>;
  /** POST a JSON body to a path; parses the JSON answer. */
  post<T = unknown>(path: string, body: unknown): Promise<T>;
  /** Polls `/data/runs` (and the tag lists of `plugin`, when given) until `run` (and `tag`) appear. */
  waitForRun(run: string, tag?: { plugin: string; tag: string }, timeoutMs?: number): Promise<void>;
  /**
   * GETs `path` until `ready` holds for the answer, and returns the last answer (also when `ready` never
   * held within `timeoutMs`, default 30 s, so that the caller's assertion shows what was there). A tag is
   * listed as soon as its first event is read, while TensorBoard may still be loading the rest of the file:
   * read complete data through this, not right after `waitForRun`.
   */
  getWhen<T = unknown>(path: string, ready: (answer: T) => boolean, timeoutMs?: number): Promise<T>;
  /** TensorBoard's stdout and stderr so far (the last 256 KiB). */
  logs(): string;
  /** SIGTERM to this PID, wait for exit (SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

export interface StartTensorBoardOptions {
  logDir: string;
  /** `--load_fast=true` (the Rust data server) or `false` (the Python loader). */
  loadFast: boolean;
  /** How long to wait for the server to answer. Default 60 s. */
  startTimeoutMs?: number;
  /**
   * `--samples_per_plugin`: points kept per time series (TensorBoard downsamples beyond; the Python
   * loader keeps only 10 texts by default). Default `scalars=10000,histograms=1000,text=1000`.
   */
  samplesPerPlugin?: string;
}

const live = new Set<ChildProcess>();
let hookInstalled = false;

/** Path of the venv Python (creates the venv on first use). */
export function tensorBoardPython(): string {
  return pythonBinary();
}

/**
 * Starts `python -m tensorboard.main --logdir <dir> --host 127.0.0.1 --port <free> --load_fast=<b>
 * --reload_interval 1` and waits until its HTTP API answers.
 */
export async function startTensorBoard(options: StartTensorBoardOptions): Promise<RunningTensorBoard> {
  const python = pythonBinary();
  const port = await freePort();
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  const args = [
    '-m',
    'tensorboard.main',
    '--logdir',
    options.logDir,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    `--load_fast=${options.loadFast}`,
    '--reload_interval',
    '1',
    '--samples_per_plugin',
    options.samplesPerPlugin ?? 'scalars=10000,histograms=1000,text=1000',
  ];
  const child = spawn(python, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONUNBUFFERED: '1' },
  });
  live.add(child);
  let output = '';
  const append = (chunk: string) => {
    output = (output + chunk).slice(-256 * 1024);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('close', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;

  const request = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
    return parseJson(text) as T;
  };
  const get = <T>(path: string) => request<T>(path);
  const post = <T>(path: string, body: unknown) =>
    request<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exitedPromise.then(() => true), sleep(10_000, false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    })();
    return stopping;
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`tensorboard exited early:\n${output.slice(-4000)}`);
        return (await get<unknown>('/data/runs')) !== undefined ? true : undefined;
      },
      options.startTimeoutMs ?? 60_000,
      'tensorboard to answer /data/runs',
      250,
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\ntensorboard output:\n${output.slice(-8000)}`);
  }

  const waitForRun = async (run: string, tag?: { plugin: string; tag: string }, timeoutMs = 60_000) => {
    await waitFor(
      async () => {
        const runs = await get<string[]>('/data/runs');
        if (!runs.includes(run)) return undefined;
        if (!tag) return true;
        // {run: {tag: info}} for most plugins, {run: [tag, ...]} for text
        const tags = await get<Record<string, Record<string, unknown> | string[]>>(
          `/data/plugin/${tag.plugin}/tags`,
        );
        const forRun = tags[run];
        const found = Array.isArray(forRun) ? forRun.includes(tag.tag) : forRun?.[tag.tag] !== undefined;
        return found ? true : undefined;
      },
      timeoutMs,
      `tensorboard to list run ${run}${tag ? ` with ${tag.plugin} tag ${tag.tag}` : ''}`,
      250,
    );
  };

  const getWhen = async <T>(path: string, ready: (answer: T) => boolean, timeoutMs = 30_000): Promise<T> => {
    let last: { answer: T } | undefined;
    try {
      return await waitFor(
        async () => {
          last = { answer: await get<T>(path) };
          return ready(last.answer) ? last.answer : undefined;
        },
        timeoutMs,
        `tensorboard to answer ${path} in full`,
        250,
      );
    } catch (err) {
      if (last === undefined) throw err; // never answered
      return last.answer;
    }
  };

  return {
    pid: child.pid!,
    url,
    loadFast: options.loadFast,
    get,
    post,
    waitForRun,
    getWhen,
    logs: () => output,
    stop,
  };
}

/** JSON with Python's NaN / Infinity / -Infinity literals. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const fixed = text.replace(/\b(-?Infinity|NaN)\b/g, '"__$1__"');
    return JSON.parse(fixed, (_k, v: unknown) =>
      v === '__NaN__' ? Number.NaN : v === '__Infinity__' ? Infinity : v === '__-Infinity__' ? -Infinity : v,
    );
  }
}

/** Runs a Python script (with the venv interpreter) and returns its stdout; throws on failure. */
export function runPython(script: string, args: readonly string[] = [], timeoutMs = 120_000): string {
  const r = spawnSync(pythonBinary(), [script, ...args], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) {
    throw new Error(`python ${script} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  }
  return r.stdout;
}

/** Float32 rounding, as TensorBoard stores scalars. */
export function f32(v: number): number {
  return Math.fround(v);
}

/**
 * A Python script reading one run directory with TensorBoard's own EventAccumulator (everything kept,
 * no sampling) and printing JSON: `{ scalars: {tag: [[step, value]]}, histograms: {tag: [[step,
 * {min, max, num, sum, sum_squares, bucket_limit, bucket}]]}, tensors: {tag: [[step, plugin, strings
 * | numbers]]} }`. Tensor-form scalars (plugin `scalars`) are listed under scalars. Run it with {@link readWithEventAccumulator}.
 */
export const EVENT_ACCUMULATOR_SCRIPT = `
import json, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
ea = EventAccumulator(sys.argv[1], size_guidance={'scalars': 0, 'histograms': 0, 'tensors': 0,
                                                   'compressedHistograms': 0, 'images': 0, 'audio': 0})
ea.Reload()
tags = ea.Tags()
out = {'scalars': {}, 'histograms': {}, 'tensors': {}}
for t in tags['scalars']:
    out['scalars'][t] = [[e.step, e.value] for e in ea.Scalars(t)]
for t in tags['histograms']:
    out['histograms'][t] = [[e.step, {'min': e.histogram_value.min, 'max': e.histogram_value.max,
        'num': e.histogram_value.num, 'sum': e.histogram_value.sum,
        'sum_squares': e.histogram_value.sum_squares,
        'bucket_limit': list(e.histogram_value.bucket_limit), 'bucket': list(e.histogram_value.bucket)}]
        for e in ea.Histograms(t)]
for t in tags['tensors']:
    md = ea.SummaryMetadata(t)
    if md.plugin_data.plugin_name == 'scalars':
        # the TF2 form (rank-0 tensor, plugin scalars): this accumulator files it under tensors
        out['scalars'][t] = [[e.step, (list(e.tensor_proto.float_val) + list(e.tensor_proto.double_val))[0]]
                             for e in ea.Tensors(t)]
        continue
    rows = []
    for e in ea.Tensors(t):
        tp = e.tensor_proto
        vals = [s.decode('utf-8', 'replace') for s in tp.string_val] if tp.string_val else list(tp.float_val) + list(tp.double_val)
        rows.append([e.step, md.plugin_data.plugin_name, vals])
    out['tensors'][t] = rows
json.dump(out, sys.stdout, allow_nan=True)
`;

export interface AccumulatedRun {
  scalars: Record<string, [number, number][]>;
  histograms: Record<
    string,
    [
      number,
      {
        min: number;
        max: number;
        num: number;
        sum: number;
        sum_squares: number;
        bucket_limit: number[];
        bucket: number[];
      },
    ][]
  >;
  tensors: Record<string, [number, string, (string | number)[]][]>;
}

/** Reads a run directory with TensorBoard's EventAccumulator (Python). */
export function readWithEventAccumulator(runDir: string): AccumulatedRun {
  const r = spawnSync(pythonBinary(), ['-c', EVENT_ACCUMULATOR_SCRIPT, runDir], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`EventAccumulator failed (status ${r.status}):\n${r.stderr}`);
  return parseJson(r.stdout) as AccumulatedRun;
}
