import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppendOnlyFile, closeAfterFlush } from '@grpo-otel/file-writer';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-aof-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = { mode: 0o640, dirMode: 0o750 };

test('AppendOnlyFile: creates its directories, appends every byte of each write in order, counts them', async (t) => {
  const path = join(tempDir(t), 'a', 'b', 'file.bin');
  const f = await AppendOnlyFile.open(path, options);
  assert.equal(f.size, 0);
  assert.ok(f.regular);
  await f.write(Buffer.from('one\n'));
  await f.writev([Buffer.from('two'), Buffer.alloc(0), Buffer.from('\nthree\n')]);
  f.writeSync(Buffer.from('four\n'));
  f.writevSync([Buffer.from('fi'), Buffer.from('ve\n')]);
  await f.datasync();
  f.datasyncSync();
  await f.close();
  assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\nthree\nfour\nfive\n');
  assert.equal(f.size, statSync(path).size);
  assert.equal(statSync(path).mode & 0o777, 0o640 & ~process.umask());

  const again = AppendOnlyFile.openSync(path, options);
  assert.equal(again.size, statSync(path).size, 'an existing file is appended to');
  again.writeSync(Buffer.from('six\n'));
  again.closeSync();
  await again.close(); // closing twice is harmless
  assert.match(readFileSync(path, 'utf8'), /five\nsix\n$/);
});

test('AppendOnlyFile: exclusive open fails on an existing file', async (t) => {
  const path = join(tempDir(t), 'taken');
  writeFileSync(path, 'x');
  await assert.rejects(AppendOnlyFile.open(path, { ...options, exclusive: true }), { code: 'EEXIST' });
  assert.throws(() => AppendOnlyFile.openSync(path, { ...options, exclusive: true }), { code: 'EEXIST' });
});

test('AppendOnlyFile: pathState tells a removed file and a file replaced at its path', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'f');
  const f = await AppendOnlyFile.open(path, options);
  t.after(() => f.closeWhenIdle());
  assert.equal(await f.pathState(), 'here');
  renameSync(path, join(dir, 'moved'));
  assert.equal(await f.pathState(), 'removed');
  assert.equal(f.pathStateSync(), 'removed');
  writeFileSync(path, 'another');
  assert.equal(await f.pathState(), 'replaced');
  assert.equal(f.pathStateSync(), 'replaced');
});

test('closeAfterFlush: the file is closed whatever the flush did; the flush error is the result', async (t) => {
  const dir = tempDir(t);
  const f = await AppendOnlyFile.open(join(dir, 'f'), options);
  let released = 0;
  const release = () => {
    released++;
    return f;
  };
  await assert.rejects(closeAfterFlush(Promise.reject(new Error('flush failed')), release), /flush failed/);
  assert.equal(released, 1);
  await f.close(); // the close it started: settled, and not a second close of the descriptor
  await closeAfterFlush(Promise.resolve(), () => undefined);
});
