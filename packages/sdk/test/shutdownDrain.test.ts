// Shutdown loses nothing: a loop that never yields, `await shutdown()` right after its last step, 20
// times. Every analysis summary (the last step's included) is in the log file and in the TensorBoard
// text, and nothing is counted as dropped. The analyses of such a loop are all answered during
// shutdown(), after the process-wide loggers were unbound: the SDK logs them through its own.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import {
  beginStep,
  getDrops,
  getTrainingLogger,
  initialize,
  logGenerationMetrics,
  logRewardMetrics,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';

const dir = mkdtempSync(join(tmpdir(), 'grpo-shutdown-drain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RUNS = 20;
const STEPS = 37;
const LOGGING = 5;
const FULL = 10;

function config(run: number): string {
  return `version: 1
root: { level: INFO, handlers: [file, tb] }
handlers:
  file: { class: logging.FileHandler, filename: run${run}.log }
  tb: { class: tensorboard, log_dir: tb${run} }
metrics: { logging_frequency: ${LOGGING}, full_metrics_frequency: ${FULL}, sampling_ratio: 1 }
`;
}

/** The summaries the analyses of the run must have logged. */
function expectedSummaries(): string[] {
  const out: string[] = [];
  for (let s = 1; s <= STEPS; s++) {
    const final = s === STEPS;
    if (s % LOGGING === 0 || final) out.push(`rewards at step ${s}:`);
    if (s % FULL === 0 || final) out.push(`generations at step ${s}:`);
  }
  return out;
}

test(`${RUNS} runs of a loop that never yields, shut down right after the last step: every summary written`, async () => {
  const want = expectedSummaries();
  assert.equal(want.length, 7 + 3 + 2);
  for (let run = 0; run < RUNS; run++) {
    initialize({
      config: parseConfig(config(run), { source: 'drain.yaml', baseDir: dir, env: {} }),
      env: {},
      handleExit: false,
      registerGlobal: false,
    });
    for (let s = 1; s <= STEPS; s++) {
      const final = s === STEPS;
      beginStep(s);
      getTrainingLogger().info(`Step ${s}/${STEPS} completed`);
      const correct = Array.from({ length: 8 }, (_, i) => ((s + i + run) % 3) / 2);
      logRewardMetrics(s, { correct, format: correct.map((c) => 1 - c) }, { groupSize: 4, final });
      logGenerationMetrics(
        s,
        correct.map((c, i) => `<answer>${c}</answer> ${i}`),
        undefined,
        { final },
      );
      logTrainingProgress(s, { loss: 1 / s });
    }
    await shutdown();
    const drops = await getDrops();
    assert.equal(
      drops.reduce((n, d) => n + d.count, 0),
      0,
      `run ${run}: nothing dropped (${JSON.stringify(drops)})`,
    );

    const log = readFileSync(join(dir, `run${run}.log`), 'utf8');
    for (const w of want) assert.ok(log.includes(w), `run ${run}: '${w}' in the log file`);
    const texts = new Map<number, string>();
    for (const file of await readEvents(join(dir, `tb${run}`))) {
      for (const e of file.events) {
        for (const v of e.values) {
          if (v.kind === 'text' && v.tag === 'logs/metrics') texts.set(Number(e.event.step), v.text);
        }
      }
    }
    for (const w of want) {
      const step = Number(/step (\d+)/.exec(w)![1]);
      assert.ok(texts.get(step)?.includes(w), `run ${run}: '${w}' in the TensorBoard text at step ${step}`);
    }
  }
});
