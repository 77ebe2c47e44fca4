import { relative } from 'node:path';
import {
  CHANNELS,
  ConfigError,
  channelRoutes,
  type HandlerConfig,
  IMPLICIT_OTLP_HANDLER,
  loadConfigFile,
  type ResolvedConfig,
  redactUrl,
} from '@grpo-otel/sdk';

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

function describeHandler(h: HandlerConfig | undefined, config: ResolvedConfig, cwd: string): string {
  const rel = (p: string) => {
    const r = relative(cwd, p);
    return r.startsWith('..') ? p : r;
  };
  if (!h)
    return `OTLP ${config.otlp.protocol} -> ${redactUrl(config.otlp.endpoint)} (every channel, from OTEL_EXPORTER_OTLP_ENDPOINT)`;
  const lvl = h.level === 'NOTSET' ? '' : `, ${h.level}+`;
  const fmt = h.formatter ? `, format '${h.formatter}'` : '';
  switch (h.type) {
    case 'console':
      return `console ${h.stream}${lvl}${fmt}`;
    case 'file': {
      const rot =
        h.maxBytes > 0 && h.backupCount > 0
          ? ` (rotates at ${size(h.maxBytes)}, keeps ${h.backupCount})`
          : '';
      return `rotating file ${rel(h.filename)}${rot}${lvl}${fmt}`;
    }
    case 'csv':
      return `csv ${rel(h.filename)}, columns ${h.columns.join(', ')}${lvl}`;
    case 'tensorboard':
      return `tensorboard ${rel(h.logDir)}${lvl}`;
    case 'otlp':
      return `OTLP ${h.protocol} -> ${redactUrl(h.endpoint)}${lvl}`;
    case 'traces':
      return `trace file ${rel(h.filename)} (every span, OTLP/JSON lines)`;
    case 'null':
      return 'discards records';
  }
}

/**
 * `grpo-otel validate-config <file>`: exit 0 with a summary of where each channel goes (relative paths
 * resolved against the working directory, as a trainer started here would), 1 with the error.
 */
export function validateConfig(args: string[], io: CommandIO): number {
  const file = args[0];
  if (!file || args.length > 1) {
    io.err('usage: grpo-otel validate-config <config.yaml>');
    return 2;
  }
  let config: ResolvedConfig;
  try {
    // Relative paths resolve against the working directory, as when a trainer run from here loads it.
    config = loadConfigFile(file, { env: io.env, baseDir: io.cwd });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
  io.out(`${file}: valid`);
  io.out(`relative paths resolve against ${config.baseDir} (the working directory)`);
  const routes = channelRoutes(config, CHANNELS);
  const names = [...config.handlers.keys(), ...(config.otlp.logs ? [IMPLICIT_OTLP_HANDLER] : [])];
  io.out('');
  io.out('handlers:');
  const hw = Math.max(...names.map((n) => n.length));
  for (const n of names)
    io.out(`  ${n.padEnd(hw)}  ${describeHandler(config.handlers.get(n), config, io.cwd)}`);
  io.out('');
  io.out('channels:');
  const width = Math.max(...routes.map((r) => r.channel.length));
  for (const r of routes) {
    const configured = r.channel === 'root' || config.channels.has(r.channel);
    const note = configured ? '' : '   (not in the file: behaves as root)';
    io.out(
      `  ${r.channel.padEnd(width)}  ${r.effectiveLevel.padEnd(8)} -> ${r.handlers.join(', ') || '(nothing)'}${note}`,
    );
    const ch = config.channels.get(r.channel);
    if (ch?.rateLimit)
      io.out(
        `  ${''.padEnd(width)}  rate limit ${ch.rateLimit.recordsPerSecond}/s (burst ${ch.rateLimit.burst})`,
      );
    if (ch?.sample !== undefined) io.out(`  ${''.padEnd(width)}  sampled: keeps ${ch.sample}`);
  }
  const unused = [...config.handlers.keys()].filter((h) => !routes.some((r) => r.handlers.includes(h)));
  if (unused.length) io.out(`  unused handlers: ${unused.join(', ')}`);
  io.out('');
  const o = config.otlp;
  io.out(
    o.enabled
      ? `otlp: ${o.protocol} -> ${redactUrl(o.endpoint)} (metrics ${o.metrics ? 'on' : 'off'}, traces ${o.traces ? 'on' : 'off'}, logs ${o.logs ? 'all channels' : 'otlp handlers only'})`
      : 'otlp: off (set OTEL_EXPORTER_OTLP_ENDPOINT or otlp.enabled to send to a collector)',
  );
  const m = config.metrics;
  const on = Object.entries(m.enable)
    .filter(([, v]) => v)
    .map(([k]) => k.replace(/Metrics$/, ''));
  io.out(
    `metrics: every ${m.loggingFrequency} steps; validation every ${m.validationFrequency} steps (max ${m.validation.maxSamples} samples, ${m.validation.timeoutPerSampleMs / 1000}s each); sampling ${m.samplingRatio}; enabled: ${on.join(', ') || 'none'}`,
  );
  return 0;
}
