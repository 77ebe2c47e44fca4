// Every PromQL query of every panel of the generated dashboards (deploy/grafana/dashboards/*.json) returns
// data from a real Prometheus. The data is real too: the SDK records a short GRPO run through its public
// API, exports it over OTLP/HTTP to the real otelcol-grpo, whose `prometheus` exporter Prometheus 2.42
// scrapes every second. The template variables are resolved as Grafana would, through Prometheus's label
// API, and substituted into each query, which then runs as a range query over the run (instant for tables).
// Everything binds to 127.0.0.1; the collector and Prometheus are stopped by their PID.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  forceFlush,
  type Generation,
  type GenerationReferenceInput,
  getTrainingLogger,
  initialize,
  logGenerationMetrics,
  logMemoryUsage,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  parseConfig,
  registerTensorMemory,
  runValidation,
  shutdown,
} from '@grpo-otel/sdk';
import { ATTR_GRPO_RUN_ID, METRICS, prometheusName } from '@grpo-otel/semconv';
import {
  type LocalCollector,
  type RunningPrometheus,
  startLocalCollector,
  startPrometheus,
} from '@grpo-otel/testkit/prometheus';
import { label, VAR } from '../packages/dashboards/src/index.js';
import { dashboardQueryTests, writeDashboardsPrometheusConfig } from './helpers/dashboards.js';

const SERVICE = 'grpo-dashboards-e2e';
const RUN_ID = `dashboards-e2e-${process.pid}`;
const RANK = '0';
const REWARD_FUNCTIONS = ['correctness', 'format', 'length'];
/** Grafana's $__rate_interval for a 1 s scrape interval: max($__interval + 1s, 4 * 1s). */
const RATE_INTERVAL = '4s';
const STEPS = 12;
const GROUP_SIZE = 4;
const PROMPTS = 4;

/**
 * Queries with no data in this run, and why. Keep this short: every other query must return data.
 * Keyed by `<dashboard uid> / <panel title> / <refId>`.
 */
const EXPECTED_EMPTY: Readonly<Record<string, string>> = {
  'grpo-sdk-health / Export errors per second / A':
    'grpo.sdk.export.errors has a series once an export fails (ExportErrorCounter): no export fails in this run',
};

// ---------------------------------------------------------------------------------------------------------
// A short GRPO run recorded through the SDK's public API.

/** Correct answers become more frequent as the run goes on (so rewards and accuracy rise). */
function isCorrect(step: number, i: number): boolean {
  return (i * 7 + step) % 4 < Math.min(3, 1 + Math.floor(step / 4));
}

function completion(step: number, prompt: number, k: number): { text: string; correct: boolean } {
  const a = prompt + 2;
  const b = prompt + 5;
  const correct = isCorrect(step, prompt * GROUP_SIZE + k);
  const answer = correct ? a + b : a + b + 1 + k;
  if (k === 3 && step % 2 === 0) return { text: `the answer is ${answer}`, correct }; // unformatted
  const reasoning = k === 2 ? `${a} plus ${b} makes ${a + b}` : `add ${a} and ${b}: ${a + b}`;
  return { text: `<reasoning>\n${reasoning}\n</reasoning>\n<answer>\n${answer}\n</answer>`, correct };
}

function generations(step: number): {
  gens: Generation[];
  refs: GenerationReferenceInput[];
  correct: number[];
} {
  const gens: Generation[] = [];
  const refs: GenerationReferenceInput[] = [];
  const correct: number[] = [];
  for (let p = 0; p < PROMPTS; p++) {
    for (let k = 0; k < GROUP_SIZE; k++) {
      const c = completion(step, p, k);
      const tokens = Array.from(c.text.slice(0, 40), (ch, j) => (ch.charCodeAt(0) + j * k) % 61);
      const logprobs = tokens.map((t, j) => -0.2 - ((t + j + step) % 5) * 0.15);
      gens.push({
        text: c.text,
        tokens,
        logprobs,
        refLogprobs: logprobs.map((l, j) => l - 0.01 * ((j % 3) + 1)),
        truncated: c.text.length > 40,
      });
      refs.push({
        answer: 2 * p + 7,
        steps: [p + 2, p + 5, 2 * p + 7],
        reasoning: `add ${p + 2} and ${p + 5}: ${2 * p + 7}`,
        question: `What is ${p + 2}+${p + 5}?`,
      });
      correct.push(c.correct ? 1 : 0);
    }
  }
  return { gens, refs, correct };
}

/** Validation model: right on even questions, wrong on odd ones, never answers the last (a timeout). */
async function validationModel(prompt: string, { signal }: { signal: AbortSignal }): Promise<string> {
  const [, x, y] = /What is (\d+)\+(\d+)/.exec(prompt)!.map(Number) as [number, number, number];
  if (x === 6) {
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  }
  const sum = x % 2 === 0 ? x + y : x + y + 1;
  return `<reasoning>\n${x} + ${y}\n</reasoning>\n<answer>\n${sum}\n</answer>`;
}

