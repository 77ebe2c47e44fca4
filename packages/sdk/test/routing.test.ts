import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readEvents } from '@grpo-otel/exporter-tensorboard';

// The seed's YAML, byte for byte, in a fresh directory, run in a child process started there (its paths
// are relative to the working directory, as under Python), so that its console output (stderr, as
// Python's StreamHandler) can be read.
const seed = fileURLToPath(new URL('./fixtures/seed-logging_config.yaml', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/childChannels.ts', import.meta.url));

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - (\w+) - (\w+) - (.*)$/;

describe('the seed config routes each channel as it says', () => {
  let dir: string;
  let stderr: string;
  let logFile: string[];
  let result: {
    routes: Record<string, string[]>;
    drops: { signal: string; reason: string; where: string; count: number }[];
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'grpo-routing-'));
    copyFileSync(seed, join(dir, 'logging_config.yaml'));
    const p = spawnSync(
      process.execPath,
      // tsx by its resolved URL: the child runs in `dir`, outside the workspace.
      ['--conditions=source', '--import', import.meta.resolve('tsx'), child, 'logging_config.yaml'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' } },
    );
    assert.equal(p.status, 0, p.stderr);
    stderr = p.stderr;
    result = JSON.parse(p.stdout.trim().split('\n').pop()!);
    logFile = readFileSync(join(dir, 'logs/training.log'), 'utf8').split('\n').filter(Boolean);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('routing table: own handlers, root handlers for the unconfigured `system` channel', () => {
    assert.deepEqual(result.routes, {
      training: ['console', 'file', 'tensorboard'],
      model_outputs: ['csv', 'file'],
      rewards: ['file', 'tensorboard'],
      whitelist: ['file'],
      metrics: ['file', 'tensorboard'],
      system: ['console', 'file'],
    });
  });

  test('console handler (stderr, standard format): exactly training and system (via root)', () => {
    const lines = stderr
      .split('\n')
      .map((l) => LINE.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.deepEqual(
      lines.map((m) => [m[1], m[2], m[3]]),
      [
        ['training', 'INFO', 'info-on-training'],
        ['system', 'INFO', 'info-on-system'],
      ],
    );
  });

  test('rotating file handler (standard format): every channel, INFO only (channel levels drop DEBUG)', () => {
    const parsed = logFile.map((l) => {
      const m = LINE.exec(l);
      assert.ok(m, `line in the standard format: ${l}`);
      return [m[1], m[2], m[3]];
    });
    assert.deepEqual(parsed, [
      ...['training', 'model_outputs', 'rewards', 'whitelist', 'metrics', 'system'].map((ch) => [
        ch,
        'INFO',
        `info-on-${ch}`,
      ]),
      ['model_outputs', 'INFO', 'correct: What is 2+2, "exactly"? -> 4 (expected 4)'],
    ]);
  });

  test('csv handler: the seed columns, header once, model outputs from logModelOutput', () => {
    const csv = readFileSync(join(dir, 'logs/model_outputs.csv'), 'utf8');
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'timestamp,question,true_answer,model_answer,model_reasoning');
    assert.match(
      rows[1]!,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,,,,$/,
      'plain record: only the timestamp',
    );
    assert.match(rows[2]!, /^\d{4}-[^,]+,"What is 2\+2, ""exactly""\?",4,4,2\+2=4$/);
    assert.deepEqual(rows.slice(3), ['']);
  });

  test('tensorboard handler: one run directory whose events hold the routed channels as text', async () => {
    const tbDir = join(dir, 'logs/tensorboard');
    const runs = readdirSync(tbDir);
    assert.equal(runs.length, 1, 'one run directory (the run id)');
    const contents = await readEvents(join(tbDir, runs[0]!));
    assert.ok(contents.every((c) => c.issues.length === 0 && c.path.includes('tfevents')));
    const texts = contents
      .flatMap((c) => c.events.flatMap((e) => e.values))
      .flatMap((v) => (v.kind === 'text' ? [[v.tag, v.text] as const] : []));
    const byTag = new Map(texts.map(([tag, text]) => [tag, text]));
    assert.deepEqual([...byTag.keys()].sort(), ['logs/metrics', 'logs/rewards', 'logs/training']);
    for (const [tag, text] of byTag) assert.match(text, new RegExp(`info.{0,2}on.{0,2}${tag.slice(5)}`), tag);
    assert.equal(result.drops.filter((d) => d.reason === 'sink_unavailable').length, 0);
  });
});
