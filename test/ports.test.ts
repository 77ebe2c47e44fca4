// Every port we open binds to 127.0.0.1 unless configured otherwise:
//  - every listening address in every collector config we ship (collector-config/*.yaml) and in the
//    ones the tests generate is loopback, or `${env:NAME:-<loopback>}` with NAME documented in the file;
//  - docker-compose publishes ports on the host's loopback only; the local stack script and the example
//    webhook listen on 127.0.0.1;
//  - the SDK itself opens no listening socket at all (checked in /proc for this process).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  getTrainingLogger,
  initialize,
  logModelOutput,
  logRewardMetrics,
  logTrainingProgress,
  shutdown,
  withStepSpan,
} from '@grpo-otel/sdk';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { parse, parseAllDocuments } from 'yaml';
import { allSinksConfig } from './helpers/secretsRun.js';
import { makeTestPki, writeSecureCollectorConfig } from './helpers/tls.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ENV_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?\}$/;

/** The host of `host:port` (IPv6 in brackets allowed); the whole value when there is no port. */
function hostOf(endpoint: string): string {
  const ref = /^(\$\{env:[A-Za-z_][A-Za-z0-9_]*\})(?::.*)?$/.exec(endpoint);
  if (ref) return ref[1]!;
  const m = /^(\[[^\]]+\]|[^:]*)(?::.*)?$/.exec(endpoint);
  return m?.[1] ?? endpoint;
}

/**
 * Why a listening address is not acceptable, or undefined when it is: loopback as written, or an
 * env reference with a loopback default whose variable the file's comments document.
 */
function problem(value: unknown, fileText: string, isHost = false): string | undefined {
  if (typeof value !== 'string' || value === '') return `not an address: ${JSON.stringify(value)}`;
  const ref = ENV_REF.exec(value);
  if (ref) {
    const [, name, fallback] = ref;
    const documented = fileText.split('\n').some((l) => l.trimStart().startsWith('#') && l.includes(name!));
    if (!documented) return `${value}: ${name} is not documented in the file's comments`;
    // No default: the deployment must set it (an explicit, documented choice of address).
    if (fallback === undefined) return undefined;
    return problem(fallback, fileText, isHost);
  }
  const host = isHost ? value : hostOf(value);
  // `${env:POD_IP}:4318`: a documented variable names the address (e.g. the pod's own IP).
  const hostRef = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(host);
  if (hostRef) return problem(host, fileText, true);
  if (host === '') return `${value}: empty host means every interface`;
  if (!LOOPBACK_HOSTS.has(host)) return `${value}: host ${host} is not loopback`;
  return undefined;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** Every listening address of a collector config: [where, value, isHostOnly]. */
function listeners(cfg: Obj): [string, unknown, boolean][] {
  const out: [string, unknown, boolean][] = [];
  for (const [name, r] of Object.entries(obj(cfg.receivers))) {
    const protocols = obj(obj(r).protocols);
    for (const [proto, p] of Object.entries(protocols))
      out.push([`receivers.${name}.protocols.${proto}.endpoint`, obj(p).endpoint, false]);
    if ('endpoint' in obj(r)) out.push([`receivers.${name}.endpoint`, obj(r).endpoint, false]);
  }
  for (const [name, e] of Object.entries(obj(cfg.extensions))) {
    // Extensions that serve something (health_check, pprof, zpages) have an endpoint; the others do not.
    if ('endpoint' in obj(e)) out.push([`extensions.${name}.endpoint`, obj(e).endpoint, false]);
  }
  for (const [name, e] of Object.entries(obj(cfg.exporters))) {
    // The prometheus exporter is pulled: its endpoint is a listener (push exporters' endpoints are not).
    if (name === 'prometheus' || name.startsWith('prometheus/'))
      out.push([`exporters.${name}.endpoint`, obj(e).endpoint, false]);
  }
  const metrics = obj(obj(obj(cfg.service).telemetry).metrics);
  if ('address' in metrics) out.push(['service.telemetry.metrics.address', metrics.address, false]);
  const readers = Array.isArray(metrics.readers) ? metrics.readers : [];
  readers.forEach((r, i) => {
    const prom = obj(obj(obj(r).pull).exporter).prometheus;
    if (prom)
      out.push([
        `service.telemetry.metrics.readers[${i}].pull.exporter.prometheus.host`,
        obj(prom).host,
        true,
      ]);
  });
  return out;
}

/** Overlays merged after a whole config (`--config local.yaml --config local-sink.yaml`). */
const OVERLAYS = ['local-sink.yaml', 'gateway-sink.yaml'];

function collectorConfigs(): string[] {
  const dir = join(repoRoot, 'collector-config');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'builder-config.yaml')
    .map((f) => join(dir, f));
}

