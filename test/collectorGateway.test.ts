// collector-config/gateway.yaml and local.yaml with the real otelcol-grpo binary: both validate with
// every variable set, the gateway binds to loopback unless told otherwise, every network exporter has a
// persistent queue, the Prometheus labels are the semconv resource attributes, and a log record accepted
// while "Loki" is down (and across a collector restart) reaches it once it is up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ATTR_SERVICE_INSTANCE_ID, METRICS, prometheusName, RESOURCE_ATTRIBUTES } from '@grpo-otel/semconv';
import { collectorBinary, startCollector } from '@grpo-otel/testkit/collector';
import { freePort } from '@grpo-otel/testkit/ports';
import { localCollectorConfig, startPrometheus } from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { parse } from 'yaml';

const gatewayConfig = join(repoRoot, 'collector-config', 'gateway.yaml');

/** Every variable gateway.yaml reads, pointing at loopback ports. */
async function gatewayEnv(dir: string): Promise<Record<string, string>> {
  const p = async () => String(await freePort());
  return {
    GRPO_OTLP_GRPC_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_OTLP_HTTP_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_PROMETHEUS_EXPORTER_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_HEALTH_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_COLLECTOR_METRICS_HOST: '127.0.0.1',
    GRPO_COLLECTOR_METRICS_PORT: await p(),
    GRPO_COLLECTOR_STORAGE_DIR: join(dir, 'storage'),
    GRPO_MEMORY_LIMIT_MIB: '512',
    GRPO_MEMORY_SPIKE_LIMIT_MIB: '128',
    GRPO_BACKEND_TLS_INSECURE: 'true',
    GRPO_METRICS_EXPORTERS: '[prometheus]',
    GRPO_TRACES_EXPORTERS: '[otlp_grpc/tempo, otlp_grpc/jaeger]',
    LOKI_OTLP_ENDPOINT: `http://127.0.0.1:${await p()}/otlp`,
    TEMPO_OTLP_ENDPOINT: `127.0.0.1:${await p()}`,
    JAEGER_OTLP_ENDPOINT: `127.0.0.1:${await p()}`,
    PROMETHEUS_REMOTE_WRITE_ENDPOINT: `http://127.0.0.1:${await p()}/api/v1/write`,
  };
}

