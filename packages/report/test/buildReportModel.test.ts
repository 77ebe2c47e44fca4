import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLogRecord } from '@grpo-otel/exporter-tensorboard';
import { buildReportModel, CHART_SPECS, type RunContents, type RunFolder } from '@grpo-otel/report';

type Rec = Parameters<typeof renderLogRecord>[0];
const logText = (body: string, attributes: Record<string, unknown>, level = 'INFO') =>
  renderLogRecord({ hrTime: [1_700_000_000, 0], severityText: level, body, attributes } as unknown as Rec);

const series = (f: (step: number) => number, steps: number[]) =>
  steps.map((step) => ({ step, value: f(step), wallTime: 1_700_000_000 + step }));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function run(
  name: string,
  scalars: Record<string, ReturnType<typeof series>>,
  texts: RunContents['texts'] = new Map(),
): RunContents {
  return { run: name, scalars: new Map(Object.entries(scalars)), histograms: new Map(), texts };
}

function folder(runs: RunContents[], extra: Partial<RunFolder> = {}): RunFolder {
  return {
    folder: '/runs/x',
    eventFiles: ['tb/events.out.tfevents.1'],
    runs,
    csvTables: [],
    warnings: [],
    ...extra,
  };
}

test('charts with data are drawn, the others listed as missing with their metrics', () => {
  const steps = range(1, 20);
  const m = buildReportModel(
    folder([
      run('tb/run', {
        'grpo.reward.mean/correctness': series((s) => s / 20, steps),
        'grpo.reward.mean/correctness/validation': series(() => 0.3, [10, 20]),
        'grpo.policy.entropy': series((s) => 2 - s / 20, steps),
      }),
    ]),
    { now: new Date(0) },
  );
  assert.deepEqual(
    m.charts.map((c) => c.id),
    ['rewards', 'policy'],
  );
  assert.deepEqual(
    m.missingCharts.map((c) => c.title),
    CHART_SPECS.filter((s) => s.id !== 'rewards' && s.id !== 'policy').map((s) => s.title),
  );
  const rewards = m.charts[0]!;
  // No moving average in the run: the report computes one (window: a tenth of the run, at least 5).
  assert.deepEqual(
    rewards.series.map((s) => [s.label, s.style, s.color]),
    [
      ['correctness', 'line', 0],
      ['correctness (moving average, 5 steps)', 'dashed', 0],
    ],
  );
  assert.deepEqual(rewards.sources, [
    'grpo.reward.mean/correctness',
    'grpo.reward.mean/correctness (computed)',
  ]);
  assert.equal(rewards.series[1]!.values[4], (0.05 + 0.1 + 0.15 + 0.2 + 0.25) / 5);
  assert.equal(rewards.points, 40);
  assert.equal(m.generatedAt, '1970-01-01T00:00:00.000Z');
  assert.equal(m.firstStep, 1);
  assert.equal(m.lastStep, 20);
  assert.equal(m.title, 'GRPO training report: run');
});

test("TRL's tag names are read as the semconv metrics they map to", () => {
  const steps = range(1, 10);
  const m = buildReportModel(
    folder([
      run('trl', {
        'train/rewards/correctness_reward/mean': series((s) => s, steps),
        'train/entropy': series(() => 1.5, steps),
        'train/kl': series(() => 0.1, steps),
      }),
    ]),
  );
  const rewards = m.charts.find((c) => c.id === 'rewards')!;
  assert.equal(rewards.series[0]!.label, 'correctness_reward');
  assert.deepEqual(m.charts.find((c) => c.id === 'policy')!.sources, ['train/entropy', 'train/kl']);
});

test('sparse series are aligned with nulls; two runs get run-prefixed labels', () => {
  const m = buildReportModel(
    folder([
      run('a', {
        'grpo.task.accuracy': series(() => 0.5, [1, 2, 3]),
        'grpo.validation.accuracy/val': series(() => 0.4, [2]),
      }),
      run('b', { 'grpo.task.accuracy': series(() => 0.7, [1, 2, 3]) }),
    ]),
  );
  const acc = m.charts.find((c) => c.id === 'accuracy')!;
  assert.deepEqual(acc.steps, [1, 2, 3]);
  assert.deepEqual(
    acc.series.map((s) => [s.label, s.values, s.style]),
    [
      ['a: training accuracy', [0.5, 0.5, 0.5], 'line'],
      ['b: training accuracy', [0.7, 0.7, 0.7], 'line'],
      ['a: validation accuracy (val)', [null, 0.4, null], 'points'],
    ],
  );
});

