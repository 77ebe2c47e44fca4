import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../src/main.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

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

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('bad options and configs fail with one line, before any training', async (t) => {
  const dir = tempDir(t);
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

// The evidence, from what the default run wrote to disk: the log file's per-step reward
// records and validation lines, the CSV, the TensorBoard files and the run's summary.json.
test('the default demo learns: correctness +0.2 from the first to the last 10% of steps, validation up', {
  timeout: 15 * 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const c = capture(dir);
  const code = await main(['demo', '--out', 'run'], c.io);
  assert.equal(code, 0, c.err.join('\n'));
  const run = join(dir, 'run');

  // The rotating log file: one `reward correctness_reward: mean=...` record per GRPO step.
  const log = readFileSync(join(run, 'logs', 'training.log'), 'utf8');
  const correctness = [
    ...log.matchAll(/ - rewards - INFO - reward correctness_reward: mean=([0-9.e-]+)/g),
  ].map((m) => Number(m[1]));
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
  assert.equal(correctness.length, summary.steps);
  const k = Math.round(correctness.length / 10);
  const first = mean(correctness.slice(0, k));
  const last = mean(correctness.slice(-k));
  t.diagnostic(`correctness (log file): ${first.toFixed(3)} -> ${last.toFixed(3)} over ${k}-step windows`);
  assert.ok(last - first >= 0.2, `correctness ${first} -> ${last}`);

  const validation = [
    ...log.matchAll(/ - training - INFO - validation at step (\d+): accuracy ([0-9.]+)/g),
  ].map((m) => ({
    step: Number(m[1]),
    accuracy: Number(m[2]),
  }));
  assert.ok(validation.length >= 2);
  const start = validation[0]!;
  const end = validation.at(-1)!;
  t.diagnostic(
    `validation accuracy (log file): ${start.accuracy} at step ${start.step} -> ${end.accuracy} at step ${end.step}`,
  );
  assert.equal(start.step, 0);
  assert.equal(end.step, summary.steps);
  assert.ok(end.accuracy > start.accuracy, `validation ${start.accuracy} -> ${end.accuracy}`);

  // The run's own summary agrees with its log.
  assert.ok(
    Math.abs(summary.correctness.first - first) < 1e-3 && Math.abs(summary.correctness.last - last) < 1e-3,
  );
  assert.ok(summary.validation.end.accuracy > summary.validation.start.accuracy);
  assert.equal(summary.validation.start.telemetryAccuracy, summary.validation.start.accuracy);

  // tfjs memory stays flat: the tensor count logged on the system channel never moves.
  const tensors = [...log.matchAll(/ - system - INFO - tfjs memory: (\d+) tensors/g)].map((m) =>
    Number(m[1]),
  );
  assert.ok(tensors.length >= 2);
  assert.equal(new Set(tensors).size, 1, `tensor counts: ${tensors.join(', ')}`);

  // The other files of the run folder.
  const csv = readFileSync(join(run, 'logs', 'model_outputs.csv'), 'utf8')
    .trimEnd()
    .split(/\r?\n/); // RFC 4180 line ends
  assert.equal(csv[0], 'timestamp,step,question,true_answer,model_answer,model_reasoning,correct');
  assert.ok(csv.length > summary.steps);
  const tb = join(run, 'logs', 'tensorboard', summary.runId);
  assert.ok(existsSync(tb) && readdirSync(tb).some((f) => f.startsWith('events.out.tfevents.')));

  // The printed summary names the numbers, the files and the TensorBoard command.
  const printed = c.out.join('\n');
  assert.match(printed, /validation accuracy/);
  assert.match(printed, /logs\/training\.log/);
  assert.match(printed, /tensorboard --logdir run\/logs\/tensorboard/);
});
