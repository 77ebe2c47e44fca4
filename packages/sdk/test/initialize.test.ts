import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import {
  getLogger,
  getTelemetry,
  getTrainingLogger,
  initialize,
  logTrainingProgress,
  shutdown,
} from '@grpo-otel/sdk';

const dir = mkdtempSync(join(tmpdir(), 'grpo-init-'));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => shutdown());

const noGlobals = { handleExit: false, registerGlobal: false } as const;
// The configs below name their files relative to `dir`: baseDir says so (the default would be the
// working directory, see the last tests).
const opts = { ...noGlobals, baseDir: dir } as const;

function config(name: string, text: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  return f;
}
const read = (f: string) => readFileSync(join(dir, f), 'utf8');

test('OTEL_SDK_DISABLED=true: nothing is set up, every call is a no-op', async () => {
  const t = initialize({ ...opts, env: { OTEL_SDK_DISABLED: 'true' } });
  assert.equal(t, undefined);
  assert.equal(getTelemetry(), undefined);
  getTrainingLogger().info('ignored');
  logTrainingProgress(1, { loss: 1 });
  await shutdown();
});

test('propagate, handler levels and de-duplication follow Python logging', async () => {
  const f = config(
    'propagate',
    `version: 1
root: { level: DEBUG, handlers: [all, errors] }
loggers:
  rewards: { level: INFO, handlers: [own, all], propagate: true }
  quiet: { level: WARNING, handlers: [own], propagate: false }
  inherits: { handlers: [own] }
handlers:
  all: { class: file, filename: all.log, formatter: f }
  errors: { class: file, filename: errors.log, formatter: f, level: ERROR }
  own: { class: file, filename: own.log, formatter: f }
formatters:
  f: { format: "%(name)s %(levelname)s %(message)s" }
`,
  );
  initialize({ ...opts, configPath: f });
  getLogger('rewards').debug('below channel level');
  getLogger('rewards').info('r-info');
  getLogger('rewards').error('r-error');
  getLogger('quiet').info('below');
  getLogger('quiet').warning('q-warn');
  getLogger('inherits').debug('i-debug');
  getLogger('unlisted').debug('u-debug');
  await shutdown();
  // rewards reaches `all` once although it is both its own and root's handler.
  assert.equal(
    read('all.log'),
    'rewards INFO r-info\nrewards ERROR r-error\ninherits DEBUG i-debug\nunlisted DEBUG u-debug\n',
  );
  assert.equal(read('errors.log'), 'rewards ERROR r-error\n');
  assert.equal(
    read('own.log'),
    'rewards INFO r-info\nrewards ERROR r-error\nquiet WARNING q-warn\ninherits DEBUG i-debug\n',
  );
});

test('loggers obtained before initialize() start routing once it runs; shutdown flushes', async () => {
  const early = getLogger('early');
  const f = config(
    'early',
    `root: { level: INFO, handlers: [f] }\nhandlers:\n  f: { class: file, filename: early.log }\n`,
  );
  initialize({ ...opts, configPath: f });
  early.info('now routed');
  await shutdown();
  assert.equal(read('early.log'), 'now routed\n');
});

