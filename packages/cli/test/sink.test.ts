import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '@grpo-otel/cli';
import type { OtlpSink } from '@grpo-otel/sink';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { sink } from '../src/commands/sink.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd, env: {} } };
}

test('grpo-otel sink --help lists the options; bad arguments are usage errors', async (t) => {
  const dir = tempDir(t, 'grpo-cli-sink-');
  const help = io(dir);
  assert.equal(await main(['sink', '--help'], help.io), 0);
  for (const option of [
    '--port',
    '--host',
    '--out',
    '--token',
    '--otlp-endpoint',
    '--config',
    '--split-by-rank',
    '--tls-cert',
  ])
    assert.match(help.out.join('\n'), new RegExp(`${option}\\b`), option);
  assert.match(
    await (async () => {
      const h = io(dir);
      await main(['help'], h.io);
      return h.out.join('\n');
    })(),
    /grpo-otel sink/,
  );
  for (const [args, message] of [
    [['--bogus'], /unexpected argument '--bogus'/],
    [['--port', 'x'], /--port must be a non-negative integer, got 'x'/],
    [['--port'], /--port needs a value/],
    [['--tls-cert', 'a.pem'], /--tls-cert and --tls-key go together/],
  ] as const) {
    const r = io(dir);
    assert.equal(await main(['sink', ...args], r.io), 2, args.join(' '));
    assert.match(r.err.join('\n'), message);
  }
  writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nmetrics:\n  plateau:\n    window: -3\n');
  const bad = io(dir);
  assert.equal(await main(['sink', '--config', 'bad.yaml'], bad.io), 2);
  assert.match(bad.err.join('\n'), /bad\.yaml:\d+:\d+: .*window/);
});

test('grpo-otel sink serves until stopped, then flushes and prints its counters', async (t) => {
  const dir = tempDir(t, 'grpo-cli-sink-');
  const r = io(dir);
  let stop!: () => void;
  let listening: OtlpSink | undefined;
  const code = sink(['--port', '0', '--out', 'out'], r.io, {
    stop: new Promise<void>((resolve) => {
      stop = resolve;
    }),
    onListening: (s) => {
      listening = s;
    },
  });
  while (!listening) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.match(r.out[0] ?? '', /^grpo-otel sink: listening on http:\/\/127\.0\.0\.1:\d+, writing to .*out$/);
  const res = await fetch(`${listening.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'grpo.run.id', value: { stringValue: 'cli-run' } }] },
          scopeLogs: [
            { scope: { name: 'training' }, logRecords: [{ severityNumber: 9, body: { stringValue: 'hi' } }] },
          ],
        },
      ],
    }),
  });
  assert.equal(res.status, 200);
  stop();
  assert.equal(await code, 0);
  assert.match(r.out.at(-1) ?? '', /^grpo-otel sink: stopped; \{"requests":1,"logRecords":1,/);
  assert.ok(existsSync(join(dir, 'out', 'cli-run', 'logs', 'training.log')));
});
