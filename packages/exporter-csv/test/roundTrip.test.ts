import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cellText, expectedCell, rows } from '@grpo-otel/testkit/csvArbitraries';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import fc from 'fast-check';
import { columnNames, writeRows } from './helpers/writeRows.js';

test('round trip through csv-parse: any Unicode text comes back identical, modulo the formula prefix', async (t) => {
  const dir = tempDir(t);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }).chain((n) => rows(n)),
      fc.boolean(),
      async (data, guard) => {
        const filename = join(dir, `rt-${run++}.csv`);
        await writeRows(filename, data, { formulaEscape: guard });
        const parsed = parseCsv(readFileSync(filename, 'utf8'));
        const cols = data[0]!.length;
        assert.deepEqual(parsed[0], columnNames(cols));
        assert.deepEqual(
          parsed.slice(1),
          data.map((r) => r.map((c) => expectedCell(c, guard))),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('round trip with lone surrogates: they come back as U+FFFD, everything else identical', async (t) => {
  const dir = tempDir(t);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(rows(3, 10, cellText({ loneSurrogates: true })), async (data) => {
      const filename = join(dir, `ls-${run++}.csv`);
      const exporter = await writeRows(filename, data);
      const parsed = parseCsv(readFileSync(filename, 'utf8'));
      assert.deepEqual(
        parsed.slice(1),
        data.map((r) => r.map((c) => expectedCell(c, true))),
      );
      const wellFormed = (c: string) => (c as unknown as { isWellFormed(): boolean }).isWellFormed();
      const broken = data.filter((r) => !r.every(wellFormed));
      assert.equal(exporter.counts.loneSurrogateRows, broken.length);
    }),
    { numRuns: 150 },
  );
});
