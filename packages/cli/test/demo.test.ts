import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { main } from '../src/main.js';

/** The environment without OTLP settings, so the run writes files only. */
function localEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
}

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd, env: localEnv() },
  };
}

test('bad options and configs fail with one line, before any training', async (t) => {
  const dir = tempDir(t, 'grpo-demo-');
  for (const [args, code, pattern] of [
    [['--steps', '0'], 2, /--steps must be a positive integer/],
    [['--group-size', '1'], 2, /--group-size must be at least 2/],
    [['--seed', 'x'], 2, /--seed must be an integer/],
    [['--bogus'], 2, /Unknown option/],
    [['--config', 'missing.yaml', '--out', 'run'], 1, /missing\.yaml.*file not found/],
  ] as const) {
    const c = capture(dir);
    assert.equal(await main(['demo', ...args], c.io), code, args.join(' '));
    assert.match(c.err.join('\n'), pattern);
  }
});

// What a run leaves behind and prints, from a short run (the learning evidence of the default run is
// test/demoEvidence.test.ts, read through the real TensorBoard).
test('a short demo run writes its folder and prints the summary, the files and the TensorBoard command', {
  timeout: 10 * 60_000,
}, async (t) => {
  const dir = tempDir(t, 'grpo-demo-');
  const c = capture(dir);
  const code = await main(['demo', '--steps', '20', '--seed', '3', '--out', 'run'], c.io);
  assert.equal(code, 0, c.err.join('\n'));
  const run = join(dir, 'run');
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
  assert.equal(summary.steps, 20);
  assert.equal(summary.options.seed, 3);
  assert.equal(summary.history.correctness.length, 20);

  // The rotating log file: one `reward correctness_reward: mean=...` record per GRPO step, and the
  // validation runs at the start and at the end.
  const log = readFileSync(join(run, 'logs', 'training.log'), 'utf8');
  assert.equal([...log.matchAll(/ - rewards - INFO - reward correctness_reward: mean=/g)].length, 20);
  const validation = [...log.matchAll(/ - training - INFO - validation at step (\d+): accuracy /g)].map((m) =>
    Number(m[1]),
  );
  assert.deepEqual(validation, [0, 20]);

  // The other files of the run folder.
  const csv = readFileSync(join(run, 'logs', 'model_outputs.csv'), 'utf8')
    .trimEnd()
    .split(/\r?\n/); // RFC 4180 line ends
  assert.equal(csv[0], 'timestamp,step,question,true_answer,model_answer,model_reasoning,correct');
  assert.ok(csv.length > summary.steps);
  const tb = join(run, 'logs', 'tensorboard', summary.runId);
  assert.ok(existsSync(tb) && readdirSync(tb).some((f) => f.startsWith('events.out.tfevents.')));
  assert.ok(existsSync(join(run, 'report.html')));

  // The printed summary names the numbers, the files and the TensorBoard command.
  const printed = c.out.join('\n');
  assert.match(printed, /validation accuracy/);
  assert.match(printed, /logs\/training\.log/);
  assert.match(printed, /tensorboard --logdir run\/logs\/tensorboard/);
  assert.match(printed, /^report: run\/report\.html {3}\(open it in a browser/m);
});
