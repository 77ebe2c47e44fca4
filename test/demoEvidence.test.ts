// The demo's evidence, from one default run of `grpo-otel demo` (default seed and steps, ~75 s on 2
// cores) that writes its files and sends OTLP to the real collector (otelcol-grpo, file exporter):
// - it learns: read through the real TensorBoard (Python, EventAccumulator), correctness over the
//   last 10% of GRPO steps exceeds the first 10% by at least 0.2, and validation accuracy at the end
//   exceeds the one at the start;
// - every metric category of the seed plan is in its TensorBoard output (tags, as TensorBoard reads
//   them) and in its OTLP output (metric names in the collector's file output). The expected names
//   come from @grpo-otel/semconv and the seed's reward functions, never from the run's own output.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '@grpo-otel/cli';
import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_REWARD_OTHER_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_STEP,
  METRICS,
  type MetricDefinition,
  SPAN_GRPO_GENERATE,
  SPAN_GRPO_REWARD,
  SPAN_GRPO_STEP,
  SPAN_GRPO_UPDATE,
  SPANS,
  VALIDATION_ERROR_TYPE_VALUES,
} from '@grpo-otel/semconv';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import {
  attributesToObject,
  exportedLogRecords,
  exportedMetrics,
  exportedSpans,
  type Located,
  type OtlpLogRecord,
  type OtlpMetric,
  type OtlpSpan,
} from '@grpo-otel/testkit/otlpJson';
import { type AccumulatedRun, readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';

/** The seed's reward functions (section 2 of the plan), as the demo registers them. */
const REWARD_FUNCTIONS = [
  'correctness_reward',
  'xml_format_reward',
  'anti_repetition_reward',
  'topic_relevance_reward',
] as const;

const M = METRICS;

interface Category {
  category: string;
  metrics: readonly MetricDefinition[];
  /** One series per reward function (attribute `grpo.reward.function`). */
  perFunction?: boolean;
  /** Extra check of the TensorBoard tags: their components after the metric name. */
  tags?: (components: string[][]) => string | undefined;
  /** Extra check of the OTLP data points' attributes. */
  points?: (attributes: Record<string, unknown>[]) => string | undefined;
}

const isRewardFunction = (v: unknown): boolean => REWARD_FUNCTIONS.includes(v as never);
const isErrorType = (v: unknown): boolean => (VALIDATION_ERROR_TYPE_VALUES as readonly unknown[]).includes(v);

/** The seed plan's metric categories and the semconv metrics that carry each. */
const CATEGORIES: readonly Category[] = [
  {
    category: 'reward statistics per reward function',
    metrics: [M.rewardMean, M.rewardStd, M.rewardMin, M.rewardMax, M.rewardMedian],
    perFunction: true,
  },
  { category: 'reward trends (moving average)', metrics: [M.rewardMovingAverage], perFunction: true },
  { category: 'reward histograms', metrics: [M.rewardValue], perFunction: true },
  {
    category: 'reward correlations',
    metrics: [M.rewardCorrelation],
    tags: (tags) =>
      tags.some((c) => isRewardFunction(c[0]) && isRewardFunction(c[1])) ? undefined : 'no pair of functions',
    points: (points) =>
      points.some(
        (a) =>
          isRewardFunction(a[ATTR_GRPO_REWARD_FUNCTION]) &&
          isRewardFunction(a[ATTR_GRPO_REWARD_OTHER_FUNCTION]),
      )
        ? undefined
        : 'no pair of functions',
  },
  { category: 'entropy', metrics: [M.policyEntropy] },
  { category: 'KL divergence', metrics: [M.policyKl] },
  { category: 'length distribution', metrics: [M.completionLength] },
  { category: 'format adherence', metrics: [M.completionFormatAdherence] },
  { category: 'reasoning/answer ratio', metrics: [M.completionReasoningAnswerRatio] },
  { category: 'correctness', metrics: [M.taskAccuracy] },
  { category: 'reasoning completeness', metrics: [M.taskReasoningCompleteness] },
  { category: 'validation accuracy', metrics: [M.validationAccuracy] },
  { category: 'generalization gap', metrics: [M.validationGeneralizationGap] },
  {
    category: 'validation error patterns',
    metrics: [M.validationErrors],
    tags: (tags) => (tags.every((c) => isErrorType(c[0])) ? undefined : 'a tag without an error type'),
    points: (points) =>
      points.every((a) => isErrorType(a[ATTR_ERROR_TYPE])) ? undefined : 'a point without a known error.type',
  },
  { category: 'throughput', metrics: [M.throughputSamples, M.throughputTokens] },
  {
    category: 'memory',
    metrics: [M.processMemoryUsage, M.v8jsMemoryHeapUsed, M.memoryPeakUsage, M.tfjsMemoryUsage],
  },
];

const isHistogram = (def: MetricDefinition) => def.instrument === 'histogram';
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Points (finite values) TensorBoard holds under each tag of a metric, keyed by the tag's components. */
function tensorBoardSeries(tb: AccumulatedRun, def: MetricDefinition): Map<string, number> {
  const out = new Map<string, number>();
  const section = isHistogram(def) ? tb.histograms : tb.scalars;
  for (const [tag, points] of Object.entries(section)) {
    if (tag !== def.name && !tag.startsWith(`${def.name}/`)) continue;
    const finite = (points as [number, unknown][]).filter(([, v]) =>
      typeof v === 'number' ? Number.isFinite(v) : (v as { num: number }).num > 0,
    ).length;
    out.set(tag.slice(def.name.length + 1), finite);
  }
  return out;
}

/** The attribute sets of a metric's data points in the collector's output (non-empty points only). */
function otlpSeries(
  metrics: readonly Located<OtlpMetric>[],
  def: MetricDefinition,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { item } of metrics) {
    if (item.name !== def.name) continue;
    if (isHistogram(def)) {
      assert.ok(item.histogram ?? item.exponentialHistogram, `${def.name} is not a histogram in OTLP`);
    }
    const points = (item.gauge ?? item.sum ?? item.histogram ?? item.exponentialHistogram) as
      | { dataPoints?: Array<Record<string, unknown>> }
      | undefined;
    for (const p of points?.dataPoints ?? []) {
      const value = p.asDouble ?? p.asInt ?? p.count;
      if (value === undefined || !Number.isFinite(Number(value))) continue;
      if (isHistogram(def) && Number(value) === 0) continue;
      out.push(attributesToObject(p.attributes as never));
    }
  }
  return out;
}

