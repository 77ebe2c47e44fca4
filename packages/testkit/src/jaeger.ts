// Test harness for the real Jaeger v2 (scripts/install-jaeger.sh builds it once, cached outside the
// repo) with deploy/jaeger/jaeger.yaml: OTLP/gRPC in, in-memory storage, the query API out. Every port
// is a free one on 127.0.0.1; the process is stopped by its PID and registered with the shared exit hook.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { freePort } from './ports.js';
import { type RunningServer, startServer } from './prometheus.js';
import { repoRoot } from './repoRoot.js';
import { tempDirUntilExit } from './tempDir.js';

/** The committed Jaeger config. */
export const jaegerConfigPath: string = join(repoRoot, 'deploy', 'jaeger', 'jaeger.yaml');

let binaryPromise: Promise<string> | undefined;

/**
 * Path of the jaeger binary: $GRPO_JAEGER_BIN if set, else the result of scripts/install-jaeger.sh (run
 * once per process; the script caches the build across runs).
 */
export function jaegerBinary(): Promise<string> {
  binaryPromise ??= resolveBinary();
  return binaryPromise;
}

async function resolveBinary(): Promise<string> {
  const fromEnv = process.env.GRPO_JAEGER_BIN;
  if (fromEnv) {
    const bin = resolve(fromEnv);
    try {
      await access(bin, fsConstants.X_OK);
    } catch {
      throw new Error(`GRPO_JAEGER_BIN=${fromEnv} is not an executable file`);
    }
    return bin;
  }
  const script = join(repoRoot, 'scripts', 'install-jaeger.sh');
  return new Promise<string>((resolvePath, reject) => {
    const child = spawn('bash', [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-64 * 1024);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').pop()?.trim() ?? '';
      if (code === 0 && isAbsolute(last)) resolvePath(last);
      else
        reject(
          new Error(
            `scripts/install-jaeger.sh failed (code ${code}, signal ${signal}); stderr (tail):\n${stderr.slice(-8000)}`,
          ),
        );
    });
  });
}

/** A span as Jaeger's query API (/api/traces) returns it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; traceID: string; spanID: string }>;
  startTime: number;
  duration: number;
  tags: Array<{ key: string; type: string; value: unknown }>;
  logs?: Array<{ timestamp: number; fields: Array<{ key: string; type: string; value: unknown }> }>;
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<
    string,
    { serviceName: string; tags: Array<{ key: string; type: string; value: unknown }> }
  >;
}

export interface FindTracesQuery {
  service: string;
  operation?: string;
  /** Span tags that must match, e.g. { 'grpo.run.id': 'abc' } (Jaeger's `tags` filter, JSON). */
  tags?: Record<string, string>;
  /** Default 1000. (The time range is Jaeger's default: the last two days.) */
  limit?: number;
}

export interface RunningJaeger extends RunningServer {
  /** Port of the OTLP/gRPC receiver on 127.0.0.1 (for the collector's otlp_grpc/jaeger exporter). */
  otlpGrpcPort: number;
  /** Base URL of the query API, e.g. http://127.0.0.1:16686 */
  queryUrl: string;
  /** Service names Jaeger has spans of (GET /api/services). */
  services(): Promise<string[]>;
  /** Operation (span) names of a service (GET /api/services/{service}/operations). */
  operations(service: string): Promise<string[]>;
  /** Traces matching the query (GET /api/traces). */
  findTraces(query: FindTracesQuery): Promise<JaegerTrace[]>;
}

async function queryApi<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`Jaeger query API ${url}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { data: T | null; errors?: Array<{ msg: string }> | null };
  if (body.errors?.length)
    throw new Error(`Jaeger query API ${url}: ${body.errors.map((e) => e.msg).join('; ')}`);
  return (body.data ?? []) as T;
}

/** Starts Jaeger v2 with deploy/jaeger/jaeger.yaml on free loopback ports and waits for its health check. */
export async function startJaeger(): Promise<RunningJaeger> {
  const bin = await jaegerBinary();
  const dir = await tempDirUntilExit('grpo-jaeger-');
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  const [otlpGrpcPort, queryHttp, queryGrpc, health] = [...ports] as [number, number, number, number];
  const queryUrl = `http://127.0.0.1:${queryHttp}`;
  const server = await startServer('jaeger', bin, ['--config', jaegerConfigPath], queryUrl, dir, {
    readyUrl: `http://127.0.0.1:${health}/status`,
    env: {
      GRPO_JAEGER_HOST: '127.0.0.1',
      GRPO_JAEGER_OTLP_GRPC_PORT: String(otlpGrpcPort),
      GRPO_JAEGER_QUERY_HTTP_PORT: String(queryHttp),
      GRPO_JAEGER_QUERY_GRPC_PORT: String(queryGrpc),
      GRPO_JAEGER_HEALTH_PORT: String(health),
    },
  });
  return {
    ...server,
    otlpGrpcPort,
    queryUrl,
    services: () => queryApi<string[]>(`${queryUrl}/api/services`),
    operations: (service) =>
      queryApi<string[]>(`${queryUrl}/api/services/${encodeURIComponent(service)}/operations`),
    findTraces: (q) => {
      const params = new URLSearchParams({
        service: q.service,
        limit: String(q.limit ?? 1000),
      });
      if (q.operation !== undefined) params.set('operation', q.operation);
      if (q.tags !== undefined) params.set('tags', JSON.stringify(q.tags));
      return queryApi<JaegerTrace[]>(`${queryUrl}/api/traces?${params}`);
    },
  };
}

/** A span tag's value, or undefined. */
export function spanTag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}
