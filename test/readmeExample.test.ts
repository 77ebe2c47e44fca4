// The README's "Using it" block is a program: extracted from README.md as it is, run in an empty
// folder with the embedded default config, so the README cannot drift from what works. It runs
// against the built package (`pnpm build`, which the test command does first), as a user's would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The first ```ts block under the README's "## Using it" heading. */
export function readmeExample(readme: string): string {
  const section = readme.indexOf('\n## Using it\n');
  assert.ok(section >= 0, 'README.md has a "## Using it" section');
  const start = readme.indexOf('```ts\n', section);
  const end = readme.indexOf('\n```\n', start);
  assert.ok(start > section && end > start, 'a ```ts block in it');
  return readme.slice(start + '```ts\n'.length, end + 1);
}

const dir = mkdtempSync(join(tmpdir(), 'grpo-readme-example-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let run: ReturnType<typeof spawnSync>;

before(() => {
  writeFileSync(join(dir, 'train.ts'), readmeExample(readFileSync(join(root, 'README.md'), 'utf8')));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules', '@grpo-otel'), { recursive: true });
  symlinkSync(join(root, 'packages', 'sdk'), join(dir, 'node_modules', '@grpo-otel', 'sdk'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), 'train.ts'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
});

test('the README example runs to its end', () => {
  assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
});

test('it saves one checkpoint: one plateau of the total reward, one onPlateau callback', () => {
  const m = /checkpoints saved at steps (.*)$/m.exec(String(run.stdout));
  assert.ok(m, String(run.stdout).slice(-2000));
  const steps = m[1]!.split(', ').filter(Boolean).map(Number);
  assert.equal(steps.length, 1, m[0]);
  // Learning stops at step 30; the plateau needs the 50-step window (metrics.plateau.window) past it.
  assert.ok(steps[0]! > 30 && steps[0]! <= 150, m[0]);
});

test('the embedded default wrote the log file: each step, every analysis summary, the validation', () => {
  const log = join(dir, 'logs', 'training.log');
  assert.ok(existsSync(log));
  const text = readFileSync(log, 'utf8');
  for (let s = 1; s <= 150; s++) assert.ok(text.includes(`Step ${s}/150 completed`), `step ${s}`);
  for (const s of [50, 100, 150]) assert.ok(text.includes(`rewards at step ${s}:`), `rewards at ${s}`);
  assert.ok(text.includes('generations at step 150:'));
  assert.match(
    text,
    /validation at step 150: accuracy 0\.500 \(1\/2\)|validation at step 150: accuracy 1\.000 \(2\/2\)/,
  );
  assert.match(text, /reward plateau at step \d+: smoothed total reward/);
});

test('everything on disk with the embedded default: TensorBoard at each step, the CSV, the spans', () => {
  const tbRoot = join(dir, 'logs', 'tensorboard');
  const [run] = readdirSync(tbRoot);
  assert.ok(run, 'a TensorBoard run');
  // Read by TensorBoard's own EventAccumulator.
  const acc = readWithEventAccumulator(join(tbRoot, run));
  const stepsOf = (rows: [number, ...unknown[]][] | undefined) => rows?.map(([step]) => step);
  const all = Array.from({ length: 150 }, (_, i) => i + 1);
  assert.deepEqual(stepsOf(acc.tensors['logs/training']), all);
  assert.deepEqual(stepsOf(acc.scalars['grpo.policy.loss']), all);
  assert.deepEqual(stepsOf(acc.scalars['grpo.reward.moving_average/total']), [50, 100, 150]);
  const csv = readFileSync(join(dir, 'logs', 'model_outputs.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(csv.length, 151, 'a header and a row per step');
  const spans = readFileSync(join(dir, 'logs', 'traces.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const stepSpans = spans.filter((l) => l.includes('"name":"grpo.step"'));
  assert.equal(stepSpans.length, 150);
});
