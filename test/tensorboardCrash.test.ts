// A writer killed with SIGKILL in the middle of a long run leaves event files from which TensorBoard
// (its EventAccumulator) reads every record before the torn one, and our reader agrees. A torn last
// record and a flipped byte are reported distinctly by our reader.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseEventFile, readEvents } from '@grpo-otel/exporter-tensorboard';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { readWithEventAccumulator } from '@grpo-otel/testkit/tensorboard';

const WRITER = join(repoRoot, 'packages/exporter-tensorboard/test/support/crashWriter.ts');
let dir: string;
let runDir: string;
let lastFlushed: number;

/**
 * Starts the writer, waits until it has written `steps` steps, then SIGKILLs it (by its PID).
 * Returns the last step the writer had reported as flushed.
 */
async function killMidRun(logDir: string, steps: number): Promise<number> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WRITER, logDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
  let flushed = -1;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const [what, n] = line.split(' ');
        if (what === 'flushed') flushed = Number(n);
        if (what === 'step' && Number(n) >= steps) resolve();
      }
    });
    child.on('close', (code) => reject(new Error(`writer exited early (${code}): ${err}`)));
  });
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  return flushed;
}

before(async () => {
  pythonBinary();
  dir = mkdtempSync(join(tmpdir(), 'grpo-tb-crash-'));
  lastFlushed = await killMidRun(dir, 3000);
  runDir = join(dir, 'crash');
});

after(() => {
  if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

/** (tag, step) pairs of every scalar our reader finds in a run directory. */
async function ourScalars(path: string): Promise<{ pairs: string[]; tornFiles: number; corrupt: number }> {
  const files = await readEvents(path);
  let tornFiles = 0;
  let corrupt = 0;
  const pairs: string[] = [];
  files.forEach((f, i) => {
    for (const issue of f.issues) {
      if (issue.kind === 'torn') {
        tornFiles++;
        assert.equal(i, files.length - 1, `only the last file may end in a torn record (${f.path})`);
      } else corrupt++;
    }
    for (const e of f.events)
      for (const v of e.values) if (v.kind === 'scalar') pairs.push(`${v.tag}@${e.event.step}`);
  });
  return { pairs, tornFiles, corrupt };
}

function accumulatorScalars(path: string): string[] {
  const acc = readWithEventAccumulator(path);
  return Object.entries(acc.scalars).flatMap(([tag, rows]) => rows.map(([step]) => `${tag}@${step}`));
}

test('after SIGKILL: several event files, every one but possibly the last intact', async (t) => {
  const names = readdirSync(runDir).sort();
  assert.ok(names.length >= 3, `expected rolled-over files, got ${names.length}`);
  const ours = await ourScalars(runDir);
  assert.equal(ours.corrupt, 0);
  assert.ok(ours.tornFiles <= 1);
  // every step before the last one written is complete: 20 scalars each
  const steps = new Map<number, number>();
  for (const p of ours.pairs) {
    const s = Number(p.split('@')[1]);
    steps.set(s, (steps.get(s) ?? 0) + 1);
  }
  const max = Math.max(...steps.keys());
  // Everything flush() had resolved for is there; what was still queued in memory may be lost.
  assert.ok(lastFlushed >= 2500, `the writer reported flushing step ${lastFlushed}`);
  assert.ok(max >= lastFlushed, `last step on disk ${max}, flushed ${lastFlushed}`);
  t.diagnostic(`last step on disk: ${max}; the writer had reported step 3000 when it was killed`);
  for (let s = 0; s < max; s++) assert.equal(steps.get(s), 20, `step ${s}`);
});

test("after SIGKILL: TensorBoard's EventAccumulator reads exactly the scalars our reader reads", async () => {
  const ours = await ourScalars(runDir);
  const theirs = accumulatorScalars(runDir);
  assert.deepEqual([...theirs].sort(), [...ours.pairs].sort());
});

test('a torn last record: EventAccumulator reads every record before it; our reader reports it as torn', async () => {
  // The run as it was when its last file held more than 20 records: a kill that lands right after a
  // rollover leaves a last file too short to cut inside (the files before it are whole either way).
  const all = readdirSync(runDir).sort();
  const recordsOf = (n: string) => parseEventFile(readFileSync(join(runDir, n))).events.length;
  let end = all.length;
  while (end > 1 && recordsOf(all[end - 1]!) <= 20) end--;
  const names = all.slice(0, end);
  const last = names[names.length - 1]!;
  const bytes = readFileSync(join(runDir, last));
  const parsed = parseEventFile(bytes);
  const offsets = parsed.events.map((e) => e.offset);
  assert.ok(offsets.length > 20);
  // cut inside the 10th record from the end of the last file
  const cutRecord = offsets[offsets.length - 10]!;
  const torn = join(dir, 'torn');
  mkdirSync(torn);
  for (const n of names.slice(0, -1)) copyFileSync(join(runDir, n), join(torn, n));
  writeFileSync(join(torn, last), bytes.subarray(0, cutRecord + 20));
  const ours = await ourScalars(torn);
  assert.equal(ours.tornFiles, 1);
  const files = await readEvents(torn);
  const issue = files[files.length - 1]!.issues[0]!;
  assert.equal(issue.kind, 'torn');
  assert.equal(issue.offset, cutRecord);
  const theirs = accumulatorScalars(torn);
  assert.deepEqual([...theirs].sort(), [...ours.pairs].sort());
});

test('a flipped byte: our reader reports a corrupted record (not a torn one) and reads the rest', async () => {
  const names = readdirSync(runDir).sort();
  const bytes = Buffer.from(readFileSync(join(runDir, names[0]!)));
  const parsed = parseEventFile(bytes);
  const target = parsed.events[50]!.offset;
  bytes[target + 12 + 5]! ^= 0x04;
  const bad = parseEventFile(bytes);
  assert.deepEqual(
    bad.issues.map((i) => [i.kind, i.offset]),
    [['corrupt-data', target]],
  );
  assert.equal(bad.events.length, parsed.events.length - 1);
});
