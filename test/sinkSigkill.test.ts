// `grpo-otel sink` killed with SIGKILL while requests keep arriving: every file it wrote is still
// readable by its consumer (TensorBoard's reader sees whole records, at most a torn last one; the CSV
// holds whole rows; the log files and the trace file whole lines), and what was answered 200 before the
// last flush is there.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';

const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

function logs(step: number) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [kv('grpo.run.id', { stringValue: 'killed' })] },
        scopeLogs: [
          {
            scope: { name: 'model_outputs' },
            logRecords: Array.from({ length: 20 }, (_, i) => ({
              severityNumber: 9,
              eventName: 'grpo.model_output',
              body: { stringValue: `completion ${i}` },
              attributes: [
                kv('grpo.step', { intValue: String(step) }),
                kv('grpo.sample.question', { stringValue: `q${i}, "quoted"\nsecond line` }),
                kv('grpo.sample.answer', { stringValue: '4' }),
              ],
            })),
          },
        ],
      },
    ],
  };
}

function metrics(step: number) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [kv('grpo.run.id', { stringValue: 'killed' })] },
        scopeMetrics: [
          {
            scope: { name: 't' },
            metrics: Array.from({ length: 20 }, (_, i) => ({
              name: `m${i}`,
              gauge: {
                dataPoints: [
                  { asDouble: step + i / 100, attributes: [kv('grpo.step', { intValue: String(step) })] },
                ],
              },
            })),
          },
        ],
      },
    ],
  };
}

function traces(step: number) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('grpo.run.id', { stringValue: 'killed' })] },
        scopeSpans: [
          {
            scope: { name: 't' },
            spans: Array.from({ length: 20 }, (_, i) => ({
              traceId: step.toString(16).padStart(32, '0'),
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name: `span ${i}`,
              startTimeUnixNano: '1765000000000000000',
              endTimeUnixNano: '1765000000000000001',
              attributes: [
                kv('grpo.step', { intValue: String(step) }),
                kv('text', { stringValue: 'a\nb "c"' }),
              ],
            })),
          },
        ],
      },
    ],
  };
}

test('grpo-otel sink after SIGKILL: TensorBoard files, CSV, logs and spans readable, the answered steps there', async () => {
  const dir = await tempDirUntilExit('grpo-sink-kill-');
  const sink = await startSink({ out: dir, args: ['--no-analysis'] });
  const url = sink.endpoint;
  const post = (signal: string, body: unknown) =>
    fetch(`${url}/v1/${signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(
      (r) => r.status,
      () => 0,
    );
  let answered = 0;
  // Requests in flight while the process is killed.
  const sender = (async () => {
    for (let step = 1; step <= 10_000; step++) {
      const [a, b, c] = await Promise.all([
        post('logs', logs(step)),
        post('metrics', metrics(step)),
        post('traces', traces(step)),
      ]);
      if (a !== 200 || b !== 200 || c !== 200) return;
      answered = step;
    }
  })();
  await waitFor(async () => (answered >= 30 ? true : undefined), 30_000, '30 steps answered', 10);
  // What the writers had 1 s to hand to the OS is on disk after the kill (the writers write right away).
  const settledStep = answered;
  await new Promise((r) => setTimeout(r, 1000));
  sink.child.kill('SIGKILL');
  await sink.closed;
  await sender;

  const files = await readEvents(join(dir, 'tensorboard', 'killed'));
  assert.ok(files.length >= 1);
  for (const f of files)
    for (const issue of f.issues) assert.equal(issue.kind, 'torn', `${f.path}: ${issue.message}`);
  const steps = new Set(files.flatMap((f) => f.events.map((e) => e.event.step)));
  for (let s = 1; s <= settledStep; s++) assert.ok(steps.has(s), `step ${s} in TensorBoard`);

  const csv = readFileSync(join(dir, 'killed', 'model_outputs.csv'), 'utf8');
  assert.ok(csv.endsWith('\r\n'), 'the CSV ends with a whole row');
  const rows = parseCsv(csv);
  for (const row of rows.slice(1)) assert.equal(row.length, rows[0]!.length);
  assert.ok(rows.length - 1 >= settledStep * 20, `${rows.length - 1} rows for ${settledStep} steps`);
  assert.equal(rows[1]![2], 'q0, "quoted"\nsecond line');

  for (const name of readdirSync(join(dir, 'killed', 'logs'))) {
    const text = readFileSync(join(dir, 'killed', 'logs', name), 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), `${name} ends with a whole line`);
  }

  const traceText = readFileSync(join(dir, 'killed', 'traces.jsonl'), 'utf8');
  assert.ok(traceText.endsWith('\n'), 'traces.jsonl ends with a whole line');
  const spanSteps = new Set<number>();
  for (const line of traceText.slice(0, -1).split('\n')) {
    const span = JSON.parse(line).resourceSpans[0].scopeSpans[0].spans[0];
    spanSteps.add(span.attributes[0].value.intValue);
  }
  for (let s = 1; s <= settledStep; s++) assert.ok(spanSteps.has(s), `step ${s} in traces.jsonl`);
});
