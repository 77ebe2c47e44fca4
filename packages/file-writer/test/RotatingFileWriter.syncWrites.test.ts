import { writerBehaviour } from './writerBehaviour.js';

writerBehaviour(true);

// What only syncWrites promises: the records are with the OS when write() returns, before any
// await (a process killed at that moment keeps them), with no fdatasync on the caller's thread.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RotatingFileWriter } from '@grpo-otel/file-writer';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-rfw-sync-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('syncWrites: the records are in the file when write() returns, rollover and header included', async (t) => {
  const filename = join(tempDir(t), 'out.csv');
  const w = new RotatingFileWriter({
    filename,
    header: 'h\n',
    maxBytes: 8,
    backupCount: 2,
    syncWrites: true,
  });
  const first = w.write(['a1\n', 'a2\n']);
  assert.equal(readFileSync(filename, 'utf8'), 'h\na1\na2\n');
  const second = w.write(['b1\n']);
  assert.equal(readFileSync(`${filename}.1`, 'utf8'), 'h\na1\na2\n');
  assert.equal(readFileSync(filename, 'utf8'), 'h\nb1\n');
  await Promise.all([first, second, w.close()]);
});

test('syncWrites: a failing write rejects its promise (never throws); the next one recovers', async (t) => {
  const filename = join(tempDir(t), 'out.log');
  symlinkSync('/dev/full', filename);
  const w = new RotatingFileWriter({ filename, syncWrites: true });
  let failed: Promise<void> | undefined;
  assert.doesNotThrow(() => {
    failed = w.write(['lost\n']);
  });
  await assert.rejects(failed!, { code: 'ENOSPC' });
  rmSync(filename);
  const kept = w.write(['kept\n']);
  assert.equal(readFileSync(filename, 'utf8'), 'kept\n');
  await kept;
  await w.close();
});

test('syncWrites: records written before, asynchronously, still come first', async (t) => {
  const filename = join(tempDir(t), 'out.log');
  // One writer used both ways is not how the SDK uses it; the order must hold all the same.
  const w = new RotatingFileWriter({ filename });
  const early = w.write(['1\n', '2\n']);
  (w as unknown as { syncWrites: boolean }).syncWrites = true;
  const late = w.write(['3\n']);
  assert.equal(readFileSync(filename, 'utf8'), '1\n2\n3\n');
  await Promise.all([early, late, w.close()]);
});

test('syncWrites must be a boolean', () => {
  assert.throws(
    () => new RotatingFileWriter({ filename: 'x', syncWrites: 'yes' as unknown as boolean }),
    /syncWrites must be a boolean/,
  );
});
