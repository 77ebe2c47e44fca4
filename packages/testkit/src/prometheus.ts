// Test harness for the real Prometheus, Alertmanager, promtool and amtool (Debian's packages, installed by
// scripts/install-prometheus.sh), and for the collector with collector-config/local.yaml. Servers bind
// 127.0.0.1 on free ports and are stopped by their own PID; nothing talks to any other address.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { type RunningCollector, startCollector } from './collector.js';
import { installExitHook, live } from './exitCleanup.js';
import { freePort } from './ports.js';
import { repoRoot } from './repoRoot.js';
import { tempDirUntilExit } from './tempDir.js';
import { waitFor } from './waitFor.js';

export const PROMETHEUS_BIN = process.env.GRPO_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.GRPO_PROMTOOL_BIN ?? '/usr/bin/promtool';
export const ALERTMANAGER_BIN = process.env.GRPO_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
export const AMTOOL_BIN = process.env.GRPO_AMTOOL_BIN ?? '/usr/bin/amtool';

/** The committed Alertmanager config. */
export const alertmanagerConfigPath: string = join(repoRoot, 'deploy', 'alertmanager', 'alertmanager.yml');

/** Fails with a clear message when a tool is missing (scripts/test.sh installs them). */
export async function requireTool(bin: string): Promise<string> {
  try {
    await access(bin, fsConstants.X_OK);
  } catch {
    throw new Error(`${bin} is not installed: run scripts/install-prometheus.sh (Debian packages)`);
  }
  return bin;
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell) and returns its exit code and output. */
export async function runTool(bin: string, args: string[], cwd = repoRoot): Promise<ToolResult> {
  await requireTool(bin);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Long-running servers.

// Servers are registered with the exit hook of exitCleanup.ts (one registry).

export interface RunningServer {
  pid: number;
  /** Base URL, e.g. http://127.0.0.1:9090 */
  url: string;
  /** stdout and stderr so far (the last 256 KiB). */
  logs(): string;
  /** SIGTERM to this PID, SIGKILL after a grace period; idempotent. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** URL that answers 200 once the server is ready. Default: `${url}/-/ready` (Prometheus, Alertmanager). */
  readyUrl?: string;
  /** Extra environment for the process. */
  env?: Record<string, string>;
  /** How long to wait for readyUrl. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Starts a server process (registered with the shared exit hook) and waits until its ready URL answers
 * 200; stops it (SIGTERM, then SIGKILL) and throws with its output if it exits or never gets ready.
 */
export async function startServer(
  name: string,
  bin: string,
  args: string[],
  url: string,
  cwd: string,
  opts: StartServerOptions = {},
): Promise<RunningServer> {
  await requireTool(bin);
  installExitHook();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const readyUrl = opts.readyUrl ?? `${url}/-/ready`;
  const child = spawn(bin, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
  });
  live.add(child);
  let output = '';
  const append = (c: string) => {
    output = (output + c).slice(-256 * 1024);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    });
  });
  child.on('error', (err) => {
    spawnError = err;
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited || spawnError) return;
      child.kill('SIGTERM');
      if (await settlesWithin(closed, 15_000)) return;
      child.kill('SIGKILL');
      await settlesWithin(closed, 5_000);
    })();
    return stopping;
  };

  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (spawnError) throw new Error(`could not start ${bin}: ${spawnError.message}`);
    if (exited) {
      throw new Error(`${name} exited early (code ${exited.code}, signal ${exited.signal}):\n${output}`);
    }
    try {
      const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200) break;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} at ${url} not ready within ${timeoutMs} ms (last: ${last}):\n${output}`);
    }
    await sleep(100);
  }
  return { pid: child.pid!, url, logs: () => output, stop };
}

async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  const result = await Promise.race([
    p.then(() => true),
    sleep(ms, false, { signal: ac.signal }).catch(() => false),
  ]);
  ac.abort();
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Prometheus.

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromRangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

export interface RunningPrometheus extends RunningServer {
  /** Instant query; throws on an API error. */
  query(expr: string): Promise<PromSample[]>;
  /** Range query over [start, end] (seconds since the epoch) with a step in seconds. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<PromRangeSeries[]>;
  /** Active alerts (pending and firing), from /api/v1/alerts. */
  alerts(): Promise<PromAlert[]>;
  /** Scrape targets and their health, from /api/v1/targets. */
  targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>>;
  /**
   * Runs the instant query `expr` every 250 ms until `ready` holds for its samples (default: any sample);
   * returns them, or throws naming `what` after `timeoutMs` (default 30 s).
   */
  waitForQuery(
    expr: string,
    what: string,
    ready?: (samples: PromSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromSample[]>;
}

async function promApi<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus API ${url}: ${body.error ?? res.status}`);
  return body.data;
}

