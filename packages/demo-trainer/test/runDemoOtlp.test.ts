import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDemo } from '@grpo-otel/demo-trainer';

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, the run also sends logs, metrics and traces over OTLP', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-rundemo-otlp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      received.set(req.url ?? '', (received.get(req.url ?? '') ?? 0) + 1);
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_'))),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
  };
  const s = await runDemo({
    outDir: join(dir, 'run'),
    env,
    trainer: { steps: 10, warmupSteps: 3, hiddenSize: 16, embeddingSize: 8, promptsPerStep: 2, groupSize: 2 },
  });
  assert.equal(s.steps, 10);
  for (const path of ['/v1/logs', '/v1/metrics', '/v1/traces']) {
    assert.ok((received.get(path) ?? 0) > 0, `nothing sent to ${path}: ${JSON.stringify([...received])}`);
  }
});
