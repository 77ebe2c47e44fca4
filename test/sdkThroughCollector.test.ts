// The SDK's logs, metrics and traces, sent over OTLP/HTTP to the real otelcol-grpo built from the
// manifest, read back from the collector's file exporter: semconv names and resource attributes arrive,
// and each record carries the trace context it was logged in. Once more with a telemetry thread doing
// the work (`telemetry_thread.enabled`): the records were captured on this thread, their trace context
// with them, and the spans ended here were handed over.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  getTrainingLogger,
  initialize,
  logMemoryUsage,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logTrainingProgress,
  parseConfig,
  shutdown,
  withSpan,
  withStepSpan,
} from '@grpo-otel/sdk';
import { METRICS, SPAN_GRPO_GENERATE, SPAN_GRPO_STEP } from '@grpo-otel/semconv';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import {
  anyValue,
  attributesToObject,
  type ExportedLines,
  exportedLogRecords,
  exportedMetrics,
  exportedSpans,
} from '@grpo-otel/testkit/otlpJson';
import { waitFor } from '@grpo-otel/testkit/waitFor';

const CONFIG = `version: 1
root: { level: INFO, handlers: [] }
loggers:
  training: { level: INFO, handlers: [], propagate: false }
resource:
  experiment: e2e
  model: tiny-gru
  rank: 0
  world_size: 1
  run_id: \${env:RUN_ID}
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
telemetry_thread:
  enabled: \${env:THREAD}
`;

const RUNS = [
  { protocol: 'http/protobuf', thread: false },
  { protocol: 'http/json', thread: false },
  { protocol: 'http/protobuf', thread: true },
] as const;

