import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DataType,
  decodeSummaryValue,
  encodeEvent,
  frameRecord,
  parseEventFile,
  readEvents,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import { tempDir } from '@grpo-otel/testkit/tempDir';

test('readEvents: runs under a log dir, sorted; scalars, histograms, text decoded', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-read-');
  for (const name of ['b', 'a/nested']) {
    const run = new TensorBoardRun({
      logDir,
      runName: name,
      scalarForm: name === 'b' ? 'tensor' : 'simple_value',
    });
    run.addScalar('loss', 0.5, 1);
    run.addHistogram('h', [1, 2, 3], 2);
    run.addText('notes', 'hello\nworld', 3);
    await run.close();
  }
  writeFileSync(join(logDir, 'not-an-event-file.txt'), 'x');
  const files = await readEvents(logDir);
  assert.deepEqual(
    files.map((f) => f.run),
    ['a/nested', 'b'],
  );
  for (const f of files) {
    assert.deepEqual(f.issues, []);
    const values = f.events.flatMap((e) => e.values.map((v) => ({ step: e.event.step, ...v })));
    assert.deepEqual(
      values.map((v) => [v.step, v.kind, v.tag]),
      [
        [1, 'scalar', 'loss'],
        [2, 'histogram', 'h'],
        [3, 'text', 'notes'],
      ],
    );
    assert.equal((values[0] as { value: number }).value, 0.5);
    assert.equal((values[1] as { histogram: { num: number } }).histogram.num, 3);
    assert.equal((values[2] as { text: string }).text, 'hello\nworld');
  }
  const single = await readEvents(files[0]!.path);
  assert.equal(single.length, 1);
  assert.equal(single[0]!.events.length, files[0]!.events.length);
});

test('parseEventFile: a torn last record and a flipped byte are reported distinctly', async (t) => {
  const dir = tempDir(t, 'grpo-tb-read-');
  const run = new TensorBoardRun({ logDir: dir, runName: 'r' });
  for (let i = 0; i < 10; i++) run.addScalar('x', i, i);
  await run.close();
  const [file] = await readEvents(dir);
  const bytes = readFileSync(file!.path);
  const offsets = file!.events.map((e) => e.offset);

  const torn = parseEventFile(bytes.subarray(0, bytes.length - 3));
  assert.equal(torn.events.length, 10, 'file_version + 9 scalars');
  assert.deepEqual(
    torn.issues.map((i) => [i.kind, i.offset]),
    [['torn', offsets[10]]],
  );
  assert.match(torn.issues[0]!.message, /torn last record/);

  const flipped = Buffer.from(bytes);
  flipped[offsets[4]! + 14]! ^= 0x20;
  const bad = parseEventFile(flipped);
  assert.deepEqual(
    bad.issues.map((i) => [i.kind, i.offset]),
    [['corrupt-data', offsets[4]]],
  );
  assert.equal(bad.events.length, 10, 'the other records are all read');
  assert.match(bad.issues[0]!.message, /corrupted record/);

  // truncate the real file too: readEvents reports, never throws
  truncateSync(file!.path, bytes.length - 1);
  const [again] = await readEvents(dir);
  assert.equal(again!.issues[0]!.kind, 'torn');
});

test('parseEventFile: valid framing around bytes that are not an Event is undecodable', () => {
  const buf = Buffer.concat([
    frameRecord(encodeEvent({ wallTime: 1, step: 1 })),
    frameRecord(Buffer.from([0x0a, 0xff])),
  ]);
  const r = parseEventFile(buf);
  assert.equal(r.events.length, 1);
  assert.equal(r.issues[0]?.kind, 'undecodable');
});

test("decodeSummaryValue: other writers' forms: metadata on the first value only, k×3 histogram tensors", () => {
  const plugins = new Map([['s', 'scalars']]);
  assert.deepEqual(
    decodeSummaryValue(
      { tag: 's', tensor: { dtype: DataType.DT_DOUBLE, shape: [], doubleVal: [2.5] } },
      (t) => plugins.get(t),
    ),
    { kind: 'scalar', tag: 's', value: 2.5 },
  );
  const content = Buffer.alloc(48);
  for (const [i, v] of [0, 1, 2, 1, 3, 5].entries()) content.writeDoubleLE(v, i * 8);
  const h = decodeSummaryValue({
    tag: 'h',
    metadata: { pluginName: 'histograms' },
    tensor: { dtype: DataType.DT_DOUBLE, shape: [2, 3], tensorContent: content },
  });
  assert.equal(h.kind, 'histogram');
  assert.deepEqual(h.kind === 'histogram' && [h.histogram.bucketLimit, h.histogram.bucket, h.histogram.num], [
    [1, 3],
    [2, 5],
    7,
  ]);
  assert.equal(decodeSummaryValue({ tag: 'x' }).kind, 'other');
});

test('readEvents: an empty directory gives nothing; a missing path throws', async (t) => {
  const dir = tempDir(t, 'grpo-tb-read-');
  mkdirSync(join(dir, 'empty'));
  assert.deepEqual(await readEvents(dir), []);
  await assert.rejects(readEvents(join(dir, 'missing')), /ENOENT/);
});
