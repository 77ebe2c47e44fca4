// runValidation against deliberately slow and deliberately wrong fake models (the models are the
// fakes here; the collector is the real otelcol-grpo): timeouts and error patterns are counted, and
// the grpo.validation span with one grpo.validation.sample event per sample reaches the collector.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initialize, parseConfig, runValidation, shutdown, type ValidationResult } from '@grpo-otel/sdk';
import { EVENT_GRPO_VALIDATION_SAMPLE, METRICS, SPAN_GRPO_VALIDATION } from '@grpo-otel/semconv';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import {
  attributesToObject,
  type ExportedLines,
  exportedMetrics,
  exportedSpans,
} from '@grpo-otel/testkit/otlpJson';
import { waitFor } from '@grpo-otel/testkit/waitFor';

const dir = mkdtempSync(join(tmpdir(), 'grpo-val-'));
const dataset = join(dir, 'validation.jsonl');
// Six problems; answers 3, 5, 7, 9, 11, 13.
writeFileSync(
  dataset,
  `${[1, 2, 3, 4, 5, 6].map((i) => JSON.stringify({ id: `q${i}`, question: `What is ${i}+${i + 1}?`, answer: String(2 * i + 1) })).join('\n')}\n`,
);

const answer = (n: number | string) => `<reasoning>\nadding\n</reasoning>\n<answer>\n${n}\n</answer>`;

describe('runValidation through the real collector', { timeout: 10 * 60_000 }, () => {
  let collector: RunningCollector;
  let result: ValidationResult | undefined;
  let exported: ExportedLines;

  before(async () => {
    collector = await startCollector();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    };
    const yaml = `metrics:\n  validation: { dataset_path: ${dataset}, max_samples: 100, timeout_per_sample: 0.2 }\n`;
    initialize({
      config: parseConfig(yaml, { source: 'v.yaml', baseDir: dir, env }),
      env,
      handleExit: false,
    });
    // q1 right; q2 wrong number; q3 never answers (timeout); q4 empty; q5 throws; q6 right but unformatted.
    const model = async (prompt: string, { signal }: { signal: AbortSignal }) => {
      const a = Number(/What is (\d+)\+/.exec(prompt)![1]);
      if (a === 2) return answer(6);
      if (a === 3)
        return new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      if (a === 4) return '   ';
      if (a === 5) throw new Error('model crashed');
      if (a === 6) return 'it is 13';
      return answer(2 * a + 1);
    };
    result = await runValidation(250, { generate: model });
    await shutdown();
    exported = await waitFor(
      async () => {
        const e = await collector.readExported();
        return exportedSpans(e).some((s) => s.item.name === SPAN_GRPO_VALIDATION) &&
          exportedMetrics(e).some((m) => m.item.name === METRICS.validationAccuracy.name)
          ? e
          : undefined;
      },
      30_000,
      'validation span and metrics in the collector export',
    );
  });
  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('accuracy and error patterns', () => {
    assert.ok(result);
    assert.equal(result.samples, 6);
    assert.equal(result.correct, 2);
    assert.equal(result.accuracy, 2 / 6);
    assert.deepEqual(result.errors, { wrong_answer: 1, timeout: 1, empty: 1, exception: 1 });
    assert.deepEqual(
      result.results.map((r) => [r.id, r.correct, r.formatValid, r.errorType ?? '']),
      [
        ['q1', true, true, ''],
        ['q2', false, true, 'wrong_answer'],
        ['q3', false, false, 'timeout'],
        ['q4', false, false, 'empty'],
        ['q5', false, false, 'exception'],
        ['q6', true, false, ''],
      ],
    );
  });

  test('the span and one event per sample arrive at the collector', () => {
    const span = exportedSpans(exported).find((s) => s.item.name === SPAN_GRPO_VALIDATION)!.item;
    const attrs = attributesToObject(span.attributes);
    assert.equal(Number(attrs['grpo.step']), 250);
    assert.equal(Number(attrs['grpo.validation.sample_count']), 6);
    const all = (span.events as { name: string; attributes?: { key: string; value: unknown }[] }[]) ?? [];
    const events = all.filter((e) => e.name === EVENT_GRPO_VALIDATION_SAMPLE);
    assert.equal(events.length, 6);
    // The model that threw is also recorded as the span's exception event.
    assert.equal(all.filter((e) => e.name === 'exception').length, 1);
    const types = events.map((e) => attributesToObject(e.attributes as never)['error.type'] ?? 'none');
    assert.deepEqual(types, ['none', 'wrong_answer', 'timeout', 'empty', 'exception', 'none']);
  });

  test('metrics: accuracy gauge, error counter by type, timeouts', () => {
    const metrics = exportedMetrics(exported);
    const points = (name: string) =>
      metrics
        .filter((m) => m.item.name === name)
        .flatMap((m) => [...(m.item.gauge?.dataPoints ?? []), ...(m.item.sum?.dataPoints ?? [])]);
    assert.equal(points(METRICS.validationAccuracy.name).at(-1)?.asDouble, 2 / 6);
    const errs = Object.fromEntries(
      points(METRICS.validationErrors.name).map((p) => [
        attributesToObject(p.attributes)['error.type'],
        Number(p.asInt ?? p.asDouble),
      ]),
    );
    assert.deepEqual(errs, { wrong_answer: 1, timeout: 1, empty: 1, exception: 1 });
    assert.equal(Number(points(METRICS.validationTimeouts.name).at(-1)?.asInt), 1);
  });
});
