// Bearer-token auth checked by the real collector (its bearertokenauth extension) over TLS. The token
// comes from the environment only (`${env:GRPO_OTLP_TOKEN}` in the config, or OTEL_EXPORTER_OTLP_HEADERS);
// the right one is accepted, a wrong one refused and counted, and the token never appears in anything
// the SDK writes or prints (files, console, diag at its most verbose) nor in what the collector stores.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
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
import {
  allSinksConfig,
  filesContaining,
  filesUnder,
  runSecretsChild,
  type SecretsRunResult,
} from './helpers/secretsRun.js';
import { makeTestPki, type TestPki, writeSecureCollectorConfig } from './helpers/tls.js';

const root = mkdtempSync(join(tmpdir(), 'grpo-auth-'));
tempDirs.add(root);
const TOKEN = `tok-${randomBytes(24).toString('hex')}`;
const WRONG = `tok-${randomBytes(24).toString('hex')}`;
let pki: TestPki;
let collector: RunningCollector;
let endpoint: string;
let runs = 0;

async function arrived(runId: string) {
  const e = await collector.readExported();
  const mine = (r: { attributes?: unknown }) =>
    attributesToObject(r.attributes as never)['grpo.run.id'] === runId;
  return {
    logs: exportedLogRecords(e).filter((x) => mine(x.resource)).length,
    metrics: exportedMetrics(e).filter((x) => mine(x.resource)).length,
    spans: exportedSpans(e).filter((x) => mine(x.resource)).length,
  };
}

function waitAll(runId: string) {
  return waitFor(
    async () => {
      const a = await arrived(runId);
      return a.logs > 0 && a.metrics > 0 && a.spans > 0 ? a : undefined;
    },
    30_000,
    `logs, metrics and spans of ${runId}`,
  );
}

async function run(otlp: string[], env: Record<string, string>): Promise<SecretsRunResult> {
  runs += 1;
  const runId = `auth-run-${runs}`;
  const dir = join(root, `run-${runs}`);
  const yaml = allSinksConfig(runId, [
    `endpoint: ${endpoint}`,
    'logs: true',
    'timeout: 10', // the shutdown deadline too: room for the TLS handshake and the first export on a loaded machine
    'export_interval: 600',
    `tls: { ca_file: ${pki.caCert} }`,
    ...otlp,
  ]);
  const r = await runSecretsChild(dir, yaml, 'nothing secret here', env);
  assert.equal(r.code, 0, `the trainer ran to the end\n${r.stderr.slice(-4000)}`);
  assert.equal(r.summary.runId, runId);
  return r;
}

/** Everything that could hold the token: the run's files, its console output, the collector's files and logs. */
function leaks(r: SecretsRunResult, token: string): string[] {
  const found = filesContaining([...filesUnder(r.dir), ...filesUnder(collector.dir)], token);
  if (r.stdout.includes(token)) found.push('<child stdout>');
  if (r.stderr.includes(token)) found.push('<child stderr>');
  if (collector.logs().includes(token)) found.push('<collector output>');
  return found;
}

function exportFailures(r: SecretsRunResult): number {
  return r.summary.drops
    .filter((d) => d.reason === 'export_failed' || d.reason === 'timeout')
    .reduce((n, d) => n + d.count, 0);
}

before(async () => {
  pki = makeTestPki(join(root, 'pki'));
  collector = await startCollector({
    config: writeSecureCollectorConfig(root, pki, { tls: true, auth: true }),
    env: { GRPO_OTLP_TOKEN: TOKEN },
  });
  endpoint = collector.otlpHttpEndpoint.replace('http://', 'https://');
});
after(async () => {
  await collector?.stop();
});

describe('bearer token checked by the collector', { timeout: 5 * 60_000 }, () => {
  test('the right token from ${env:GRPO_OTLP_TOKEN} in the config: everything arrives, the token is written nowhere', async () => {
    const r = await run(['headers: { Authorization: "Bearer ${env:GRPO_OTLP_TOKEN}" }'], {
      GRPO_OTLP_TOKEN: TOKEN,
    });
    await waitAll(r.summary.runId);
    assert.equal(exportFailures(r), 0);
    // The sinks did write (the scan is not vacuous): a log file, a CSV, TensorBoard events, console.
    const files = filesUnder(r.dir).map((f) => f.slice(r.dir.length + 1));
    assert.ok(files.includes(join('logs', 'train.log')), files.join(', '));
    assert.ok(files.includes(join('outputs', 'model_outputs.csv')), files.join(', '));
    assert.ok(
      files.some((f) => f.startsWith('tb/') && f.includes('tfevents')),
      files.join(', '),
    );
    assert.match(r.stdout, /nothing secret here/);
    assert.ok(r.stderr.length > 0, 'diag printed at its most verbose');
    assert.deepEqual(leaks(r, TOKEN), []);
  });

  test('the right token from OTEL_EXPORTER_OTLP_HEADERS (URL-encoded): accepted, written nowhere', async () => {
    const r = await run([], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${TOKEN}` });
    await waitAll(r.summary.runId);
    assert.deepEqual(leaks(r, TOKEN), []);
  });

  test('a wrong token: refused (401), counted, reported without the token, nothing arrives', async () => {
    const bad = await run(['headers: { Authorization: "Bearer ${env:GRPO_OTLP_TOKEN}" }'], {
      GRPO_OTLP_TOKEN: WRONG,
    });
    assert.ok(exportFailures(bad) > 0, JSON.stringify(bad.summary.drops));
    assert.match(bad.stderr, /401|Unauthorized/);
    assert.deepEqual(leaks(bad, WRONG), []);
    const none = await run([], {});
    assert.ok(exportFailures(none) > 0, 'no token at all is refused too');
    // A good run afterwards arrives; the refused runs never did.
    const good = await run([], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${TOKEN}` });
    await waitAll(good.summary.runId);
    assert.deepEqual(await arrived(bad.summary.runId), { logs: 0, metrics: 0, spans: 0 });
    assert.deepEqual(await arrived(none.summary.runId), { logs: 0, metrics: 0, spans: 0 });
  });
});
