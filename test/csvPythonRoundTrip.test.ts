// CSV written by @grpo-otel/exporter-csv, read back by Python's csv module (the peer the seed's
// handler used) and by csv-parse: both must return exactly the text written, modulo the
// documented formula-escape prefix, for arbitrary Unicode text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cellText, expectedCell, rows } from '@grpo-otel/testkit/csvArbitraries';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import fc from 'fast-check';
import { columnNames, writeRows } from '../packages/exporter-csv/test/helpers/writeRows.js';

/** Reads CSV files with Python's csv module (strict) and prints each file's rows as JSON. */
const READ_WITH_PYTHON = `
import csv, json, sys
csv.field_size_limit(sys.maxsize)
out = []
for path in sys.argv[1:]:
    with open(path, newline='', encoding='utf-8') as f:
        out.append(list(csv.reader(f, strict=True)))
sys.stdout.write(json.dumps(out, ensure_ascii=True))
`;

function readWithPython(paths: string[]): string[][][] {
  const r = spawnSync(pythonBinary(), ['-c', READ_WITH_PYTHON, ...paths], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`python csv reader failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as string[][][];
}

test('Python csv and csv-parse read back arbitrary Unicode cells exactly (modulo the formula prefix)', async (t) => {
  const dir = tempDir(t, 'grpo-csv-py-');
  // Generate many cases, write each through the exporter, then read all with one Python process.
  const cases = fc.sample(
    fc.tuple(
      fc
        .integer({ min: 1, max: 5 })
        .chain((n) => rows(n, 20, cellText({ loneSurrogates: true, maxLength: 16 }))),
      fc.boolean(),
    ),
    { numRuns: 400, seed: 20240501 },
  );
  const files: string[] = [];
  for (const [i, [data, guard]] of cases.entries()) {
    const filename = join(dir, `case-${i}.csv`);
    await writeRows(filename, data, { formulaEscape: guard });
    files.push(filename);
  }
  const byPython = readWithPython(files);
  for (const [i, [data, guard]] of cases.entries()) {
    const want = [columnNames(data[0]!.length), ...data.map((r) => r.map((c) => expectedCell(c, guard)))];
    assert.deepEqual(byPython[i], want, `Python read case ${i} differently: ${JSON.stringify(data)}`);
    assert.deepEqual(parseCsv(readFileSync(files[i]!, 'utf8')), want, `csv-parse, case ${i}`);
  }
});

test('Python csv: a property over arbitrary rows, shrinking to the smallest failing one', async (t) => {
  const dir = tempDir(t, 'grpo-csv-py-');
  let run = 0;
  await fc.assert(
    fc.asyncProperty(rows(3, 8), fc.boolean(), async (data, guard) => {
      const filename = join(dir, `p-${run++}.csv`);
      await writeRows(filename, data, { formulaEscape: guard });
      const [got] = readWithPython([filename]);
      assert.deepEqual(got, [columnNames(3), ...data.map((r) => r.map((c) => expectedCell(c, guard)))]);
    }),
    { numRuns: 25 },
  );
});

test('Python csv.writer and our exporter write the same bytes for text without formula prefixes', async (t) => {
  // Python's default dialect (excel): QUOTE_MINIMAL, CR LF, doubled quotes, like ours.
  const dir = tempDir(t, 'grpo-csv-py-');
  const data = fc
    .sample(rows(4, 30, cellText({ maxLength: 16 })), { numRuns: 30, seed: 7 })
    .flat()
    .map((r) => r.map((c) => (c.length > 0 && /^[=+\-@\t\r]/.test(c) ? `x${c}` : c)))
    .filter((r) => r.some((c) => c !== ''));
  const ours = join(dir, 'ours.csv');
  await writeRows(ours, data);
  const theirs = join(dir, 'theirs.csv');
  const script = `
import csv, json, sys
rows = json.load(sys.stdin)
with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['c0', 'c1', 'c2', 'c3'])
    w.writerows(rows)
`;
  const r = spawnSync(pythonBinary(), ['-c', script, theirs], {
    input: JSON.stringify(data),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8'));
});
