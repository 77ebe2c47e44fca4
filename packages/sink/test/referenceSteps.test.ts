import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hallucinationRate, reasoningCompleteness } from '@grpo-otel/metrics';
import { Analyzer, GaugeTable, type GenerationReference } from '@grpo-otel/sdk/otel';
import { METRICS } from '@grpo-otel/semconv';
import {
  analysisSettings,
  mergeStepBatches,
  parseStepBatch,
  RunAnalyses,
  StepBatchError,
} from '@grpo-otel/sink';
import { resourceFromAttributes } from '@opentelemetry/resources';

const settings = analysisSettings({
  historyWindow: 5,
  plateau: { window: 5, minDelta: 0.01, patience: 1, objective: 'total' },
  collapse: { entropyThreshold: 0.05, diversityThreshold: 0.2, window: 5 },
});

const QUESTION = 'Natalia sold 48 clips in April and half as many in May. How many clips in all?';
/** Four completions of one prompt: complete, wrong, one without a reference, one with a reasoning. */
const COMPLETIONS = [
  '<reasoning>48 / 2 = 24 clips in May, 48 + 24 = 72</reasoning><answer>72</answer>',
  '<reasoning>48 + 12 = 60</reasoning><answer>60</answer>',
  '<reasoning>7 + 9 = 16</reasoning><answer>16</answer>',
  '<reasoning>24 in May; 48 + 24 = 72, and 5 more</reasoning><answer>77</answer>',
];
const STEPS = [['24', '72'], ['24', '72'], [], ['24 in may', '72']];
const REASONING = ['', '', '', 'In May she sold 48 / 2 = 24, so 48 + 24 = 72.'];

/** The references as a TypeScript trainer passes them to logGenerationMetrics (no steps: left out). */
const TS_REFERENCES: GenerationReference[] = COMPLETIONS.map((_, i) => ({
  answer: '72',
  question: QUESTION,
  ...(STEPS[i]!.length ? { steps: STEPS[i]! } : {}),
  ...(REASONING[i] ? { reasoning: REASONING[i]! } : {}),
}));

function batchAttributes(step: number): Record<string, unknown> {
  return {
    'grpo.step': step,
    'grpo.group.size': 4,
    'grpo.batch.reward_functions': ['correctness'],
    'grpo.batch.rewards': [1, 0, 0, 0],
    'grpo.batch.completions': COMPLETIONS,
    'grpo.batch.expected_answers': COMPLETIONS.map(() => '72'),
    'grpo.batch.questions': COMPLETIONS.map(() => QUESTION),
    'grpo.batch.reference_steps': STEPS.flat(),
    'grpo.batch.reference_step_counts': STEPS.map((s) => s.length),
    'grpo.batch.reference_reasoning': REASONING,
  };
}

/** The task gauges of the sink's analysis of one batch. */
function sinkTaskGauges(attrs: Record<string, unknown>): Map<string, number> {
  const a = new RunAnalyses(settings, resourceFromAttributes({ 'grpo.run.id': 'r' }));
  const out = a.analyze(parseStepBatch(attrs as never));
  const values = new Map<string, number>();
  for (const m of out.metrics.scopeMetrics[0]!.metrics)
    if (m.descriptor.name.startsWith('grpo.task.'))
      for (const p of m.dataPoints) values.set(m.descriptor.name, p.value as number);
  return values;
}

/** The same gauges from the SDK's Analyzer, given the job logGenerationMetrics builds for these references. */
function analyzerTaskGauges(): Map<string, number> {
  const analyzer = new Analyzer(settings);
  const result = analyzer.analyze({
    kind: 'generations',
    id: 1,
    step: 1,
    textBlob: COMPLETIONS.join(''),
    textLengths: Int32Array.from(COMPLETIONS, (c) => c.length),
    groupSize: 4,
    referencesJson: JSON.stringify(TS_REFERENCES),
  });
  const table = new GaugeTable();
  table.receive(result.gauges);
  const values = new Map<string, number>();
  table.forEach(
    result.gauges,
    (_k, a) => a,
    (def, value) => {
      if (def.name.startsWith('grpo.task.')) values.set(def.name, value);
    },
  );
  return values;
}

