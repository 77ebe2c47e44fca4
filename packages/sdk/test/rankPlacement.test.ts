import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '@grpo-otel/sdk';

const CONFIG = `version: 1
handlers:
  log: { class: file, filename: logs/train.log }
  rows: { class: csv, filename: out/samples.csv }
  rows0: { class: csv, filename: out/all.csv, ranks: zero }
  tb: { class: tensorboard, log_dir: tb }
  tball: { class: tensorboard, log_dir: tball, ranks: all }
root: { level: INFO, handlers: [log, rows, rows0, tb, tball] }
`;

function handlers(env: Record<string, string>) {
  return parseConfig(CONFIG, { source: 'ranks.yaml', baseDir: '/base', env }).handlers;
}

describe('ranks: which rank writes each local sink', () => {
  test('a single process keeps every sink as configured', () => {
    const h = handlers({ RANK: '0', WORLD_SIZE: '1' });
    const log = h.get('log');
    const rows0 = h.get('rows0');
    assert.ok(log?.type === 'file' && rows0?.type === 'csv');
    assert.equal(log.filename, '/base/logs/train.log');
    assert.equal(log.onThisRank, true);
    assert.equal(rows0.onThisRank, true);
    const tb = h.get('tb');
    assert.ok(tb?.type === 'tensorboard');
    assert.equal(tb.ranks, 'zero');
    assert.equal(tb.onThisRank, true);
    assert.equal(tb.rankRun, undefined);
  });

  test('rank 3 of 4: per-rank files, no run-level TensorBoard, its own sub-run with ranks: all', () => {
    const h = handlers({ RANK: '3', WORLD_SIZE: '4' });
    const log = h.get('log');
    const rows = h.get('rows');
    const rows0 = h.get('rows0');
    const tb = h.get('tb');
    const tball = h.get('tball');
    assert.ok(log?.type === 'file' && rows?.type === 'csv' && rows0?.type === 'csv');
    assert.ok(tb?.type === 'tensorboard' && tball?.type === 'tensorboard');
    assert.equal(log.filename, '/base/logs/train.rank3.log');
    assert.equal(log.ranks, 'all');
    assert.equal(rows.filename, '/base/out/samples.rank3.csv');
    assert.equal(rows0.onThisRank, false);
    assert.equal(rows0.filename, '/base/out/all.csv');
    assert.equal(tb.onThisRank, false);
    assert.equal(tball.onThisRank, true);
    assert.equal(tball.rankRun, 'rank3');
  });

  test('rank 0 of 4 writes the run-level sinks under their configured names', () => {
    const h = handlers({ RANK: '0', WORLD_SIZE: '4' });
    const tb = h.get('tb');
    const rows0 = h.get('rows0');
    const log = h.get('log');
    assert.ok(tb?.type === 'tensorboard' && rows0?.type === 'csv' && log?.type === 'file');
    assert.equal(tb.onThisRank, true);
    assert.equal(tb.rankRun, undefined);
    assert.equal(rows0.filename, '/base/out/all.csv');
    assert.equal(log.filename, '/base/logs/train.rank0.log');
  });

  test('torchrun: TORCHELASTIC_RUN_ID is the shared run id unless it is `none`', () => {
    const env = { RANK: '1', WORLD_SIZE: '2' };
    const runId = (extra: Record<string, string>) =>
      parseConfig('version: 1\n', { source: 'r.yaml', baseDir: '/', env: { ...env, ...extra } }).resource
        .runId;
    assert.equal(runId({ TORCHELASTIC_RUN_ID: 'job-42' }), 'job-42');
    assert.equal(runId({ TORCHELASTIC_RUN_ID: 'none' }), undefined);
    assert.equal(runId({ TORCHELASTIC_RUN_ID: 'job-42', GRPO_RUN_ID: 'mine' }), 'mine');
  });

  test('an unknown ranks value is a config error naming the key', () => {
    assert.throws(
      () =>
        parseConfig('version: 1\nhandlers:\n  tb: { class: tensorboard, log_dir: tb, ranks: some }\n', {
          source: 'bad.yaml',
          baseDir: '/',
          env: {},
        }),
      /ranks/,
    );
  });
});
