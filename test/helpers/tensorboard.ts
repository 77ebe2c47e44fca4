// Test harness for the real TensorBoard (Python, from the venv of scripts/setup-python.sh).
// It binds 127.0.0.1 on a free port and is stopped by its own PID only.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitFor } from './collector.js';
import { pythonBinary } from './python.js';

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
        const tags = await get<Record<string, Record<string, unknown>>>(`/data/plugin/${tag.plugin}/tags`);
        return tags[run]?.[tag.tag] !== undefined ? true : undefined;
      },
      timeoutMs,
      `tensorboard to list run ${run}${tag ? ` with ${tag.plugin} tag ${tag.tag}` : ''}`,
      250,
    );
  };

  return {
    pid: child.pid!,
    url,
    loadFast: options.loadFast,
    get,
    post,
    waitForRun,
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
