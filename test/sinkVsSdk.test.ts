// Same data, same files: a small deterministic run (3 steps, 2 reward functions, groups of 2, per-token
// values, model outputs) logged once through the TypeScript SDK's own file handlers (TensorBoard, CSV) and
// once through the Python bridge -> the real collector (local.yaml + local-sink.yaml) -> `grpo-otel sink`.
// The real TensorBoard (EventAccumulator) reads both runs: every scalar tag both have holds the same
// values at the same steps (float32 tolerance) but the metrics listed below with the reason (by design),
// and the tags only one side writes are listed with the reason too. The
// model-outputs CSV rows are the same but for the timestamp.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  initialize,
  logGenerationMetrics,
  logModelOutput,
  logRewardMetrics,
  logTrainingProgress,
  shutdown,
} from '@grpo-otel/sdk';
import { DEFAULT_CSV_COLUMNS } from '@grpo-otel/sink';
import { filesUnder } from '@grpo-otel/testkit/filesUnder';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { freePort } from '@grpo-otel/testkit/ports';
import { type LocalCollector, startLocalCollector } from '@grpo-otel/testkit/prometheus';
import { startPythonScript } from '@grpo-otel/testkit/pythonLoop';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { type RunningSink, startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { type AccumulatedRun, readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';

const GROUP_SIZE = 2;
/** The sink's model-outputs CSV columns (the SDK's default config's); the SDK run's CSV handler gets them too. */
const CSV_COLUMNS = DEFAULT_CSV_COLUMNS;
/** The analyses' settings, the same on both sides (the SDK's config, the sink's --config). */
const METRICS_YAML = [
  'metrics:',
  '  logging_frequency: 1',
  '  full_metrics_frequency: 1',
  '  sampling_ratio: 1',
  '  history_window: 5',
  '  plateau: {window: 5}',
].join('\n');

interface PlanStep {
  step: number;
  rewards: Record<string, number[]>;
  generations: {
    text: string;
    tokens: number[];
    logprobs: number[];
    refLogprobs: number[];
    entropies: number[];
  }[];
  /** The references of the completions: answer, reasoning steps (numbers and phrases), reasoning, question. */
  references: { answer: string; steps?: (string | number)[]; reasoning?: string; question?: string }[];
  outputs: { question: string; answer: string; output: string }[];
  progress: Record<string, number>;
}

function plan(): PlanStep[] {
  return [1, 2, 3].map((step) => {
    const generations = [0, 1, 2, 3].map((i) => {
      const correct = (i + step) % 3 !== 0;
      const answer = 10 + i;
      const text =
        i === 3 && step === 2
          ? `the answer is ${answer}` // unformatted
          : `<reasoning>\nadd ${i} and ${step} then carry\n</reasoning>\n<answer>\n${correct ? answer : answer + 1}\n</answer>`;
      const n = 4 + ((i + step) % 3);
      const logprobs = Array.from({ length: n }, (_, j) => -0.1 - 0.05 * ((i + j + step) % 4));
      return {
        text,
        tokens: Array.from({ length: n }, (_, j) => (i * 7 + j * 3 + step) % 50),
        logprobs,
        refLogprobs: logprobs.map((l, j) => l - 0.02 * ((j % 2) + 1)),
        entropies: Array.from({ length: n }, (_, j) => 0.5 + 0.1 * ((j + i) % 3)),
      };
    });
    return {
      step,
      rewards: {
        correctness: generations.map((_, i) => ((i + step) % 3 !== 0 ? 1 : 0)),
        format: generations.map((g) => (g.text.startsWith('<reasoning>') ? 1 : 0.25)),
      },
      generations,
      // Reasoning completeness and hallucinations: steps for every completion but the last, whose
      // reference has a reasoning instead (and the first has no question).
      references: generations.map((_, i) => ({
        answer: String(10 + i),
        ...(i < 3 ? { steps: [i, 'then carry', 10 + i] } : { reasoning: `add ${i} and ${10 + i}` }),
        ...(i > 0 ? { question: `What is ${i} + 10?` } : {}),
      })),
      outputs: [
        { question: `What is 4 + ${6 + step}?`, answer: String(10 + step), output: generations[0]!.text },
        { question: 'Say "hi", then =1+1', answer: 'hi', output: '<answer>\nhi\n</answer>' },
      ],
      progress: { loss: 1 / step, learning_rate: 1e-5 * step, grad_norm: 0.5 + step / 10 },
    };
  });
}

/**
 * Metrics (by name, the tag before its first `/`) that both write but with other values or steps, by
 * design. Every other common tag must hold the same values at the same steps.
 */
const DIFFERENT: Readonly<Record<string, string>> = {
  'grpo.completion.distinct_ngram_ratio':
    'the SDK counts n-grams of token ids when a generation has them; a grpo.step.batch carries texts and ' +
    'token counts but no ids, so the sink counts n-grams of words',
  'grpo.efficiency.reward_gain':
    'reward gained per second of the process that runs the analyses: the trainer for the SDK, the sink for the bridge',
  'grpo.efficiency.cpu_reward_gain': 'the same, per CPU second of that process',
  'grpo.training.steps':
    "a counter: the bridge's OTLP export carries its running total when it is exported, which the sink " +
    'writes at the last step it saw; the SDK writes it at every step',
  'process.memory.usage':
    'read by the bridge at each OTLP export and written at the last step the sink saw; the SDK writes its ' +
    'reading at each logging step (log_memory_usage stamps its step on the peak; this run does not call it)',
  'grpo.memory.peak_usage': 'as process.memory.usage',
};

/** Tags only the SDK writes (regex -> why). The sink writes no tag the SDK does not. */
const ONLY_SDK: Readonly<Record<string, string>> = {
  '^v8js\\.memory\\.|/v8_heap$': 'the V8 heap of the TypeScript SDK’s Node.js process',
  '^grpo\\.sdk\\.(record\\.dropped|value\\.sanitized)/':
    'the SDK writes its health counters to TensorBoard at every step, zeros too; the bridge exports them ' +
    '(to Prometheus) once they count something',
};

/** Tags the sink may write and the SDK does not (regex -> why). */
const ONLY_SINK: Readonly<Record<string, string>> = {
  '^grpo\\.signal\\.activations/':
    'the sink writes its detectors’ cumulative activation counts (zeros too) with each analysed step; the ' +
    'SDK’s counter only counts a firing, and nothing fires in three steps',
};

/** What both must write, so that the comparison means something. */
const CORE = [
  'grpo.reward.mean/correctness',
  'grpo.reward.std/total',
  'grpo.reward.moving_average/total',
  'grpo.reward.correlation/correctness/format/pearson',
  'grpo.advantage.mean',
  'grpo.policy.loss',
  'grpo.policy.learning_rate',
  'grpo.policy.grad_norm',
  'grpo.policy.entropy',
  'grpo.policy.kl/k3',
  'grpo.completion.mean_length',
  'grpo.completion.format_adherence/strict',
  'grpo.task.accuracy',
  'grpo.task.reasoning_completeness',
  'grpo.task.hallucination_ratio',
  'grpo.signal.active/reward_plateau/total',
];

function tensorBoardRunDir(root: string): string {
  const found = filesUnder(root)
    .filter((f) => basename(f).includes('tfevents'))
    .map((f) => dirname(f));
  assert.equal(new Set(found).size, 1, `one TensorBoard run under ${root}: ${found.join(', ')}`);
  return found[0]!;
}

/** tag -> step -> the distinct float32 values written at that step. */
function byStep(run: AccumulatedRun): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  for (const [tag, points] of Object.entries(run.scalars)) {
    const steps = new Map<number, number[]>();
    for (const [step, v] of points) {
      const list = steps.get(step) ?? [];
      if (!list.some((x) => Object.is(x, Math.fround(v)))) list.push(Math.fround(v));
      steps.set(step, list);
    }
    out.set(tag, steps);
  }
  return out;
}

function csvRows(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  assert.deepEqual(header, CSV_COLUMNS, file);
  return rows.map((r) =>
    Object.fromEntries(CSV_COLUMNS.slice(1).map((c) => [c, r[CSV_COLUMNS.indexOf(c)]!])),
  );
}

describe('the same steps through the TypeScript SDK and through the Python bridge and the sink', {
  timeout: 180_000,
}, () => {
  const steps = plan();
  let dir: string;
  let local: LocalCollector;
  let sink: RunningSink;
  let sdk: Map<string, Map<number, number[]>>;
  let bridge: Map<string, Map<number, number[]>>;

  before(async () => {
    dir = await tempDirUntilExit('grpo-same-data-');
    // The TypeScript SDK, its own TensorBoard and CSV handlers, no OTLP.
    const yaml = [
      'version: 1',
      'root: {level: WARNING, handlers: []}',
      'loggers:',
      '  model_outputs: {level: INFO, handlers: [csv], propagate: false}',
      'handlers:',
      `  csv: {class: csv, filename: sdk/model_outputs.csv, columns: [${CSV_COLUMNS.join(', ')}]}`,
      '  tensorboard: {class: tensorboard, log_dir: sdk/tensorboard}',
      'resource: {run_id: same-data-sdk, service_name: same-data, rank: 0, world_size: 1}',
      METRICS_YAML,
      '',
    ].join('\n');
    const configPath = join(dir, 'sdk.yaml');
    writeFileSync(configPath, yaml);
    initialize({ configPath, baseDir: dir, env: {}, handleExit: false, registerGlobal: false });
    for (const s of steps) {
      logRewardMetrics(s.step, s.rewards, { groupSize: GROUP_SIZE });
      logGenerationMetrics(s.step, s.generations, s.references, { groupSize: GROUP_SIZE });
      for (const o of s.outputs) logModelOutput(o.question, o.answer, o.output, undefined, { step: s.step });
      logTrainingProgress(s.step, s.progress);
    }
    await shutdown();

    // The Python bridge -> collector -> sink, the same steps.
    const sinkPort = await freePort();
    local = await startLocalCollector({
      overlays: [join(repoRoot, 'collector-config', 'local-sink.yaml')],
      env: { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${sinkPort}` },
    });
    const sinkConfig = join(dir, 'sink.yaml');
    writeFileSync(sinkConfig, `version: 1\n${METRICS_YAML}\n`);
    sink = await startSink({ port: sinkPort, out: join(dir, 'sink'), config: sinkConfig });
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify({ groupSize: GROUP_SIZE, metricsYaml: METRICS_YAML, steps }));
    const py = startPythonScript(join(repoRoot, 'test/fixtures/sameDataRun.py'), [
      planFile,
      local.collector.otlpHttpEndpoint,
      'same-data-py',
    ]);
    assert.equal(await py.exited, 0, py.output());
    await sink.settled((s) => s.batches >= steps.length, 'every step of the Python run at the sink');
    await sink.stop();

    sdk = byStep(readWithEventAccumulator(tensorBoardRunDir(join(dir, 'sdk', 'tensorboard'))));
    bridge = byStep(readWithEventAccumulator(tensorBoardRunDir(join(dir, 'sink', 'tensorboard'))));
  });

  after(async () => {
    await sink?.stop();
    await local?.collector.stop();
  });

  test('every scalar both write holds the same values at the same steps, but the listed metrics', () => {
    const common = [...sdk.keys()].filter((t) => bridge.has(t)).sort();
    for (const tag of CORE) assert.ok(common.includes(tag), `${tag} in both runs`);
    const mismatches: string[] = [];
    for (const tag of common) {
      const a = sdk.get(tag)!;
      const b = bridge.get(tag)!;
      const stepsOf = (m: Map<number, number[]>) => [...m.keys()].sort((x, y) => x - y).join(',');
      if (stepsOf(a) !== stepsOf(b)) {
        mismatches.push(`${tag}: steps sdk [${stepsOf(a)}] sink [${stepsOf(b)}]`);
        continue;
      }
      for (const [step, values] of a) {
        const all = [...values, ...b.get(step)!];
        const ref = all[0]!;
        if (!all.every((v) => Math.abs(v - ref) <= 1e-5 * Math.max(1, Math.abs(ref)))) {
          mismatches.push(`${tag} step ${step}: sdk ${values} sink ${b.get(step)}`);
        }
      }
    }
    const differing = [...new Set(mismatches.map((m) => m.split(/[/: ]/)[0]!))].sort();
    assert.deepEqual(differing, Object.keys(DIFFERENT).sort(), mismatches.join('\n'));
  });

  test('the tags only one side writes are the listed ones', () => {
    const onlySink = [...bridge.keys()].filter((t) => !sdk.has(t));
    assert.deepEqual(
      onlySink.filter((t) => !Object.keys(ONLY_SINK).some((re) => new RegExp(re).test(t))),
      [],
    );
    const onlySdk = [...sdk.keys()].filter((t) => !bridge.has(t));
    const unexplained = onlySdk.filter((t) => !Object.keys(ONLY_SDK).some((re) => new RegExp(re).test(t)));
    assert.deepEqual(unexplained, []);
    for (const re of Object.keys(ONLY_SDK))
      assert.ok(
        onlySdk.some((t) => new RegExp(re).test(t)),
        `${re} is still needed`,
      );
  });

  test('the model-outputs CSV rows are the same but for the timestamp', () => {
    const a = csvRows(join(dir, 'sdk', 'model_outputs.csv'));
    const b = csvRows(join(dir, 'sink', 'same-data-py', 'model_outputs.csv'));
    assert.equal(a.length, steps.length * 2);
    assert.deepEqual(b, a);
  });
});
