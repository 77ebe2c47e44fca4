// `telemetry_thread.enabled`: the same calls give the same files as on the calling thread (log lines,
// CSV rows, TensorBoard scalars and texts, spans), and the ring's limits are kept and counted: a call
// too large for it, a value that cannot be read, a full ring.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { captureDiag } from '@grpo-otel/testkit/captureDiag';
import {
  beginStep,
  type Generation,
  getDrops,
  getLogger,
  getMeter,
  initialize,
  logGenerationMetrics,
  logHparams,
  logMemoryUsage,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  onPlateau,
  parseConfig,
  recordSpan,
  runValidation,
  setValidationDataset,
  shutdown,
  withStepSpan,
} from '../src/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function config(dir: string, thread: string): ReturnType<typeof parseConfig> {
  return parseConfig(
    `version: 1
root: { level: INFO, handlers: [file] }
loggers:
  training: { level: INFO, handlers: [file, tb], propagate: false }
  model_outputs: { level: INFO, handlers: [csv], propagate: false }
  metrics: { level: INFO, handlers: [file, tb], propagate: false }
  rewards: { level: INFO, handlers: [file], propagate: false }
handlers:
  file: { class: logging.FileHandler, filename: ${dir}/train.log, formatter: plain }
  csv: { class: csv, filename: ${dir}/outputs.csv, columns: [step, question, true_answer, model_answer, correct] }
  tb: { class: tensorboard, log_dir: ${dir}/tb }
  spans: { class: traces, filename: ${dir}/spans.jsonl }
formatters:
  plain: { format: '%(name)s %(levelname)s %(message)s' }
metrics:
  logging_frequency: 5
  full_metrics_frequency: 10
  enable: { resource_metrics: false }
  plateau: { window: 10 }
resource: { run_id: same-run }
telemetry_thread: { ${thread} }
`,
    { source: 'thread.yaml', baseDir: dir, env: {} },
  );
}

/** A deterministic run: every call the README shows, in a loop that learns, then stops learning. */
async function train(): Promise<number[]> {
  const plateaus: number[] = [];
  onPlateau((s) => plateaus.push(s.step));
  setValidationDataset([
    { question: 'What is 2+2?', answer: '4' },
    { question: 'What is 3+5?', answer: '8' },
  ]);
  logHparams({ lr: 1e-5, group: 4 });
  const G = 4;
  for (let step = 1; step <= 40; step++) {
    beginStep(step);
    const skill = Math.min(step, 15) / 15;
    const completions: Generation[] = Array.from({ length: 2 * G }, (_, i) => {
      const right = (i % G) / G < skill;
      const text = `<reasoning>\nadd ${i}\n</reasoning>\n<answer>\n${right ? 4 : 0}\n</answer>`;
      return {
        text,
        logprobs: Array.from(text, (_c, k) => -0.5 - ((k * 7 + i + step) % 10) / 20),
        refLogprobs: Array.from(text, (_c, k) => -0.55 - ((k * 3 + i) % 10) / 20),
        truncated: false,
      };
    });
    const correctness = completions.map((c) => (c.text.includes('\n4\n') ? 1 : 0));
    logReward(
      'correctness_reward',
      correctness,
      completions.map((c) => c.text),
    );
    logRewardMetrics(
      step,
      { correctness_reward: correctness, format_reward: correctness.map(() => 0.5) },
      { groupSize: G, final: step === 40 },
    );
    logGenerationMetrics(
      step,
      completions,
      completions.map(() => '4'),
      { groupSize: G, final: step === 40 },
    );
    logModelOutput('What is 2+2?', '4', completions[0]!.text);
    getLogger('training').info(`custom line ${step}`, { 'my.attr': step });
    logStepTiming(step, { seconds: 0.25, samples: 2 * G, tokens: 100 });
    withStepSpan(
      step,
      () =>
        recordSpan('grpo.update', { 'grpo.step': step }, 1_700_000_000_000 + step, 1_700_000_000_010 + step),
      {
        startTime: 1_700_000_000_000 + step,
      },
    );
    logTrainingProgress(step, { loss: 1 - skill, learning_rate: 1e-5 });
    if (step % 20 === 0)
      await runValidation(step, { generate: () => '<reasoning>\nx\n</reasoning>\n<answer>\n4\n</answer>' });
  }
  return plateaus;
}

interface RunFiles {
  log: string[];
  csv: string[];
  scalars: Map<string, string>;
  texts: string[];
  spans: string[];
  plateaus: number[];
}

/** Timing and throughput values differ between any two runs: left out of the comparison. */
const VARIES = /duration|seconds|throughput|per_second|time|efficiency|sdk\.|process\.|v8js|memory|tfjs/;

