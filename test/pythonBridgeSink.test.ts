// The Python bridge's batches as the sink reads them: python/examples/train_loop.py (grpo_otel on the OTel
// Python SDK) -> the real collector (collector-config/local.yaml + local-sink.yaml) -> `grpo-otel sink`
// (a process, stopped with SIGTERM). Every step's grpo.step.batch is analysed (none refused as a bad
// batch, none failing its analyses), the channels' records arrive beside them, the run's spans (its
// validation span) go to its traces.jsonl as the SDK's traces handler writes them, and the sink writes the
// run's TensorBoard and log files, which the real TensorBoard (its EventAccumulator, from the test venv)
// reads with every metric category of the seed plan at the steps the loop logged them; its server (both
// loaders, through the HTTP API) serves the same scalars.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { grpoCustomScalarsLayout } from '@grpo-otel/exporter-tensorboard';
import { filesUnder } from '@grpo-otel/testkit/filesUnder';
import { attributesToObject, exportedSpans, readExportFile } from '@grpo-otel/testkit/otlpJson';
import { freePort } from '@grpo-otel/testkit/ports';
import { type LocalCollector, startLocalCollector } from '@grpo-otel/testkit/prometheus';
import { startPythonScript, TRAIN_LOOP } from '@grpo-otel/testkit/pythonLoop';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { type RunningSink, type SinkStatsAnswer, startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import {
  type AccumulatedRun,
  readWithEventAccumulator,
  startTensorBoard,
} from '@grpo-otel/testkit/tensorboard';

const STEPS = 12;
const RUN = `py-sink-${process.pid}`;
/** train_loop.py's reward functions, its --full-every and its --validate-every (default 10). */
const FUNCTIONS = ['correctness', 'format', 'length', 'reasoning'];
const FULL_EVERY = 2;
const VALIDATE_EVERY = 10;
/** train_loop.py's validation set: 8 questions, each a grpo.validation.sample event of the span. */
const VALIDATION_SAMPLES = 8;
const range = (from: number, to: number, by = 1): number[] =>
  Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => from + i * by);
const EVERY_STEP = range(1, STEPS);
const FULL_STEPS = range(FULL_EVERY, STEPS, FULL_EVERY);

