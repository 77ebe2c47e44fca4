// A log record belongs to the step current when it was emitted, however late a sink writes it: the
// TensorBoard text of a channel lands at that step (not at the step current at export time), and
// every sink sees the step as the record's `grpo.step` attribute.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { beginStep, getLogger, initialize, logTrainingProgress, shutdown } from '@grpo-otel/sdk';

const CONFIG = `version: 1
formatters:
  json: { class: json }
handlers:
  tb: { class: tensorboard, log_dir: tb, flush_interval: 60 }
  jsonl: { class: file, filename: run.jsonl, formatter: json, flush_interval: 60 }
root: { level: INFO, handlers: [tb, jsonl] }
`;

test('records keep the step of their emission, even when the sink writes them steps later', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-stepstamp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, CONFIG);
  initialize({ configPath, baseDir: dir, handleExit: false, registerGlobal: false });
  const log = getLogger('training');
  // The flush interval is a minute: nothing is written until shutdown, when the trainer is at step 7.
  for (const step of [5, 6, 7]) {
    beginStep(step);
    logTrainingProgress(step, { loss: 1 / step });
    log.info(`message of step ${step}`);
  }
  log.info('explicit step', { 'grpo.step': 3 });
  await shutdown();

  const texts = new Map<number, string>();
  for (const file of await readEvents(join(dir, 'tb'))) {
    for (const e of file.events) {
      for (const v of e.values) {
        if (v.kind === 'text' && v.tag === 'logs/training') texts.set(Number(e.event.step), v.text);
      }
    }
  }
  for (const step of [5, 6, 7]) {
    assert.match(texts.get(step) ?? '', new RegExp(`message of step ${step}`), `text at step ${step}`);
    for (const other of [5, 6, 7].filter((s) => s !== step)) {
      assert.doesNotMatch(texts.get(step) ?? '', new RegExp(`message of step ${other}`));
    }
  }
  // Steps never go back within a tag: the late record of step 3 joins the latest text, marked.
  assert.equal(texts.get(3), undefined);
  assert.match(texts.get(7) ?? '', /\*\(step 3\)\* .*explicit step/);

  const lines = readFileSync(join(dir, 'run.jsonl'), 'utf8').trim().split('\n');
  const ours = lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => /^(message of step \d|explicit step)$/.test(String(r.message)));
  const byMessage = new Map(ours.map((r) => [String(r.message), r]));
  assert.equal(ours.length, 4);
  for (const [message, step] of [
    ['message of step 5', 5],
    ['message of step 6', 6],
    ['message of step 7', 7],
    ['explicit step', 3],
  ] as const) {
    const r = byMessage.get(message);
    assert.ok(r, `${message} in ${lines.join('\n')}`);
    assert.equal(JSON.stringify(r).includes(`"grpo.step":${step}`), true, JSON.stringify(r));
  }
});
