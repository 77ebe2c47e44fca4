// The `tls` keys of `otlp` and `otlp` handlers, the OTEL_EXPORTER_OTLP_*CERTIFICATE/*CLIENT_KEY
// variables under them, and what reaches the exporter's https agent. (Handshakes against the real
// collector: test/tlsCollector.test.ts.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, parseConfig } from '@grpo-otel/sdk';
import { tlsAgentOptions } from '../src/otlp/otlpExporters.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'grpo-tlscfg-')));
mkdirSync(join(base, 'certs'));
// Contents do not matter here (no handshake): the agent options carry the bytes as read.
for (const f of ['ca.pem', 'client.pem', 'client.key', 'env-ca.pem', 'traces-ca.pem'])
  writeFileSync(join(base, 'certs', f), `PEM ${f}\n`);
after(() => rmSync(base, { recursive: true, force: true }));

const load = (text: string, env: Record<string, string> = {}) =>
  parseConfig(`version: 1\n${text}\n`, { source: 'tls.yaml', baseDir: base, env });

function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    load(text, env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('otlp.tls', () => {
  test('file keys resolve against the config directory and reach the https agent as bytes', () => {
    const cfg = load(
      'otlp: { endpoint: "https://127.0.0.1:4318", tls: { ca_file: certs/ca.pem, cert_file: certs/client.pem, key_file: certs/client.key } }',
    );
    assert.deepEqual(cfg.otlp.tls, {
      caFile: join(base, 'certs', 'ca.pem'),
      certFile: join(base, 'certs', 'client.pem'),
      keyFile: join(base, 'certs', 'client.key'),
    });
    const agent = tlsAgentOptions(cfg.otlp, 'logs');
    assert.equal(String(agent.ca), 'PEM ca.pem\n');
    assert.equal(String(agent.cert), 'PEM client.pem\n');
    assert.equal(String(agent.key), 'PEM client.key\n');
    assert.equal(agent.keepAlive, true);
  });

  test('the file wins over every variable, general and per signal', () => {
    const cfg = load('otlp: { endpoint: "https://127.0.0.1:4318", tls: { ca_file: certs/ca.pem } }', {
      OTEL_EXPORTER_OTLP_CERTIFICATE: join(base, 'certs', 'env-ca.pem'),
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: join(base, 'certs', 'traces-ca.pem'),
    });
    for (const s of ['logs', 'metrics', 'traces'] as const)
      assert.equal(String(tlsAgentOptions(cfg.otlp, s).ca), 'PEM ca.pem\n', s);
  });

  test('without a tls section: OTEL_EXPORTER_OTLP_CERTIFICATE, and a signal variable over it', () => {
    const cfg = load('otlp: { endpoint: "https://127.0.0.1:4318" }', {
      OTEL_EXPORTER_OTLP_CERTIFICATE: join(base, 'certs', 'env-ca.pem'),
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: join(base, 'certs', 'traces-ca.pem'),
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(base, 'certs', 'client.pem'),
      OTEL_EXPORTER_OTLP_CLIENT_KEY: join(base, 'certs', 'client.key'),
    });
    assert.equal(String(tlsAgentOptions(cfg.otlp, 'logs').ca), 'PEM env-ca.pem\n');
    assert.equal(String(tlsAgentOptions(cfg.otlp, 'metrics').ca), 'PEM env-ca.pem\n');
    assert.equal(String(tlsAgentOptions(cfg.otlp, 'traces').ca), 'PEM traces-ca.pem\n');
    assert.equal(String(tlsAgentOptions(cfg.otlp, 'traces').cert), 'PEM client.pem\n');
  });

  test('an otlp handler inherits otlp.tls, or sets its own', () => {
    const cfg = load(
      [
        'otlp: { endpoint: "https://127.0.0.1:4318", tls: { ca_file: certs/ca.pem } }',
        'handlers:',
        '  a: { class: otlp }',
        '  b: { class: otlp, tls: { ca_file: certs/env-ca.pem } }',
      ].join('\n'),
    );
    const a = cfg.handlers.get('a');
    const b = cfg.handlers.get('b');
    assert.ok(a?.type === 'otlp' && b?.type === 'otlp');
    assert.equal(a.tls.caFile, join(base, 'certs', 'ca.pem'));
    assert.equal(b.tls.caFile, join(base, 'certs', 'env-ca.pem'));
  });

  test('no TLS settings: the agent has only keepAlive (system roots)', () => {
    const cfg = load('otlp: { endpoint: "https://127.0.0.1:4318" }');
    assert.deepEqual(tlsAgentOptions(cfg.otlp, 'logs'), { keepAlive: true });
  });

  test('a TLS file that is missing is a config error at its key', () => {
    const e = configError('otlp:\n  endpoint: "https://127.0.0.1:4318"\n  tls: { ca_file: certs/nope.pem }');
    assert.equal(e.keyPath, 'otlp.tls.ca_file');
    assert.equal(e.line, 4);
    assert.match(e.detail, /cannot read TLS file .*nope\.pem \(file not found\)/);
  });

  test('a directory is not a TLS file', () => {
    const e = configError('otlp: { endpoint: "https://127.0.0.1:4318", tls: { ca_file: certs } }');
    assert.match(e.detail, /not a regular file/);
  });

  test('a missing file named by a variable is a config error naming the variable', () => {
    const e = configError('otlp: { endpoint: "https://127.0.0.1:4318" }', {
      OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: join(base, 'missing.key'),
    });
    assert.equal(e.keyPath, 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY');
    assert.equal(e.line, 0);
    assert.match(e.message, /^tls\.yaml: OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: cannot read TLS file/);
  });

  test('cert_file needs key_file and key_file needs cert_file', () => {
    const e = configError(
      'otlp: { endpoint: "https://127.0.0.1:4318", tls: { cert_file: certs/client.pem } }',
    );
    assert.equal(e.keyPath, 'otlp.tls.cert_file');
    assert.match(e.detail, /'cert_file' needs 'key_file'/);
    const e2 = configError(
      'otlp: { endpoint: "https://127.0.0.1:4318", tls: { key_file: certs/client.key } }',
    );
    assert.match(e2.detail, /'key_file' needs 'cert_file'/);
  });

  test('tls with a plain http:// endpoint is refused (it would be sent in clear text)', () => {
    const e = configError('otlp: { endpoint: "http://127.0.0.1:4318", tls: { ca_file: certs/ca.pem } }');
    assert.equal(e.keyPath, 'otlp.tls');
    assert.match(e.detail, /plain http:\/\/; use https:\/\//);
  });

  test('unknown tls keys are refused with the known ones listed', () => {
    const e = configError(
      'otlp: { endpoint: "https://127.0.0.1:4318", tls: { insecure_skip_verify: true } }',
    );
    assert.equal(e.keyPath, 'otlp.tls.insecure_skip_verify');
    assert.match(e.detail, /expected one of: ca_file, cert_file, key_file/);
  });
});

describe('header values never appear in config errors', () => {
  const secret = 'Bearer s3cr3t-t0k3n-value';
  test('a header of the wrong type: the error names the key, not the value', () => {
    const e = configError(`otlp:\n  headers:\n    Authorization: [ "${secret}" ]`);
    assert.equal(e.keyPath, 'otlp.headers.Authorization');
    assert.ok(!e.message.includes('s3cr3t'), e.message);
    const e2 = configError('handlers:\n  o:\n    class: otlp\n    headers: { x-api-key: 12345678901 }');
    assert.equal(e2.keyPath, 'handlers.o.headers.x-api-key');
    assert.ok(!e2.message.includes('12345678901'), e2.message);
    assert.match(e2.detail, /not shown/);
  });
});
