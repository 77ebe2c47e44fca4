import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deadPort, runChild } from './helpers/childTrainer.js';

function count(lines: string[], pattern: RegExp): number {
  return lines.filter((l) => pattern.test(l)).length;
}

describe('SDK diagnostics on stderr', () => {
  test('calls before initialize(): one line per call, naming it', async () => {
    const r = await runChild('before-init');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [
      'grpo-otel: getLogger("training").info() called before initialize(); ignored',
      'grpo-otel: logRewardMetrics() called before initialize(); ignored',
      'grpo-otel: withSpan() called before initialize(); ignored',
      'grpo-otel: logTrainingProgress() called before initialize(); ignored',
    ]);
  });

  test('a dropped span: one line, with the embedded default config', async () => {
    const r = await runChild('span-dropped');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [
      'grpo-otel: dropping traces at recordSpan (invalid_value); further drops of this kind are only counted',
    ]);
    assert.deepEqual(
      r.result.drops?.map((d) => [d.signal, d.reason, d.where, d.count]),
      [['traces', 'invalid_value', 'recordSpan', 2]],
    );
  });

  test('a failed export: one line per signal', async () => {
    const port = await deadPort();
    const r = await runChild('export-failed', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    });
    assert.equal(r.code, 0, r.stderr);
    for (const signal of ['logs', 'metrics', 'traces']) {
      assert.equal(
        count(
          r.lines,
          new RegExp(`^grpo-otel: otlp: ${signal} export failed \\(ECONNREFUSED\\); holding up to`),
        ),
        1,
        `${signal}: ${r.stderr}`,
      );
    }
    // Nothing else but what shutdown could not deliver (no OpenTelemetry error from our sinks either).
    assert.deepEqual(
      r.lines.filter((l) => !/ export failed \(ECONNREFUSED\)|^grpo-otel: shutdown: /.test(l)),
      [],
    );
  });

  test('process.exit() without shutdown(): one line for what OTLP still held', async () => {
    const port = await deadPort();
    const r = await runChild('exit', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.lines.length, 1, r.stderr);
    assert.match(
      r.lines[0]!,
      /^grpo-otel: the process is exiting without shutdown\(\): OTLP records not delivered \(\d+ \w+(, \d+ \w+)*\) are counted as dropped \(process_exit\)$/,
    );
  });

  test('OTEL_LOG_LEVEL=none prints nothing; debug prints more', async () => {
    const port = await deadPort();
    for (const mode of ['before-init', 'span-dropped']) {
      const r = await runChild(mode, { OTEL_LOG_LEVEL: 'none' });
      assert.equal(r.code, 0);
      assert.deepEqual(r.lines, [], mode);
    }
    const quiet = await runChild('shutdown', {
      OTEL_LOG_LEVEL: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    });
    assert.deepEqual(quiet.lines, []);
    assert.ok((quiet.result.drops?.length ?? 0) > 0, 'still counted');
    const verbose = await runChild('span-dropped', { OTEL_LOG_LEVEL: 'debug' });
    assert.equal(count(verbose.lines, /dropping traces at recordSpan/), 1);
    assert.ok(verbose.lines.length > 1, verbose.stderr);
  });

  test("the application's own diag logger: nothing of ours on stderr", async () => {
    const r = await runChild('user-logger');
    assert.equal(r.code, 0);
    assert.deepEqual(r.lines, []);
  });
});