test('json formatter with the seed fields', async () => {
  const f = config(
    'json',
    `root: { level: INFO, handlers: [j] }
handlers:
  j: { class: file, filename: j.log, formatter: json }
formatters:
  json: { format: json, fields: [timestamp, level, name, message] }
`,
  );
  initialize({ ...opts, configPath: f });
  getTrainingLogger().info('hello', { 'grpo.step': 3 });
  await shutdown();
  const line = JSON.parse(read('j.log'));
  assert.deepEqual(Object.keys(line), ['timestamp', 'level', 'name', 'message']);
  assert.equal(line.level, 'INFO');
  assert.equal(line.name, 'training');
  assert.equal(line.message, 'hello');
  assert.match(line.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('limits: long strings are cut with a marker, redact patterns replaced, both counted', async () => {
  const f = config(
    'limits',
    `root: { level: INFO, handlers: [f] }
handlers:
  f: { class: file, filename: limits.log, formatter: j }
formatters:
  j: { format: json, fields: [message, attributes] }
limits:
  max_string_length: 20
  redact: ['sk-[A-Za-z0-9]+', '\\b\\d{3}-\\d{2}-\\d{4}\\b']
# The counts below are the instance's (t.sanitized): it must run on this thread.
telemetry_thread: { enabled: false }
`,
  );
  const t = initialize({ ...opts, configPath: f })!;
  getTrainingLogger().info('key sk-abc123 and 123-45-6789', { prompt: 'x'.repeat(50), short: 'ok', n: 5 });
  await shutdown();
  const line = JSON.parse(read('limits.log'));
  assert.equal(line.message, 'key [REDACTED] and […[truncated 9 chars]');
  assert.deepEqual(line.attributes, {
    prompt: `${'x'.repeat(20)}…[truncated 30 chars]`,
    short: 'ok',
    n: 5,
    'grpo.step': 0,
  });
  assert.equal(t.sanitized.get('redacted'), 2);
  assert.equal(t.sanitized.get('truncated'), 2);
});

test('limits: an invalid redact pattern is a config error with its position', () => {
  const f = config('badre', 'limits:\n  redact: ["ok", "(unclosed"]\n');
  assert.throws(
    () => initialize({ ...opts, configPath: f }),
    /badre\.yaml:2:\d+: limits\.redact\[1\]: invalid regular expression/,
  );
});

test('limits: a redact pattern with nested repetition (exponential backtracking) is a config error', () => {
  for (const [i, pattern] of ['(a+)+$', '(\\w+\\s?)*x', '([a-z]*)*@', '(?:x|y+)+z'].entries()) {
    const f = config(`redos${i}`, `limits:\n  redact: ['sk-[A-Za-z0-9]+', '${pattern}']\n`);
    assert.throws(
      () => initialize({ ...opts, configPath: f }),
      new RegExp(`redos${i}\\.yaml:2:\\d+: limits\\.redact\\[1\\]: the pattern can take exponential time`),
      pattern,
    );
  }
  // One level of repetition stays accepted.
  const ok = config(
    'redosok',
    "limits:\n  redact: ['sk-[A-Za-z0-9]+', '\\b\\d{3}-\\d{2}-\\d{4}\\b', '(ab|cd)+']\n",
  );
  initialize({ ...opts, configPath: ok });
});

test('shouldValidate follows metrics.validation_frequency and enable.validation_metrics', async () => {
  const { shouldValidate } = await import('@grpo-otel/sdk');
  const f = config('valfreq', 'metrics: { validation_frequency: 25 }\n');
  initialize({ ...opts, configPath: f });
  assert.deepEqual(
    [0, 10, 25, 40, 50].map((s) => shouldValidate(s)),
    [true, false, true, false, true],
  );
  const g = config(
    'valoff',
    'metrics: { validation_frequency: 25, enable: { validation_metrics: false } }\n',
  );
  initialize({ ...opts, configPath: g });
  assert.equal(shouldValidate(25), false);
});

test('baseDir: relative paths of a config file can resolve against a run folder', async () => {
  const f = config(
    'based',
    'root: { level: INFO, handlers: [f] }\nhandlers:\n  f: { class: file, filename: out/based.log }\n',
  );
  const runDir = join(dir, 'run-folder');
  initialize({ ...opts, configPath: f, baseDir: runDir });
  getTrainingLogger().info('in the run folder');
  await shutdown();
  assert.equal(readFileSync(join(runDir, 'out/based.log'), 'utf8'), 'in the run folder\n');
});

test("by default relative paths resolve against the working directory, as Python's logging.config does", async () => {
  // `initialize('scratch/p.yaml')` with `filename: scratch/train.log` writes ./scratch/train.log, not
  // ./scratch/scratch/train.log: the config file's folder plays no part.
  const cwd = join(dir, 'cwd');
  mkdirSync(join(cwd, 'scratch'), { recursive: true });
  writeFileSync(
    join(cwd, 'scratch', 'p.yaml'),
    'root: { level: INFO, handlers: [f] }\nhandlers:\n  f: { class: file, filename: scratch/train.log }\n',
  );
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    initialize({ ...noGlobals, configPath: 'scratch/p.yaml' });
    getTrainingLogger().info('next to the config, under the working directory');
    await shutdown();
  } finally {
    process.chdir(previous);
  }
  assert.equal(
    readFileSync(join(cwd, 'scratch', 'train.log'), 'utf8'),
    'next to the config, under the working directory\n',
  );
  assert.equal(existsSync(join(cwd, 'scratch', 'scratch')), false);
});