async function validate(
  config: string | string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const bin = await collectorBinary();
  // Only the variables given: an unset one must not leak in from the test's own environment.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GRPO_|LOKI_|TEMPO_|JAEGER_|PROMETHEUS_)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const args = ['validate', ...[config].flat().flatMap((c) => ['--config', c])];
    const child = spawn(bin, args, { env: { ...base, ...env }, stdio: 'pipe' });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

interface ExporterConfig {
  endpoint?: string;
  http?: { endpoint?: string };
  sending_queue?: { enabled?: boolean; storage?: string };
  remote_write_queue?: { enabled?: boolean };
  wal?: unknown;
  resource_constant_labels?: { included?: string[] };
}

interface CollectorConfig {
  receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  exporters: Record<string, ExporterConfig>;
  extensions: Record<string, unknown>;
  service: { extensions: string[]; pipelines: Record<string, { processors: string[]; exporters: unknown }> };
}

async function load(path: string): Promise<CollectorConfig> {
  return parse(await readFile(path, 'utf8')) as CollectorConfig;
}

/** The resource attributes that become Prometheus labels: semconv's, except the one that is `instance`. */
const LABEL_ATTRIBUTES = RESOURCE_ATTRIBUTES.map((a) => a.key)
  .filter((k) => k !== ATTR_SERVICE_INSTANCE_ID)
  .sort();

describe('collector-config/gateway.yaml', { timeout: 15 * 60_000 }, () => {
  test('otelcol-grpo validate accepts it with every variable set, for each exporter choice', async () => {
    const env = await gatewayEnv(await tempDirUntilExit('grpo-gw-validate-'));
    const choices: Array<Record<string, string>> = [
      {},
      { GRPO_METRICS_EXPORTERS: '[prometheus_remote_write]' },
      { GRPO_TRACES_EXPORTERS: '[otlp_grpc/tempo]' },
    ];
    for (const choice of choices) {
      const r = await validate(gatewayConfig, { ...env, ...choice });
      assert.equal(r.code, 0, `${JSON.stringify(choice)}: ${r.out}`);
    }
  });

  test('a missing backend address is an error naming the exporter', async () => {
    const env = await gatewayEnv(await tempDirUntilExit('grpo-gw-validate-'));
    delete env.LOKI_OTLP_ENDPOINT;
    const r = await validate(gatewayConfig, env);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /otlp_http\/loki/);
  });

  test('receivers, health check and exporter endpoints default to loopback', async () => {
    // Without comments: the header tells container users to set 0.0.0.0 through the environment.
    const text = (await readFile(gatewayConfig, 'utf8')).replace(/#.*$/gm, '');
    const cfg = await load(gatewayConfig);
    for (const [name, proto] of Object.entries(cfg.receivers.otlp.protocols)) {
      assert.match(proto.endpoint, /^\$\{env:GRPO_OTLP_\w+_ENDPOINT:-127\.0\.0\.1:\d+\}$/, name);
    }
    for (const m of text.matchAll(/\$\{env:(\w+):-([^}]*)\}/g)) {
      const def = m[2] ?? '';
      if (/^\d+\.\d+\.\d+\.\d+:/.test(def)) assert.match(def, /^127\.0\.0\.1:/, `${m[1]} default ${def}`);
    }
    assert.doesNotMatch(text, /0\.0\.0\.0/);
  });

  test('every OTLP exporter has a persistent queue (file_storage); remote write a queue without its WAL', async () => {
    const cfg = await load(gatewayConfig);
    const storage = Object.keys(cfg.extensions).filter((e) => e.startsWith('file_storage'));
    assert.ok(storage.length > 0);
    for (const s of storage) assert.ok(cfg.service.extensions.includes(s), `${s} not enabled in service`);
    for (const [name, exp] of Object.entries(cfg.exporters)) {
      if (name.startsWith('otlp_http') || name.startsWith('otlp_grpc')) {
        assert.equal(exp.sending_queue?.enabled, true, name);
        assert.ok(exp.sending_queue?.storage && storage.includes(exp.sending_queue.storage), name);
      } else if (name === 'prometheus_remote_write') {
        // Its WAL is broken upstream (entries never sent, or out of order): retries from memory instead.
        assert.equal(exp.remote_write_queue?.enabled, true);
        assert.equal(exp.wal, undefined);
      }
    }
    for (const pipeline of Object.values(cfg.service.pipelines)) {
      assert.equal(pipeline.processors[0], 'memory_limiter');
      assert.ok(pipeline.processors.includes('batch'));
    }
    assert.ok(cfg.exporters['otlp_http/loki']?.endpoint?.includes('LOKI_OTLP_ENDPOINT'));
    assert.ok(cfg.exporters['otlp_grpc/tempo']);
    assert.ok(cfg.exporters['otlp_grpc/jaeger']);
  });

  test('Prometheus labels are exactly the semconv resource attributes (gateway and local)', async () => {
    for (const path of [gatewayConfig, localCollectorConfig]) {
      const cfg = await load(path);
      for (const name of ['prometheus', 'prometheus_remote_write']) {
        const exp = cfg.exporters[name];
        if (!exp) continue;
        assert.deepEqual(
          [...(exp.resource_constant_labels?.included ?? [])].sort(),
          LABEL_ATTRIBUTES,
          `${path} ${name}`,
        );
      }
    }
  });

  test('a log record accepted while Loki is down, kept across a collector restart, reaches Loki', async () => {
    const dir = await tempDirUntilExit('grpo-gw-queue-');
    const env = await gatewayEnv(dir);
    env.GRPO_TRACES_EXPORTERS = '[otlp_grpc/tempo]';
    const lokiPort = Number(new URL(env.LOKI_OTLP_ENDPOINT!).port);
    const health = env.GRPO_HEALTH_ENDPOINT!.split(':')[1]!;
    const http = env.GRPO_OTLP_HTTP_ENDPOINT!.split(':')[1]!;
    const opts = {
      config: gatewayConfig,
      env: { ...env, GRPO_HEALTH_PORT: health, GRPO_OTLP_HTTP_PORT: http },
    };
    const marker = `queued-while-loki-down-${Date.now()}`;
    let gateway = await startCollector(opts);
    try {
      const res = await fetch(`${gateway.otlpHttpEndpoint}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceLogs: [
            {
              resource: { attributes: [{ key: 'grpo.run.id', value: { stringValue: 'queue-test' } }] },
              scopeLogs: [{ scope: { name: 'training' }, logRecords: [{ body: { stringValue: marker } }] }],
            },
          ],
        }),
      });
      assert.equal(res.status, 200, await res.text());
      // Let the batch reach the queue and fail its first attempts against the closed port.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      await gateway.stop();
    }

    // "Loki" comes up (OTLP/HTTP: POST <endpoint>/v1/logs, protobuf, maybe gzip); then the collector.
    const bodies: string[] = [];
    const loki = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let buf = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
        if (req.method === 'POST' && req.url === '/otlp/v1/logs') bodies.push(buf.toString('latin1'));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => loki.listen({ host: '127.0.0.1', port: lokiPort }, r));
    gateway = await startCollector(opts);
    try {
      await waitFor(
        async () => (bodies.some((b) => b.includes(marker)) ? true : undefined),
        30_000,
        'the queued log record at the Loki stand-in',
      );
    } finally {
      await gateway.stop();
      loki.closeAllConnections();
      await new Promise((r) => loki.close(r));
    }
  });
});

describe('collector-config/gateway.yaml, remote write instead of scraping', { timeout: 15 * 60_000 }, () => {
  test('GRPO_METRICS_EXPORTERS=[prometheus_remote_write] pushes the series, with the same labels, into Prometheus', async () => {
    const dir = await tempDirUntilExit('grpo-gw-rw-');
    const promConfig = join(dir, 'prometheus.yml');
    await writeFile(promConfig, 'global:\n  evaluation_interval: 1s\n');
    const prom = await startPrometheus(promConfig, ['--web.enable-remote-write-receiver']);
    const env = await gatewayEnv(dir);
    env.GRPO_METRICS_EXPORTERS = '[prometheus_remote_write]';
    env.GRPO_TRACES_EXPORTERS = '[otlp_grpc/tempo]';
    env.PROMETHEUS_REMOTE_WRITE_ENDPOINT = `${prom.url}/api/v1/write`;
    const gateway = await startCollector({
      config: gatewayConfig,
      env: {
        ...env,
        GRPO_HEALTH_PORT: env.GRPO_HEALTH_ENDPOINT!.split(':')[1]!,
        GRPO_OTLP_HTTP_PORT: env.GRPO_OTLP_HTTP_ENDPOINT!.split(':')[1]!,
      },
    });
    try {
      const attrs = (o: Record<string, string>) =>
        Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
      const res = await fetch(`${gateway.otlpHttpEndpoint}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceMetrics: [
            {
              resource: {
                attributes: attrs({
                  'service.name': 'grpo-rw',
                  'grpo.run.id': 'rw-run',
                  'process.command': 'node',
                }),
              },
              scopeMetrics: [
                {
                  scope: { name: '@grpo-otel/sdk' },
                  metrics: [
                    {
                      name: METRICS.trainingCurrentStep.name,
                      unit: METRICS.trainingCurrentStep.unit,
                      gauge: {
                        dataPoints: [{ asInt: '7', timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }],
                      },
                    },
                  ],
                },
              ],
            },
          ],
        }),
      });
      assert.equal(res.status, 200, await res.text());
      const sample = await waitFor(
        async () =>
          (await prom.query(`${prometheusName(METRICS.trainingCurrentStep)}{grpo_run_id="rw-run"}`))[0],
        30_000,
        'the remote-written series in Prometheus',
        250,
      );
      assert.equal(sample.value[1], '7');
      assert.equal(sample.metric.job, 'grpo-rw');
      assert.equal(sample.metric.service_name, 'grpo-rw');
      assert.equal(sample.metric.process_command, undefined, 'process.* stays on target_info');
    } finally {
      await gateway.stop();
      await prom.stop();
    }
  });
});