async function recordRun(dir: string, otlpEndpoint: string): Promise<void> {
  const dataset = join(dir, 'validation.jsonl');
  writeFileSync(
    dataset,
    `${[1, 2, 3, 4, 5, 6].map((x) => JSON.stringify({ id: `v${x}`, question: `What is ${x}+${x + 1}?`, answer: String(2 * x + 1) })).join('\n')}\n`,
  );
  const yaml = [
    'version: 1',
    'root: { level: WARNING, handlers: [] }',
    'loggers:',
    '  training: { level: INFO, handlers: [], propagate: false }',
    'metrics:',
    '  logging_frequency: 1',
    '  full_metrics_frequency: 1',
    '  sampling_ratio: 1',
    '  history_window: 4',
    '  plateau: { window: 3, min_delta: 0.01 }',
    '  collapse: { entropy_threshold: 0.01, diversity_threshold: 0.01, window: 3 }',
    `  validation: { dataset_path: ${dataset}, max_samples: 6, timeout_per_sample: 0.2 }`,
    'resource:',
    `  service_name: ${SERVICE}`,
    `  run_id: ${RUN_ID}`,
    '  experiment: dashboards-e2e',
    '  model: tiny',
    `  rank: ${RANK}`,
    '  world_size: 1',
    'otlp:',
    '  traces: false',
    '  export_interval: 0.5',
    'limits: { max_string_length: 200 }',
    '',
  ].join('\n');
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
  initialize({
    config: parseConfig(yaml, { source: 'dashboards-e2e.yaml', baseDir: dir, env }),
    env,
    handleExit: false,
  });
  let tensors = 100;
  registerTensorMemory(() => ({ numBytes: tensors * 4096, numTensors: tensors }));

  for (let step = 1; step <= STEPS; step++) {
    const t0 = performance.now();
    const { gens, refs, correct } = generations(step);
    logGenerationMetrics(step, gens, refs, { groupSize: GROUP_SIZE, maxTokens: 40 });
    logRewardMetrics(
      step,
      {
        correctness: correct,
        format: correct.map(() => 1),
        length: gens.map((g) => (g.tokens?.length ?? 0) / 40),
      },
      { groupSize: GROUP_SIZE },
    );
    logTrainingProgress(step, {
      loss: 0.05 / step,
      grad_norm: 1 + 0.1 * (step % 3),
      learning_rate: 1e-5,
      epoch: step / STEPS,
      'clip_ratio/low_mean': 0.01,
      'clip_ratio/high_mean': 0.02,
      'clip_ratio/region_mean': 0.03,
    });
    if (step === 3) {
      // Bad input is dropped and counted (grpo.sdk.record.dropped), and over-long strings are cut
      // (grpo.sdk.value.sanitized): the SDK health panels have something to show.
      logTrainingProgress(step, { loss: Number.NaN });
      getTrainingLogger().info(`a very long message: ${'x'.repeat(500)}`);
    }
    if (step % 4 === 0) await runValidation(step, validationModel);
    tensors += 10;
    logMemoryUsage();
    await sleep(600);
    const seconds = (performance.now() - t0) / 1000;
    logStepTiming(step, {
      seconds,
      samples: PROMPTS * GROUP_SIZE,
      tokens: gens.reduce((n, g) => n + (g.tokens?.length ?? 0), 0),
      promptTokens: PROMPTS * GROUP_SIZE * 12,
      phases: { generation: seconds * 0.6, reward: seconds * 0.1, update: seconds * 0.3 },
    });
  }
  await forceFlush();
  await shutdown();
}

// ---------------------------------------------------------------------------------------------------------

describe('every dashboard query returns data from a real Prometheus', { timeout: 10 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-dashboards-'));
  let local: LocalCollector | undefined;
  let prometheus: RunningPrometheus | undefined;
  let start = 0;
  let end = 0;

  before(async () => {
    local = await startLocalCollector();
    prometheus = await startPrometheus(writeDashboardsPrometheusConfig(dir, local.prometheusExporter));
    start = Math.floor(Date.now() / 1000);
    await recordRun(dir, local.collector.otlpHttpEndpoint);
    // The last values exported, then several more scrapes, so every rate() window holds two samples.
    const lastStep = prometheusName(METRICS.trainingCurrentStep);
    await prometheus.waitForQuery(
      `${lastStep}{${label(ATTR_GRPO_RUN_ID)}="${RUN_ID}"}`,
      `step ${STEPS} in Prometheus`,
      (r) => r.some((s) => Number(s.value[1]) === STEPS),
    );
    await sleep(4_000);
    end = Math.ceil(Date.now() / 1000);
  });

  after(async () => {
    await prometheus?.stop();
    await local?.collector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  dashboardQueryTests({
    prometheus: () => prometheus!,
    range: () => ({ start, end }),
    chosen: { [VAR.service]: SERVICE, [VAR.run]: RUN_ID, [VAR.rank]: RANK },
    rewardFunctions: REWARD_FUNCTIONS,
    rateInterval: RATE_INTERVAL,
    expectedEmpty: EXPECTED_EMPTY,
  });
});
