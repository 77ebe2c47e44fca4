// A distributed run: four ranks, each a separate Node process started like torchrun does (RANK,
// WORLD_SIZE, a shared run id), export through the SDK over OTLP/HTTP to one real otelcol-grpo
// (collector-config/local.yaml), whose prometheus exporter one real Prometheus scrapes. Through
// Prometheus's HTTP API: queries aggregate by run (one series, the value computed here from what each rank
// sent) and split by rank (four series, each rank's own value, each its own `instance`); the generated
// Grafana dashboards' own queries do the same with their rank variable set to All or to one rank. The same
// processes' local sinks: one log file and one CSV per rank, and the run-level TensorBoard from rank 0 only.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_WORLD_SIZE,
  ATTR_SERVICE_NAME,
  METRICS,
  prometheusLabelName,
  prometheusName,
  prometheusSeries,
} from '@grpo-otel/semconv';
import { freePort } from '@grpo-otel/testkit/ports';
import {
  type LocalCollector,
  type RunningPrometheus,
  startLocalCollector,
  startPrometheus,
} from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { writeLocalPrometheus } from '../deploy/prometheus/src/generate.js';
import {
  label,
  type PanelQuery,
  panelQueries,
  parseLabelValues,
  substituteVariables,
  VAR,
  variableQueries,
} from '../packages/dashboards/src/index.js';
import {
  completionsPerStep,
  correctnessOf,
  lossOf,
  mean,
  STEPS,
  tensorsOf,
  WORLD_SIZE,
} from './fixtures/multiRankPlan.js';
import { type RankExit, spawnRanks } from './fixtures/spawnRanks.js';

const L = prometheusLabelName;
const RUN_ID = `multi-rank-${process.pid}`;
const SERVICE = 'grpo-multi-rank';
const run = `${L(ATTR_GRPO_RUN_ID)}="${RUN_ID}"`;
const RANKS = Array.from({ length: WORLD_SIZE }, (_, k) => k);
const DASHBOARDS = join(repoRoot, 'deploy', 'grafana', 'dashboards');

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

function dashboardQuery(file: string, panel: string): PanelQuery {
  const q = panelQueries(JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8'))).find(
    (p) => p.panel === panel,
  );
  assert.ok(q, `${file}: no panel '${panel}'`);
  return q;
}

