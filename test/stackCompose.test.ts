// deploy/docker-compose.yml and the configs it mounts, checked statically (no Docker engine here, and
// Loki, Tempo and Grafana cannot be installed): every file it references exists, ports are published on
// loopback only, the services' addresses agree with each other (collector <-> Loki/Tempo/Prometheus,
// Prometheus <-> collector/Alertmanager, Grafana data sources <-> services), and the Loki, Tempo and
// Grafana configs parse with the keys they need.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { parse } from 'yaml';

const deployDir = join(repoRoot, 'deploy');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
}

interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

async function yamlFile<T>(path: string): Promise<T> {
  return parse(await readFile(path, 'utf8')) as T;
}

const compose = () => yamlFile<Compose>(join(deployDir, 'docker-compose.yml'));

/** The port of `host:port` or a URL. */
function portOf(address: string): number {
  const url = /^\w+:\/\//.test(address) ? new URL(address) : new URL(`tcp://${address}`);
  return Number(url.port);
}

function hostOf(address: string): string {
  return (/^\w+:\/\//.test(address) ? new URL(address) : new URL(`tcp://${address}`)).hostname;
}

/** The container path a host file or directory is mounted at, in a service. */
function mountTarget(service: ComposeService, source: string): string | undefined {
  for (const v of service.volumes ?? []) {
    const [src, dst] = v.split(':');
    if (src && dst && resolve(deployDir, src) === resolve(deployDir, source)) return dst;
  }
  return undefined;
}

describe('deploy/docker-compose.yml', () => {
  test('brings up the collector, the sink, Prometheus, Alertmanager, Loki, Tempo and Grafana', async () => {
    const c = await compose();
    for (const name of ['collector', 'sink', 'prometheus', 'alertmanager', 'loki', 'tempo', 'grafana']) {
      assert.ok(c.services[name], `service ${name}`);
    }
    for (const [name, s] of Object.entries(c.services)) {
      assert.ok(s.image || s.build, `${name} has an image or a build`);
      if (s.image) assert.match(s.image, /:[\w.-]+$/, `${name}: image tag pinned`);
      for (const dep of Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {})) {
        assert.ok(c.services[dep], `${name} depends on unknown service ${dep}`);
      }
    }
  });

  test('every file and directory it references exists', async () => {
    const c = await compose();
    for (const [name, s] of Object.entries(c.services)) {
      for (const v of s.volumes ?? []) {
        const [src] = v.split(':');
        assert.ok(src);
        if (!src.startsWith('.') && !src.startsWith('/')) {
          assert.ok(src in c.volumes, `${name}: named volume ${src} is declared`);
          continue;
        }
        assert.ok(existsSync(resolve(deployDir, src)), `${name}: ${src} does not exist`);
      }
      if (s.build) {
        const context = resolve(deployDir, s.build.context);
        assert.ok(existsSync(join(context, s.build.dockerfile)), `${name}: ${s.build.dockerfile}`);
        // Everything the Dockerfile COPYs from the context exists.
        const dockerfile = await readFile(join(context, s.build.dockerfile), 'utf8');
        for (const m of dockerfile.matchAll(/^COPY\s+(?!--from)(\S+)\s+/gm)) {
          assert.ok(existsSync(join(context, m[1]!)), `${name}: Dockerfile copies missing ${m[1]}`);
        }
      }
    }
  });

  test('published ports bind to 127.0.0.1 only', async () => {
    const c = await compose();
    for (const [name, s] of Object.entries(c.services)) {
      for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${p}`);
    }
  });

  test('the collector runs gateway.yaml with every variable it needs, pointing at compose services', async () => {
    const c = await compose();
    const col = c.services.collector!;
    const config = col.command?.find((a) => a.startsWith('--config='))?.slice('--config='.length);
    assert.ok(config);
    const gatewaySource = join(repoRoot, 'collector-config', 'gateway.yaml');
    assert.equal(mountTarget(col, '../collector-config/gateway.yaml'), config);
    const gateway = await readFile(gatewaySource, 'utf8');
    const env = col.environment ?? {};
    for (const m of gateway.replace(/#.*$/gm, '').matchAll(/\$\{env:(\w+)\}/g)) {
      assert.ok(env[m[1]!], `gateway.yaml needs ${m[1]} (no default), compose does not set it`);
    }
    for (const key of ['LOKI_OTLP_ENDPOINT', 'TEMPO_OTLP_ENDPOINT', 'PROMETHEUS_REMOTE_WRITE_ENDPOINT']) {
      assert.ok(c.services[hostOf(env[key]!)], `${key}=${env[key]} is not a compose service`);
    }
    const storage = env.GRPO_COLLECTOR_STORAGE_DIR;
    assert.ok(
      col.volumes?.some((v) => v.endsWith(`:${storage}`)),
      'the queue directory is a volume',
    );
    // Prometheus scrapes the exporter where the collector exposes it.
    const prom = await yamlFile<{
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    }>(join(deployDir, 'prometheus', 'prometheus.yml'));
    const target = prom.scrape_configs.find((s) => s.job_name === 'grpo')!.static_configs[0]!.targets[0]!;
    assert.equal(hostOf(target), 'collector');
    assert.equal(portOf(target), portOf(env.GRPO_PROMETHEUS_EXPORTER_ENDPOINT!));
    const self = prom.scrape_configs.find((s) => s.job_name === 'otelcol')!.static_configs[0]!.targets[0]!;
    assert.equal(portOf(self), Number(env.GRPO_COLLECTOR_METRICS_PORT));
    const am = prom.alerting.alertmanagers[0]!.static_configs[0]!.targets[0]!;
    assert.ok(c.services[hostOf(am)], am);
    // Prometheus mounts its config and the rules where prometheus.yml's rule_files point.
    const ps = c.services.prometheus!;
    assert.equal(mountTarget(ps, './prometheus/prometheus.yml'), '/etc/prometheus/prometheus.yml');
    assert.equal(mountTarget(ps, './prometheus/rules'), '/etc/prometheus/rules');
  });

  test('grpo-otel sink runs behind the collector (gateway-sink.yaml) and sends its analyses back to it', async () => {
    const c = await compose();
    const col = c.services.collector!;
    const configs = (col.command ?? []).filter((a) => a.startsWith('--config=')).map((a) => a.slice(9));
    // the overlay after the whole config, mounted where the command reads it
    assert.deepEqual(configs, [
      mountTarget(col, '../collector-config/gateway.yaml'),
      mountTarget(col, '../collector-config/gateway-sink.yaml'),
    ]);
    const overlay = await readFile(join(repoRoot, 'collector-config', 'gateway-sink.yaml'), 'utf8');
    const env = col.environment ?? {};
    const needed = [...overlay.replace(/#.*$/gm, '').matchAll(/\$\{env:(\w+)\}/g)].map((m) => m[1]!);
    assert.ok(needed.includes('GRPO_SINK_ENDPOINT'));
    for (const v of needed)
      assert.ok(env[v], `gateway-sink.yaml needs ${v} (no default), compose does not set it`);
    // The collector's sink exporter reaches the sink service on the port it listens on, ...
    const sink = c.services.sink!;
    const args = sink.command ?? [];
    const arg = (name: string) => args[args.indexOf(name) + 1];
    assert.equal(args[0], 'sink');
    assert.equal(hostOf(env.GRPO_SINK_ENDPOINT!), 'sink');
    assert.equal(portOf(env.GRPO_SINK_ENDPOINT!), Number(arg('--port')));
    assert.equal(arg('--host'), '0.0.0.0', 'the sink listens on the compose network, not its loopback');
    assert.deepEqual(sink.ports ?? [], [], 'the sink is not published');
    // ... which sends its analyses' metrics and signals to the collector's OTLP/HTTP receiver ...
    const back = arg('--otlp-endpoint')!;
    assert.equal(hostOf(back), 'collector');
    assert.equal(portOf(back), portOf(env.GRPO_OTLP_HTTP_ENDPOINT!));
    // ... and writes its files to a volume, run by the grpo-otel command its image is built with.
    const out = arg('--out')!;
    assert.ok(
      sink.volumes?.some((v) => v.endsWith(`:${out}`)),
      `--out ${out} is a volume`,
    );
    const dockerfile = await readFile(
      resolve(deployDir, sink.build!.context, sink.build!.dockerfile),
      'utf8',
    );
    assert.match(dockerfile, /^ENTRYPOINT \["node", "\/app\/packages\/cli\/bin\/grpo-otel\.js"\]$/m);
    assert.ok(existsSync(join(repoRoot, 'packages', 'cli', 'bin', 'grpo-otel.js')));
  });

  test("Alertmanager's webhooks point at a compose service", async () => {
    const c = await compose();
    const am = await yamlFile<{ receivers: Array<{ webhook_configs?: Array<{ url: string }> }> }>(
      join(deployDir, 'alertmanager', 'alertmanager.yml'),
    );
    for (const hook of am.receivers.flatMap((r) => r.webhook_configs ?? [])) {
      assert.ok(c.services[hostOf(hook.url)], hook.url);
    }
    assert.ok(c.services.alertmanager!.command?.includes('--cluster.listen-address='));
  });
});

describe('deploy/loki, deploy/tempo, deploy/grafana', () => {
  test('Loki: OTLP ingestion with structured metadata, the run id as an index label', async () => {
    const loki = await yamlFile<{
      auth_enabled: boolean;
      server: { http_listen_port: number };
      common: { storage: { filesystem: unknown } };
      schema_config: { configs: Array<{ store: string; schema: string; object_store: string }> };
      limits_config: {
        allow_structured_metadata: boolean;
        otlp_config: {
          resource_attributes: { attributes_config: Array<{ action: string; attributes: string[] }> };
        };
      };
    }>(join(deployDir, 'loki', 'loki.yaml'));
    assert.equal(loki.auth_enabled, false);
    const env = (await compose()).services.collector!.environment!;
    assert.equal(loki.server.http_listen_port, portOf(env.LOKI_OTLP_ENDPOINT!));
    assert.ok(loki.common.storage.filesystem);
    const schema = loki.schema_config.configs.at(-1)!;
    assert.equal(schema.store, 'tsdb');
    assert.equal(schema.schema, 'v13');
    assert.equal(loki.limits_config.allow_structured_metadata, true);
    const indexed = loki.limits_config.otlp_config.resource_attributes.attributes_config
      .filter((a) => a.action === 'index_label')
      .flatMap((a) => a.attributes);
    assert.ok(indexed.includes('grpo.run.id'));
  });

  test('Tempo: OTLP/gRPC where the collector sends, local storage, HTTP API for Grafana', async () => {
    const tempo = await yamlFile<{
      server: { http_listen_port: number };
      distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: string } } } } };
      storage: { trace: { backend: string; wal: { path: string }; local: { path: string } } };
    }>(join(deployDir, 'tempo', 'tempo.yaml'));
    const env = (await compose()).services.collector!.environment!;
    assert.equal(
      portOf(tempo.distributor.receivers.otlp.protocols.grpc.endpoint),
      portOf(env.TEMPO_OTLP_ENDPOINT!),
    );
    assert.equal(tempo.storage.trace.backend, 'local');
    assert.ok(tempo.storage.trace.wal.path && tempo.storage.trace.local.path);
    assert.equal(tempo.server.http_listen_port, 3200);
  });

  test('Grafana: Prometheus (default), Loki and Tempo data sources at the compose services', async () => {
    const c = await compose();
    const ds = await yamlFile<{
      apiVersion: number;
      datasources: Array<{ name: string; uid: string; type: string; url: string; isDefault?: boolean }>;
    }>(join(deployDir, 'grafana', 'provisioning', 'datasources', 'datasources.yaml'));
    assert.equal(ds.apiVersion, 1);
    const byType = new Map(ds.datasources.map((d) => [d.type, d]));
    for (const type of ['prometheus', 'loki', 'tempo']) assert.ok(byType.get(type), type);
    assert.equal(byType.get('prometheus')!.isDefault, true);
    assert.equal(ds.datasources.filter((d) => d.isDefault).length, 1);
    const ports: Record<string, number> = { prometheus: 9090, loki: 3100, tempo: 3200, alertmanager: 9093 };
    for (const d of ds.datasources) {
      const host = hostOf(d.url);
      assert.ok(c.services[host], `${d.name}: ${d.url} is not a compose service`);
      assert.equal(portOf(d.url), ports[host], d.url);
    }
    const uids = new Set(ds.datasources.map((d) => d.uid));
    assert.equal(uids.size, ds.datasources.length);
    // Cross-links name existing data sources.
    const text = JSON.stringify(ds);
    for (const m of text.matchAll(/"datasourceUid":"([^"]+)"/g)) assert.ok(uids.has(m[1]!), m[1]);
  });

  test("Grafana: the pinned image knows the generated dashboards' schemaVersion", async () => {
    // Dashboard JSON schemaVersion -> the first Grafana release that reads it without a downgrade.
    // 42 (hideFrom tooltip migration, grafana/grafana#110517, September 2025) ships from 12.3 on;
    // 11.x stops at 41. An older Grafana shows a newer dashboard, but its migrations do not run.
    const FIRST_GRAFANA: Record<number, [number, number]> = { 41: [12, 0], 42: [12, 3] };
    const image = (await compose()).services.grafana!.image!;
    const m = /^grafana\/grafana(?:-oss)?:(\d+)\.(\d+)\.(\d+)$/.exec(image);
    assert.ok(m, `grafana image pinned to a release: ${image}`);
    const pinned = [Number(m[1]), Number(m[2])] as const;
    const dir = join(deployDir, 'grafana', 'dashboards');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const { schemaVersion } = JSON.parse(await readFile(join(dir, f), 'utf8')) as { schemaVersion: number };
      const first = FIRST_GRAFANA[schemaVersion];
      assert.ok(first, `${f}: schemaVersion ${schemaVersion} is not in the table; add the Grafana release`);
      assert.ok(
        pinned[0] > first[0] || (pinned[0] === first[0] && pinned[1] >= first[1]),
        `${f}: schemaVersion ${schemaVersion} needs Grafana >= ${first.join('.')}, compose pins ${image}`,
      );
    }
  });

  test('Grafana: the dashboards directory is mounted where the dashboard provider reads it', async () => {
    const providerFile = join(deployDir, 'grafana', 'provisioning', 'dashboards', 'dashboards.yaml');
    const g = (await compose()).services.grafana!;
    assert.equal(mountTarget(g, './grafana/provisioning'), '/etc/grafana/provisioning');
    // The provider and the dashboards come from packages/dashboards; check them when they are there.
    if (!existsSync(providerFile)) return;
    const provider = await yamlFile<{ providers: Array<{ options: { path: string } }> }>(providerFile);
    const target = mountTarget(g, './grafana/dashboards');
    assert.ok(target);
    assert.ok(
      provider.providers.some((p) => p.options.path === target || dirname(p.options.path) === target),
      `the provider reads ${provider.providers.map((p) => p.options.path)}, compose mounts ${target}`,
    );
  });
});
