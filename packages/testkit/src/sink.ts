// `grpo-otel sink` as a process for tests: run from its TypeScript sources (test/fixtures/grpoOtelCli.ts
// through tsx), bound to 127.0.0.1 on a free port, stopped by its own PID only. Shared by the tests that
// put the sink behind the real collector (pythonBridgeSink, pythonBridgeDashboards, sinkVsSdk,
// sinkThroughCollector) or kill it (sinkSigkill).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { installExitHook, live } from './exitCleanup.js';
import { freePort } from './ports.js';
import { repoRoot } from './repoRoot.js';
import { waitFor } from './waitFor.js';

export interface SinkStatsAnswer {
  batches: number;
  logRecords: number;
  metricPoints: number;
  /** Its own analyses' records and points, back through the collector (not written again). */
  ownRecords: number;
  /** Points of its analyses left out because the run's trainer records their metric itself. */
  leftToTrainer: number;
  /** Spans received (written to their run's traces.jsonl, or counted as dropped). */
  spans: number;
  dropped: { bad_batch: number; analysis_failed: number; bad_span: number; write_failed: number };
}

export interface SinkExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningSink {
  child: ChildProcess;
  port: number;
  /** e.g. http://127.0.0.1:4319: what the collector's GRPO_SINK_ENDPOINT names. */
  endpoint: string;
  /** Its stdout and stderr so far. */
  output(): string;
  /** GET / : the sink's counters. */
  stats(): Promise<SinkStatsAnswer>;
  /**
   * Polls the counters until `ready` holds and the metric points have stopped coming (the same count
   * one poll, 1 s, apart: they come through a pipeline of their own); returns them.
   */
  settled(ready: (s: SinkStatsAnswer) => boolean, what: string, timeoutMs?: number): Promise<SinkStatsAnswer>;
  /** Resolves when the process has exited. */
  closed: Promise<SinkExit>;
  /** SIGTERM (the sink flushes and closes its files), then waits for the exit. Idempotent. */
  stop(): Promise<SinkExit>;
}

export interface StartSinkOptions {
  /** The sink's --out folder. */
  out: string;
  /** --otlp-endpoint: where its analyses' metrics and signals go (the collector). */
  otlpEndpoint?: string;
  /** --config: a grpo-otel YAML (the analyses' settings). */
  config?: string;
  /** The port to listen on; a free one by default. */
  port?: number;
  /** Further arguments of `grpo-otel sink`. */
  args?: readonly string[];
}

/** Starts `grpo-otel sink` and waits until it listens. */
export async function startSink(options: StartSinkOptions): Promise<RunningSink> {
  installExitHook();
  const port = options.port ?? (await freePort());
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    join(repoRoot, 'test', 'fixtures', 'grpoOtelCli.ts'),
    'sink',
    '--port',
    String(port),
    '--out',
    options.out,
    ...(options.config ? ['--config', options.config] : []),
    ...(options.otlpEndpoint ? ['--otlp-endpoint', options.otlpEndpoint] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const closed = once(child, 'close').then(([code, signal]) => {
    live.delete(child);
    return { code, signal } as SinkExit;
  });
  let output = '';
  const append = (c: string) => {
    output += c;
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const stop = (): Promise<SinkExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return closed;
  };
  await waitFor(
    async () => (output.includes('listening on') || child.exitCode !== null ? true : undefined),
    30_000,
    'the sink to listen',
    50,
  );
  if (!output.includes('listening on')) {
    await stop();
    throw new Error(`grpo-otel sink did not start:\n${output}`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const stats = async () => (await (await fetch(`${endpoint}/`)).json()) as SinkStatsAnswer;
  const settled = (ready: (s: SinkStatsAnswer) => boolean, what: string, timeoutMs = 60_000) => {
    let previous = -1;
    return waitFor(
      async () => {
        const s = await stats();
        const still = s.metricPoints === previous;
        previous = s.metricPoints;
        return ready(s) && still ? s : undefined;
      },
      timeoutMs,
      what,
      1_000,
    );
  };
  return { child, port, endpoint, output: () => output, stats, settled, closed, stop };
}
