// OTLP over TLS with a custom CA, and mutual TLS: the SDK's OTLP/HTTP exporters against the real
// otelcol-grpo, whose receiver serves a certificate signed by a CA made here with `openssl`. What
// arrives is read back from the collector's file exporter; what is refused must leave the trainer
// running, say why through diag, and be counted.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import {
  attributesToObject,
  exportedLogRecords,
  exportedMetrics,
  exportedSpans,
} from '@grpo-otel/testkit/otlpJson';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { runSdkOnce } from './helpers/sdkRun.js';
import { allSinksConfig, runSecretsChild } from './helpers/secretsRun.js';
import { makeTestPki, type TestPki, writeSecureCollectorConfig } from './helpers/tls.js';

const root = mkdtempSync(join(tmpdir(), 'grpo-tls-'));
tempDirs.add(root);
let pki: TestPki;
let runs = 0;

/** An SDK config sending every signal to `endpoint` (metrics only at shutdown), with extra otlp keys. */
function sdkYaml(runId: string, endpoint: string, otlpExtra: string[]): string {
  return [
    'version: 1',
    'root: { level: INFO, handlers: [] }',
    'loggers:',
    '  training: { level: INFO, handlers: [], propagate: false }',
    'resource:',
    `  run_id: ${runId}`,
    'otlp:',
    `  endpoint: ${endpoint}`,
    '  logs: true',
    '  timeout: 2',
    '  export_interval: 600',
    ...otlpExtra.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

/** Signals of run `runId` in the collector's export. */
async function arrived(collector: RunningCollector, runId: string) {
  const e = await collector.readExported();
  const ofRun = <T extends { resource: { attributes?: { key: string }[] } }>(xs: T[]) =>
    xs.filter((x) => attributesToObject(x.resource.attributes as never)['grpo.run.id'] === runId);
  return {
    logs: ofRun(exportedLogRecords(e)).length,
    metrics: ofRun(exportedMetrics(e)).length,
    spans: ofRun(exportedSpans(e)).length,
  };
}

async function waitAllSignals(collector: RunningCollector, runId: string) {
  return waitFor(
    async () => {
      const a = await arrived(collector, runId);
      return a.logs > 0 && a.metrics > 0 && a.spans > 0 ? a : undefined;
    },
    30_000,
    `logs, metrics and spans of ${runId}`,
  );
}

/** One SDK run in its own directory (under root, so `pki/...` is a relative path inside it). */
async function run(
  endpoint: string,
  otlpExtra: string[],
  env: Record<string, string> = {},
  prepare?: (dir: string) => void,
) {
  runs += 1;
  const runId = `tls-run-${runs}`;
  const dir = join(root, `run-${runs}`);
  mkdirSync(dir, { recursive: true });
  prepare?.(dir);
  const yaml = sdkYaml(runId, endpoint, otlpExtra);
  const result = await runSdkOnce(dir, yaml, env, runId);
  return { runId, ...result };
}

/** Export failures the SDK reported (diag) that name a TLS problem (Node's error code or message). */
function tlsErrors(messages: string[]): string[] {
  return messages.filter((m) =>
    /certificate|CERT|self[- ]signed|unable to verify|UNABLE_TO_VERIFY|ERR_SSL|EPROTO|alert|socket hang up|ECONNRESET|handshake/i.test(
      m,
    ),
  );
}

/** Records the SDK counted as not delivered because every export attempt failed (by shutdown). */
function exportFailures(r: Awaited<ReturnType<typeof run>>): number {
  return r.drops
    .filter((d) => d.reason === 'export_failed' || d.reason === 'timeout')
    .reduce((n, d) => n + d.count, 0);
}

before(() => {
  pki = makeTestPki(join(root, 'pki'));
});

describe('OTLP/HTTPS with a custom CA (server TLS)', { timeout: 5 * 60_000 }, () => {
  let collector: RunningCollector;
  let httpsEndpoint: string;
  before(async () => {
    collector = await startCollector({ config: writeSecureCollectorConfig(root, pki, { tls: true }) });
    httpsEndpoint = collector.otlpHttpEndpoint.replace('http://', 'https://');
  });
  after(async () => {
    await collector?.stop();
  });

  test('logs, metrics and traces arrive; the file tls.ca_file wins over OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
    // The env names the unrelated CA: were it used, verification would fail and nothing arrive.
    // A relative ca_file resolves against the baseDir runSdkOnce passes (the config file's directory).
    const r = await run(
      httpsEndpoint,
      ['tls: { ca_file: certs/ca.pem }'],
      { OTEL_EXPORTER_OTLP_CERTIFICATE: pki.otherCaCert },
      (dir) => {
        mkdirSync(join(dir, 'certs'));
        copyFileSync(pki.caCert, join(dir, 'certs', 'ca.pem'));
      },
    );
    const a = await waitAllSignals(collector, r.runId);
    assert.ok(a.logs >= 1 && a.metrics >= 1 && a.spans >= 1);
    assert.deepEqual(tlsErrors(r.diagMessages), []);
  });

  test('the CA from OTEL_EXPORTER_OTLP_CERTIFICATE when the file has no tls section', async () => {
    const r = await run(httpsEndpoint, [], { OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert });
    await waitAllSignals(collector, r.runId);
    assert.deepEqual(tlsErrors(r.diagMessages), []);
  });

  test('a wrong CA: nothing is sent, the trainer keeps running, the failure is reported and counted', async () => {
    const bad = await run(httpsEndpoint, [`tls: { ca_file: ${pki.otherCaCert} }`]);
    // The run completed (initialize, logging, shutdown) without throwing. The reason is named:
    const errors = tlsErrors(bad.diagMessages);
    assert.ok(errors.length > 0, `a TLS error through diag; got: ${bad.diagMessages.join(' | ')}`);
    assert.ok(
      errors.some((m) => /self[- ]signed certificate|unable to verify|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(m)),
      errors.join(' | '),
    );
    assert.ok(exportFailures(bad) > 0, 'export failures are counted');
    // A good run to the same collector afterwards arrives; the bad run's data never did.
    const good = await run(httpsEndpoint, [`tls: { ca_file: ${pki.caCert} }`]);
    await waitAllSignals(collector, good.runId);
    assert.deepEqual(await arrived(collector, bad.runId), { logs: 0, metrics: 0, spans: 0 });
  });

  test('a trainer whose last act is `await shutdown()` with a wrong CA ends normally, its drops counted', async () => {
    // The queue retries with backoff during shutdown; those waits must keep the process alive until
    // shutdown's deadline, or Node ends a top-level await early (exit code 13) and nothing is counted.
    const dir = join(root, 'child-wrong-ca');
    const yaml = allSinksConfig('tls-child-wrong-ca', [
      `endpoint: ${httpsEndpoint}`,
      'logs: true',
      'timeout: 2',
      `tls: { ca_file: ${pki.otherCaCert} }`,
    ]);
    const r = await runSecretsChild(dir, yaml, 'text', {});
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const undelivered = r.summary.drops
      .filter((d) => d.reason === 'export_failed' || d.reason === 'timeout')
      .reduce((n, d) => n + d.count, 0);
    assert.ok(undelivered > 0, JSON.stringify(r.summary.drops));
    assert.match(r.stderr, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  test('no CA at all (system roots only) does not trust the test CA', async () => {
    const bad = await run(httpsEndpoint, []);
    assert.ok(tlsErrors(bad.diagMessages).length > 0, bad.diagMessages.join(' | '));
    const good = await run(httpsEndpoint, [`tls: { ca_file: ${pki.caCert} }`]);
    await waitAllSignals(collector, good.runId);
    assert.deepEqual(await arrived(collector, bad.runId), { logs: 0, metrics: 0, spans: 0 });
  });
});

describe('OTLP/HTTPS with mutual TLS (client_ca_file)', { timeout: 5 * 60_000 }, () => {
  let collector: RunningCollector;
  let httpsEndpoint: string;
  before(async () => {
    collector = await startCollector({
      config: writeSecureCollectorConfig(root, pki, { tls: true, mtls: true }),
    });
    httpsEndpoint = collector.otlpHttpEndpoint.replace('http://', 'https://');
  });
  after(async () => {
    await collector?.stop();
  });

  test('with the client certificate from the file: everything arrives', async () => {
    const r = await run(httpsEndpoint, [
      `tls: { ca_file: ${pki.caCert}, cert_file: ${pki.clientCert}, key_file: ${pki.clientKey} }`,
    ]);
    await waitAllSignals(collector, r.runId);
    assert.deepEqual(tlsErrors(r.diagMessages), []);
  });

  test('with the client certificate from OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE/KEY', async () => {
    const r = await run(httpsEndpoint, [], {
      OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.clientCert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.clientKey,
    });
    await waitAllSignals(collector, r.runId);
  });

  test('a per-signal variable applies to its signal only (traces get the client cert, logs do not)', async () => {
    const r = await run(httpsEndpoint, [], {
      OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert,
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: pki.clientCert,
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: pki.clientKey,
    });
    await waitFor(
      async () => ((await arrived(collector, r.runId)).spans > 0 ? true : undefined),
      30_000,
      'spans with the per-signal client certificate',
    );
    const good = await run(httpsEndpoint, [
      `tls: { ca_file: ${pki.caCert}, cert_file: ${pki.clientCert}, key_file: ${pki.clientKey} }`,
    ]);
    await waitAllSignals(collector, good.runId);
    const a = await arrived(collector, r.runId);
    assert.equal(a.logs, 0, 'logs had no client certificate');
    assert.equal(a.metrics, 0, 'metrics had no client certificate');
  });

  test('without a client certificate: refused, reported and counted, nothing arrives', async () => {
    const bad = await run(httpsEndpoint, [`tls: { ca_file: ${pki.caCert} }`]);
    assert.ok(
      bad.diagMessages.some((m) => /CERTIFICATE_REQUIRED/.test(m)),
      `the reason is named: ${bad.diagMessages.join(' | ')}`,
    );
    assert.ok(exportFailures(bad) > 0, 'export failures are counted');
    const intruder = await run(httpsEndpoint, [
      `tls: { ca_file: ${pki.caCert}, cert_file: ${pki.otherClientCert}, key_file: ${pki.otherClientKey} }`,
    ]);
    assert.ok(tlsErrors(intruder.diagMessages).length > 0, intruder.diagMessages.join(' | '));
    const good = await run(httpsEndpoint, [
      `tls: { ca_file: ${pki.caCert}, cert_file: ${pki.clientCert}, key_file: ${pki.clientKey} }`,
    ]);
    await waitAllSignals(collector, good.runId);
    assert.deepEqual(await arrived(collector, bad.runId), { logs: 0, metrics: 0, spans: 0 });
    assert.deepEqual(await arrived(collector, intruder.runId), { logs: 0, metrics: 0, spans: 0 });
  });
});