describe('the default demo: learning evidence and every metric category', { timeout: 20 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-demo-evidence-'));
  let collector: RunningCollector;
  let summary: {
    runId: string;
    steps: number;
    stoppedEarly: boolean;
    signals: { kind: string; step: number; detail: string }[];
  };
  let tb: AccumulatedRun;
  let metrics: Located<OtlpMetric>[];
  let spans: OtlpSpan[];
  let logs: OtlpLogRecord[];

  before(async () => {
    collector = await startCollector();
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_'))),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint,
    };
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['demo', '--out', 'run'], {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      cwd: dir,
      env,
    });
    assert.equal(code, 0, `${err.join('\n')}\n${out.slice(-20).join('\n')}`);
    summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    // The demo has shut its SDK down (everything sent); stopping the collector drains its pipeline
    // into the file.
    await collector.stop();
    const exported = await collector.readExported();
    metrics = exportedMetrics(exported);
    spans = exportedSpans(exported).map((s) => s.item);
    logs = exportedLogRecords(exported).map((l) => l.item);
    const tbRoot = join(dir, 'run', 'logs', 'tensorboard');
    assert.deepEqual(readdirSync(tbRoot), [summary.runId]);
    tb = readWithEventAccumulator(join(tbRoot, summary.runId));
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a learning run raises no collapse signal with the default thresholds (a collapsing one does: packages/demo-trainer/test/collapse)', () => {
    const collapses = summary.signals.filter((x) => x.kind.endsWith('_collapse'));
    assert.deepEqual(collapses, []);
  });

  test('it learns, read through TensorBoard: correctness +0.2 (first vs last 10% of steps), validation up', (t) => {
    assert.equal(summary.stoppedEarly, false);
    const steps = summary.steps;
    const window = steps / 10;

    // The correctness reward (1 for the right answer, else 0): its mean over a step's 64 completions
    // at every step, in the first and in the last 10% of the GRPO steps (each point is its own step's
    // batch: TensorBoard shows values at the step they were recorded for).
    const tag = `${M.rewardMean.name}/correctness_reward`;
    const reward = tb.scalars[tag];
    assert.ok(reward && reward.length >= 20, `${tag}: ${reward?.length} points`);
    assert.deepEqual(
      Object.keys(tb.scalars).filter((k) => k.startsWith(`${tag}/`)),
      [],
      'one series per reward function (nothing else recorded on the same metric)',
    );
    const head = reward.filter(([s]) => s >= 1 && s <= window).map(([, v]) => v);
    const tail = reward.filter(([s]) => s > steps - window && s <= steps).map(([, v]) => v);
    assert.ok(head.length >= 3 && tail.length >= 3, `points: ${head.length} first, ${tail.length} last`);
    const first = mean(head);
    const last = mean(tail);
    t.diagnostic(
      `correctness reward: ${first.toFixed(3)} (steps 1-${window}, ${head.length} batches) -> ` +
        `${last.toFixed(3)} (steps ${steps - window + 1}-${steps}, ${tail.length} batches)`,
    );
    assert.ok(last - first >= 0.2, `correctness reward ${first} -> ${last}`);

    // Validation accuracy on the held-out split: at step 0 (after the warm-up) and at the end.
    const tags = Object.keys(tb.scalars).filter(
      (tag) => tag === M.validationAccuracy.name || tag.startsWith(`${M.validationAccuracy.name}/`),
    );
    assert.equal(tags.length, 1, `validation accuracy tags: ${tags.join(', ')}`);
    const validation = tb.scalars[tags[0]!]!;
    assert.ok(validation.length >= 2);
    const [startStep, start] = validation[0]!;
    const [endStep, end] = validation.at(-1)!;
    t.diagnostic(
      `validation accuracy: ${start.toFixed(3)} at step ${startStep} -> ${end.toFixed(3)} at step ${endStep}`,
    );
    assert.equal(startStep, 0);
    assert.equal(endStep, steps);
    assert.ok(end > start, `validation ${start} -> ${end}`);

    // tfjs memory stays flat over the run: the tensor count never moves once the first GRPO update has
    // created the optimizer's moment tensors (step 0's point is read as step 0 ends, before them).
    const tensors = tb.scalars[M.tfjsTensorCount.name]?.filter(([step]) => step >= 1);
    assert.ok(tensors && tensors.length >= 2);
    assert.equal(new Set(tensors.map(([, v]) => v)).size, 1, `tensor counts ${JSON.stringify(tensors)}`);
  });

  test('every metric category of the seed plan is in the TensorBoard output', () => {
    const missing: string[] = [];
    for (const c of CATEGORIES) {
      for (const def of c.metrics) {
        const series = tensorBoardSeries(tb, def);
        const where = `${c.category}: ${def.name} (${isHistogram(def) ? 'histogram' : 'scalar'})`;
        if (c.perFunction) {
          for (const fn of REWARD_FUNCTIONS) {
            if ((series.get(fn) ?? 0) < 2) missing.push(`${where} tag ${def.name}/${fn}`);
          }
          continue;
        }
        const withPoints = [...series].filter(([, n]) => n >= 2);
        if (withPoints.length === 0) {
          missing.push(`${where}: no tag with points`);
          continue;
        }
        const problem = c.tags?.(withPoints.map(([rest]) => rest.split('/')));
        if (problem) missing.push(`${where}: ${problem}`);
      }
    }
    assert.deepEqual(
      missing,
      [],
      `TensorBoard tags:\n${Object.keys(tb.scalars).concat(Object.keys(tb.histograms)).sort().join('\n')}`,
    );
  });

  test('every metric category of the seed plan is in the OTLP output', () => {
    const runIds = new Set(
      metrics.map(({ resource }) => attributesToObject(resource.attributes)[ATTR_GRPO_RUN_ID]),
    );
    assert.deepEqual([...runIds], [summary.runId]);
    const missing: string[] = [];
    for (const c of CATEGORIES) {
      for (const def of c.metrics) {
        const series = otlpSeries(metrics, def);
        const where = `${c.category}: ${def.name}`;
        if (series.length === 0) {
          missing.push(`${where}: no data point`);
          continue;
        }
        if (c.perFunction) {
          const functions = new Set(series.map((a) => a[ATTR_GRPO_REWARD_FUNCTION]));
          for (const fn of REWARD_FUNCTIONS)
            if (!functions.has(fn)) missing.push(`${where} for ${ATTR_GRPO_REWARD_FUNCTION}=${fn}`);
        }
        const problem = c.points?.(series);
        if (problem) missing.push(`${where}: ${problem}`);
      }
    }
    assert.deepEqual(
      missing,
      [],
      `OTLP metrics: ${[...new Set(metrics.map((m) => m.item.name))].sort().join(', ')}`,
    );
  });

  test('the step traces: a grpo.step per GRPO step, its generate, reward and update phases inside it in order, its records in it', () => {
    const ns = (t: string | undefined) => Number(BigInt(t ?? '0')) / 1e6; // ms, to the µs
    const steps = spans.filter((s) => s.name === SPAN_GRPO_STEP);
    const stepNumbers = steps.map((s) => Number(attributesToObject(s.attributes)[ATTR_GRPO_STEP]));
    assert.deepEqual(
      stepNumbers.sort((a, b) => a - b),
      Array.from({ length: summary.steps }, (_, i) => i + 1),
      'one grpo.step span per GRPO step',
    );
    const problems: string[] = [];
    const childrenOf = (parent: OtlpSpan) =>
      spans
        .filter((s) => s.parentSpanId === parent.spanId)
        .sort((a, b) => ns(a.startTimeUnixNano) - ns(b.startTimeUnixNano));
    /** `children` lie inside `parent`, in its trace (and one after the other: `sequential`). */
    const laidOut = (what: string, parent: OtlpSpan, children: OtlpSpan[], sequential: boolean) => {
      // OTel ties each span's clock to Date.now() when it is created (whole milliseconds, read just
      // before performance.now()): two spans agree to within 1 ms, 2 ms when the thread was preempted
      // between the two readings of one of them.
      const [start, end] = [ns(parent.startTimeUnixNano), ns(parent.endTimeUnixNano)];
      let previousEnd = start;
      for (const c of children) {
        const [cs, ce] = [ns(c.startTimeUnixNano), ns(c.endTimeUnixNano)];
        if (c.traceId !== parent.traceId) problems.push(`${what}: ${c.name} in another trace`);
        if (cs < previousEnd - 2 || ce > end + 2 || ce < cs) {
          problems.push(
            `${what}: ${c.name} ${cs - start}..${ce - start} ms in ${parent.name} of ${end - start} ms`,
          );
        }
        if (sequential) previousEnd = ce;
      }
    };
    for (const step of steps) {
      const n = attributesToObject(step.attributes)[ATTR_GRPO_STEP];
      const children = childrenOf(step);
      const names = children.map((c) => c.name).join(',');
      if (names !== [SPAN_GRPO_GENERATE, SPAN_GRPO_REWARD, SPAN_GRPO_UPDATE].join(',')) {
        problems.push(`step ${n}: children ${names}`);
        continue;
      }
      laidOut(`step ${n}`, step, children, true);
      const generate = children[0]!;
      if (ns(generate.endTimeUnixNano) - ns(generate.startTimeUnixNano) <= 0) {
        problems.push(`step ${n}: empty generate`);
      }
      // One grpo.reward child per reward function. They take microseconds each, below what OTel's
      // per-span clock (tied to Date.now()) can order, so their order is not checked.
      const reward = children[1]!;
      const perFunction = childrenOf(reward);
      const functions = perFunction
        .map((c) => `${c.name}:${attributesToObject(c.attributes)[ATTR_GRPO_REWARD_FUNCTION]}`)
        .sort();
      if (
        functions.join(',') !==
        REWARD_FUNCTIONS.map((f) => `${SPAN_GRPO_REWARD}:${f}`)
          .sort()
          .join(',')
      ) {
        problems.push(`step ${n}: reward children ${functions.join(',')}`);
      }
      laidOut(`step ${n} reward`, reward, perFunction, false);
      for (const c of [...children, ...perFunction]) {
        if (attributesToObject(c.attributes)[ATTR_GRPO_STEP] !== n)
          problems.push(`step ${n}: ${c.name} of another step`);
      }
    }
    assert.deepEqual(problems, []);
    // The step's records lie in its span: logReward's (one per reward function), and those of its
    // analyses (a summary per analysis, and the plateau/collapse signals), which the worker answers
    // later, while another step runs. A signal names the step its detector fired at: the windows
    // take every step's rewards, and the analysis of the next logging step (at most
    // logging_frequency - 1 steps later, 10 in the demo's config) finds it, in that step's span.
    const bySpanId = new Map(steps.map((s) => [s.spanId, s]));
    const kinds = {
      logReward: (a: Record<string, unknown>) =>
        a[ATTR_GRPO_REWARD_FUNCTION] !== undefined && a['grpo.reward.mean'] !== undefined,
      'analysis summary': (a: Record<string, unknown>) => a['grpo.analysis.worker_ms'] !== undefined,
      signal: (a: Record<string, unknown>) => a['grpo.signal.kind'] !== undefined,
    };
    for (const [kind, is] of Object.entries(kinds)) {
      const records = logs.filter((l) => is(attributesToObject(l.attributes)));
      const outside = records.filter((l) => {
        const span = bySpanId.get(l.spanId);
        if (span === undefined || span.traceId !== l.traceId) return true;
        const spanStep = Number(attributesToObject(span.attributes)[ATTR_GRPO_STEP]);
        const step = Number(attributesToObject(l.attributes)[ATTR_GRPO_STEP]);
        return kind === 'signal' ? !(spanStep >= step && spanStep - step < 10) : spanStep !== step;
      });
      assert.ok(records.length > 0, `no ${kind} record`);
      assert.equal(
        outside.length,
        0,
        `${kind} records outside their step's span: ${JSON.stringify(outside[0])}`,
      );
    }
    assert.ok(
      logs.filter((l) => kinds.logReward(attributesToObject(l.attributes))).length >=
        summary.steps * REWARD_FUNCTIONS.length,
    );
  });

  test("the demo's spans carry the attributes the semantic conventions require of them", () => {
    const problems = new Set<string>();
    let checked = 0;
    for (const span of spans) {
      const def = SPANS[span.name];
      if (!def) continue;
      checked++;
      const attrs = attributesToObject(span.attributes);
      for (const a of def.attributes) {
        if (a.requirementLevel === 'required' && attrs[a.key] === undefined)
          problems.add(`${span.name}: no ${a.key}`);
      }
      if (span.name === SPAN_GRPO_REWARD && span.parentSpanId !== undefined) {
        const parent = spans.find((s) => s.spanId === span.parentSpanId);
        if (parent?.name === SPAN_GRPO_REWARD && !isRewardFunction(attrs[ATTR_GRPO_REWARD_FUNCTION])) {
          problems.add(`${span.name} per function: no ${ATTR_GRPO_REWARD_FUNCTION}`);
        }
      }
    }
    assert.ok(checked > summary.steps * 4, `${checked} spans checked`);
    assert.deepEqual([...problems], []);
  });
});
