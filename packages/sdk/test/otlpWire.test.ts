// What our OTLP/HTTP sinks put on the wire: paths, headers from ${env:...}, gzip, content type.
// A local HTTP server on 127.0.0.1 stands in for the collector here only to read the raw requests
// (headers and compression are not visible in the real collector's output); the real collector
// receives the same exports in test/sdkThroughCollector.test.ts.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  getTrainingLogger,
  initialize,
  logTrainingProgress,
  parseConfig,
  shutdown,
  withSpan,
} from '@grpo-otel/sdk';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
const seen: Seen[] = [];
let server: Server;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('otlp handler: endpoint, bearer token from ${env:...}, gzip, protobuf, for logs, metrics and traces', async () => {
  const env = { OTLP_TOKEN: 's3cret-token' };
  const yaml = `version: 1
root: { level: INFO, handlers: [otlp] }
handlers:
  otlp:
    class: otlp
    endpoint: http://127.0.0.1:${port}
    protocol: http/protobuf
    headers: { authorization: "Bearer \${env:OTLP_TOKEN}" }
    compression: gzip
    timeout: 5
`;
  initialize({
    config: parseConfig(yaml, { source: 'wire.yaml', baseDir: '/', env }),
    env,
    handleExit: false,
    registerGlobal: false,
  });
  withSpan('grpo.step', { 'grpo.step': 1 }, () => {
    getTrainingLogger().info('hello over the wire');
    logTrainingProgress(1, { loss: 0.25 });
  });
  await shutdown();

  const paths = new Set(seen.map((s) => s.path));
  assert.deepEqual([...paths].sort(), ['/v1/logs', '/v1/metrics', '/v1/traces']);
  for (const s of seen) {
    assert.equal(s.headers.authorization, 'Bearer s3cret-token', s.path);
    assert.equal(s.headers['content-encoding'], 'gzip', s.path);
    assert.equal(s.headers['content-type'], 'application/x-protobuf', s.path);
  }
  const logs = Buffer.concat(seen.filter((s) => s.path === '/v1/logs').map((s) => gunzipSync(s.body)));
  assert.ok(logs.includes('hello over the wire'), 'log body in the protobuf payload');
  const metrics = Buffer.concat(seen.filter((s) => s.path === '/v1/metrics').map((s) => gunzipSync(s.body)));
  assert.ok(metrics.includes('grpo.policy.loss'));
  const traces = Buffer.concat(seen.filter((s) => s.path === '/v1/traces').map((s) => gunzipSync(s.body)));
  assert.ok(traces.includes('grpo.step'));
});
