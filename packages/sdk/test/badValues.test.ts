// The usual mistakes get one warning that names the argument and the value, and a counted drop; the
// log record and the metric never disagree about a value.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import {
  beginStep,
  getDrops,
  initialize,
  logRewardMetrics,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';

const dir = mkdtempSync(join(tmpdir(), 'grpo-bad-values-'));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => shutdown());

let runs = 0;
function start(): string {
  const log = join(dir, `run${runs++}.jsonl`);
  initialize({
    config: parseConfig(
      `version: 1
root: { level: INFO, handlers: [file] }
handlers:
  file: { class: logging.FileHandler, filename: ${log}, formatter: json }
formatters:
  json: { format: json }
metrics: { logging_frequency: 1 }
`,
      { source: 'bad.yaml', baseDir: dir, env: {} },
    ),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  return log;
}

interface Line {
  message: string;
  level: string;
  attributes?: Record<string, unknown>;
}
const lines = (file: string): Line[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line)
    : [];
const dropped = async (where: string): Promise<number> =>
  (await getDrops()).filter((d) => d.where === where).reduce((n, d) => n + d.count, 0);

test('a metric that is not a number: left out of the record and the metric, one warning naming it', async () => {
  const log = start();
  logTrainingProgress(6, { loss: '0.5' as unknown as number, grad_norm: 0.25 });
  logTrainingProgress(7, { loss: '0.4' as unknown as number });
  assert.equal(await dropped('logTrainingProgress'), 2);
  await shutdown();
  const all = lines(log);
  const warnings = all.filter((l) => l.level === 'WARNING');
  assert.equal(warnings.length, 1, 'one warning per key and type');
  assert.match(warnings[0]!.message, /metrics\.loss must be a number, got "0\.5" \(string\)/);
  const progress = all.find((l) => l.message.startsWith('step 6'))!;
  assert.equal(progress.message, 'step 6: grad_norm=0.25');
  assert.equal(progress.attributes?.loss, undefined);
});

test('a step that is a string: the warning shows it as a string, and the call is dropped', async () => {
  const log = start();
  logTrainingProgress('7' as unknown as number, { loss: 0.5 });
  beginStep(-1);
  assert.equal(logRewardMetrics(2.5, { correct: [1] }), false);
  assert.equal(await dropped('logTrainingProgress'), 1);
  assert.equal(await dropped('beginStep'), 1);
  assert.equal(await dropped('logRewardMetrics'), 1);
  await shutdown();
  const messages = lines(log).map((l) => l.message);
  assert.ok(
    messages.includes(
      'logTrainingProgress: step must be a non-negative integer, got "7" (string); the call is dropped',
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => /^beginStep: step must be a non-negative integer, got -1 \(number\)/.test(m)),
  );
  assert.ok(messages.some((m) => /^logRewardMetrics: step must be a non-negative integer, got 2\.5/.test(m)));
  assert.ok(!messages.some((m) => m.startsWith('step 7')));
});

test('reward arrays of different lengths are refused, naming each length', async () => {
  const log = start();
  assert.equal(logRewardMetrics(1, { correct: [1, 0, 1, 1], format: [0.5, 0.5] }), false);
  assert.equal(await dropped('logRewardMetrics'), 1);
  await shutdown();
  const w = lines(log).filter((l) => l.level === 'WARNING');
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /different lengths \(correct: 4, format: 2\); the batch is dropped/);
  assert.ok(!lines(log).some((l) => l.message.startsWith('rewards at step 1')));
});

test('a group size that does not divide the batch is refused', async () => {
  const log = start();
  assert.equal(logRewardMetrics(1, { correct: [1, 0, 1, 1] }, { groupSize: 3 }), false);
  assert.equal(logRewardMetrics(2, { correct: [1, 0, 1, 1] }, { groupSize: 2 }), true);
  await shutdown();
  const w = lines(log).filter((l) => l.level === 'WARNING');
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /groupSize must be a positive integer that divides the 4 completions, got 3/);
});
