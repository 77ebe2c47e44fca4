// The Python bridge's batches as the sink reads them: python/examples/train_loop.py (grpo_otel on the OTel
// Python SDK) -> the real collector (collector-config/local.yaml + local-sink.yaml) -> `grpo-otel sink`
// (a process, stopped with SIGTERM). Every step's grpo.step.batch is analysed (none refused as a bad
// batch, none failing its analyses), the channels' records arrive beside them, and the sink writes the
// run's TensorBoard and log files.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { live } from '@grpo-otel/testkit/exitCleanup';
import { freePort } from '@grpo-otel/testkit/ports';
import { type LocalCollector, startLocalCollector } from '@grpo-otel/testkit/prometheus';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';

const STEPS = 12;
const RUN = `py-sink-${process.pid}`;

interface Stats {
  batches: number;
  logRecords: number;
  metricPoints: number;
  dropped: { bad_batch: number; analysis_failed: number };
}

describe('Python bridge -> collector -> grpo-otel sink', { timeout: 180_000 }, () => {
  let out: string;
  let local: LocalCollector;
  let sink: ChildProcess;
  let sinkOutput = '';
  let stats: Stats;
  let loopOutput = '';
  let loopCode: number | null = null;

  before(async () => {
    const dir = await tempDirUntilExit('grpo-py-sink-');
    out = join(dir, 'out');
    const sinkPort = await freePort();
    local = await startLocalCollector({
      overlays: [join(repoRoot, 'collector-config', 'local-sink.yaml')],
      env: { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${sinkPort}` },
    });
    sink = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        join(repoRoot, 'test', 'fixtures', 'grpoOtelCli.ts'),
        'sink',
        '--port',
        String(sinkPort),
        '--out',
        out,
        '--otlp-endpoint',
        local.collector.otlpHttpEndpoint,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    live.add(sink);
    sink.stdout!.setEncoding('utf8').on('data', (c: string) => {
      sinkOutput += c;
    });
    sink.stderr!.setEncoding('utf8').on('data', (c: string) => {
      sinkOutput += c;
    });
    await waitFor(
      async () => (sinkOutput.includes('listening on') || sink.exitCode !== null ? true : undefined),
      30_000,
      'the sink to listen',
      50,
    );
    assert.match(sinkOutput, /listening on/, sinkOutput);

    const loop = spawn(
      pythonBinary(),
      [
        join(repoRoot, 'python/examples/train_loop.py'),
        '--endpoint',
        local.collector.otlpHttpEndpoint,
        '--steps',
        String(STEPS),
        '--rewards',
        'flat',
        '--run-id',
        RUN,
        '--full-every',
        '2',
      ],
      { cwd: repoRoot, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', GRPO_OTEL_CONFIG: '' } },
    );
    loop.stdout.setEncoding('utf8').on('data', (c: string) => {
      loopOutput += c;
    });
    loop.stderr.setEncoding('utf8').on('data', (c: string) => {
      loopOutput += c;
    });
    [loopCode] = (await once(loop, 'close')) as [number | null];

    stats = await waitFor(
      async () => {
        const s = (await (await fetch(`http://127.0.0.1:${sinkPort}/`)).json()) as Stats;
        return s.batches + s.dropped.bad_batch >= STEPS && s.logRecords > 2 * STEPS ? s : undefined;
      },
      60_000,
      'every step of the Python run at the sink',
      200,
    );
    sink.kill('SIGTERM');
    await once(sink, 'close');
    live.delete(sink);
  });

  after(async () => {
    if (sink && sink.exitCode === null && sink.signalCode === null) sink.kill('SIGKILL');
    await local?.collector.stop();
  });

  test('the loop ends, and the sink analyses every batch it sent, refusing none', () => {
    assert.equal(loopCode, 0, loopOutput);
    assert.equal(stats.dropped.bad_batch, 0, JSON.stringify(stats));
    assert.equal(stats.dropped.analysis_failed, 0, JSON.stringify(stats));
    assert.equal(stats.batches, STEPS, JSON.stringify(stats));
    // the channels' records too (progress lines, model outputs, rewards), beside the batches
    assert.ok(stats.metricPoints > 0 && stats.logRecords > 2 * STEPS, JSON.stringify(stats));
  });

  test('the sink writes the run’s TensorBoard and log files', () => {
    const files = (d: string): string[] =>
      existsSync(d)
        ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
            e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
          )
        : [];
    const all = files(out);
    assert.ok(
      all.some((f) => f.includes(RUN) && /tfevents/.test(f)),
      `no TensorBoard event file of ${RUN} in:\n${all.join('\n')}`,
    );
    assert.ok(
      all.some((f) => f.includes(RUN) && f.endsWith('.log')),
      `no log file of ${RUN} in:\n${all.join('\n')}`,
    );
  });
});