describe('Python bridge -> collector -> grpo-otel sink', { timeout: 180_000 }, () => {
  let out: string;
  let local: LocalCollector;
  let sink: RunningSink;
  let stats: SinkStatsAnswer;
  let loopOutput = '';
  let loopCode: number | null = null;

  before(async () => {
    const dir = await tempDirUntilExit('grpo-py-sink-');
    out = join(dir, 'out');
    const sinkPort = await freePort();
    local = await startLocalCollector({
      overlays: [join(repoRoot, 'collector-config', 'local-sink.yaml')],
      env: { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${sinkPort}` },
    });
    // The analyses as a short run wants them: a plateau is no improvement over 5 steps.
    const config = join(dir, 'sink.yaml');
    writeFileSync(config, 'version: 1\nmetrics:\n  history_window: 5\n  plateau:\n    window: 5\n');
    sink = await startSink({ port: sinkPort, out, config, otlpEndpoint: local.collector.otlpHttpEndpoint });

    const loop = startPythonScript(TRAIN_LOOP, [
      '--endpoint',
      local.collector.otlpHttpEndpoint,
      '--steps',
      String(STEPS),
      '--rewards',
      'flat',
      '--run-id',
      RUN,
      '--full-every',
      String(FULL_EVERY),
    ]);
    loopCode = await loop.exited;
    loopOutput = loop.output();

    stats = await sink.settled(
      (s) => s.batches + s.dropped.bad_batch >= STEPS && s.logRecords > 2 * STEPS && s.spans >= 1,
      'every step of the Python run, and its validation span, at the sink',
    );
    await sink.stop();
  });

  after(async () => {
    await sink?.stop();
    await local?.collector.stop();
  });

  test('the loop ends, and the sink analyses every batch it sent, refusing none', () => {
    assert.equal(loopCode, 0, loopOutput);
    assert.equal(stats.dropped.bad_batch, 0, JSON.stringify(stats));
    assert.equal(stats.dropped.analysis_failed, 0, JSON.stringify(stats));
    assert.equal(stats.batches, STEPS, JSON.stringify(stats));
    // the channels' records too (progress lines, model outputs, rewards), beside the batches
    assert.ok(stats.metricPoints > 0 && stats.logRecords > 2 * STEPS, JSON.stringify(stats));
  });

  test('the run’s spans are in its traces.jsonl, one OTLP/JSON line each, with the run’s resource', async () => {
    const path = join(out, RUN, 'traces.jsonl');
    const text = readFileSync(path, 'utf8');
    assert.ok(text.endsWith('\n'), 'whole lines');
    const exported = await readExportFile(path);
    assert.equal(exported.other.length + exported.logs.length + exported.metrics.length, 0);
    for (const line of exported.traces) {
      assert.equal(line.resourceSpans.length, 1);
      assert.equal(line.resourceSpans[0]!.scopeSpans?.length, 1);
      assert.equal(line.resourceSpans[0]!.scopeSpans?.[0]?.spans?.length, 1);
    }
    const spans = exportedSpans(exported);
    assert.ok(spans.length >= stats.spans && spans.length > 0, JSON.stringify(stats));
    assert.equal(stats.dropped.bad_span + stats.dropped.write_failed, 0, JSON.stringify(stats));
    // run_validation's span: at the steps validation ran, the samples as its events, a root span
    const validation = spans.filter((s) => s.item.name === 'grpo.validation');
    assert.deepEqual(
      validation.map((s) => attributesToObject(s.item.attributes)['grpo.step']),
      range(VALIDATE_EVERY, STEPS, VALIDATE_EVERY),
    );
    for (const { resource, scope, item } of validation) {
      const r = attributesToObject(resource.attributes);
      assert.equal(r['grpo.run.id'], RUN);
      assert.equal(r['service.name'], 'grpo-python-loop');
      assert.equal(scope.name, 'grpo_otel');
      assert.match(item.traceId ?? '', /^[0-9a-f]{32}$/);
      assert.match(item.spanId ?? '', /^[0-9a-f]{16}$/);
      assert.equal(item.parentSpanId, undefined, 'a root span');
      const [start, end] = [BigInt(item.startTimeUnixNano!), BigInt(item.endTimeUnixNano!)];
      assert.ok(start > 0n && end >= start, `${start} .. ${end}`);
      assert.deepEqual(
        attributesToObject(item.attributes)['grpo.validation.sample_count'],
        VALIDATION_SAMPLES,
      );
      const events = item.events as { name: string }[];
      assert.equal(events.length, VALIDATION_SAMPLES);
      for (const e of events) assert.equal(e.name, 'grpo.validation.sample');
    }
  });

  test('the sink writes the run’s TensorBoard and log files', () => {
    const all = filesUnder(out);
    assert.ok(
      all.some((f) => f.includes(RUN) && /tfevents/.test(f)),
      `no TensorBoard event file of ${RUN} in:\n${all.join('\n')}`,
    );
    assert.ok(
      all.some((f) => f.includes(RUN) && f.endsWith('.log')),
      `no log file of ${RUN} in:\n${all.join('\n')}`,
    );
  });

  describe('the real TensorBoard reads every category of the seed plan at its steps', () => {
    let tb: AccumulatedRun;
    const steps = (tag: string): number[] => {
      const points = tb.scalars[tag] ?? tb.histograms[tag];
      assert.ok(points, `no tag ${tag} in ${RUN}; scalars: ${Object.keys(tb.scalars).sort().join(', ')}`);
      return [...new Set(points.map(([step]) => step))].sort((a, b) => a - b);
    };
    before(() => {
      tb = readWithEventAccumulator(join(out, 'tensorboard', RUN));
    });

    test('every category of the TensorBoard layout has tags of this run', () => {
      const tags = [...Object.keys(tb.scalars), ...Object.keys(tb.histograms)];
      for (const category of grpoCustomScalarsLayout({ rewardFunctions: FUNCTIONS }).categories) {
        const patterns = category.charts.flatMap((c) =>
          ('multiline' in c ? c.multiline : c.margin.map((m) => m.value)).map((m) => new RegExp(m)),
        );
        assert.ok(
          tags.some((tag) => patterns.some((p) => p.test(tag))),
          `no tag of category ${category.title}`,
        );
      }
    });

    test('rewards: per function and total, the trainer’s gauges and the sink’s analyses, every step', () => {
      for (const f of [...FUNCTIONS, 'total']) {
        for (const metric of ['mean', 'std', 'min', 'max', 'moving_average', 'zero_std_ratio']) {
          assert.deepEqual(steps(`grpo.reward.${metric}/${f}`), EVERY_STEP, `grpo.reward.${metric}/${f}`);
        }
        assert.deepEqual(steps(`grpo.reward.value/${f}`), EVERY_STEP, `histogram grpo.reward.value/${f}`);
      }
      assert.ok(steps('grpo.reward.correlation/correctness/format/pearson').length > 0);
    });

    test('one point per tag and step: the bridge’s gauges are not written again from the sink’s analyses', () => {
      const twice: string[] = [];
      for (const [kind, tags] of [
        ['scalar', tb.scalars],
        ['histogram', tb.histograms],
      ] as const)
        for (const [tag, points] of Object.entries(tags)) {
          const seen = new Map<number, number>();
          for (const [step] of points) seen.set(step, (seen.get(step) ?? 0) + 1);
          for (const [step, n] of seen) if (n > 1) twice.push(`${kind} ${tag} at step ${step}: ${n} points`);
        }
      assert.deepEqual(twice, []);
      // The bridge's reward gauges at every step (logging_frequency 1), the value of its mean.
      for (const f of FUNCTIONS)
        assert.deepEqual(steps(`grpo.reward.mean/${f}`), EVERY_STEP, `grpo.reward.mean/${f}`);
    });

    test('training progress: loss and learning rate every step, at the values logged', () => {
      assert.deepEqual(
        tb.scalars['grpo.policy.loss']!.map(([step, v]) => [step, v]),
        EVERY_STEP.map((s) => [s, Math.fround(1 / s)]),
      );
      assert.deepEqual(steps('grpo.policy.learning_rate'), EVERY_STEP);
      assert.deepEqual(steps('grpo.training.current_step'), EVERY_STEP);
      assert.deepEqual(
        tb.scalars['grpo.training.current_step']!.map(([step, v]) => v - step),
        EVERY_STEP.map(() => 0),
      );
      assert.deepEqual(steps('grpo.task.accuracy'), EVERY_STEP);
    });

    test('generations: lengths from the trainer, entropy, KL, diversity and format from the sink, on full steps', () => {
      for (const tag of [
        'grpo.completion.mean_length',
        'grpo.completion.max_length',
        'grpo.completion.length',
        'grpo.policy.entropy',
        'grpo.policy.kl/k3',
        'grpo.completion.distinct_ngram_ratio/2',
        'grpo.completion.duplicate_ratio',
        'grpo.completion.format_adherence/strict',
        'grpo.task.answer_extracted_ratio',
      ]) {
        assert.deepEqual(steps(tag), FULL_STEPS, tag);
      }
    });

    test('memory at the step each reading belongs to, validation at its step', () => {
      // log_memory_usage comes after the step's log_training_progress: as in TRL's order (and the
      // TypeScript SDK), what is logged after a step's report belongs to the next step.
      assert.deepEqual(steps('grpo.memory.peak_usage/rss'), range(2, STEPS + 1));
      for (const tag of ['grpo.validation.accuracy/default', 'grpo.validation.generalization_gap/default']) {
        assert.deepEqual(steps(tag), range(VALIDATE_EVERY, STEPS, VALIDATE_EVERY), tag);
      }
    });

    for (const loadFast of [true, false]) {
      test(`the TensorBoard server (--load_fast=${loadFast}) serves the same scalars`, async () => {
        const server = await startTensorBoard({ logDir: join(out, 'tensorboard'), loadFast });
        try {
          await server.waitForRun(RUN, { plugin: 'scalars', tag: 'grpo.policy.loss' });
          for (const tag of ['grpo.policy.loss', 'grpo.reward.moving_average/total', 'grpo.policy.kl/k3']) {
            const expected = tb.scalars[tag]!.map(([step, v]) => [step, Math.fround(v)]);
            const got = await server.getWhen<[number, number, number][]>(
              `/data/plugin/scalars/scalars?run=${encodeURIComponent(RUN)}&tag=${encodeURIComponent(tag)}`,
              (g) => g.length >= expected.length,
            );
            assert.deepEqual(
              got.map(([, step, v]) => [step, Math.fround(v)]),
              expected,
              tag,
            );
          }
        } finally {
          await server.stop();
        }
      });
    }

    test('signals: the flat run’s reward plateau, computed at the sink, active by the last step', () => {
      const active = tb.scalars['grpo.signal.active/reward_plateau/total'];
      assert.deepEqual(steps('grpo.signal.active/reward_plateau/total'), EVERY_STEP);
      assert.equal(active!.at(-1)![1], 1, JSON.stringify(active));
      assert.ok(steps('grpo.signal.active/entropy_collapse').length > 0);
    });
  });
});
