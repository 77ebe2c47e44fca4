// collector-config/gateway-secure.yaml, the overlay on gateway.yaml: `otelcol-grpo validate` accepts the
// pair with and without a client CA, and the real gateway started with both files takes a trainer's
// metrics over mutual TLS with the bearer token (scraped from its Prometheus exporter) and refuses a
// trainer without the token.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collectorBinary, type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { freePort } from '@grpo-otel/testkit/ports';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { runSdkOnce } from './helpers/sdkRun.js';
import { makeTestPki, type TestPki } from './helpers/tls.js';

const gateway = join(repoRoot, 'collector-config', 'gateway.yaml');
const secure = join(repoRoot, 'collector-config', 'gateway-secure.yaml');
const root = mkdtempSync(join(tmpdir(), 'grpo-gwsec-'));
tempDirs.add(root);
const TOKEN = randomBytes(24).toString('hex');
let pki: TestPki;

/** Every variable the two files read; backends on loopback ports where nothing listens. */
async function secureEnv(clientCa: boolean): Promise<Record<string, string>> {
  const p = async () => String(await freePort());
  return {
    GRPO_OTLP_GRPC_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_OTLP_HTTP_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_PROMETHEUS_EXPORTER_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_HEALTH_ENDPOINT: `127.0.0.1:${await p()}`,
    GRPO_COLLECTOR_METRICS_HOST: '127.0.0.1',
    GRPO_COLLECTOR_METRICS_PORT: await p(),
    GRPO_COLLECTOR_STORAGE_DIR: join(root, `storage-${clientCa}`),
    LOKI_OTLP_ENDPOINT: `http://127.0.0.1:${await p()}/otlp`,
    TEMPO_OTLP_ENDPOINT: `127.0.0.1:${await p()}`,
    JAEGER_OTLP_ENDPOINT: `127.0.0.1:${await p()}`,
    PROMETHEUS_REMOTE_WRITE_ENDPOINT: `http://127.0.0.1:${await p()}/api/v1/write`,
    GRPO_TLS_CERT_FILE: pki.serverCert,
    GRPO_TLS_KEY_FILE: pki.serverKey,
    ...(clientCa ? { GRPO_TLS_CLIENT_CA_FILE: pki.caCert } : {}),
    GRPO_OTLP_TOKEN: TOKEN,
  };
}

function validate(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return collectorBinary().then(
    (bin) =>
      new Promise((resolve, reject) => {
        // Only the variables given: an unset one must not leak in from the test's own environment.
        const base = Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !/^(GRPO_|LOKI_|TEMPO_|JAEGER_|PROMETHEUS_)/.test(k)),
        );
        const child = spawn(bin, ['validate', '--config', gateway, '--config', secure], {
          env: { ...base, ...env },
          stdio: 'pipe',
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
        });
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          out += c;
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
      }),
  );
}

before(() => {
  pki = makeTestPki(join(root, 'pki'));
});

describe('gateway-secure.yaml', { timeout: 5 * 60_000 }, () => {
  test('otelcol-grpo validate accepts gateway.yaml + gateway-secure.yaml, with and without a client CA', async () => {
    for (const clientCa of [true, false]) {
      const r = await validate(await secureEnv(clientCa));
      assert.equal(r.code, 0, r.out);
    }
  });

  test('validate refuses the overlay without a token', async () => {
    const env = await secureEnv(true);
    delete env.GRPO_OTLP_TOKEN;
    const r = await validate(env);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /bearertokenauth/);
  });

  describe('the real gateway with both files (mutual TLS and a bearer token)', () => {
    let collector: RunningCollector;
    let env: Record<string, string>;
    const scrape = async () => {
      const res = await fetch(`http://${env.GRPO_PROMETHEUS_EXPORTER_ENDPOINT}/metrics`);
      return res.text();
    };
    before(async () => {
      env = await secureEnv(true);
      collector = await startCollector({
        config: [gateway, secure],
        env: {
          ...env,
          GRPO_HEALTH_PORT: env.GRPO_HEALTH_ENDPOINT!.split(':')[1]!,
          GRPO_OTLP_HTTP_PORT: env.GRPO_OTLP_HTTP_ENDPOINT!.split(':')[1]!,
          GRPO_COLLECTOR_METRICS_PORT: env.GRPO_COLLECTOR_METRICS_PORT!,
        },
      });
    });
    after(async () => {
      await collector?.stop();
    });

    const yaml = (runId: string, headers: boolean) =>
      [
        'version: 1',
        'root: { level: INFO, handlers: [] }',
        `resource: { run_id: ${runId} }`,
        'otlp:',
        `  endpoint: https://${env.GRPO_OTLP_HTTP_ENDPOINT}`,
        '  timeout: 2',
        '  export_interval: 600',
        `  tls: { ca_file: ${pki.caCert}, cert_file: ${pki.clientCert}, key_file: ${pki.clientKey} }`,
        ...(headers ? ['  headers: { Authorization: "Bearer ${env:GRPO_OTLP_TOKEN}" }'] : []),
        '',
      ].join('\n');

    test('with the token: the run is scraped from the gateway; without it: refused and counted', async () => {
      const bad = await runSdkOnce(join(root, 'no-token'), yaml('gw-no-token', false), {}, 'x');
      assert.ok(
        bad.diagMessages.some((m) => /\(401\)/.test(m)),
        bad.diagMessages.join(' | '),
      );
      assert.ok(
        bad.drops.filter((d) => d.reason === 'export_failed').reduce((n, d) => n + d.count, 0) > 0,
        'counted',
      );
      const good = await runSdkOnce(
        join(root, 'token'),
        yaml('gw-token', true),
        { GRPO_OTLP_TOKEN: TOKEN },
        'y',
      );
      assert.equal(
        good.drops.reduce((n, d) => n + d.count, 0),
        0,
        JSON.stringify(good.drops),
      );
      const text = await waitFor(
        async () => {
          const t = await scrape();
          return t.includes('grpo_run_id="gw-token"') ? t : undefined;
        },
        30_000,
        'the run with the token in the gateway /metrics',
      );
      assert.ok(!text.includes('grpo_run_id="gw-no-token"'), 'the refused run never arrived');
    });
  });
});
