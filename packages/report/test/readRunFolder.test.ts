import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  encodeEvent,
  frameRecord,
  histogramSummary,
  scalarSummary,
  textSummary,
} from '@grpo-otel/exporter-tensorboard';
import { ReportError, readRunFolder } from '@grpo-otel/report';

const root = mkdtempSync(join(tmpdir(), 'grpo-report-read-'));
after(() => rmSync(root, { recursive: true, force: true }));

function eventFile(path: string, events: Parameters<typeof encodeEvent>[0][], tornTail = false): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const parts = [
    frameRecord(encodeEvent({ wallTime: 1, step: 0, fileVersion: 'brain.Event:2' })),
    ...events.map((e) => frameRecord(encodeEvent(e))),
  ];
  if (tornTail)
    parts.push(
      frameRecord(encodeEvent({ wallTime: 9, step: 9, summary: [scalarSummary('x', 1)] })).subarray(0, 10),
    );
  writeFileSync(path, Buffer.concat(parts));
}

test('a missing folder and a folder without event files: one clear ReportError each', async () => {
  await assert.rejects(readRunFolder(join(root, 'nope')), (e: unknown) => {
    assert.ok(e instanceof ReportError);
    assert.equal(e.message, `${join(root, 'nope')}: no such folder`);
    return true;
  });
  const empty = join(root, 'empty');
  mkdirSync(join(empty, 'logs'), { recursive: true });
  writeFileSync(join(empty, 'logs', 'training.log'), 'hello\n');
  writeFileSync(join(empty, 'logs', 'model_outputs.csv'), 'a,b\r\n1,2\r\n');
  await assert.rejects(readRunFolder(empty), (e: unknown) => {
    assert.ok(e instanceof ReportError);
    assert.match(
      e.message,
      /: no TensorBoard event files \(names containing 'tfevents'\) in this folder or below; /,
    );
    return true;
  });
  const file = join(root, 'file.txt');
  writeFileSync(file, '');
  await assert.rejects(readRunFolder(file), /file\.txt: not a folder$/);
});

test('event files anywhere below, one run per directory; last value per step wins; torn tails reported', async () => {
  const dir = join(root, 'run');
  const hist = { min: 1, max: 3, num: 2, sum: 4, sumSquares: 10, bucketLimit: [2, 3], bucket: [1, 1] };
  eventFile(join(dir, 'logs', 'tensorboard', 'r1', 'events.out.tfevents.1.host.1.0'), [
    {
      wallTime: 2,
      step: 1,
      summary: [
        scalarSummary('grpo.reward.mean/total', 0.5),
        histogramSummary('grpo.completion.length', hist),
      ],
    },
    {
      wallTime: 3,
      step: 2,
      summary: [scalarSummary('grpo.reward.mean/total', 0.7), textSummary('logs/training', 'step 2')],
    },
    {
      wallTime: 4,
      step: 2,
      summary: [scalarSummary('grpo.reward.mean/total', 0.75), textSummary('logs/training', 'again')],
    },
  ]);
  eventFile(
    join(dir, 'logs', 'tensorboard', 'r2', 'events.out.tfevents.2.host.1.0'),
    [{ wallTime: 2, step: 5, summary: [scalarSummary('grpo.policy.entropy', 1.5)] }],
    true,
  );
  mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'x', 'events.out.tfevents.bogus'), 'not an event file');
  const f = await readRunFolder(dir);
  assert.deepEqual(f.eventFiles, [
    'logs/tensorboard/r1/events.out.tfevents.1.host.1.0',
    'logs/tensorboard/r2/events.out.tfevents.2.host.1.0',
  ]);
  assert.deepEqual(
    f.runs.map((r) => r.run),
    ['logs/tensorboard/r1', 'logs/tensorboard/r2'],
  );
  const r1 = f.runs[0]!;
  assert.deepEqual(
    r1.scalars.get('grpo.reward.mean/total')!.map((p) => [p.step, p.value]),
    [
      [1, 0.5],
      [2, 0.75],
    ],
  );
  assert.deepEqual(r1.histograms.get('grpo.completion.length')![0]!.bucket, [1, 1]);
  assert.deepEqual(
    r1.texts.get('logs/training')!.map((t) => [t.step, t.text]),
    [
      [2, 'step 2'],
      [2, 'again'],
    ],
  );
  assert.equal(f.warnings.length, 1);
  assert.match(
    f.warnings[0]!,
    /^logs\/tensorboard\/r2\/events\.out\.tfevents\.2\.host\.1\.0: torn last record at byte \d+/,
  );
});

test('CSV files with rotated backups read oldest first; formula escape undone; torn rows and backups with other columns reported', async () => {
  const dir = join(root, 'csv');
  eventFile(join(dir, 'tb', 'events.out.tfevents.1'), []);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const header = 'step,question,model_answer\r\n';
  writeFileSync(join(logs, 'model_outputs.csv.2'), `${header}1,q1,a1\r\n`);
  writeFileSync(join(logs, 'model_outputs.csv.1'), `${header}2,"q2, quoted","'=1+1"\r\n`);
  writeFileSync(join(logs, 'model_outputs.csv'), `${header}3,q3,a3\r\n4,"torn`);
  writeFileSync(join(logs, 'model_outputs.csv.3'), 'other,columns\r\nx,y\r\n');
  writeFileSync(join(logs, 'other.CSV'), 'a\r\n1\r\n2\r\n3,4');
  const f = await readRunFolder(dir);
  assert.deepEqual(
    f.csvTables.map((t) => [t.file, t.files, t.header, t.rows]),
    [
      [
        'logs/model_outputs.csv',
        ['logs/model_outputs.csv.2', 'logs/model_outputs.csv.1', 'logs/model_outputs.csv'],
        ['step', 'question', 'model_answer'],
        [
          ['1', 'q1', 'a1'],
          ['2', 'q2, quoted', '=1+1'],
          ['3', 'q3', 'a3'],
        ],
      ],
      ['logs/other.CSV', ['logs/other.CSV'], ['a'], [['1'], ['2']]],
    ],
  );
  assert.deepEqual(f.warnings, [
    "logs/model_outputs.csv.3: its columns differ from logs/model_outputs.csv's; left out",
    'logs/model_outputs.csv: the last row is cut short (torn write); left out',
    'logs/other.CSV: the last row is cut short (torn write); left out',
  ]);
});