describe('collector configs listen on loopback unless overridden', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'grpo-ports-'));
  tempDirs.add(tmp);
  const pki = makeTestPki(join(tmp, 'pki'));
  const generated = [
    writeSecureCollectorConfig(tmp, pki, { tls: true }),
    writeSecureCollectorConfig(tmp, pki, { tls: true, mtls: true, auth: true }),
  ];
  const files = [...collectorConfigs(), ...generated];

  test('the shipped configs are all here (gateway, gateway-secure, local, test-file)', () => {
    const names = collectorConfigs().map((f) => f.slice(f.lastIndexOf('/') + 1));
    for (const n of ['gateway.yaml', 'gateway-secure.yaml', 'local.yaml', 'test-file.yaml'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  });

  for (const file of files) {
    test(
      file.startsWith(repoRoot) ? file.slice(repoRoot.length) : `generated ${file.slice(tmp.length + 1)}`,
      () => {
        const text = readFileSync(file, 'utf8');
        const found = listeners(obj(parse(text)));
        // An overlay (merged after local.yaml or gateway.yaml, e.g. the sink's) adds exporters only:
        // it must open no listener of its own; a whole config has at least OTLP and health_check.
        if (OVERLAYS.some((o) => file.endsWith(`/${o}`)))
          assert.deepEqual(found, [], 'an overlay opens no listener');
        else assert.ok(found.length >= 2, `found listeners: ${found.map((f) => f[0]).join(', ')}`);
        const bad = found
          .map(([where, value, isHost]) => [where, problem(value, text, isHost)] as const)
          .filter(([, p]) => p !== undefined);
        assert.deepEqual(bad, []);
      },
    );
  }

  test('the checker itself refuses what it should', () => {
    const doc = '# GRPO_X documented\n';
    assert.match(problem('0.0.0.0:4318', doc) ?? '', /not loopback/);
    assert.match(problem(':4318', doc) ?? '', /every interface/);
    assert.equal(problem('${env:GRPO_X}', doc), undefined, 'documented, set by the deployment');
    assert.match(problem('${env:GRPO_Y}', doc) ?? '', /not documented/);
    assert.equal(problem('${env:GRPO_X}:4318', doc), undefined);
    assert.match(problem('${env:GRPO_Y}:4318', doc) ?? '', /not documented/);
    assert.match(problem('${env:GRPO_Y:-127.0.0.1:1}', doc) ?? '', /not documented/);
    assert.match(problem('${env:GRPO_X:-0.0.0.0:1}', doc) ?? '', /not loopback/);
    assert.equal(problem('${env:GRPO_X:-127.0.0.1:4318}', doc), undefined);
    assert.equal(problem('127.0.0.1:${env:GRPO_PORT}', doc), undefined);
    assert.equal(problem('localhost:4318', doc), undefined);
    assert.equal(problem('[::1]:4318', doc), undefined);
  });
});

/** Collector configs embedded in the Kubernetes ConfigMaps: [name, text]. */
function kubernetesCollectorConfigs(): [string, string][] {
  const dir = join(repoRoot, 'deploy', 'kubernetes');
  const out: [string, string][] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
      const m = obj(doc.toJS());
      if (m.kind !== 'ConfigMap') continue;
      for (const [key, text] of Object.entries(obj(m.data)))
        if (typeof text === 'string' && /^receivers:/m.test(text))
          out.push([`deploy/kubernetes/${f} ${key}`, text]);
    }
  }
  return out;
}

describe('Kubernetes: the collectors listen on the pod IP or loopback, never on every interface', () => {
  const configs = kubernetesCollectorConfigs();
  test('the agent and the gateway configs are found', () =>
    assert.ok(configs.length >= 2, `${configs.length}`));
  for (const [name, text] of configs) {
    test(name, () => {
      const found = listeners(obj(parse(text)));
      assert.ok(found.length >= 2, `found listeners: ${found.map((f) => f[0]).join(', ')}`);
      const bad = found
        .map(([where, value, isHost]) => [where, problem(value, text, isHost)] as const)
        .filter(([, p]) => p !== undefined);
      assert.deepEqual(bad, []);
    });
  }
  test('no manifest sets 0.0.0.0 (outside comments)', () => {
    const dir = join(repoRoot, 'deploy', 'kubernetes');
    for (const f of readdirSync(dir)) {
      const lines = readFileSync(join(dir, f), 'utf8').split('\n');
      const bad = lines.filter((l) => !l.trimStart().startsWith('#') && l.includes('0.0.0.0'));
      assert.deepEqual(bad, [], f);
    }
  });
});

