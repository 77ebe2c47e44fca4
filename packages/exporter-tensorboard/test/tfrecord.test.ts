import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  crc32c,
  frameRecord,
  maskCrc32c,
  type ScannedRecord,
  scanRecords,
} from '@grpo-otel/exporter-tensorboard';

const records = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(300, 7), Buffer.from('last')];
const file = Buffer.concat(records.map(frameRecord));
const offsets = [0, 21, 37, 353];

test('frameRecord: uint64 LE length, masked CRC of the length, data, masked CRC of the data', () => {
  const f = frameRecord(Buffer.from('abc'));
  assert.equal(f.length, 3 + 16);
  assert.equal(f.readBigUInt64LE(0), 3n);
  assert.equal(f.readUInt32LE(8), maskCrc32c(crc32c(f.subarray(0, 8))));
  assert.equal(f.subarray(12, 15).toString(), 'abc');
  assert.equal(f.readUInt32LE(15), maskCrc32c(crc32c(Buffer.from('abc'))));
});

test('scanRecords: every record back, in order, at its offset', () => {
  const got = [...scanRecords(file)];
  assert.deepEqual(
    got.map((r) => r.kind),
    ['record', 'record', 'record', 'record'],
  );
  got.forEach((r, i) => {
    assert.equal(r.offset, offsets[i]);
    assert.deepEqual(Buffer.from((r as Extract<ScannedRecord, { kind: 'record' }>).data), records[i]);
  });
});

test('scanRecords: a file cut at any byte yields the whole records before the cut, then torn', () => {
  for (let cut = 0; cut < file.length; cut++) {
    const got = [...scanRecords(file.subarray(0, cut))];
    const whole = offsets.filter((o, i) => o + records[i]!.length + 16 <= cut).length;
    assert.equal(got.filter((r) => r.kind === 'record').length, whole, `cut at ${cut}`);
    const last = got[got.length - 1];
    if (offsets.includes(cut)) assert.notEqual(last?.kind, 'torn', `cut at a boundary ${cut}`);
    else assert.equal(last?.kind, 'torn', `cut inside a record at ${cut}`);
  }
});

test('scanRecords: a flipped data byte is reported as corrupt-data and reading goes on', () => {
  const bad = Buffer.from(file);
  bad[offsets[2]! + 12 + 150]! ^= 0x01;
  const got = [...scanRecords(bad)];
  assert.deepEqual(
    got.map((r) => r.kind),
    ['record', 'record', 'corrupt-data', 'record'],
  );
});

test('scanRecords: a flipped length byte is reported as corrupt-length and reading stops', () => {
  const bad = Buffer.from(file);
  bad[offsets[1]! + 2]! ^= 0x80;
  assert.deepEqual(
    [...scanRecords(bad)].map((r) => r.kind),
    ['record', 'corrupt-length'],
  );
  const badCrc = Buffer.from(file);
  badCrc[offsets[3]! + 9]! ^= 0x10;
  assert.deepEqual(
    [...scanRecords(badCrc)].map((r) => r.kind),
    ['record', 'record', 'record', 'corrupt-length'],
  );
});
