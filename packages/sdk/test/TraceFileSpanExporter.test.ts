import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type HrTime, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  forceFlush,
  initialize,
  parseConfig,
  recordSpan,
  shutdown,
  withSpan,
  withStepSpan,
} from '../src/index.js';

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpAnyValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpAnyValue }[];
  events: { name: string }[];
  status: { code: number; message?: string };
}
interface Line {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpAnyValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

function plain(v: OtlpAnyValue): unknown {
  if (v.arrayValue) return v.arrayValue.values.map(plain);
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.doubleValue ?? v.boolValue;
}
const nanos = (t: HrTime) => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-traces-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const CONFIG = `version: 1
root: { level: WARNING, handlers: [] }
handlers:
  traces: { class: traces, filename: logs/traces.jsonl, flush_interval: 60 }
`;

test('spans from withSpan and recordSpan are in the trace file, one OTLP/JSON line each, lacking nothing', async (t) => {
  const dir = tempDir(t);
  // The same spans, as OTel hands them to any processor: what each line must hold.
  const memory = new InMemorySpanExporter();
  initialize({
    config: parseConfig(CONFIG, { source: 'traces.yaml', baseDir: dir, env: {} }),
    env: {},
    handleExit: false,
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const t0 = performance.now();
  withStepSpan(3, () => {
    recordSpan('grpo.generate', { 'grpo.step': 3, 'grpo.batch.size': 8, tags: ['a', 'b'] }, t0, t0 + 1);
    withSpan('grpo.reward', { 'grpo.step': 3, 'grpo.reward.function': 'correctness', ok: true }, () => {
      recordSpan('grpo.reward.correctness', { 'grpo.step': 3, mean: 0.25 }, t0 + 1, t0 + 2);
    });
    try {
      withSpan('grpo.update', { 'grpo.step': 3 }, () => {
        throw new Error('nan loss');
      });
    } catch {
      // recorded on the span as its error
    }
  });
  await forceFlush(); // the in-memory exporter's copy first (its shutdown forgets them)
  const expected = new Map<string, ReadableSpan>(
    memory.getFinishedSpans().map((s) => [s.spanContext().spanId, s]),
  );
  await shutdown();
  assert.equal(expected.size, 5);
  const lines = readFileSync(join(dir, 'logs', 'traces.jsonl'), 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'ends with a line break');
  assert.equal(lines.length, 5, 'one line per span');
  for (const line of lines) {
    const req = JSON.parse(line) as Line;
    assert.equal(req.resourceSpans.length, 1);
    const rs = req.resourceSpans[0]!;
    const resource = Object.fromEntries(rs.resource.attributes.map((a) => [a.key, plain(a.value)]));
    assert.ok(resource['grpo.run.id'], 'the resource is there (run id)');
    assert.equal(rs.scopeSpans[0]!.scope.name, '@grpo-otel/sdk');
    assert.equal(rs.scopeSpans[0]!.spans.length, 1);
    const span = rs.scopeSpans[0]!.spans[0]!;
    const want = expected.get(span.spanId);
    assert.ok(want, `span ${span.name} ${span.spanId} was recorded`);
    expected.delete(span.spanId);
    assert.equal(span.name, want.name);
    assert.equal(span.traceId, want.spanContext().traceId);
    assert.equal(span.parentSpanId || undefined, want.parentSpanContext?.spanId);
    assert.equal(span.startTimeUnixNano, nanos(want.startTime));
    assert.equal(span.endTimeUnixNano, nanos(want.endTime));
    assert.deepEqual(
      Object.fromEntries(span.attributes.map((a) => [a.key, plain(a.value)])),
      want.attributes,
    );
    assert.equal(span.status.code, want.status.code);
    assert.deepEqual(
      span.events.map((e) => e.name),
      want.events.map((e) => e.name),
    );
  }
  assert.equal(expected.size, 0, 'every span is in the file');

  // The tree: every span in the step's trace, the phases under the step, the per-function span under its reward.
  const spans = lines.map((l) => (JSON.parse(l) as Line).resourceSpans[0]!.scopeSpans[0]!.spans[0]!);
  const byName = new Map(spans.map((s) => [s.name, s]));
  const step = byName.get('grpo.step')!;
  for (const s of spans) assert.equal(s.traceId, step.traceId);
  for (const name of ['grpo.generate', 'grpo.reward', 'grpo.update'])
    assert.equal(byName.get(name)!.parentSpanId, step.spanId, name);
  assert.equal(byName.get('grpo.reward.correctness')!.parentSpanId, byName.get('grpo.reward')!.spanId);
  assert.equal(byName.get('grpo.update')!.status.code, SpanStatusCode.ERROR);
  assert.deepEqual(byName.get('grpo.generate')!.attributes.find((a) => a.key === 'tags')?.value, {
    arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] },
  });
});

test('the embedded default config writes every span to logs/traces.jsonl', async (t) => {
  const dir = tempDir(t);
  initialize({ baseDir: dir, env: {}, handleExit: false });
  withStepSpan(0, () =>
    recordSpan('grpo.update', { 'grpo.step': 0 }, performance.now() - 1, performance.now()),
  );
  await shutdown();
  const names = readFileSync(join(dir, 'logs', 'traces.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as Line).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name);
  assert.deepEqual(names.sort(), ['grpo.step', 'grpo.update']);
});

test('a channel cannot list a trace sink: the config error says why', () => {
  assert.throws(
    () =>
      parseConfig(`${CONFIG}loggers:\n  training: { handlers: [traces] }\n`, {
        source: 'bad.yaml',
        baseDir: '/',
        env: {},
      }),
    /bad\.yaml:\d+:\d+: loggers\.training\.handlers\[0\]: handler 'traces' is a trace sink/,
  );
});

test('after SIGKILL the trace file holds whole lines, every one of them a span', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'c.yaml');
  writeFileSync(
    config,
    `version: 1
root: { level: WARNING, handlers: [] }
handlers:
  traces: { class: traces, filename: traces.jsonl, flush_interval: 0.02 }
`,
  );
  const child = fileURLToPath(new URL('./fixtures/childSpans.ts', import.meta.url));
  // In the test's folder: relative paths in the config resolve against the working directory.
  const p = spawn(
    process.execPath,
    ['--conditions=source', '--import', import.meta.resolve('tsx'), child, config],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Killed once it has ended a few thousand spans and the file has its first lines (the telemetry
  // thread writes it, once started), in the middle of writing.
  await new Promise<void>((resolve) => {
    let out = '';
    p.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/spans 3\d{3}/.test(out)) resolve();
    });
  });
  const file = join(dir, 'traces.jsonl');
  for (let i = 0; i < 400 && !(existsSync(file) && readFileSync(file, 'utf8').includes('\n')); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  p.kill('SIGKILL');
  await new Promise((r) => p.on('close', r));
  const text = readFileSync(join(dir, 'traces.jsonl'), 'utf8');
  const lines = text.split('\n');
  const last = lines.pop()!;
  assert.ok(lines.length > 100, `${lines.length} whole lines`);
  const steps = lines.map((l) => {
    const span = (JSON.parse(l) as Line).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    return Number(plain(span.attributes.find((a) => a.key === 'grpo.step')!.value));
  });
  // In order, none missing before the last whole line.
  assert.deepEqual(
    steps,
    Array.from({ length: steps.length }, (_, i) => i),
  );
  // At most the start of the next line after the last line break.
  if (last !== '') assert.throws(() => JSON.parse(last));
});