for (const { protocol, thread } of RUNS) {
  describe(`SDK -> real collector over OTLP ${protocol}${thread ? ', telemetry thread' : ''}`, {
    timeout: 15 * 60_000,
  }, () => {
    let collector: RunningCollector;
    let exported: ExportedLines;
    const runId = `e2e-${protocol.replace('/', '-')}${thread ? '-thread' : ''}`;

    before(async () => {
      collector = await startCollector();
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'grpo-e2e',
        RUN_ID: runId,
        THREAD: String(thread),
      };
      initialize({
        config: parseConfig(CONFIG, { source: 'e2e.yaml', baseDir: '/', env }),
        env,
        handleExit: false,
      });
      withStepSpan(5, () => {
        withSpan(SPAN_GRPO_GENERATE, { 'grpo.group.size': 4 }, () => undefined);
        getTrainingLogger().info('hello collector', { 'grpo.step': 5 });
        logTrainingProgress(5, { loss: 0.5, 'rewards/format/mean': 0.75, my_metric: 3 });
        logReward('correctness', [1, 0, 1]);
        logRewardMetrics(5, { correctness: [1, 0, 1] });
        logModelOutput('What is 2+2?', '4', '<reasoning>2+2=4</reasoning><answer>4</answer>');
        logMemoryUsage();
      });
      await shutdown();
      exported = await waitFor(
        async () => {
          const e = await collector.readExported();
          const names = new Set(exportedMetrics(e).map((m) => m.item.name));
          return exportedLogRecords(e).length >= 4 &&
            exportedSpans(e).length >= 2 &&
            names.has(METRICS.rewardMean.name)
            ? e
            : undefined;
        },
        30_000,
        'logs, metrics and spans in the collector export',
      );
    });
    after(async () => {
      await collector?.stop();
    });

    test('resource attributes on every signal', () => {
      const resources = [
        ...exportedLogRecords(exported).map((x) => x.resource),
        ...exportedMetrics(exported).map((x) => x.resource),
        ...exportedSpans(exported).map((x) => x.resource),
      ];
      assert.ok(resources.length > 0);
      for (const r of resources) {
        const a = attributesToObject(r.attributes);
        assert.equal(a['service.name'], 'grpo-e2e');
        assert.equal(a['grpo.run.id'], runId);
        assert.equal(a['grpo.experiment.name'], 'e2e');
        assert.equal(a['gen_ai.request.model'], 'tiny-gru');
        assert.equal(Number(a['grpo.rank']), 0);
        assert.equal(Number(a['grpo.world_size']), 1);
      }
    });

    test('log records keep channel (scope), severity, body and attributes', () => {
      const logs = exportedLogRecords(exported);
      const hello = logs.find((l) => anyValue(l.item.body) === 'hello collector');
      assert.ok(hello);
      assert.equal(hello.scope.name, 'training');
      assert.equal(hello.item.severityText, 'INFO');
      assert.equal(Number(attributesToObject(hello.item.attributes)['grpo.step']), 5);
      const progress = logs.find((l) => String(anyValue(l.item.body)).startsWith('step 5: loss=0.5'));
      assert.ok(progress, 'logTrainingProgress record');
      const output = logs.find((l) => l.scope.name === 'model_outputs');
      assert.ok(output);
      const oa = attributesToObject(output.item.attributes);
      assert.equal(oa['grpo.sample.answer'], '4');
      assert.equal(oa['grpo.sample.correct'], true);
      assert.ok(
        logs.some(
          (l) => l.scope.name === 'rewards' && String(anyValue(l.item.body)).includes('reward correctness'),
        ),
      );
      assert.ok(
        logs.some((l) => l.scope.name === 'system' && String(anyValue(l.item.body)).startsWith('memory:')),
      );
    });

    test('metrics arrive under their semconv names, units and attributes', () => {
      const metrics = exportedMetrics(exported);
      const last = (name: string, attrs: Record<string, string> = {}) => {
        const points = metrics
          .filter((m) => m.item.name === name)
          .flatMap((m) => [...(m.item.gauge?.dataPoints ?? []), ...(m.item.sum?.dataPoints ?? [])])
          .filter((p) => Object.entries(attrs).every(([k, v]) => attributesToObject(p.attributes)[k] === v));
        const p = points[points.length - 1];
        assert.ok(p, `a point of ${name} ${JSON.stringify(attrs)}`);
        return p.asDouble ?? Number(p.asInt);
      };
      assert.equal(last(METRICS.policyLoss.name), 0.5);
      assert.equal(last(METRICS.rewardMean.name, { 'grpo.reward.function': 'format' }), 0.75);
      assert.equal(last(METRICS.rewardMean.name, { 'grpo.reward.function': 'correctness' }), 2 / 3);
      assert.ok(
        Math.abs(last(METRICS.rewardStd.name, { 'grpo.reward.function': 'correctness' }) - Math.sqrt(2 / 9)) <
          1e-12,
      );
      assert.equal(last(METRICS.trainingCurrentStep.name), 5);
      assert.equal(last(METRICS.trainingSteps.name), 5);
      assert.equal(last('grpo.custom.my_metric'), 3);
      assert.ok(last(METRICS.processMemoryUsage.name) > 0);
      const hist = metrics.find((m) => m.item.name === METRICS.rewardValue.name);
      assert.ok(hist?.item.histogram);
      assert.equal(hist.item.unit, METRICS.rewardValue.unit);
      const hp = hist.item.histogram.dataPoints?.[0] as { count?: string | number; sum?: number };
      assert.equal(Number(hp.count), 3);
      assert.equal(hp.sum, 2);
      const loss = metrics.find((m) => m.item.name === METRICS.policyLoss.name);
      assert.equal(loss?.item.unit, METRICS.policyLoss.unit);
    });

    test('spans: grpo.step with its step, grpo.generate as its child', () => {
      const spans = exportedSpans(exported).map((s) => s.item);
      const step = spans.find((s) => s.name === SPAN_GRPO_STEP);
      const gen = spans.find((s) => s.name === SPAN_GRPO_GENERATE);
      assert.ok(step && gen);
      assert.equal(Number(attributesToObject(step.attributes)['grpo.step']), 5);
      assert.equal(gen.parentSpanId, step.spanId);
      assert.equal(gen.traceId, step.traceId);
    });

    test('records logged inside the step span carry its trace and span ids', () => {
      const step = exportedSpans(exported)
        .map((s) => s.item)
        .find((s) => s.name === SPAN_GRPO_STEP);
      assert.ok(step);
      const logs = exportedLogRecords(exported);
      const inStep = [
        logs.find((l) => anyValue(l.item.body) === 'hello collector'),
        logs.find((l) => String(anyValue(l.item.body)).startsWith('step 5: loss=0.5')),
        logs.find((l) => l.scope.name === 'model_outputs'),
      ];
      for (const l of inStep) {
        assert.ok(l);
        assert.equal(l.item.traceId, step.traceId, String(anyValue(l.item.body)));
        assert.equal(l.item.spanId, step.spanId, String(anyValue(l.item.body)));
      }
    });
  });
}
