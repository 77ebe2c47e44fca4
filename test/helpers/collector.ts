// Test harness for the real otelcol-grpo collector (built by scripts/build-collector.sh).
// Everything binds to 127.0.0.1; processes are stopped by their own PID only.
import { type ChildProcess, spawn } from 'node:child_process';
import { constants as fsConstants, rmSync } from 'node:fs';
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/helpers/). */
export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** The default test config: OTLP/HTTP in, OTLP JSON lines out to a file. */
export const defaultCollectorConfig: string = join(repoRoot, 'collector-config', 'test-file.yaml');

const MAX_LOG_BYTES = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// OTLP JSON shapes, as the file exporter writes them (only the fields tests usually look at are typed).

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpResource {
  attributes?: OtlpKeyValue[];
  [key: string]: unknown;
}

export interface OtlpScope {
  name?: string;
  version?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  [key: string]: unknown;
}

export interface OtlpNumberDataPoint {
  attributes?: OtlpKeyValue[];
  timeUnixNano?: string;
  asDouble?: number;
  asInt?: string | number;
  [key: string]: unknown;
}

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpNumberDataPoint[] };
  sum?: { dataPoints?: OtlpNumberDataPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: Array<Record<string, unknown>>; aggregationTemporality?: number };
  [key: string]: unknown;
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  [key: string]: unknown;
}

export interface ResourceLogs {
  resource?: OtlpResource;
  scopeLogs?: Array<{ scope?: OtlpScope; logRecords?: OtlpLogRecord[] }>;
}

export interface ResourceMetrics {
  resource?: OtlpResource;
  scopeMetrics?: Array<{ scope?: OtlpScope; metrics?: OtlpMetric[] }>;
}

export interface ResourceSpans {
  resource?: OtlpResource;
  scopeSpans?: Array<{ scope?: OtlpScope; spans?: OtlpSpan[] }>;
}

/** The file exporter's output, one entry per JSON line, grouped by signal. */
export interface ExportedLines {
  logs: Array<{ resourceLogs: ResourceLogs[] }>;
  metrics: Array<{ resourceMetrics: ResourceMetrics[] }>;
  traces: Array<{ resourceSpans: ResourceSpans[] }>;
  /** Lines that are JSON but none of the above (e.g. profiles). */
  other: unknown[];
}

/** One exported item with the resource and scope it came with. */
export interface Located<T> {
  resource: OtlpResource;
  scope: OtlpScope;
  item: T;
}

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

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the allocated port'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}

/** Polls fn until it returns something other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

// Collectors still running when the test process exits are killed (by their PID), and their temp dirs
// removed unless GRPO_KEEP_TEST_DIRS is set, so a failing test never leaves anything behind.
// Shared with the other server harnesses (test/helpers/prometheus.ts).
export const live = new Set<ChildProcess>();
export const tempDirs = new Set<string>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!process.env.GRPO_KEEP_TEST_DIRS) {
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    }
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

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
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

/** readExportFile of each file, merged (each file's payloads keep their order). */
export async function readExportFiles(paths: readonly string[]): Promise<ExportedLines> {
  const out: ExportedLines = { logs: [], metrics: [], traces: [], other: [] };
  for (const p of paths) {
    const one = await readExportFile(p);
    out.logs.push(...one.logs);
    out.metrics.push(...one.metrics);
    out.traces.push(...one.traces);
    out.other.push(...one.other);
  }
  return out;
}

/** Parses a file exporter output file (JSON format): complete lines only; a missing file is empty. */
export async function readExportFile(path: string): Promise<ExportedLines> {
  const out: ExportedLines = { logs: [], metrics: [], traces: [], other: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  // A line still being written has no newline yet: leave it for the next read.
  const end = text.lastIndexOf('\n');
  for (const line of text.slice(0, end + 1).split('\n')) {
    if (line.trim() === '') continue;
    const payload = JSON.parse(line) as Record<string, unknown>;
    if (Array.isArray(payload.resourceLogs)) out.logs.push(payload as { resourceLogs: ResourceLogs[] });
    else if (Array.isArray(payload.resourceMetrics))
      out.metrics.push(payload as { resourceMetrics: ResourceMetrics[] });
    else if (Array.isArray(payload.resourceSpans))
      out.traces.push(payload as { resourceSpans: ResourceSpans[] });
    else out.other.push(payload);
  }
  return out;
}

/** Every log record in the export, with its resource and scope. */
export function exportedLogRecords(exported: ExportedLines): Array<Located<OtlpLogRecord>> {
  return exported.logs.flatMap((p) =>
    p.resourceLogs.flatMap((rl) =>
      (rl.scopeLogs ?? []).flatMap((sl) =>
        (sl.logRecords ?? []).map((item) => ({ resource: rl.resource ?? {}, scope: sl.scope ?? {}, item })),
      ),
    ),
  );
}

/** Every metric in the export, with its resource and scope. */
export function exportedMetrics(exported: ExportedLines): Array<Located<OtlpMetric>> {
  return exported.metrics.flatMap((p) =>
    p.resourceMetrics.flatMap((rm) =>
      (rm.scopeMetrics ?? []).flatMap((sm) =>
        (sm.metrics ?? []).map((item) => ({ resource: rm.resource ?? {}, scope: sm.scope ?? {}, item })),
      ),
    ),
  );
}

/** Every span in the export, with its resource and scope. */
export function exportedSpans(exported: ExportedLines): Array<Located<OtlpSpan>> {
  return exported.traces.flatMap((p) =>
    p.resourceSpans.flatMap((rs) =>
      (rs.scopeSpans ?? []).flatMap((ss) =>
        (ss.spans ?? []).map((item) => ({ resource: rs.resource ?? {}, scope: ss.scope ?? {}, item })),
      ),
    ),
  );
}

/** The plain JS value of an OTLP AnyValue (ints stay strings if OTLP JSON sent them as strings). */
export function anyValue(v: OtlpAnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return v.intValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributesToObject(v.kvlistValue.values);
  return undefined;
}

/** OTLP attributes as a plain object. */
export function attributesToObject(attrs: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of attrs ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

/** True while a process with this PID exists (signal 0 probe; sends nothing). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