test('RunAnalyses: reference steps, reasoning and questions give the reasoning completeness and hallucination ratio the SDK computes', () => {
  const sink = sinkTaskGauges(batchAttributes(1));
  const sdk = analyzerTaskGauges();
  const completeness = sink.get(METRICS.taskReasoningCompleteness.name);
  const hallucination = sink.get(METRICS.taskHallucinationRatio.name);
  // The third completion has no reference steps nor reasoning: it is in neither.
  assert.equal(completeness, (1 + 0 + 1) / 3);
  assert.equal(
    completeness,
    reasoningCompleteness([0, 1, 3].map((i) => ({ completion: COMPLETIONS[i]!, required: STEPS[i]! }))).value,
  );
  assert.equal(
    hallucination,
    hallucinationRate(
      [0, 1, 3].map((i) => ({
        completion: COMPLETIONS[i]!,
        question: QUESTION,
        referenceSteps: REASONING[i] || STEPS[i]!,
      })),
    ).value,
  );
  assert.ok(hallucination! > 0 && hallucination! < 1, String(hallucination));
  assert.equal(sdk.get(METRICS.taskReasoningCompleteness.name), completeness);
  assert.equal(sdk.get(METRICS.taskHallucinationRatio.name), hallucination);
  assert.deepEqual(sink, sdk, 'every task gauge the same (accuracy, answers extracted)');
});

test('RunAnalyses: without reference steps the batch has no reasoning completeness nor hallucination ratio', () => {
  const {
    'grpo.batch.reference_steps': _s,
    'grpo.batch.reference_step_counts': _c,
    'grpo.batch.reference_reasoning': _r,
    ...answersOnly
  } = batchAttributes(1);
  const gauges = sinkTaskGauges(answersOnly);
  assert.ok(gauges.has(METRICS.taskAccuracy.name));
  assert.equal(gauges.has(METRICS.taskReasoningCompleteness.name), false);
  assert.equal(gauges.has(METRICS.taskHallucinationRatio.name), false);
});

test('parseStepBatch: reference steps split by their counts; the references need expected answers and counts that add up', () => {
  const b = parseStepBatch(batchAttributes(2) as never);
  assert.deepEqual(b.referenceSteps, STEPS);
  assert.deepEqual(b.referenceReasoning, REASONING);
  assert.equal(b.questions?.length, 4);
  const merged = mergeStepBatches([b, parseStepBatch(batchAttributes(2) as never)])!;
  assert.deepEqual(merged.referenceSteps, [...STEPS, ...STEPS]);
  assert.deepEqual(merged.questions?.length, 8);
  const good = batchAttributes(2);
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { ...good, 'grpo.batch.reference_step_counts': undefined },
      /grpo\.batch\.reference_steps needs grpo\.batch\.reference_step_counts/,
    ],
    [
      { ...good, 'grpo.batch.reference_step_counts': [2, 2, 0, 3] },
      /grpo\.batch\.reference_steps has 6 values, expected 7/,
    ],
    [
      { ...good, 'grpo.batch.reference_step_counts': [2, 2] },
      /grpo\.batch\.reference_step_counts has 2 values, expected 4/,
    ],
    [{ ...good, 'grpo.batch.questions': ['one'] }, /grpo\.batch\.questions has 1 values, expected 4/],
    [
      { ...good, 'grpo.batch.expected_answers': undefined },
      /grpo\.batch\.questions needs grpo\.batch\.expected_answers/,
    ],
    [
      { ...good, 'grpo.batch.expected_answers': undefined, 'grpo.batch.questions': undefined },
      /grpo\.batch\.reference_step_counts needs grpo\.batch\.expected_answers/,
    ],
  ];
  for (const [attrs, message] of cases)
    assert.throws(
      () => parseStepBatch(attrs as never),
      (e: Error) => e instanceof StepBatchError && message.test(e.message),
      String(message),
    );
});
