// A distributed run whose TensorBoard handler says `ranks: all`: four ranks, each a separate Node process
// started like torchrun does, each write their own run `<run id>/rank<k>` under the one log directory, and
// the real TensorBoard (both loaders) lists them as four runs, each with that rank's values.
// (The default, rank 0 alone, is checked by multiRankPrometheus.test.ts with the same processes.)
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { METRICS } from '@grpo-otel/semconv';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { type RunningTensorBoard, startTensorBoard } from '@grpo-otel/testkit/tensorboard';
import { STEPS, tensorsOf, WORLD_SIZE } from './fixtures/multiRankPlan.js';
import { spawnRanks } from './fixtures/spawnRanks.js';

const RUN_ID = `multi-rank-tb-${process.pid}`;
const RANKS = Array.from({ length: WORLD_SIZE }, (_, k) => k);
const TAG = METRICS.tfjsTensorCount.name;

let logDir: string;

before(async () => {
  const outDir = await tempDirUntilExit('grpo-multi-rank-tb-');
  const exits = await spawnRanks(WORLD_SIZE, { GRPO_RUN_ID: RUN_ID, OUT_DIR: outDir, TB_RANKS: 'all' });
  for (const e of exits) assert.equal(e.code, 0, `rank ${e.rank} failed:\n${e.output}`);
  logDir = join(outDir, 'tb');
});

test('each rank wrote its own run directory, and nothing at the run level', () => {
  assert.deepEqual(readdirSync(logDir), [RUN_ID]);
  const runDir = join(logDir, RUN_ID);
  assert.deepEqual(
    readdirSync(runDir).sort(),
    RANKS.map((k) => `rank${k}`),
  );
  for (const k of RANKS) {
    const files = readdirSync(join(runDir, `rank${k}`));
    assert.ok(files.length > 0 && files.every((f) => f.startsWith('events.out.tfevents.')), files.join(' '));
  }
});

for (const loadFast of [true, false]) {
  describe(`real TensorBoard, --load_fast=${loadFast}`, () => {
    let tb: RunningTensorBoard;

    before(async () => {
      tb = await startTensorBoard({ logDir, loadFast });
      for (const k of RANKS) await tb.waitForRun(`${RUN_ID}/rank${k}`, { plugin: 'scalars', tag: TAG });
    });

    after(async () => {
      await tb?.stop();
    });

    test('four runs, one per rank, each with its own values', async () => {
      const runs = await tb.get<string[]>('/data/runs');
      assert.deepEqual(
        [...runs].sort(),
        RANKS.map((k) => `${RUN_ID}/rank${k}`),
      );
      for (const k of RANKS) {
        const run = `${RUN_ID}/rank${k}`;
        const points = await tb.get<[number, number, number][]>(
          `/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(TAG)}`,
        );
        assert.ok(points.length >= 1, `${run}: no ${TAG}`);
        assert.ok(
          points.every(([, step]) => step >= 1 && step <= STEPS),
          `${run}: steps ${JSON.stringify(points)}`,
        );
        assert.deepEqual(
          new Set(points.map(([, , v]) => v)),
          new Set([tensorsOf(k)]),
          `${run}: rank ${k}'s values`,
        );
      }
    });
  });
}
