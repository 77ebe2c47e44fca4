// Evidence that the real TensorBoard (Python package from PyPI, both loaders) reads our event files
// exactly: scalars, histograms, text, custom scalars and hparams through its HTTP API, and the same
// files through its EventAccumulator. Also CRC-32C and histogram buckets against Python's.
// The runs are written through the real OpenTelemetry SDK by the package's evidence support module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  crc32c,
  grpoCustomScalarsLayout,
  histogramFromValues,
  maskCrc32c,
} from '@grpo-otel/exporter-tensorboard';
import { pythonBinary } from '@grpo-otel/testkit/python';
import {
  f32,
  type RunningTensorBoard,
  readWithEventAccumulator,
  startTensorBoard,
} from '@grpo-otel/testkit/tensorboard';
import {
  completions,
  expectedScalars,
  otelCounts,
  REWARD_BOUNDS,
  RUNS,
  rawValues,
  rewardValues,
  STEPS,
  total,
  trimmed,
  writeEvidenceRuns,
} from '../packages/exporter-tensorboard/test/support/evidenceRuns.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

let logDir: string;

before(async () => {
  pythonBinary(); // create the venv (once) before any timed work
  logDir = mkdtempSync(join(tmpdir(), 'grpo-tb-evidence-'));
  await writeEvidenceRuns(logDir);
});

after(() => {
  if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(logDir, { recursive: true, force: true });
});

