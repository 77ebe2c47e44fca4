// Test harness for the real otelcol-grpo collector (built by scripts/build-collector.sh).
// Everything binds to 127.0.0.1; processes are stopped by their own PID only.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { installExitHook, live, tempDirs } from './exitCleanup.js';
import { type ExportedLines, readExportFiles } from './otlpJson.js';
import { distinctFreePorts } from './ports.js';
import { repoRoot } from './repoRoot.js';

/** The default test config: OTLP/HTTP in, OTLP JSON lines out to a file. */
export const defaultCollectorConfig: string = join(repoRoot, 'collector-config', 'test-file.yaml');

const MAX_LOG_BYTES = 1024 * 1024;

export interface RunningCollector {
  pid: number;
  /** Base URL of the OTLP/HTTP receiver, e.g. http://127.0.0.1:4318 (append /v1/logs etc.). */
  otlpHttpEndpoint: string;
  /** Health check URL (answers 200 while the collector is up). */
  healthEndpoint: string;
  /** The collector's own metrics, Prometheus text format. */
  metricsEndpoint: string;
  /** Temp dir owned by this collector (the export file lives in it). */
  dir: string;
  /** The logs file of the file exporters (default config: metrics and traces are in `exportPaths`). */
  exportPath: string;
  /** Every file the default config's file exporters write: logs, `.metrics`, `.traces`. */
  exportPaths: string[];
  /** The collector's stdout and stderr so far (the last 1 MiB). */
  logs(): string;
  /** Exit code or signal once the process has exited, else undefined. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Parses every complete line the file exporter has written so far. */
  readExported(): Promise<ExportedLines>;
  /** SIGTERM to this PID, wait for exit (SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

export interface StartCollectorOptions {
  /**
   * Config file (absolute, or relative to the repo root), or several, which the collector merges in
   * order (e.g. gateway.yaml then an overlay). Default: collector-config/test-file.yaml.
   */
  config?: string | string[];
  /** Extra environment for the collector; overrides the GRPO_* variables the harness sets. */
  env?: Record<string, string>;
  /** How long to wait for the health check to answer 200. Default 30 s. */
  startTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------------

let binaryPromise: Promise<string> | undefined;

/**
 * Path of the otelcol-grpo binary: $GRPO_OTELCOL_BIN if set, else the result of
 * scripts/build-collector.sh (run once per process; the script itself caches across runs).
 */
export function collectorBinary(): Promise<string> {
  binaryPromise ??= resolveBinary();
  return binaryPromise;
}

async function resolveBinary(): Promise<string> {
  const fromEnv = process.env.GRPO_OTELCOL_BIN;
  if (fromEnv) {
    const bin = resolve(fromEnv);
    try {
      await access(bin, fsConstants.X_OK);
    } catch {
      throw new Error(`GRPO_OTELCOL_BIN=${fromEnv} is not an executable file`);
    }
    return bin;
  }
  const script = join(repoRoot, 'scripts', 'build-collector.sh');
  return new Promise<string>((resolvePath, reject) => {
    const child = spawn('bash', [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-64 * 1024);
      // Forward progress: the first build takes minutes and should not look hung.
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const lines = stdout.trim().split('\n');
      const last = lines[lines.length - 1]?.trim() ?? '';
      if (code === 0 && isAbsolute(last)) resolvePath(last);
      else
        reject(
          new Error(
            `scripts/build-collector.sh failed (code ${code}, signal ${signal}); stdout: ${stdout.trim()}\n` +
              `stderr (tail):\n${stderr.slice(-8000)}`,
          ),
        );
    });
  });
}

/**
 * Starts the collector with a config file (default collector-config/test-file.yaml) on fresh loopback
 * ports and waits for its health check. The config sees GRPO_OTLP_HTTP_PORT, GRPO_HEALTH_PORT,
 * GRPO_COLLECTOR_METRICS_PORT and GRPO_FILE_EXPORT_PATH (opts.env may override any of them).
 */
export async function startCollector(opts: StartCollectorOptions = {}): Promise<RunningCollector> {
  const bin = await collectorBinary();
  const configs = [opts.config ?? defaultCollectorConfig].flat().map((c) => resolve(repoRoot, c));
  const config = configs.join(' + ');
  const dir = await mkdtemp(join(tmpdir(), 'grpo-otelcol-'));
  tempDirs.add(dir);
  installExitHook();

  const [otlpPort, healthPort, metricsPort] = await distinctFreePorts(3);
  const env: Record<string, string | undefined> = {
    ...process.env,
    GRPO_OTLP_HTTP_PORT: String(otlpPort),
    GRPO_HEALTH_PORT: String(healthPort),
    GRPO_COLLECTOR_METRICS_PORT: String(metricsPort),
    GRPO_FILE_EXPORT_PATH: join(dir, 'export.jsonl'),
    ...opts.env,
  };
  const exportPath = env.GRPO_FILE_EXPORT_PATH!;
  const exportPaths = [exportPath, `${exportPath}.metrics`, `${exportPath}.traces`];
  const otlpHttpEndpoint = `http://127.0.0.1:${env.GRPO_OTLP_HTTP_PORT}`;
  const healthEndpoint = `http://127.0.0.1:${env.GRPO_HEALTH_PORT}/`;
  const metricsEndpoint = `http://127.0.0.1:${env.GRPO_COLLECTOR_METRICS_PORT}/metrics`;

  const child = spawn(
    bin,
    configs.flatMap((c) => ['--config', c]),
    {
      cwd: dir,
      env,
      detached: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (chunk: string) => {
    output += chunk;
    if (output.length > MAX_LOG_BYTES) output = output.slice(-MAX_LOG_BYTES);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitedPromise = new Promise<void>((resolveExit) => {
    // 'close' (not 'exit'): stdout and stderr are fully read by then, so logs() is complete.
    child.on('close', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(child);
      resolveExit();
    });
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  live.add(child);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo || spawnError) return;
      child.kill('SIGTERM');
      if (await exitsWithin(exitedPromise, 15_000)) return;
      child.kill('SIGKILL');
      if (!(await exitsWithin(exitedPromise, 5_000))) {
        throw new Error(`collector pid ${child.pid} did not exit after SIGKILL`);
      }
    })();
    return stopping;
  };

  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const problem = await waitHealthy(healthEndpoint, startTimeoutMs, () => {
    if (spawnError) return `could not start ${bin}: ${spawnError.message}`;
    if (exitInfo) return `collector exited early (code ${exitInfo.code}, signal ${exitInfo.signal})`;
    return undefined;
  });
  if (problem !== undefined) {
    await stop().catch(() => undefined);
    throw new Error(`${problem}\nconfig: ${config}\ncollector output:\n${output.slice(-16_000)}`);
  }

  return {
    pid: child.pid!,
    otlpHttpEndpoint,
    healthEndpoint,
    metricsEndpoint,
    dir,
    exportPath,
    exportPaths,
    logs: () => output,
    exited: () => exitInfo,
    readExported: () => readExportFiles(exportPaths),
    stop,
  };
}

/** Polls the health check until it answers 200; returns a problem description, or undefined when healthy. */
async function waitHealthy(
  url: string,
  timeoutMs: number,
  failure: () => string | undefined,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const failed = failure();
    if (failed !== undefined) return failed;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200) return undefined;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      return `collector health check ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`;
    }
    await sleep(100);
  }
}

async function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  const result = await Promise.race([
    exited.then(() => true),
    sleep(ms, false, { signal: ac.signal }).catch(() => false),
  ]);
  ac.abort();
  return result;
}
