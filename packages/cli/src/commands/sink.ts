import { resolve } from 'node:path';
import { ConfigError, loadConfigFile, type MetricsConfig, parseConfig } from '@grpo-otel/sdk';
import { analysisSettings, OtlpSink, type OtlpSinkOptions } from '@grpo-otel/sink';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { CommandIO } from './validateConfig.js';

export const SINK_USAGE = `usage: grpo-otel sink [options]

An OTLP/HTTP receiver for the collector's otlp_http exporter (POST /v1/logs, /v1/metrics, /v1/traces;
protobuf or JSON; gzip). Per run (resource grpo.run.id, else service.name + service.instance.id) it
writes TensorBoard event files at the step the data carries (<out>/tensorboard/<run>), the model-outputs
CSV (<out>/<run>/model_outputs.csv), a log file per channel (<out>/<run>/logs/<channel>.log) and the
spans, one OTLP/JSON line each (<out>/<run>/traces.jsonl), and runs the SDK's analyses on
grpo.step.batch records. Runs until SIGTERM or SIGINT, then flushes everything.

options:
  --out DIR              output folder (default ./grpo-sink)
  --host HOST            listen address (default 127.0.0.1: loopback only)
  --port N               listen port (default 4319; 0 picks a free one)
  --token TOKEN          require 'Authorization: Bearer TOKEN' (default: $GRPO_SINK_TOKEN, else none)
  --tls-cert FILE        serve HTTPS with this PEM certificate ...
  --tls-key FILE         ... and this PEM key
  --tls-client-ca FILE   require client certificates signed by this CA (mutual TLS)
  --otlp-endpoint URL    send the analyses' metrics and signals back to this collector (OTLP/HTTP base URL)
  --otlp-token TOKEN     bearer token for --otlp-endpoint
  --config FILE          a grpo-otel config: its metrics section sets the analyses (windows, plateau, collapse)
  --no-analysis          do not analyse grpo.step.batch records
  --split-by-rank        one TensorBoard run per rank (<run>/rank-<n>) instead of one per run
  --max-request-bytes N  largest request body, before and after gunzip (default 20971520)
  -h, --help             this text`;

export interface SinkCommandOptions {
  /** Resolves when the sink should stop (default: SIGTERM or SIGINT). */
  stop?: Promise<unknown>;
  /** Called with the listening sink (tests). */
  onListening?: (sink: OtlpSink) => void;
}

/**
 * `grpo-otel sink`: runs an {@link OtlpSink} until SIGTERM/SIGINT (or `options.stop`), then shuts
 * it down (every run flushed and closed) and prints its counters. Exit code 0, 2 on usage errors and
 * a config that does not load, 1 when it cannot listen.
 */
export async function sink(args: string[], io: CommandIO, options: SinkCommandOptions = {}): Promise<number> {
  const o: Record<string, string> = {};
  const flags = new Set<string>();
  const valued = new Set([
    '--out',
    '--host',
    '--port',
    '--token',
    '--tls-cert',
    '--tls-key',
    '--tls-client-ca',
    '--otlp-endpoint',
    '--otlp-token',
    '--config',
    '--max-request-bytes',
  ]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') {
      io.out(SINK_USAGE);
      return 0;
    }
    if (a === '--no-analysis' || a === '--split-by-rank') flags.add(a);
    else if (valued.has(a)) {
      const v = args[++i];
      if (v === undefined || v === '') {
        io.err(`grpo-otel sink: ${a} needs a value\n\n${SINK_USAGE}`);
        return 2;
      }
      o[a] = v;
    } else {
      io.err(`grpo-otel sink: unexpected argument '${a}'\n\n${SINK_USAGE}`);
      return 2;
    }
  }
  const int = (name: string): number | undefined => {
    if (o[name] === undefined) return undefined;
    const n = Number(o[name]);
    return Number.isSafeInteger(n) && n >= 0 ? n : Number.NaN;
  };
  const port = int('--port');
  const maxRequestBytes = int('--max-request-bytes');
  for (const [name, v] of [
    ['--port', port],
    ['--max-request-bytes', maxRequestBytes],
  ] as const) {
    if (Number.isNaN(v)) {
      io.err(`grpo-otel sink: ${name} must be a non-negative integer, got '${o[name]}'`);
      return 2;
    }
  }
  if ((o['--tls-cert'] === undefined) !== (o['--tls-key'] === undefined)) {
    io.err('grpo-otel sink: --tls-cert and --tls-key go together');
    return 2;
  }
  let metrics: MetricsConfig;
  try {
    metrics = o['--config']
      ? loadConfigFile(resolve(io.cwd, o['--config']), { env: io.env, baseDir: io.cwd }).metrics
      : parseConfig('version: 1\n', { source: '(defaults)', baseDir: io.cwd, env: io.env }).metrics;
  } catch (err) {
    io.err(`grpo-otel sink: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    return 2;
  }
  const token = o['--token'] ?? (io.env.GRPO_SINK_TOKEN || undefined);
  const outDir = resolve(io.cwd, o['--out'] ?? 'grpo-sink');
  const sinkOptions: OtlpSinkOptions = {
    outDir,
    analysis: flags.has('--no-analysis') ? false : analysisSettings(metrics),
    splitByRank: flags.has('--split-by-rank'),
    ...(o['--host'] ? { host: o['--host'] } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(token ? { token } : {}),
    ...(maxRequestBytes !== undefined ? { maxRequestBytes } : {}),
    ...(o['--tls-cert'] && o['--tls-key']
      ? {
          tls: {
            certFile: resolve(io.cwd, o['--tls-cert']),
            keyFile: resolve(io.cwd, o['--tls-key']),
            ...(o['--tls-client-ca'] ? { clientCaFile: resolve(io.cwd, o['--tls-client-ca']) } : {}),
          },
        }
      : {}),
    ...(o['--otlp-endpoint'] ? { otlpEndpoint: o['--otlp-endpoint'] } : {}),
    ...(o['--otlp-token'] ? { otlpHeaders: { authorization: `Bearer ${o['--otlp-token']}` } } : {}),
  };
  diag.setLogger(stderrDiag(io), DiagLogLevel.WARN);
  let server: OtlpSink;
  let url: string;
  try {
    server = new OtlpSink(sinkOptions);
    url = await server.listen();
  } catch (err) {
    io.err(`grpo-otel sink: cannot start: ${(err as Error).message}`);
    return 1;
  }
  io.out(`grpo-otel sink: listening on ${url}, writing to ${outDir}`);
  options.onListening?.(server);
  await (options.stop ?? untilSignal());
  await server.shutdown();
  io.out(`grpo-otel sink: stopped; ${JSON.stringify(server.stats.snapshot())}`);
  return 0;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolveSignal(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

function stderrDiag(io: CommandIO): DiagLogger {
  const line =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      io.err(
        `grpo-otel sink: ${level}: ${[message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' ')}`,
      );
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    verbose: line('verbose'),
  };
}
