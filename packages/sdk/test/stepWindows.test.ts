// Windows count training steps, whatever `logging_frequency` is. The trainer calls logRewardMetrics
// every step; the analyses run on logging steps only, and their moving averages must be the mean of
// the last `history_window` steps' mean rewards. Expected values come from numpy
// (packages/sdk/scripts/gen-step-windows.py, fixtures/stepWindows.json), not from the SDK.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import {
  getTelemetry,
  initialize,
  logRewardMetrics,
  onPlateau,
  onSignal,
  parseConfig,
  type SignalNotice,
  shutdown,
} from '@grpo-otel/sdk';
import { StepRecorder } from './helpers/StepRecorder.js';

type StepRewards = { correct: number[]; format: number[] };
interface Fixture {
  rewards: StepRewards[];
  cases: {
    loggingFrequency: number;
    window: number;
    expect: ({ step: number } & Record<'correct' | 'format' | 'total', number>)[];
  }[];
  plateau: {
    rewards: StepRewards[];
    window: number;
    minDelta: number;
    loggingFrequency: number;
    firedAt: number[];
  };
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/stepWindows.json', import.meta.url), 'utf8'),
) as Fixture;

function start(metrics: string): StepRecorder {
  const recorder = new StepRecorder();
  initialize({
    config: parseConfig(`version: 1\nroot: { level: WARNING, handlers: [] }\nmetrics: ${metrics}\n`, {
      source: 'windows.yaml',
      baseDir: '/',
      env: {},
    }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    stepExporters: [{ name: 'recorder', exporter: recorder }],
  });
  return recorder;
}
afterEach(() => shutdown());

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

for (const c of fixture.cases) {
  test(`moving average over ${c.window} steps with logging_frequency ${c.loggingFrequency}: numpy's values`, async () => {
    const recorder = start(
      `{ logging_frequency: ${c.loggingFrequency}, history_window: ${c.window}, max_pending_analyses: 1000 }`,
    );
    for (const [i, r] of fixture.rewards.entries()) {
      const step = i + 1;
      assert.equal(logRewardMetrics(step, r), step % c.loggingFrequency === 0, `analysed at step ${step}`);
    }
    await getTelemetry()!.forceFlush();
    assert.equal(c.expect.length, Math.floor(fixture.rewards.length / c.loggingFrequency));
    for (const e of c.expect) {
      for (const fn of ['correct', 'format', 'total'] as const) {
        const points = recorder.points(e.step, 'grpo.reward.moving_average', { 'grpo.reward.function': fn });
        assert.equal(points.length, 1, `one ${fn} moving average at step ${e.step}`);
        assert.equal(points[0]!.attributes['grpo.window.size'], c.window);
        close(points[0]!.value as number, e[fn], `${fn} at step ${e.step}`);
      }
    }
    assert.equal(getTelemetry()!.drops.total(), 0);
  });
}

test('a plateau that starts at step 20 fires where the reference says, with logging_frequency 5 and a 10-step window', async () => {
  const p = fixture.plateau;
  start(
    `{ logging_frequency: ${p.loggingFrequency}, plateau: { window: ${p.window}, min_delta: ${p.minDelta} } }`,
  );
  const plateaus: SignalNotice[] = [];
  const signals: SignalNotice[] = [];
  onPlateau((s) => plateaus.push(s));
  onSignal((s) => signals.push(s));
  for (const [i, r] of p.rewards.entries()) logRewardMetrics(i + 1, r);
  await shutdown();
  assert.ok(p.firedAt.length > 0 && p.firedAt[0]! <= 60);
  // One callback per plateau of the objective (the total), at the step its detector fired.
  assert.deepEqual(
    plateaus.map((s) => [s.subject, s.step]),
    p.firedAt.map((step) => ['total', step]),
  );
  // The functions' own plateaus are signals by name, not onPlateau callbacks.
  const perFunction = signals.filter((s) => s.kind === 'reward_plateau' && s.subject !== 'total');
  assert.deepEqual([...new Set(perFunction.map((s) => s.subject))].sort(), ['correct', 'format']);
  assert.ok(perFunction.every((s) => s.objective === false));
});

test('metrics.plateau.objective names the function whose plateau fires onPlateau', async () => {
  const p = fixture.plateau;
  start(
    `{ logging_frequency: 1, plateau: { window: ${p.window}, min_delta: ${p.minDelta}, objective: correct } }`,
  );
  const plateaus: SignalNotice[] = [];
  onPlateau((s) => plateaus.push(s));
  for (const [i, r] of p.rewards.entries()) logRewardMetrics(i + 1, r);
  await shutdown();
  assert.deepEqual(
    plateaus.map((s) => s.subject),
    ['correct'],
  );
});
