// Every value at the step the trainer meant, in every call order the README allows, in a loop that
// never yields and in one that yields between steps, with `shutdown()` right after the last step.
// Read back by the real TensorBoard: its Python EventAccumulator and its Rust data server (which
// discards the later points of a tag when an earlier step follows them). The expected steps and
// texts are written here from the loop, not taken from the SDK.
//
// The orders:
// - readme: `beginStep(step)` at the top of the step, its lines, the analyses, then the report;
// - trl: no `beginStep`: lines and values during step N, `logTrainingProgress(N)` at its end (steps
//   from 0, as TRL's global step: a value belongs to the step after the last one reported);
// - report-first: `beginStep(step)`, `logTrainingProgress(step)` first, then the step's lines;
// - implicit: no step anywhere: `logTrainingProgress({ loss })` ends each step (steps 0, 1, 2, ...).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  beginStep,
  getDrops,
  getTrainingLogger,
  initialize,
  logGenerationMetrics,
  logReward,
  logRewardMetrics,
  logTrainingProgress,
  shutdown,
} from '@grpo-otel/sdk';
import { pythonBinary } from '@grpo-otel/testkit/python';
import {
  f32,
  type RunningTensorBoard,
  readWithEventAccumulator,
  startTensorBoard,
} from '@grpo-otel/testkit/tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'grpo-step-orders-'));
after(() => {
  if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

const ORDERS = ['readme', 'trl', 'report-first', 'implicit'] as const;
type Order = (typeof ORDERS)[number];
const LOOPS = ['tight', 'yielding'] as const;
type Loop = (typeof LOOPS)[number];
/** Not a multiple of either frequency: the last step is analysed because the trainer says so. */
const STEPS = 23;
const LOGGING = 5;
const FULL = 10;

const loss = (s: number) => 2 - s / 64;
const rewards = (s: number, fn: string): number[] =>
  Array.from({ length: 8 }, (_, i) => (fn === 'correct' ? ((s * 3 + i) % 5) / 4 : ((s + i * i) % 9) / 8));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The steps of a run: 1..STEPS with a step scope, 0..STEPS-1 where the SDK numbers them. */
function stepsOf(order: Order): number[] {
  const first = order === 'trl' || order === 'implicit' ? 0 : 1;
  return Array.from({ length: STEPS }, (_, i) => first + i);
}

function isLogging(order: Order, s: number, every: number): boolean {
  const steps = stepsOf(order);
  return s % every === 0 || s === steps[steps.length - 1];
}

function runName(order: Order, loop: Loop): string {
  return `${order}-${loop}`;
}

async function run(order: Order, loop: Loop): Promise<number> {
  const name = runName(order, loop);
  const f = join(dir, `${name}.yaml`);
  writeFileSync(
    f,
    `version: 1
root: { level: INFO, handlers: [file, tb] }
handlers:
  tb: { class: tensorboard, log_dir: ${join(dir, 'tb', name)} }
  file: { class: logging.FileHandler, filename: ${join(dir, `${name}.log`)}, formatter: plain }
formatters:
  plain: { format: "%(name)s %(message)s" }
metrics:
  logging_frequency: ${LOGGING}
  full_metrics_frequency: ${FULL}
  sampling_ratio: 1
`,
  );
  initialize({ configPath: f, handleExit: false, registerGlobal: false });
  const log = getTrainingLogger();
  const steps = stepsOf(order);
  const last = steps[steps.length - 1]!;
  for (const s of steps) {
    const final = s === last;
    const correct = rewards(s, 'correct');
    const format = rewards(s, 'format');
    const texts = correct.map((c, i) => `<answer>${c}</answer> ${s}-${i}`);
    if (order === 'readme' || order === 'report-first') beginStep(s);
    if (order === 'report-first') logTrainingProgress(s, { loss: loss(s) });
    log.info(`line of step ${s}`);
    logReward('correct', correct);
    if (order === 'implicit') {
      logRewardMetrics({ correct, format }, { groupSize: 4, final });
      logGenerationMetrics(texts, undefined, { groupSize: 4, final });
    } else {
      logRewardMetrics(s, { correct, format }, { groupSize: 4, final });
      logGenerationMetrics(s, texts, undefined, { groupSize: 4, final });
    }
    if (order === 'readme' || order === 'trl') logTrainingProgress(s, { loss: loss(s) });
    if (order === 'implicit') logTrainingProgress({ loss: loss(s) });
    if (loop === 'yielding') await yieldToEventLoop();
  }
  await shutdown();
  return (await getDrops()).reduce((n, d) => n + d.count, 0);
}

const drops = new Map<string, number>();

before(async () => {
  pythonBinary();
  for (const order of ORDERS)
    for (const loop of LOOPS) drops.set(runName(order, loop), await run(order, loop));
});

function runDir(name: string): string {
  const base = join(dir, 'tb', name);
  const [r] = readdirSync(base);
  assert.ok(r, `no run under ${base}`);
  return join(base, r);
}

/** The texts each text tag must hold: [step, substrings that must be in it]. */
function expectedTexts(order: Order): Record<string, [number, string[]][]> {
  const steps = stepsOf(order);
  return {
    'logs/training': steps.map((s) => [s, [`line of step ${s}`, `step ${s}: loss=`]]),
    'logs/rewards': steps.map((s) => [s, [`correct`]]),
    'logs/metrics': steps
      .filter((s) => isLogging(order, s, LOGGING))
      .map((s) => [
        s,
        [`rewards at step ${s}`, ...(isLogging(order, s, FULL) ? [`generations at step ${s}`] : [])],
      ]),
  };
}

function expectedScalars(order: Order): Record<string, [number, number][]> {
  const steps = stepsOf(order);
  const logging = steps.filter((s) => isLogging(order, s, LOGGING));
  return {
    'grpo.policy.loss': steps.map((s) => [s, f32(loss(s))]),
    // logReward records the batch mean of `correct` every step; `format` comes from the analyses only.
    'grpo.reward.mean/correct': steps.map((s) => [s, f32(mean(rewards(s, 'correct')))]),
    'grpo.reward.mean/format': logging.map((s) => [s, f32(mean(rewards(s, 'format')))]),
    'grpo.completion.mean_char_length': steps
      .filter((s) => isLogging(order, s, FULL))
      .map((s) => [
        s,
        f32(mean(rewards(s, 'correct').map((c, i) => `<answer>${c}</answer> ${s}-${i}`.length))),
      ]),
  };
}

test('nothing dropped in any order or loop', () => {
  for (const [name, n] of drops) assert.equal(n, 0, name);
});

test('the log file holds every line and every analysis summary, the last step included', () => {
  for (const order of ORDERS) {
    for (const loop of LOOPS) {
      const text = readFileSync(join(dir, `${runName(order, loop)}.log`), 'utf8');
      for (const [s, parts] of expectedTexts(order)['logs/metrics']!) {
        for (const p of parts) assert.ok(text.includes(p), `${runName(order, loop)}: '${p}' (step ${s})`);
      }
    }
  }
});

test("TensorBoard's EventAccumulator: each text and scalar at the step the trainer meant", () => {
  for (const order of ORDERS) {
    for (const loop of LOOPS) {
      const name = runName(order, loop);
      const acc = readWithEventAccumulator(runDir(name));
      for (const [tag, want] of Object.entries(expectedTexts(order))) {
        const got = acc.tensors[tag] ?? [];
        assert.deepEqual(
          got.map(([step]) => step),
          want.map(([step]) => step),
          `${name} ${tag}: one text per step, in step order`,
        );
        for (const [i, [step, parts]] of want.entries()) {
          const text = String(got[i]![2][0]);
          for (const p of parts)
            assert.ok(text.includes(p), `${name} ${tag} step ${step}: '${p}' in ${text}`);
          // No other step's line in this step's text.
          for (const other of text.matchAll(/line of step (\d+)/g)) assert.equal(Number(other[1]), step);
        }
      }
      for (const [tag, series] of Object.entries(expectedScalars(order))) {
        const got = acc.scalars[tag] ?? [];
        assert.deepEqual(got, series, `${name} ${tag}`);
      }
    }
  }
});

describe('the real TensorBoard, --load_fast=true (the Rust loader discards points that go back)', () => {
  let tb: RunningTensorBoard;
  before(async () => {
    tb = await startTensorBoard({ logDir: join(dir, 'tb'), loadFast: true });
    for (const order of ORDERS) {
      for (const loop of LOOPS) {
        const name = runName(order, loop);
        await tb.waitForRun(`${name}/${readdirSync(join(dir, 'tb', name))[0]}`, {
          plugin: 'scalars',
          tag: 'grpo.policy.loss',
        });
      }
    }
  });
  after(async () => {
    await tb?.stop();
  });

  test('every text tag and the loss: one point per step, at its step', async () => {
    for (const order of ORDERS) {
      for (const loop of LOOPS) {
        const name = runName(order, loop);
        const r = encodeURIComponent(`${name}/${readdirSync(join(dir, 'tb', name))[0]}`);
        for (const [tag, want] of Object.entries(expectedTexts(order))) {
          const got = await tb.getWhen<{ step: number; text: string }[]>(
            `/data/plugin/text/text?run=${r}&tag=${encodeURIComponent(tag)}`,
            (g) => g.length >= want.length,
          );
          assert.deepEqual(
            got.map((g) => g.step),
            want.map(([step]) => step),
            `${name} ${tag}`,
          );
          for (const [i, [step]] of want.entries()) {
            assert.ok(got[i]!.text.includes(want[i]![1][0]!), `${name} ${tag} step ${step}`);
          }
        }
        const lossSeries = expectedScalars(order)['grpo.policy.loss']!;
        const got = await tb.getWhen<[number, number, number][]>(
          `/data/plugin/scalars/scalars?run=${r}&tag=${encodeURIComponent('grpo.policy.loss')}`,
          (g) => g.length >= lossSeries.length,
        );
        assert.deepEqual(
          got.map(([, step, value]) => [step, value]),
          lossSeries,
          name,
        );
      }
    }
  });
});