test('long runs are thinned to maxPoints steps, keeping sparse series and signal steps', () => {
  const steps = range(1, 1000);
  const m = buildReportModel(
    folder([
      run('r', {
        'grpo.task.accuracy': series((s) => s / 1000, steps),
        'grpo.validation.accuracy/val': series(() => 0.5, [333, 777]),
        'grpo.signal.active/entropy_collapse': series((s) => (s >= 501 ? 1 : 0), steps),
      }),
    ]),
    { maxPoints: 100 },
  );
  const acc = m.charts.find((c) => c.id === 'accuracy')!;
  assert.ok(acc.steps.length >= 100 && acc.steps.length <= 104, String(acc.steps.length));
  for (const s of [1, 333, 501, 777, 1000]) assert.ok(acc.steps.includes(s), `step ${s} kept`);
});

test('signals: rises of grpo.signal.active joined with the detector warning of the same step', () => {
  const steps = range(1, 30);
  const warning = logText(
    'reward plateau at step 12: smoothed total reward 1.2',
    {
      'grpo.signal.kind': 'reward_plateau',
      'grpo.reward.function': 'total',
      'grpo.signal.value': 1.2,
    },
    'WARNING',
  );
  const collapseOnlyInLog = logText(
    'diversity collapse at step 25: distinct-2 0.1 below 0.2',
    {
      'grpo.signal.kind': 'diversity_collapse',
    },
    'WARNING',
  );
  const m = buildReportModel(
    folder([
      run(
        'r',
        {
          'grpo.signal.active/reward_plateau/total': series(
            (s) => ((s >= 12 && s < 15) || s >= 20 ? 1 : 0),
            steps,
          ),
          'grpo.signal.active/entropy_collapse': series(() => 0, steps),
        },
        new Map([
          [
            'logs/metrics',
            [
              { step: 12, wallTime: 0, text: `${logText('rewards at step 12', {})}\n\n${warning}` },
              { step: 25, wallTime: 0, text: collapseOnlyInLog },
            ],
          ],
        ]),
      ),
    ]),
  );
  assert.deepEqual(m.signals, [
    {
      step: 12,
      kind: 'reward_plateau',
      subject: 'total',
      source: 'both',
      detail: 'reward plateau at step 12: smoothed total reward 1.2',
    },
    { step: 20, kind: 'reward_plateau', subject: 'total', source: 'scalar' },
    {
      step: 25,
      kind: 'diversity_collapse',
      subject: '',
      detail: 'diversity collapse at step 25: distinct-2 0.1 below 0.2',
      source: 'log',
    },
  ]);
  assert.equal(m.summary.find((s) => s.label === 'Plateaus and collapses')!.value, '3');
});

test('completions: reward samples of one step share rows across functions; CSV columns typed', () => {
  const samples = ['<answer>4</answer>', 'I think 5', '<answer>4</answer>'];
  const text = [
    logText('reward correctness', {
      'grpo.reward.function': 'correctness',
      'grpo.reward.samples': samples,
      'grpo.reward.values': [1, 0, 1],
    }),
    logText('reward format', {
      'grpo.reward.function': 'format',
      'grpo.reward.samples': samples,
      'grpo.reward.values': [0.5, 0, 0.5],
    }),
  ].join('\n\n');
  const m = buildReportModel(
    folder([run('r', {}, new Map([['logs/rewards', [{ step: 7, wallTime: 0, text }]]]))], {
      csvTables: [
        {
          file: 'logs/model_outputs.csv',
          files: ['logs/model_outputs.csv.1', 'logs/model_outputs.csv'],
          header: ['step', 'question', 'correct', 'reward'],
          rows: [
            ['1', 'What is 2+2?', 'true', '1.5'],
            ['2', '=1+1', 'false', ''],
          ],
        },
      ],
    }),
    { maxRows: 10 },
  );
  assert.deepEqual(
    m.tables.map((t) => [t.id, t.columns.map((c) => `${c.label}:${c.kind}`), t.rows, t.totalRows]),
    [
      [
        'reward-samples',
        ['step:step', 'completion:text', 'correctness:number', 'format:number'],
        [
          [7, '<answer>4</answer>', 1, 0.5],
          [7, 'I think 5', 0, 0],
          [7, '<answer>4</answer>', 1, 0.5],
        ],
        3,
      ],
      [
        'csv-1',
        ['step:step', 'question:text', 'correct:bool', 'reward:number'],
        [
          [1, 'What is 2+2?', true, 1.5],
          [2, '=1+1', false, null],
        ],
        2,
      ],
    ],
  );
  assert.equal(m.tables[1]!.source, 'logs/model_outputs.csv.1, logs/model_outputs.csv');
});

test('completions: at most maxRows rows, evenly spaced, first and last kept; long cells cut', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [String(i), 'x'.repeat(50)]);
  const m = buildReportModel(
    folder([run('r', {})], {
      csvTables: [{ file: 'o.csv', files: ['o.csv'], header: ['step', 'completion'], rows }],
    }),
    { maxRows: 5, maxCellChars: 10 },
  );
  const t = m.tables[0]!;
  assert.deepEqual(
    t.rows.map((r) => r[0]),
    [0, 25, 50, 74, 99],
  );
  assert.equal(t.rows[0]![1], `${'x'.repeat(10)}…`);
  assert.equal(t.totalRows, 100);
});
