// Channel names are a field of every text log line: a hostile name cannot split or corrupt a line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { getLogger, initialize, shutdown } from '@grpo-otel/sdk';

test('control characters and lone surrogates in a channel name become U+FFFD; empty is root', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-channel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    `version: 1
formatters:
  plain: { format: '%(name)s|%(message)s' }
handlers:
  log: { class: file, filename: run.log, formatter: plain }
root: { level: INFO, handlers: [log] }
`,
  );
  initialize({ configPath, baseDir: dir, handleExit: false, registerGlobal: false });
  getLogger('evil\nINFO forged|line').info('one');
  getLogger('tab\there\u0085\ud800x').info('two');
  getLogger('').info('three');
  getLogger('ok.name').info('four');
  await shutdown();
  const lines = readFileSync(join(dir, 'run.log'), 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(lines, [
    'evil\ufffdINFO forged|line|one',
    'tab\ufffdhere\ufffd\ufffdx|two',
    'root|three',
    'ok.name|four',
  ]);
});