for (const loadFast of [true, false]) {
  describe(`real TensorBoard, --load_fast=${loadFast}`, () => {
    let tb: RunningTensorBoard;
    before(async () => {
      tb = await startTensorBoard({ logDir, loadFast });
      for (const spec of RUNS) {
        await tb.waitForRun(spec.name, { plugin: 'scalars', tag: 'grpo.training.samples' });
        await tb.waitForRun(spec.name, { plugin: 'text', tag: 'logs/training' });
        await tb.waitForRun(spec.name, { plugin: 'histograms', tag: 'raw/advantages' });
      }
    });
    after(async () => {
      await tb?.stop();
    });

    test('/data/runs lists both runs', async () => {
      const runs = await tb.get<string[]>('/data/runs');
      assert.deepEqual([...runs].sort(), RUNS.map((r) => r.name).sort());
    });

    test('scalars: exactly the steps and float32 values written, in both scalar forms', async () => {
      for (const spec of RUNS) {
        for (const [tag, expected] of Object.entries(expectedScalars(spec))) {
          const got = await tb.getWhen<[number, number, number][]>(
            `/data/plugin/scalars/scalars?run=${encodeURIComponent(spec.name)}&tag=${encodeURIComponent(tag)}`,
            (g) => g.length >= expected.length,
          );
          assert.deepEqual(
            got.map(([, step, value]) => [step, value]),
            expected,
            `${spec.name} ${tag}`,
          );
        }
      }
    });

    test('histograms: OTel explicit buckets and raw values, bucket counts and edges', async () => {
      const spec = RUNS[0]!;
      const q = (tag: string) =>
        `/data/plugin/histograms/histograms?run=${encodeURIComponent(spec.name)}&tag=${encodeURIComponent(tag)}`;
      const otel = await tb.getWhen<[number, number, [number, number, number][]][]>(
        q('grpo.reward.value/total'),
        (h) => h.length >= STEPS,
      );
      assert.deepEqual(
        otel.map(([, step]) => step),
        Array.from({ length: STEPS }, (_, i) => i + 1),
      );
      for (const [, step, buckets] of otel) {
        const values = rewardValues(step);
        assert.deepEqual(
          buckets.map(([, , c]) => c),
          trimmed(otelCounts(values, REWARD_BOUNDS)),
          `step ${step}`,
        );
        assert.ok(close(buckets[0]![0], Math.min(...values)), 'left edge is the min');
        assert.ok(close(buckets[buckets.length - 1]![1], Math.max(...values)), 'right edge is the max');
      }
      const raw = await tb.get<[number, number, [number, number, number][]][]>(q('raw/advantages'));
      assert.equal(raw.length, STEPS);
      for (const [, step, buckets] of raw) {
        const h = histogramFromValues(rawValues(step)).histogram!;
        assert.deepEqual(
          buckets.map(([, , c]) => c),
          Array.from(h.bucket),
        );
        assert.deepEqual(
          buckets.slice(0, -1).map(([, r]) => f32(r)),
          Array.from(h.bucketLimit)
            .slice(0, -1)
            .map((x) => f32(x)),
        );
        assert.ok(close(buckets[0]![0], h.min));
        assert.ok(close(buckets[buckets.length - 1]![1], h.max));
      }
    });

    test('text: the completions table renders as a table, and escaping holds against injection', async () => {
      const got = await tb.get<{ step: number; text: string }[]>(
        `/data/plugin/text/text?run=${encodeURIComponent(RUNS[0]!.name)}&tag=${encodeURIComponent('samples/completions')}`,
      );
      assert.deepEqual(
        got.map((t) => t.step),
        [5],
      );
      const html = got[0]!.text;
      assert.equal((html.match(/<table>/g) ?? []).length, 1, html);
      const rows = html.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
      assert.equal(rows.length, 1 + completions.length);
      // #, prompt, completion, reward, correctness, format
      for (const r of rows.slice(1)) assert.equal((r.match(/<td>/g) ?? []).length, 6, r);
      assert.ok(!html.includes('<script'), 'no script tag');
      assert.ok(
        html.includes(
          '&lt;script&gt;alert(1)&lt;/script&gt; | pipe<br>new line **bold** &lt;/td&gt;&lt;td&gt;',
        ),
        html,
      );
      assert.ok(html.includes('<td>Q | with | pipes</td>'), html);
      assert.ok(
        html.includes('&lt;reasoning&gt;2+2=4&lt;/reasoning&gt;<br>&lt;answer&gt;4&lt;/answer&gt;'),
        html,
      );
    });

    test('text: log records, one text per channel and step', async () => {
      const got = await tb.get<{ step: number; text: string }[]>(
        `/data/plugin/text/text?run=${encodeURIComponent(RUNS[1]!.name)}&tag=${encodeURIComponent('logs/training')}`,
      );
      assert.deepEqual(
        got.map((t) => t.step),
        Array.from({ length: STEPS }, (_, i) => i + 1),
      );
      for (const t of got) assert.match(t.text, new RegExp(`<strong>INFO</strong> step ${t.step} done`));
    });

    test('custom scalars: the GRPO layout, reward means with moving averages on one chart', async () => {
      const layout = await tb.get<{
        category: { title: string; chart: { title: string; multiline?: { tag: string[] } }[] }[];
      }>('/data/plugin/custom_scalars/layout');
      const expected = grpoCustomScalarsLayout({ rewardFunctions: ['correctness', 'format'] });
      assert.deepEqual(
        layout.category.map((c) => c.title),
        expected.categories.map((c) => c.title),
      );
      const first = layout.category[0]!.chart[0]!;
      assert.equal(first.title, 'Mean reward per function, with moving average');
      assert.deepEqual(first.multiline?.tag, ['^grpo\\.reward\\.(mean|moving_average)(/.*)?$']);
      assert.equal(
        layout.category.reduce((n, c) => n + c.chart.length, 0),
        expected.categories.reduce((n, c) => n + c.charts.length, 0),
      );
      // the plugin resolves the chart's regex to our tags
      const series = await tb.get<{ regex_valid: boolean; tag_to_events: Record<string, unknown[]> }>(
        `/data/plugin/custom_scalars/scalars?run=${encodeURIComponent(RUNS[0]!.name)}&tag=${encodeURIComponent(first.multiline!.tag[0]!)}`,
      );
      assert.equal(series.regex_valid, true);
      assert.deepEqual(Object.keys(series.tag_to_events).sort(), [
        'grpo.reward.mean/correctness',
        'grpo.reward.mean/format',
        'grpo.reward.mean/total',
        'grpo.reward.moving_average/total',
      ]);
    });

    test('hparams: experiment, and both runs side by side with their final metrics', async () => {
      const experiment = await tb.post<{
        hparamInfos: { name: string; type: string }[];
        metricInfos: { name: { tag: string } }[];
      }>('/data/plugin/hparams/experiment', { experimentName: '' });
      assert.deepEqual(experiment.hparamInfos.map((h) => [h.name, h.type]).sort(), [
        ['group_size', 'DATA_TYPE_FLOAT64'],
        ['kl_penalty', 'DATA_TYPE_BOOL'],
        ['learning_rate', 'DATA_TYPE_FLOAT64'],
        ['optimizer', 'DATA_TYPE_STRING'],
      ]);
      assert.deepEqual(
        experiment.metricInfos.map((m) => m.name.tag),
        ['grpo.reward.mean/total', 'grpo.task.accuracy'],
      );
      const groups = await tb.post<{
        sessionGroups: {
          name: string;
          hparams: Record<string, unknown>;
          metricValues: { name: { tag: string }; value: number; trainingStep: number }[];
          sessions: { status: string }[];
        }[];
      }>('/data/plugin/hparams/session_groups', {
        experimentName: '',
        allowedStatuses: ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'],
        colParams: [],
        startIndex: 0,
        sliceSize: 100,
      });
      assert.equal(groups.sessionGroups.length, RUNS.length);
      for (const spec of RUNS) {
        const g = groups.sessionGroups.find((x) => x.name === spec.name);
        assert.ok(g, spec.name);
        assert.deepEqual(g.hparams, {
          learning_rate: spec.lr,
          group_size: 8,
          optimizer: 'adamw',
          kl_penalty: true,
        });
        assert.deepEqual(
          g.sessions.map((s) => s.status),
          ['STATUS_SUCCESS'],
        );
        const final = Object.fromEntries(g.metricValues.map((m) => [m.name.tag, [m.trainingStep, m.value]]));
        assert.deepEqual(final, {
          'grpo.reward.mean/total': [STEPS, f32(total(spec, STEPS))],
          'grpo.task.accuracy': [STEPS, f32(STEPS / 20)],
        });
      }
    });
  });
}