/**
 * Starts Prometheus with a config file on a free loopback port, with its TSDB in a temporary directory.
 * `extraArgs` are added to the command line (e.g. `--web.enable-remote-write-receiver`).
 */
export async function startPrometheus(
  configPath: string,
  extraArgs: string[] = [],
): Promise<RunningPrometheus> {
  const dir = await tempDirUntilExit('grpo-prometheus-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(
    'prometheus',
    PROMETHEUS_BIN,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...extraArgs,
    ],
    url,
    dir,
  );
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const query = async (expr: string) =>
    (await promApi<{ result: PromSample[] }>(`${url}/api/v1/query?${q({ query: expr })}`)).result;
  return {
    ...server,
    query,
    waitForQuery: (expr, what, ready = (r) => r.length > 0, timeoutMs = 30_000) =>
      waitFor(
        async () => {
          const r = await query(expr);
          return ready(r) ? r : undefined;
        },
        timeoutMs,
        what,
        250,
      ),
    queryRange: async (expr, start, end, step) =>
      (
        await promApi<{ result: PromRangeSeries[] }>(
          `${url}/api/v1/query_range?${q({ query: expr, start: String(start), end: String(end), step: String(step) })}`,
        )
      ).result,
    alerts: async () => (await promApi<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts,
    targets: async () =>
      (
        await promApi<{ activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> }>(
          `${url}/api/v1/targets`,
        )
      ).activeTargets,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Alertmanager.

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
  receivers: Array<{ name: string }>;
}

export interface RunningAlertmanager extends RunningServer {
  /** Alerts Alertmanager holds (GET /api/v2/alerts). */
  alerts(): Promise<AmAlert[]>;
}

/**
 * Starts Alertmanager with a config file on a free loopback port; clustering is disabled
 * (`--cluster.listen-address=`), so it opens no other port and talks to no peer.
 */
export async function startAlertmanager(configPath: string): Promise<RunningAlertmanager> {
  const dir = await tempDirUntilExit('grpo-alertmanager-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(
    'alertmanager',
    ALERTMANAGER_BIN,
    [
      `--config.file=${configPath}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    url,
    dir,
  );
  return {
    ...server,
    alerts: async () => {
      const res = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts: HTTP ${res.status}`);
      return (await res.json()) as AmAlert[];
    },
  };
}

interface AmRoute {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: AmRoute[];
  [key: string]: unknown;
}

interface AmConfig {
  route: AmRoute;
  receivers: Array<{ name: string; webhook_configs?: Array<{ url: string; [key: string]: unknown }> }>;
  [key: string]: unknown;
}

/**
 * The committed Alertmanager config with every webhook pointed at `${webhookBase}/<receiver name>` and
 * the grouping delays shortened to `delay`, written into `dir`. Routing, grouping labels and inhibition
 * stay as committed, so the test exercises them.
 */
