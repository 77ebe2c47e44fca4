import { eventFileWriterBehaviour } from './eventFileWriterBehaviour.js';

eventFileWriterBehaviour(true);

// What only syncWrites promises: after the turn of the event loop in which events were written, their
// records are with the OS (a process killed then keeps them), rollover included, with no flush().
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventFileWriter, parseEventFile } from '@grpo-otel/exporter-tensorboard';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('syncWrites: the records are in the files one event-loop turn after write(), without flush()', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-tb-sync-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = new EventFileWriter({ dir, maxFileBytes: 400, syncWrites: true });
  const steps = (): number[] =>
    readdirSync(dir)
      .sort()
      .flatMap((f) => parseEventFile(readFileSync(join(dir, f)), f).events)
      .filter((e) => e.event.summary !== undefined)
      .map((e) => e.event.step);
  let written = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 7; i++) {
      w.write({ wallTime: 1, step: written++, summary: [{ tag: 'loss', simpleValue: written }] });
    }
    await nextTurn();
    assert.deepEqual(
      steps(),
      Array.from({ length: written }, (_, i) => i),
    );
  }
  assert.ok(readdirSync(dir).length > 1, 'the run rolled over to new files on the way');
  await w.close();
  assert.equal(w.stats.failedRecords, 0);
});

test('syncWrites must be a boolean', () => {
  assert.throws(
    () => new EventFileWriter({ dir: '/tmp/x', syncWrites: 1 as unknown as boolean }),
    /syncWrites must be a boolean/,
  );
});
