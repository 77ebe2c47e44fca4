import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '@grpo-otel/cli';
import { encodeEvent, frameRecord, scalarSummary } from '@grpo-otel/exporter-tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'grpo-cli-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir, env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function runFolder(name: string): string {
  const folder = join(dir, name);
  const tb = join(folder, 'logs', 'tensorboard', 'run-1');
  mkdirSync(tb, { recursive: true });
  const events = [1, 2, 3].map((step) =>
    frameRecord(
      encodeEvent({
        wallTime: 1_700_000_000 + step,
        step,
        summary: [scalarSummary('grpo.reward.mean/total', step / 3)],
      }),
    ),
  );
  writeFileSync(join(tb, 'events.out.tfevents.1700000000.host.1.0'), Buffer.concat(events));
  writeFileSync(
    join(folder, 'logs', 'model_outputs.csv'),
    'step,question,model_answer\r\n1,What is 2+2?,4\r\n',
  );
  return folder;
}

test('report: writes <folder>/report.html and prints its path, nothing else', async () => {
  const folder = runFolder('ok');
  const r = await run(['report', 'ok']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.equal(r.out, join(folder, 'report.html'));
  const html = readFileSync(r.out, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>GRPO training report: run-1<\/title>/);
  assert.match(html, /data-chart="rewards"/);
  assert.match(html, /<table class="completions" id="table-csv-1" data-table="csv-1" data-rows="1">/);
});

test('report --out and --title: written where asked (relative to the working directory)', async () => {
  runFolder('out');
  const r = await run(['report', 'out', '--out', 'reports/x.html', '--title', 'My <run>']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, join(dir, 'reports', 'x.html'));
  assert.match(readFileSync(r.out, 'utf8'), /<title>My &lt;run&gt;<\/title>/);
});

test('report: a folder without event files or a missing folder: exit 1, one line on stderr', async () => {
  mkdirSync(join(dir, 'empty', 'logs'), { recursive: true });
  writeFileSync(join(dir, 'empty', 'logs', 'training.log'), 'x\n');
  const empty = await run(['report', 'empty']);
  assert.equal(empty.code, 1);
  assert.equal(empty.out, '');
  assert.equal(
    empty.err,
    `grpo-otel report: ${join(dir, 'empty')}: no TensorBoard event files (names containing 'tfevents') in this folder or below; give the output folder of a run that had a tensorboard handler`,
  );
  const missing = await run(['report', 'nope']);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, `grpo-otel report: ${join(dir, 'nope')}: no such folder`);
});

test('report: usage errors exit 2; --help exits 0; warnings about torn files go to stderr', async () => {
  assert.equal((await run(['report'])).code, 2);
  assert.equal((await run(['report', 'a', 'b'])).code, 2);
  assert.equal((await run(['report', 'ok', '--bogus'])).code, 2);
  const help = await run(['report', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^usage: grpo-otel report <output folder>/);
  assert.match((await run(['help'])).out, /grpo-otel report <output folder> \[--out FILE\]/);
  const folder = runFolder('torn');
  writeFileSync(join(folder, 'logs', 'model_outputs.csv'), 'step,question\r\n1,"torn');
  const torn = await run(['report', 'torn']);
  assert.equal(torn.code, 0);
  assert.equal(
    torn.err,
    'grpo-otel report: warning: logs/model_outputs.csv: the last row is cut short (torn write); left out',
  );
});
