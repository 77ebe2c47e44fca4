// The report of a run folder written through the real SDK (tensorboard + csv + file handlers): every
// chart has data, the detectors' activations are marked at the steps the trainer's callbacks saw,
// and the completions tables hold the samples, hostile ones shown as text.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHART_SPECS, type ReportResult, writeReport } from '@grpo-otel/report';
import {
  HOSTILE_COMPLETION,
  HOSTILE_QUESTION,
  type RunFolderStats,
  STEPS,
  writeRunFolder,
} from './support/writeRunFolder.js';

const dir = mkdtempSync(join(tmpdir(), 'grpo-report-sdk-'));
let stats: RunFolderStats;
let result: ReportResult;

before(async () => {
  stats = await writeRunFolder(dir);
  result = await writeReport(dir, { now: new Date('2025-06-01T00:00:00Z') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('written as <folder>/report.html, one self-contained file', () => {
  assert.equal(result.path, join(dir, 'report.html'));
  const html = readFileSync(result.path, 'utf8');
  assert.equal(Buffer.byteLength(html), result.bytes);
  assert.ok(result.bytes < 1_000_000, `${result.bytes} bytes`);
  assert.ok(!existsSync(`${result.path}.${process.pid}.tmp`));
});

test('every chart of the report has data from the SDK run, over all the steps', () => {
  const m = result.model;
  assert.deepEqual(m.missingCharts, []);
  assert.deepEqual(
    m.charts.map((c) => c.id),
    CHART_SPECS.map((s) => s.id),
  );
  for (const c of m.charts) {
    assert.ok(c.points > 0, c.id);
    assert.equal(c.steps[c.steps.length - 1], STEPS, `${c.id} reaches the last step`);
    for (const s of c.series)
      assert.ok(
        s.values.some((v) => v !== null),
        `${c.id}: ${s.label}`,
      );
  }
  const rewards = m.charts.find((c) => c.id === 'rewards')!;
  assert.deepEqual(
    rewards.series.map((s) => s.label),
    [
      'anti_repetition_reward',
      'anti_repetition_reward (moving average)',
      'correctness_reward',
      'correctness_reward (moving average)',
      'xml_format_reward',
      'xml_format_reward (moving average)',
      'total',
      'total (moving average)',
    ],
  );
  assert.equal(m.firstStep, 1);
  assert.equal(m.lastStep, STEPS);
  assert.deepEqual(m.warnings, []);
});

test("the plateaus and the collapse are marked at the steps the SDK's callbacks reported", () => {
  assert.ok(stats.signals.some((s) => s.startsWith('reward_plateau@')));
  assert.ok(stats.signals.some((s) => s.startsWith('entropy_collapse@')));
  assert.deepEqual(result.model.signals.map((s) => `${s.kind}@${s.step}`).sort(), [...stats.signals].sort());
  for (const s of result.model.signals) {
    assert.equal(s.source, 'both', `${s.kind}@${s.step}: scalar and log text agree`);
    assert.match(s.detail!, new RegExp(`^${s.kind.replace('_', ' ')} at step ${s.step}: `));
  }
});

test('completions: the sampled completions with their rewards, and the model-output CSV with hostile text intact', () => {
  const [samples, csv] = result.model.tables;
  assert.equal(samples!.id, 'reward-samples');
  assert.deepEqual(
    samples!.columns.map((c) => c.label),
    ['step', 'completion', 'correctness_reward', 'xml_format_reward'],
  );
  assert.ok(samples!.rows.length > 0);
  for (const r of samples!.rows) {
    assert.ok([0, 2].includes(r[2] as number), String(r[2]));
    assert.ok([0, 0.5].includes(r[3] as number), String(r[3]));
  }
  assert.equal(csv!.title, 'Model outputs (logs/model_outputs.csv)');
  assert.deepEqual(
    csv!.columns.map((c) => `${c.label}:${c.kind}`),
    [
      'timestamp:time',
      'step:step',
      'question:text',
      'true_answer:text',
      'model_answer:text',
      'model_reasoning:text',
      'correct:bool',
    ],
  );
  assert.equal(csv!.totalRows, STEPS + STEPS / 10);
  const hostile = csv!.rows.filter((r) => r[2] === HOSTILE_QUESTION);
  assert.equal(hostile.length, STEPS / 10, 'the formula escape is undone: the question reads as written');
  assert.equal(hostile[0]![4], HOSTILE_COMPLETION);
  const html = readFileSync(result.path, 'utf8');
  assert.ok(!html.includes(HOSTILE_COMPLETION));
  assert.ok(html.includes('&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;'));
});