export async function writeTestAlertmanagerConfig(
  dir: string,
  webhookBase: string,
  delay = '1s',
): Promise<string> {
  const config = parse(await readFile(alertmanagerConfigPath, 'utf8')) as AmConfig;
  const shorten = (r: AmRoute) => {
    if (r.group_wait !== undefined || r === config.route) r.group_wait = delay;
    if (r.group_interval !== undefined || r === config.route) r.group_interval = delay;
    for (const child of r.routes ?? []) shorten(child);
  };
  shorten(config.route);
  for (const receiver of config.receivers) {
    for (const hook of receiver.webhook_configs ?? []) hook.url = `${webhookBase}/${receiver.name}`;
  }
  const path = join(dir, 'alertmanager.yml');
  await writeFile(path, stringify(config));
  return path;
}

// ---------------------------------------------------------------------------------------------------------
// A webhook receiver: counts and keeps what Alertmanager POSTs.

export interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface WebhookPost {
  path: string;
  receiver: string;
  status: string;
  alerts: WebhookAlert[];
}

export interface WebhookReceiver {
  url: string;
  posts: WebhookPost[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: WebhookPost[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<WebhookPost, 'path'>;
          posts.push({
            path: req.url ?? '',
            receiver: body.receiver,
            status: body.status,
            alerts: body.alerts,
          });
        } catch {
          posts.push({ path: req.url ?? '', receiver: '', status: 'unparsable', alerts: [] });
        }
      }
      res.writeHead(200).end();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const a = server.address();
      if (a && typeof a === 'object') resolve(a.port);
      else reject(new Error('no port'));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The collector with collector-config/local.yaml.

export const localCollectorConfig: string = join(repoRoot, 'collector-config', 'local.yaml');

export interface LocalCollector {
  collector: RunningCollector;
  /** host:port of the prometheus exporter (what Prometheus scrapes). */
  prometheusExporter: string;
  /** host:port of the collector's own metrics. */
  telemetry: string;
  /** The file standing in for Loki. */
  logsPath: string;
  /** The file standing in for Tempo. */
  tracesPath: string;
}

export interface StartLocalCollectorOptions {
  /**
   * Port of a Jaeger's OTLP/gRPC receiver on 127.0.0.1 (jaeger.ts): spans go there as well
   * as to the file. Without it, spans go to the file only.
   */
  jaegerOtlpGrpcPort?: number;
  /** Overlays merged after local.yaml, e.g. collector-config/local-sink.yaml (absolute or repo-relative). */
  overlays?: string[];
  /** Extra environment for the collector (e.g. GRPO_SINK_ENDPOINT for the sink overlay). */
  env?: Record<string, string>;
}

export async function startLocalCollector(opts: StartLocalCollectorOptions = {}): Promise<LocalCollector> {
  const dir = await tempDirUntilExit('grpo-local-collector-');
  const exporterPort = await freePort();
  const grpcPort = await freePort();
  const logsPath = join(dir, 'logs.jsonl');
  const tracesPath = join(dir, 'traces.jsonl');
  const collector = await startCollector({
    config: [localCollectorConfig, ...(opts.overlays ?? [])],
    env: {
      ...opts.env,
      GRPO_PROMETHEUS_EXPORTER_PORT: String(exporterPort),
      GRPO_OTLP_GRPC_PORT: String(grpcPort),
      GRPO_LOGS_EXPORT_PATH: logsPath,
      GRPO_TRACES_EXPORT_PATH: tracesPath,
      ...(opts.jaegerOtlpGrpcPort !== undefined
        ? {
            GRPO_JAEGER_OTLP_GRPC_PORT: String(opts.jaegerOtlpGrpcPort),
            GRPO_TRACES_EXPORTERS: '[file/traces, otlp_grpc/jaeger]',
          }
        : {
            // The Jaeger exporter stays defined (the config needs its port) but out of the pipeline.
            GRPO_JAEGER_OTLP_GRPC_PORT: String(grpcPort),
            GRPO_TRACES_EXPORTERS: '[file/traces]',
          }),
    },
  });
  const telemetry = new URL(collector.metricsEndpoint).host;
  return { collector, prometheusExporter: `127.0.0.1:${exporterPort}`, telemetry, logsPath, tracesPath };
}