describe('deploy and scripts', () => {
  test('docker-compose publishes every port on the host loopback only', () => {
    const compose = obj(parse(readFileSync(join(repoRoot, 'deploy', 'docker-compose.yml'), 'utf8')));
    let n = 0;
    for (const [name, svc] of Object.entries(obj(compose.services))) {
      const ports = obj(svc).ports;
      if (!Array.isArray(ports)) continue;
      for (const p of ports) {
        n += 1;
        assert.match(String(p), /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${String(p)}`);
      }
    }
    assert.ok(n >= 5, `${n} published ports`);
  });

  test('scripts/stack-up.sh gives every server a 127.0.0.1 listen address', () => {
    const sh = readFileSync(join(repoRoot, 'scripts', 'stack-up.sh'), 'utf8');
    const listens = [...sh.matchAll(/--(web\.listen-address|cluster\.listen-address)=("?)([^"\s\\]*)\2/g)];
    assert.ok(listens.length >= 3, `${listens.length} listen flags`);
    for (const [flag, kind, , value] of listens) {
      if (kind === 'cluster.listen-address') assert.equal(value, '', `${flag}: clustering off`);
      else assert.match(value!, /^127\.0\.0\.1:/, flag);
    }
    assert.match(sh, /WEBHOOK_HOST=127\.0\.0\.1/);
    assert.match(sh, /collector-config\/local\.yaml/);
  });

  test('the example webhook defaults to 127.0.0.1; compose opens it inside its network only', () => {
    const py = readFileSync(join(repoRoot, 'deploy', 'alert-webhook', 'webhook.py'), 'utf8');
    assert.match(py, /os\.environ\.get\("WEBHOOK_HOST", "127\.0\.0\.1"\)/);
    const compose = obj(parse(readFileSync(join(repoRoot, 'deploy', 'docker-compose.yml'), 'utf8')));
    const hook = obj(obj(compose.services)['alert-webhook']);
    assert.equal(obj(hook.environment).WEBHOOK_HOST, '0.0.0.0');
    assert.equal(hook.ports, undefined, 'not published on the host');
  });
});

/** Inodes of this process's sockets that listen (TCP LISTEN) or are bound (UDP), from /proc. */
function listeningSocketsOfThisProcess(): string[] {
  const mine = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) mine.add(m[1]!);
    } catch {
      // closed while listing
    }
  }
  const out: string[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const [, local, , state] = cols;
      const inode = cols[9]!;
      const listening = table.startsWith('tcp') ? state === '0A' : true;
      if (listening && mine.has(inode)) out.push(`${table} ${local} inode ${inode}`);
    }
  }
  return out;
}

describe('the SDK opens no ports', () => {
  test('the /proc check sees a listener when there is one', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (server.address() as { port: number }).port;
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    const seen = listeningSocketsOfThisProcess();
    await new Promise((r) => server.close(r));
    assert.ok(
      seen.some((s) => s.startsWith('tcp ') && s.includes(`0100007F:${hex}`)),
      seen.join(', '),
    );
  });

  test('with every sink, OTLP export and the analysis worker running: no listening socket in this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grpo-noports-'));
    tempDirs.add(dir);
    const before = listeningSocketsOfThisProcess();
    // OTLP to a closed loopback port: the exporters connect out (and fail); they never listen.
    const yaml = allSinksConfig('no-ports', ['endpoint: http://127.0.0.1:9', 'logs: true', 'timeout: 1']);
    writeFileSync(join(dir, 'grpo.yaml'), yaml);
    initialize({
      configPath: join(dir, 'grpo.yaml'),
      baseDir: dir, // the config's relative paths in the temp dir, not the repository
      handleExit: false,
      registerGlobal: false,
      env: {},
    });
    withStepSpan(1, () => {
      getTrainingLogger().info('hello');
      logModelOutput('q', '4', '<answer>4</answer>');
      logRewardMetrics(1, { correctness: [1, 0, 1, 1] }, { groupSize: 2 });
      logTrainingProgress(1, { loss: 0.1 });
    });
    // Let the background work (analysis worker, exporters, timers) start before looking.
    await new Promise((r) => setTimeout(r, 300));
    const during = listeningSocketsOfThisProcess();
    await shutdown();
    assert.deepEqual(during, before);
    assert.ok(Array.isArray(before));
  });
});