describe('four ranks -> one collector -> one Prometheus', { timeout: 10 * 60_000 }, () => {
  let local: LocalCollector;
  let prom: RunningPrometheus;
  let outDir: string;
  let exits: RankExit[];

  before(async () => {
    local = await startLocalCollector();
    const dir = await tempDirUntilExit('grpo-multi-rank-prom-');
    prom = await startPrometheus(
      writeLocalPrometheus(dir, {
        scrapeInterval: '1s',
        evaluationInterval: '1s',
        collector: local.prometheusExporter,
        collectorTelemetry: local.telemetry,
        alertmanager: `127.0.0.1:${await freePort()}`,
      }),
    );
    outDir = await tempDirUntilExit('grpo-multi-rank-out-');
    exits = await spawnRanks(WORLD_SIZE, {
      GRPO_RUN_ID: RUN_ID,
      OTEL_EXPORTER_OTLP_ENDPOINT: local.collector.otlpHttpEndpoint,
      OUT_DIR: outDir,
    });
    for (const e of exits) assert.equal(e.code, 0, `rank ${e.rank} failed:\n${e.output}`);
    // Every rank has exited, so the collector holds its final export; wait for a scrape that has the
    // last series each rank sent (the reward analysis results come last).
    const count = prometheusSeries(METRICS.rewardValue).find((s) => s.endsWith('_count'))!;
    const last = [
      `${prometheusName(METRICS.trainingCurrentStep)}{${run}} == ${STEPS}`,
      `${count}{${run}, ${L(ATTR_GRPO_REWARD_FUNCTION)}="correctness"}`,
      `${prometheusName(METRICS.rewardMean)}{${run}, ${L(ATTR_GRPO_REWARD_FUNCTION)}="correctness"}`,
    ];
    await waitFor(
      async () => {
        for (const expr of last) if ((await prom.query(expr)).length !== WORLD_SIZE) return undefined;
        return true;
      },
      60_000,
      `the final series of all ${WORLD_SIZE} ranks in Prometheus (ranks said: ${exits.map((e) => e.output.trim()).join(' | ')})`,
      250,
    );
  });

  after(async () => {
    await prom?.stop();
    await local?.collector.stop();
  });

  test('every rank ran to completion, dropping nothing', () => {
    for (const e of exits) {
      assert.equal(e.code, 0, `rank ${e.rank}: ${e.output}`);
      assert.match(e.output, new RegExp(`rank ${e.rank} done`));
      assert.match(e.output, /^drops \[\] /m, `rank ${e.rank}: ${e.output}`);
    }
  });

  test('split by rank: one series per rank, with its own instance and value', async () => {
    const r = await prom.query(`${prometheusName(METRICS.policyLoss)}{${run}}`);
    assert.equal(r.length, WORLD_SIZE, JSON.stringify(r.map((s) => s.metric)));
    const byRank = new Map(r.map((s) => [Number(s.metric[L(ATTR_GRPO_RANK)]), s]));
    assert.deepEqual([...byRank.keys()].sort(), RANKS);
    for (const k of RANKS) {
      const s = byRank.get(k)!;
      assert.equal(
        s.metric.instance,
        `${RUN_ID}-${k}`,
        'service.instance.id <run id>-<rank> is the instance',
      );
      assert.equal(s.metric[L(ATTR_GRPO_WORLD_SIZE)], String(WORLD_SIZE));
      assert.equal(s.metric[L(ATTR_SERVICE_NAME)], SERVICE);
      close(Number(s.value[1]), lossOf(k, STEPS), `rank ${k} loss`);
    }
    const fn = `${L(ATTR_GRPO_REWARD_FUNCTION)}="correctness"`;
    const means = await prom.query(`${prometheusName(METRICS.rewardMean)}{${run}, ${fn}}`);
    assert.equal(means.length, WORLD_SIZE, JSON.stringify(means));
    for (const s of means) {
      const k = Number(s.metric[L(ATTR_GRPO_RANK)]);
      close(Number(s.value[1]), mean(correctnessOf(k, STEPS)), `rank ${k} reward mean`);
    }
  });

  test('aggregate by run: one series, the value computed from what each rank sent', async () => {
    const one = async (expr: string) => {
      const r = await prom.query(expr);
      assert.equal(r.length, 1, `${expr}: ${JSON.stringify(r)}`);
      assert.equal(r[0]!.metric[L(ATTR_GRPO_RUN_ID)], RUN_ID);
      return Number(r[0]!.value[1]);
    };
    const byRun = `by (${L(ATTR_GRPO_RUN_ID)})`;
    close(
      await one(`avg ${byRun} (${prometheusName(METRICS.policyLoss)}{${run}})`),
      mean(RANKS.map((k) => lossOf(k, STEPS))),
      'mean loss over ranks',
    );
    assert.equal(
      await one(`sum ${byRun} (${prometheusName(METRICS.trainingSteps)}{${run}})`),
      WORLD_SIZE * STEPS,
      'steps summed over ranks',
    );
    const count = prometheusSeries(METRICS.rewardValue).find((s) => s.endsWith('_count'))!;
    const sum = prometheusSeries(METRICS.rewardValue).find((s) => s.endsWith('_sum'))!;
    const fn = `${L(ATTR_GRPO_REWARD_FUNCTION)}="correctness"`;
    assert.equal(
      await one(`sum ${byRun} (${count}{${run}, ${fn}})`),
      RANKS.reduce((a, k) => a + STEPS * completionsPerStep(k), 0),
      'completions scored over all ranks and steps',
    );
    const allRewards = RANKS.flatMap((k) =>
      Array.from({ length: STEPS }, (_, i) => correctnessOf(k, i + 1)).flat(),
    );
    close(
      await one(`sum ${byRun} (${sum}{${run}, ${fn}}) / sum ${byRun} (${count}{${run}, ${fn}})`),
      mean(allRewards),
      'mean reward over every completion of the run',
    );
  });

  test('every rank has the same series (cardinality: world size x series per rank)', async (t) => {
    const perRank = await prom.query(`count by (${L(ATTR_GRPO_RANK)}) ({${run}, __name__=~"grpo_.*"})`);
    assert.equal(perRank.length, WORLD_SIZE);
    const counts = perRank.map((s) => Number(s.value[1]));
    assert.equal(new Set(counts).size, 1, `series per rank: ${counts.join(', ')}`);
    const total = await prom.query(`count({${run}, __name__=~"grpo_.*"})`);
    assert.equal(Number(total[0]!.value[1]), WORLD_SIZE * counts[0]!);
    const names = await prom.query(`count(count by (__name__) ({${run}, __name__=~"grpo_.*"}))`);
    const fn = L(ATTR_GRPO_REWARD_FUNCTION);
    const perFunction = await prom.query(
      `count by (${fn}) ({${run}, ${L(ATTR_GRPO_RANK)}="0", ${fn}=~"correctness|format"})`,
    );
    const f = Object.fromEntries(perFunction.map((x) => [x.metric[fn], Number(x.value[1])]));
    assert.equal(f.correctness, f.format, 'each reward function has the same series');
    t.diagnostic(
      `Prometheus series per rank: ${counts[0]} (${names[0]!.value[1]} metric names incl. histogram ` +
        `_bucket/_sum/_count, 2 reward functions, ${f.format} series each); per run of ${WORLD_SIZE} ranks: ` +
        `${WORLD_SIZE * counts[0]!}`,
    );
  });

  test("the dashboards' rank variable lists the four ranks of the run", async () => {
    for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
      const v = variableQueries(JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8'))).find(
        (x) => x.name === VAR.rank,
      );
      assert.ok(v, `${file} has no rank variable`);
      const { selector, label: lbl } = parseLabelValues(v.query);
      assert.equal(lbl, label(ATTR_GRPO_RANK));
      const match = substituteVariables(selector, { [VAR.service]: SERVICE, [VAR.run]: RUN_ID });
      const res = await fetch(
        `${prom.url}/api/v1/label/${lbl}/values?${new URLSearchParams({ 'match[]': match })}`,
      );
      const values = ((await res.json()) as { data: string[] }).data;
      assert.deepEqual(values.map(Number).sort(), RANKS, file);
    }
  });

  test('dashboard panels: rank All aggregates the run, one rank selects it, per-rank panels split', async () => {
    const vars = (rank: string) => ({ [VAR.service]: SERVICE, [VAR.run]: RUN_ID, [VAR.rank]: rank });
    const loss = dashboardQuery('grpo-generation-quality.json', 'Policy loss');
    const all = await prom.query(substituteVariables(loss.expr, vars('.*')));
    assert.equal(all.length, 1, JSON.stringify(all));
    close(Number(all[0]!.value[1]), mean(RANKS.map((k) => lossOf(k, STEPS))), 'Policy loss, rank All');
    const two = await prom.query(substituteVariables(loss.expr, vars('2')));
    assert.equal(two.length, 1);
    close(Number(two[0]!.value[1]), lossOf(2, STEPS), 'Policy loss, rank 2');
    const picked = await prom.query(substituteVariables(loss.expr, vars('(1|3)')));
    close(
      Number(picked[0]!.value[1]),
      mean([lossOf(1, STEPS), lossOf(3, STEPS)]),
      'Policy loss, ranks 1 and 3',
    );

    const tensors = dashboardQuery('grpo-resource-usage.json', 'Live TensorFlow.js tensors');
    const split = await prom.query(substituteVariables(tensors.expr, vars('.*')));
    assert.equal(split.length, WORLD_SIZE, JSON.stringify(split));
    for (const s of split) {
      const k = Number(s.metric[L(ATTR_GRPO_RANK)]);
      assert.equal(Number(s.value[1]), tensorsOf(k), `tensors of rank ${k}`);
    }
  });

  test('local sinks: a log file and a CSV per rank; the run-level TensorBoard from rank 0 alone', () => {
    for (const k of RANKS) {
      const log = readFileSync(join(outDir, 'logs', `train.rank${k}.log`), 'utf8');
      const lines = log.trim().split('\n');
      assert.equal(lines.filter((l) => l.includes(`rank ${k} step`)).length, STEPS, `train.rank${k}.log`);
      assert.ok(
        !lines.some((l) => /rank \d step/.test(l) && !l.includes(`rank ${k} step`)),
        'one rank per file',
      );
      const csv = readFileSync(join(outDir, `samples.rank${k}.csv`), 'utf8')
        .trim()
        .split(/\r?\n/);
      assert.equal(csv.length, 1 + STEPS, `samples.rank${k}.csv: header + one row per step`);
      assert.ok(
        csv.slice(1).every((row) => row.endsWith(`,${k}`)),
        `samples.rank${k}.csv holds rank ${k}'s answers`,
      );
    }
    assert.equal(existsSync(join(outDir, 'logs', 'train.log')), false);
    assert.equal(existsSync(join(outDir, 'samples.csv')), false);
    assert.deepEqual(readdirSync(join(outDir, 'tb')), [RUN_ID]);
    const runDir = join(outDir, 'tb', RUN_ID);
    const entries = readdirSync(runDir);
    assert.ok(
      entries.length > 0 && entries.every((f) => f.startsWith('events.out.tfevents.')),
      entries.join(' '),
    );
    // Whose run it is: the live-tensor gauge is a per-rank constant (the tensorboard tests check values
    // at their steps).
    const scalars = readWithEventAccumulator(runDir).scalars;
    const tensors = scalars[METRICS.tfjsTensorCount.name];
    assert.ok(tensors && tensors.length > 0, Object.keys(scalars).join(' '));
    assert.deepEqual(new Set(tensors.map(([, v]) => v)), new Set([tensorsOf(0)]), 'rank 0 wrote the run');
    assert.ok(scalars[METRICS.policyLoss.name], 'the loss is in the run');
  });
});
