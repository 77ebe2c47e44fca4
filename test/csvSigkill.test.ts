// A process logging CSV rows through a real LoggerProvider, a batching processor and the CSV
// exporter is killed with SIGKILL at a random moment. Every file it leaves must parse with Python's
// csv module and with csv-parse, hold only whole rows, in order and intact, except possibly a torn
// last line; rows continue without a gap across rotated files.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { KILL_COLUMNS, KILL_HEADER, killRowText } from '../packages/exporter-csv/test/fixtures/killRows.js';

const CHILD = join(repoRoot, 'packages/exporter-csv/test/fixtures/killChild.ts');
const expectedRow = killRowText;
const expectedCells = (i: number): string[] => parseCsv(KILL_HEADER + expectedRow(i))[1]!;

/**
 * Python's csv module (default, non-strict: a torn last row comes back as what is there). Bytes a
 * torn write cut inside a UTF-8 sequence are kept as surrogate escapes rather than failing.
 */
const PY_READ = `
import csv, json, sys
csv.field_size_limit(sys.maxsize)
with open(sys.argv[1], newline='', encoding='utf-8', errors='surrogateescape') as f:
    sys.stdout.write(json.dumps(list(csv.reader(f)), ensure_ascii=True))
`;

function readWithPython(path: string): string[][] {
  const r = spawnSync(pythonBinary(), ['-c', PY_READ, path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`Python could not read ${path}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

/** Offset just past the last CR LF that ends a row (outside quotes); bytes, so a torn UTF-8 tail is fine. */
function lastRowBoundary(buf: Buffer): number {
  let inQuotes = false;
  let boundary = 0;
  for (let k = 0; k < buf.length; k++) {
    const c = buf[k]!;
    if (c === 0x22) inQuotes = !inQuotes;
    else if (!inQuotes && c === 0x0a && buf[k - 1] === 0x0d) boundary = k + 1;
  }
  return boundary;
}

/**
 * Checks files (oldest first) hold the header, then rows `first`, `first + 1`, ... whole and intact
 * (by csv-parse and by Python's csv module), and that only the newest ends with a partial row, which
 * must be the start of the next row's bytes. Returns the number of the row after the last whole one.
 */
function checkFiles(files: readonly string[], first: number): number {
  let next = first;
  for (const [fi, file] of files.entries()) {
    const buf = readFileSync(file);
    // A kill right after a rollover created the new file leaves it empty: no rows, nothing torn.
    if (buf.length === 0 && fi === files.length - 1) continue;
    const boundary = lastRowBoundary(buf);
    const tail = buf.subarray(boundary);
    if (fi < files.length - 1) assert.equal(tail.length, 0, `${file} ends inside a row`);
    const whole = parseCsv(buf.subarray(0, boundary).toString('utf8'));
    assert.deepEqual(whole[0], KILL_COLUMNS, `${file}: header`);
    for (const row of whole.slice(1)) {
      assert.deepEqual(row, expectedCells(next), `${file}: row ${next} is not intact or out of order`);
      next++;
    }
    if (tail.length > 0) {
      const want = Buffer.from(expectedRow(next), 'utf8').subarray(0, tail.length);
      assert.ok(want.equals(tail), `${file}: the torn tail is not the start of row ${next}`);
    }
    const byPython = readWithPython(file);
    assert.deepEqual(byPython.slice(0, whole.length), whole, `${file}: Python reads whole rows differently`);
    assert.ok(
      byPython.length <= whole.length + (tail.length > 0 ? 1 : 0),
      `${file}: Python found a partial row`,
    );
  }
  return next;
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}):\n${err}`)));
  });
}

const TRIALS = [
  { maxBytes: 0, backupCount: 0 },
  { maxBytes: 0, backupCount: 0 },
  { maxBytes: 0, backupCount: 0 },
  { maxBytes: 64 * 1024, backupCount: 20 },
  { maxBytes: 64 * 1024, backupCount: 20 },
  { maxBytes: 256 * 1024, backupCount: 5 },
];

for (const [trial, { maxBytes, backupCount }] of TRIALS.entries()) {
  test(`SIGKILL trial ${trial} (maxBytes ${maxBytes}): whole rows in order, at most the last line torn`, async (t) => {
    const dir = tempDir(t, 'grpo-csv-kill-');
    const filename = join(dir, 'model_outputs.csv');
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CHILD, filename, String(maxBytes), String(backupCount)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await waitForReady(child);
    const delay = 20 + Math.floor(Math.random() * 600);
    t.diagnostic(`killing after ${delay} ms`);
    await new Promise((r) => setTimeout(r, delay));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    // Oldest to newest: name.N ... name.1, name. A kill in the middle of a rollover's renames can
    // leave one index missing (as with Python's RotatingFileHandler); the order is still by index.
    const backups = readdirSync(dir)
      .map((n) => /^model_outputs\.csv\.(\d+)$/.exec(n)?.[1])
      .filter((k): k is string => k !== undefined)
      .map(Number)
      .sort((x, y) => y - x);
    // A kill between renaming `name` to `name.1` and opening a new `name` leaves no `name` at all.
    const files = [...backups.map((k) => `${filename}.${k}`), ...(existsSync(filename) ? [filename] : [])];
    assert.ok(files.length > 0, 'no file at all');
    if (maxBytes > 0) assert.ok(files.length > 1, 'the trial was meant to rotate');

    // Rows start at 0, unless rollover has already deleted the oldest file.
    let first = 0;
    if (backups.length > 0 && backups[0] === backupCount) {
      const oldest = readFileSync(files[0]!);
      first = Number(parseCsv(oldest.subarray(0, lastRowBoundary(oldest)).toString('utf8'))[1]?.[0]);
    }
    const next = checkFiles(files, first);

    // SIGKILL can also land inside a large write() (Linux stops it at a page boundary), and power loss
    // anywhere: the newest file cut at random bytes must pass the same checks.
    const newest = readFileSync(files.at(-1)!);
    const cutFile = join(dir, 'cut.csv');
    for (let k = 0; k < 3 && newest.length > KILL_HEADER.length; k++) {
      const cut = KILL_HEADER.length + Math.floor(Math.random() * (newest.length - KILL_HEADER.length));
      writeFileSync(cutFile, newest.subarray(0, cut));
      const firstInNewest =
        next - (parseCsv(newest.subarray(0, lastRowBoundary(newest)).toString('utf8')).length - 1);
      checkFiles([cutFile], firstInNewest);
    }
    t.diagnostic(`${next} whole rows in ${files.length} file(s)`);
    assert.ok(next > 0, 'no rows were written before the kill');
  });
}