async function runIn(thread: boolean): Promise<RunFiles> {
  const dir = mkdtempSync(join(tmpdir(), `grpo-thread-${thread}-`));
  dirs.push(dir);
  initialize({ config: config(dir, `enabled: ${thread}`), handleExit: false, env: {} });
  const plateaus = await train();
  await shutdown();
  const scalars = new Map<string, string>();
  const texts: string[] = [];
  for (const file of await readEvents(join(dir, 'tb'))) {
    for (const e of file.events) {
      const step = Number(e.event.step ?? 0);
      for (const v of e.values) {
        if (v.kind === 'scalar' && !VARIES.test(v.tag)) {
          const key = `${v.tag}@${step}`;
          scalars.set(key, `${scalars.get(key) ?? ''}${v.value.toPrecision(12)};`);
        } else if (v.kind === 'text')
          texts.push(
            `${v.tag}@${step} ${v.text.replace(/`\d{4}-[^`]*`/g, '').replace(/ms\*: [\d.\\]+/g, 'ms')}`,
          );
      }
    }
  }
  const spans = readFileSync(join(dir, 'spans.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .flatMap((line) => {
      const o = JSON.parse(line) as {
        resourceSpans: {
          scopeSpans: { spans: { name: string; attributes: unknown; startTimeUnixNano: string }[] }[];
        }[];
      };
      return o.resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) =>
          ss.spans.map(
            (s) =>
              `${s.name} ${JSON.stringify(s.attributes)} ${s.name === 'grpo.validation' ? '' : s.startTimeUnixNano}`,
          ),
        ),
      );
    })
    .sort();
  return {
    log: readFileSync(join(dir, 'train.log'), 'utf8')
      .split('\n')
      .filter((l) => !/memory:|duration|seconds/.test(l)),
    csv: readFileSync(join(dir, 'outputs.csv'), 'utf8').split('\n'),
    scalars,
    texts: texts.sort(),
    spans,
    plateaus,
  };
}

test('the same calls give the same log lines, CSV rows, TensorBoard values and spans on both threads', async () => {
  const calling = await runIn(false);
  const thread = await runIn(true);
  assert.ok(calling.log.length > 130, `${calling.log.length} log lines`);
  assert.deepEqual(thread.log, calling.log);
  assert.equal(calling.csv.length, 42, 'header, 40 rows and the final newline');
  assert.deepEqual(thread.csv, calling.csv);
  assert.ok(calling.scalars.size > 300, `${calling.scalars.size} scalars`);
  assert.deepEqual([...thread.scalars].sort(), [...calling.scalars].sort());
  assert.ok(calling.texts.length > 40, `${calling.texts.length} texts`);
  assert.deepEqual(thread.texts, calling.texts);
  assert.equal(calling.spans.filter((s) => s.startsWith('grpo.step ')).length, 40);
  assert.deepEqual(thread.spans, calling.spans);
  assert.equal(calling.plateaus.length, 1, 'one plateau of the total reward');
  assert.deepEqual(
    thread.plateaus,
    calling.plateaus,
    'onPlateau fired on the training thread at the same step',
  );
});

test('a call too large for the ring, and one whose values cannot be read, are counted as dropped; the calls after them arrive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-thread-limits-'));
  dirs.push(dir);
  const diagnostics = captureDiag('warn');
  try {
    initialize({
      config: config(dir, 'enabled: true, ring_bytes: 65536, block_timeout: 0'),
      handleExit: false,
      env: {},
    });
    const huge = 'x'.repeat(200_000);
    logModelOutput('q', 'a', huge);
    getLogger('training').info('unreadable', {
      get boom(): string {
        throw new Error('getter');
      },
    });
    for (let step = 1; step <= 3; step++) logTrainingProgress(step, { loss: 0.1 * step });
    await shutdown();
  } finally {
    diagnostics.stop();
  }
  const warnings = diagnostics.messages.join('\n');
  assert.match(
    warnings,
    /a logModelOutput call does not fit in the telemetry ring \(telemetry_thread\.ring_bytes 65536\); dropped/,
  );
  assert.match(warnings, /dropping metrics at logModelOutput \(queue_full\)/);
  assert.match(warnings, /dropping logs at training \(invalid_value\)/);
  const log = readFileSync(join(dir, 'train.log'), 'utf8');
  assert.doesNotMatch(log, /unreadable/);
  for (let step = 1; step <= 3; step++) assert.match(log, new RegExp(`training INFO step ${step}: loss=`));
  assert.equal(
    existsSync(join(dir, 'outputs.csv'))
      ? readFileSync(join(dir, 'outputs.csv'), 'utf8').split('\n').length
      : 2,
    2,
    'no CSV row for the dropped output',
  );
  // The telemetry thread's own drop counter has them: its grpo.sdk.record.dropped series.
  const dropped = new Map<string, number>();
  for (const file of await readEvents(join(dir, 'tb')))
    for (const e of file.events)
      for (const v of e.values)
        if (v.kind === 'scalar' && v.tag.startsWith('grpo.sdk.record.dropped'))
          dropped.set(v.tag, (dropped.get(v.tag) ?? 0) + v.value);
  const tags = [...dropped].map(([k, v]) => `${k}=${v}`).join(' ');
  assert.ok(
    [...dropped].some(([tag, n]) => /queue_full/.test(tag) && /logModelOutput/.test(tag) && n === 1),
    tags,
  );
  assert.ok(
    [...dropped].some(([tag, n]) => /invalid_value/.test(tag) && /training/.test(tag) && n === 1),
    tags,
  );
});

async function meterRun(
  thread: boolean,
): Promise<{ series: Map<string, [number, number][]>; rss: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-thread-meter-'));
  dirs.push(dir);
  initialize({ config: config(dir, `enabled: ${thread}`), handleExit: false, env: {} });
  const meter = getMeter();
  const gauge = meter.createGauge('my.gauge');
  const items = meter.createCounter('my.items');
  let observed = 0;
  meter.createObservableGauge('my.observed').addCallback((r) => r.observe(observed * 10));
  const rss: number[] = [];
  for (let step = 1; step <= 3; step++) {
    beginStep(step);
    observed = step;
    gauge.record(step + 0.5);
    items.add(2);
    rss.push(logMemoryUsage()?.rss ?? Number.NaN);
    logTrainingProgress(step, {});
  }
  await shutdown();
  const series = new Map<string, [number, number][]>();
  for (const file of await readEvents(join(dir, 'tb')))
    for (const e of file.events)
      for (const v of e.values)
        if (v.kind === 'scalar')
          series.set(v.tag, [...(series.get(v.tag) ?? []), [Number(e.event.step), v.value]]);
  return { series, rss };
}

test("getMeter()'s instruments reach TensorBoard at the trainer's step, as on the calling thread", async () => {
  const calling = await meterRun(false);
  const { series, rss } = await meterRun(true);
  assert.deepEqual(series.get('my.gauge'), [
    [1, 1.5],
    [2, 2.5],
    [3, 3.5],
  ]);
  // A counter's value per step is what the step added.
  assert.deepEqual(series.get('my.items'), [
    [1, 2],
    [2, 2],
    [3, 2],
  ]);
  // An observable's callback is the trainer's: it runs on the training thread, read as the calling
  // thread reads it (when a step ends, at most every metrics.observe_interval).
  assert.ok((series.get('my.observed') ?? []).length >= 2, JSON.stringify(series.get('my.observed')));
  for (const tag of ['my.gauge', 'my.items', 'my.observed'])
    assert.deepEqual(series.get(tag), calling.series.get(tag), tag);
  // logMemoryUsage() answers on the training thread (its reading; resource metrics are off here).
  assert.ok(
    rss.every((v) => v > 0),
    JSON.stringify(rss),
  );
});

test('logGenerationMetrics on a step it does not analyse copies no batch into the ring: one larger than the ring is not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-thread-skip-'));
  dirs.push(dir);
  initialize({
    config: config(dir, 'enabled: true, ring_bytes: 65536, block_timeout: 0'),
    handleExit: false,
    env: {},
  });
  // 16 completions x 3 arrays x 4 KB: 192 KB, three times the ring.
  const batch = Array.from({ length: 16 }, () => ({
    text: '<answer>1</answer>',
    logprobs: new Float32Array(1024).fill(-1),
    refLogprobs: new Float32Array(1024).fill(-1.1),
    entropies: new Float32Array(1024).fill(0.5),
  }));
  // full_metrics_frequency 10: step 7 is not analysed, step 10 is.
  assert.equal(logGenerationMetrics(7, batch), false);
  const afterSkipped = await getDrops();
  assert.deepEqual(afterSkipped, [], 'the step it does not analyse: nothing dropped');
  assert.equal(logGenerationMetrics(10, batch), true);
  const afterAnalysed = await getDrops();
  await shutdown();
  assert.ok(
    afterAnalysed.some(
      (d) => d.reason === 'queue_full' && d.where === 'logGenerationMetrics' && d.count === 1,
    ),
    `the analysed step's batch does not fit: ${JSON.stringify(afterAnalysed)}`,
  );
});
