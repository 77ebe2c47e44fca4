// Disk faults under a running trainer (test/fixtures/diskFaultTrainer.ts: the SDK's public API with a
// log file, a CSV file and a TensorBoard run): writes failing with ENOSPC (/dev/full), EACCES
// (directories without write permission) and the output directory removed while the files are open.
// Each time: the failing sink reports its cause once (diag), counts the failed exports
// (grpo.sdk.export.errors) and the records lost (grpo.sdk.record.dropped), the other sinks keep every
// record, no API call throws, and the sink writes again once the fault is cleared.
import assert from 'node:assert/strict';
import { chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import {
  csvRowsWhole,
  logStepsWhole,
  RUN_ID,
  range,
  readLog,
  readRunOurs,
  startTrainer,
  type TrainerFiles,
  trainerFiles,
} from './support/sdkTrainerRun.js';

const SCRIPT = join(repoRoot, 'test/fixtures/diskFaultTrainer.ts');
// The trainer reads the instance's export error counts: the pipeline runs on its thread.
const CALLING_THREAD = 'telemetry_thread:\n  enabled: false\n';

interface FaultResult {
  messages: string[];
  apiErrors: string[];
  drops: { signal: string; reason: string; where: string; count: number }[];
  exportErrors: { signal: string; exporter: string; errorType: string; count: number }[];
}

async function runFault(
  files: TrainerFiles,
  fault: string,
  as?: { uid: number; gid: number },
): Promise<FaultResult> {
  const exit = await startTrainer(files, [fault], undefined, { script: SCRIPT, ...as }).exited;
  assert.equal(exit.code, 0, `the trainer did not finish: ${exit.stderr}`);
  const line = exit.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as FaultResult;
}

function count(messages: readonly string[], pattern: RegExp): number {
  return messages.filter((m) => pattern.test(m)).length;
}

function dropped(r: FaultResult, where: string): number {
  return r.drops
    .filter((d) => d.where === where && d.reason === 'export_failed')
    .reduce((n, d) => n + d.count, 0);
}

function exportErrors(r: FaultResult, exporter: string, errorType: string): number {
  return r.exportErrors
    .filter((e) => e.exporter === exporter && e.errorType === errorType)
    .reduce((n, e) => n + e.count, 0);
}

/** The log file and the CSV hold exactly steps 20..39 (the ones logged after the fault cleared). */
function assertRecoveredFiles(files: TrainerFiles): void {
  const log = readLog(files.log);
  assert.equal(log.tail, '');
  assert.equal(logStepsWhole(log, 20), 20, 'log file: steps 20..39 after the fault cleared');
  assert.equal(log.lines.length, 40);
  const csv = csvRowsWhole(files.csv, 20);
  assert.equal(csv.tornBytes, 0);
  assert.equal(csv.rows, 20, 'CSV: header and rows 20..39 after the fault cleared');
}

describe('disk faults: reported once per cause, counted, other sinks unharmed, recovery', {
  timeout: 120_000,
}, () => {
  test('ENOSPC (log file and CSV are /dev/full): TensorBoard keeps everything; both recover', async (t) => {
    const files = trainerFiles(t, { flushIntervalS: 0.05, extraYaml: CALLING_THREAD });
    const r = await runFault(files, 'enospc');
    assert.deepEqual(r.apiErrors, [], 'no API call threw');
    for (const h of ['file', 'csv']) {
      assert.equal(
        count(r.messages, new RegExp(`handler '${h}' cannot write \\(ENOSPC`)),
        1,
        `${h}: reported once`,
      );
      assert.equal(
        count(r.messages, new RegExp(`handler '${h}' writes again`)),
        1,
        `${h}: recovery reported`,
      );
      assert.ok(exportErrors(r, h, 'ENOSPC') >= 1, `${h}: grpo.sdk.export.errors{error.type=ENOSPC}`);
    }
    assert.equal(dropped(r, 'file'), 40, 'log file: the 40 records of steps 0..19 counted as dropped');
    assert.equal(dropped(r, 'csv'), 20, 'CSV: the 20 rows of steps 0..19 counted as dropped');
    assertRecoveredFiles(files);
    const tb = await readRunOurs(files.tbRun);
    assert.deepEqual(tb.textSteps, range(40), 'TensorBoard kept every text');
    assert.deepEqual(tb.lossSteps, range(40), 'TensorBoard kept every scalar');
    assert.equal(dropped(r, 'tb'), 0);
  });

  test('EACCES (the sinks’ directories not writable): counted and reported once each; all recover', async (t) => {
    const files = trainerFiles(t, { flushIntervalS: 0.05, extraYaml: CALLING_THREAD });
    // root is never refused by permission bits: the trainer then runs as the unprivileged user nobody.
    const root = process.getuid?.() === 0;
    const as = root ? { uid: 65534, gid: 65534 } : undefined;
    if (as) chownSync(files.dir, as.uid, as.gid);
    const r = await runFault(files, 'eacces', as);
    assert.deepEqual(r.apiErrors, [], 'no API call threw');
    for (const h of ['file', 'csv', 'tb']) {
      assert.equal(
        count(r.messages, new RegExp(`handler '${h}' cannot write \\(EACCES`)),
        1,
        `${h}: reported once`,
      );
      assert.equal(
        count(r.messages, new RegExp(`handler '${h}' writes again`)),
        1,
        `${h}: recovery reported`,
      );
      assert.ok(exportErrors(r, h, 'EACCES') >= 1, `${h}: grpo.sdk.export.errors{error.type=EACCES}`);
    }
    assert.equal(dropped(r, 'file'), 40);
    assert.equal(dropped(r, 'csv'), 20);
    assert.ok(dropped(r, 'tb') >= 40, `tb: the events of steps 0..19 counted (${dropped(r, 'tb')})`);
    assertRecoveredFiles(files);
    const tb = await readRunOurs(files.tbRun);
    assert.deepEqual(tb.textSteps, range(20, 40), 'TensorBoard: the texts after the fault cleared');
    assert.deepEqual(tb.lossSteps, range(20, 40), 'TensorBoard: the scalars after the fault cleared');
  });

  test('the output directory removed under the running sinks: recreated, nothing after it lost', async (t) => {
    const files = trainerFiles(t, { flushIntervalS: 0.05, extraYaml: CALLING_THREAD });
    const r = await runFault(files, 'rmdir');
    assert.deepEqual(r.apiErrors, [], 'no API call threw');
    assert.equal(count(r.messages, /training\.log\): the file was removed while open/), 1);
    assert.equal(count(r.messages, /outputs\.csv\): the file was removed while open/), 1);
    assert.equal(count(r.messages, /handler 'tb' cannot write \(ENOENT/), 1);
    assert.equal(dropped(r, 'file'), 0);
    assert.equal(dropped(r, 'csv'), 0);
    assertRecoveredFiles(files);
    assert.equal(readdirSync(join(files.dir, 'out/tb')).join(), RUN_ID, 'the run directory is recreated');
    const tb = await readRunOurs(files.tbRun);
    assert.deepEqual(tb.textSteps, range(20, 40), 'TensorBoard: every text after the removal');
    assert.deepEqual(tb.lossSteps, range(20, 40), 'TensorBoard: every scalar after the removal');
  });
});