describe('collector-config/local.yaml', { timeout: 15 * 60_000 }, () => {
  test('otelcol-grpo validate accepts it with every variable set', async () => {
    const dir = await tempDirUntilExit('grpo-local-validate-');
    const p = async () => String(await freePort());
    const r = await validate(localCollectorConfig, {
      GRPO_OTLP_HTTP_PORT: await p(),
      GRPO_OTLP_GRPC_PORT: await p(),
      GRPO_PROMETHEUS_EXPORTER_PORT: await p(),
      GRPO_HEALTH_PORT: await p(),
      GRPO_COLLECTOR_METRICS_PORT: await p(),
      GRPO_LOGS_EXPORT_PATH: join(dir, 'logs.jsonl'),
      GRPO_TRACES_EXPORT_PATH: join(dir, 'traces.jsonl'),
      GRPO_JAEGER_OTLP_GRPC_PORT: await p(),
    });
    assert.equal(r.code, 0, r.out);
  });

  test('with the sink overlay (local-sink.yaml) too, and gateway.yaml with gateway-sink.yaml', async () => {
    const dir = await tempDirUntilExit('grpo-sink-validate-');
    const p = async () => String(await freePort());
    const sink = { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${await p()}` };
    const local = await validate(
      [localCollectorConfig, join(repoRoot, 'collector-config', 'local-sink.yaml')],
      {
        GRPO_OTLP_HTTP_PORT: await p(),
        GRPO_OTLP_GRPC_PORT: await p(),
        GRPO_PROMETHEUS_EXPORTER_PORT: await p(),
        GRPO_HEALTH_PORT: await p(),
        GRPO_COLLECTOR_METRICS_PORT: await p(),
        GRPO_LOGS_EXPORT_PATH: join(dir, 'logs.jsonl'),
        GRPO_TRACES_EXPORT_PATH: join(dir, 'traces.jsonl'),
        GRPO_JAEGER_OTLP_GRPC_PORT: await p(),
        ...sink,
      },
    );
    assert.equal(local.code, 0, local.out);
    const gateway = await validate([gatewayConfig, join(repoRoot, 'collector-config', 'gateway-sink.yaml')], {
      ...(await gatewayEnv(dir)),
      ...sink,
    });
    assert.equal(gateway.code, 0, gateway.out);
  });

  test('everything binds to 127.0.0.1', async () => {
    const text = await readFile(localCollectorConfig, 'utf8');
    for (const m of text.matchAll(/^\s*(endpoint|host):\s*(\S+)/gm)) {
      assert.match(m[2] ?? '', /^127\.0\.0\.1\b/, m[0]);
    }
  });
});