test("TensorBoard's EventAccumulator reads the same scalars, histograms and texts", () => {
  for (const spec of RUNS) {
    const acc = readWithEventAccumulator(join(logDir, spec.name));
    for (const [tag, expected] of Object.entries(expectedScalars(spec))) {
      assert.deepEqual(acc.scalars[tag], expected, `${spec.name} ${tag}`);
    }
    const h = acc.histograms['grpo.reward.value/total']!;
    assert.equal(h.length, STEPS);
    for (const [step, v] of h) {
      const values = rewardValues(step);
      assert.deepEqual(v.bucket, trimmed(otelCounts(values, REWARD_BOUNDS)));
      assert.equal(v.num, values.length);
      assert.equal(v.min, Math.min(...values));
      assert.equal(v.max, Math.max(...values));
      assert.ok(
        close(
          v.sum,
          values.reduce((a, b) => a + b, 0),
        ),
      );
    }
    const raw = acc.histograms['raw/advantages']!;
    for (const [step, v] of raw) {
      const values = rawValues(step);
      assert.ok(
        close(
          v.sum_squares,
          values.reduce((a, b) => a + b * b, 0),
        ),
        'exact sum of squares from raw values',
      );
    }
    const logs = acc.tensors['logs/training']!;
    assert.deepEqual(
      logs.map(([step, plugin]) => [step, plugin]),
      Array.from({ length: STEPS }, (_, i) => [i + 1, 'text']),
    );
    assert.equal(acc.tensors.custom_scalars__config__?.[0]?.[1], 'custom_scalars');
    assert.deepEqual(
      ['_hparams_/experiment', '_hparams_/session_start_info', '_hparams_/session_end_info'].map(
        (t) => acc.tensors[t]?.[0]?.[1],
      ),
      ['hparams', 'hparams', 'hparams'],
    );
  }
});

test("histogramFromValues puts values in the same buckets as tensorboardX's default ('tensorflow') bins", () => {
  const values = Array.from({ length: 1000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 3);
  const script = `
import json, sys
import numpy as np
from tensorboardX import SummaryWriter
from tensorboardX.summary import make_histogram
values = np.array(json.load(sys.stdin), dtype=float)
bins = SummaryWriter.__new__(SummaryWriter)
v, neg, pos = 1e-12, [], []
while v < 1e20:
    pos.append(v); neg.append(-v); v *= 1.1
edges = neg[::-1] + [0] + pos
h = make_histogram(values, edges)
print(json.dumps({'limit': list(h.bucket_limit), 'bucket': list(h.bucket)}))
`;
  const r = spawnSync(pythonBinary(), ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const tbx = JSON.parse(r.stdout) as { limit: number[]; bucket: number[] };
  const ours = histogramFromValues(values).histogram!;
  const nonEmpty = (limits: ArrayLike<number>, counts: ArrayLike<number>) =>
    Array.from(counts)
      .map((c, i) => [limits[i]!, c] as const)
      .filter(([, c]) => c > 0);
  assert.deepEqual(nonEmpty(ours.bucketLimit, ours.bucket), nonEmpty(tbx.limit, tbx.bucket));
});

test("crc32c and TFRecord masking agree with Python's crc32c package and tensorboardX", () => {
  const buffers: Buffer[] = [];
  let seed = 7;
  for (const n of [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4096, 65537]) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      b[i] = seed >>> 24;
    }
    buffers.push(b);
  }
  const script = `
import json, sys, crc32c
from tensorboardX.record_writer import masked_crc32c
out = []
for h in json.load(sys.stdin):
    data = bytes.fromhex(h)
    out.append([crc32c.crc32c(data), masked_crc32c(data)])
print(json.dumps(out))
`;
  const r = spawnSync(pythonBinary(), ['-c', script], {
    input: JSON.stringify(buffers.map((b) => b.toString('hex'))),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const py = JSON.parse(r.stdout) as [number, number][];
  assert.deepEqual(
    buffers.map((b) => [crc32c(b), maskCrc32c(crc32c(b))]),
    py,
  );
});
