import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { deadPort, runChild } from './helpers/childTrainer.js';

// Every channel to TensorBoard only: stderr then holds the SDK's diagnostics alone, and the run's
// event files hold its grpo.sdk.record.dropped series.
const CONFIG = `version: 1
handlers:
  tb: { class: tensorboard, log_dir: tb }
root: { level: INFO, handlers: [tb] }
`;

/** A TCP server that accepts connections and never answers (a hung collector). */
async function stallServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

for (const collector of ['nothing listening', 'accepts and never answers'] as const) {
  describe(`shutdown with the collector unreachable (${collector})`, { concurrency: true }, () => {
    for (const timeoutMs of [10_000, 1_000]) {
      test(`otlp.timeout ${timeoutMs / 1000} s: returns within it, says what was lost, counts it everywhere`, async () => {
        const stall = collector === 'nothing listening' ? undefined : await stallServer();
        const port = stall ? stall.port : await deadPort();
        const endpoint = `http://127.0.0.1:${port}`;
        try {
          const r = await runChild(
            'shutdown',
            {
              OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
              ...(timeoutMs !== 10_000 ? { OTEL_EXPORTER_OTLP_TIMEOUT: String(timeoutMs) } : {}),
            },
            CONFIG,
          );
          assert.equal(r.code, 0, r.stderr);
          // The bound (docs/reliability.md): otlp.timeout, plus the local sinks' last flush. The margin
          // is for a loaded machine; before, this took four times the timeout.
          assert.ok(r.result.shutdownMs! <= timeoutMs + 2500, `shutdown took ${r.result.shutdownMs} ms`);
          // Nothing of the network keeps the process alive after it (OTel's retry timer at most).
          assert.ok(r.exitLagMs <= 6000, `exited ${Math.round(r.exitLagMs)} ms after shutdown`);

          const summary = r.lines.filter((l) => l.startsWith('grpo-otel: shutdown:'));
          assert.equal(summary.length, 1, r.stderr);
          const m = new RegExp(
            `^grpo-otel: shutdown: (\\d+) logs, (\\d+) metric points, (\\d+) spans not delivered to ${endpoint} within ${timeoutMs / 1000} s: (.+) \\(counted in grpo.sdk.record.dropped\\)$`,
          ).exec(summary[0]!);
          assert.ok(m, summary[0]);
          // Nothing listening: refused at once, but OTel's HTTP transport retries a refused connection
          // itself (after 1 s +-20%) within the export's timeout, so at a 1 s deadline an attempt may
          // still be waiting on that retry: 'no answer' beside or instead of ECONNREFUSED, never a timeout.
          assert.match(
            m[4]!,
            stall ? /^(no answer|timeout)$/ : /^(ECONNREFUSED|no answer)(, (ECONNREFUSED|no answer))?$/,
          );
          // Nothing else on stderr: no per-queue warnings beside the summary (a loaded machine may let a
          // first attempt fail before shutdown begins: its one warning is the only other line allowed).
          assert.deepEqual(
            r.lines.filter(
              (l) =>
                !l.startsWith('grpo-otel: shutdown:') && !/^grpo-otel: otlp: \w+ export failed \(/.test(l),
            ),
            [],
            r.stderr,
          );

          const said = { logs: Number(m[1]), metrics: Number(m[2]), traces: Number(m[3]) };
          // 5 steps: 10 log records (and the root channel's copy of such a warning), 10 spans; the metric
          // points of the final collection.
          assert.ok(said.logs >= 10, String(said.logs));
          assert.equal(said.traces, 10);
          assert.ok(said.metrics > 0);
          const counted = { logs: 0, metrics: 0, traces: 0 };
          for (const d of r.result.drops ?? []) {
            assert.equal(d.where, 'otlp', JSON.stringify(d));
            // The notice itself, logged to the system channel for the files after the OTLP queues closed.
            if (d.reason === 'shutdown') {
              assert.deepEqual([d.signal, d.count], ['logs', 1]);
              continue;
            }
            assert.ok(d.reason === 'timeout' || d.reason === 'export_failed', JSON.stringify(d));
            counted[d.signal as keyof typeof counted] += d.count;
          }
          assert.deepEqual(counted, said);

          // The local sink's last export (TensorBoard) carries these drops in its dropped series.
          const inTensorBoard = { logs: 0, metrics: 0, traces: 0 };
          for (const file of await readEvents(join(r.dir, 'tb'))) {
            for (const e of file.events) {
              for (const v of e.values) {
                const t =
                  /^grpo\.sdk\.record\.dropped\/(logs|metrics|traces)\/(timeout|export_failed)\/otlp$/.exec(
                    v.tag,
                  );
                if (t && v.kind === 'scalar') inTensorBoard[t[1] as keyof typeof counted] += v.value;
              }
            }
          }
          assert.deepEqual(inTensorBoard, said);
          // And the notice is in the run's files (here the system channel's TensorBoard text).
          const texts: string[] = [];
          for (const file of await readEvents(join(r.dir, 'tb'))) {
            for (const e of file.events) for (const v of e.values) if (v.kind === 'text') texts.push(v.text);
          }
          assert.ok(
            texts.some((x) => x.includes('shutdown:') && x.includes('not delivered to')),
            texts.join('\n'),
          );
        } finally {
          await stall?.close();
        }
      });
    }
  });
}
