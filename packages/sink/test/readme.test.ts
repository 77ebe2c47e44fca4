// The README's usage example is a program: run it (in a process, from the package's sources), with the
// port made 0 and the output folder a temp dir so it collides with nothing; POST a record; SIGTERM it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { live } from '@grpo-otel/testkit/exitCleanup';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';

const pkg = fileURLToPath(new URL('..', import.meta.url));

test('README: the usage example serves, writes under its outDir and stops on SIGTERM', async (t) => {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'README.md has a ```ts block');
  const out = tempDir(t, 'grpo-sink-readme-');
  const program = example
    .replace('port: 4319,', 'port: 0,')
    .replace("outDir: 'runs'", `outDir: ${JSON.stringify(out)}`)
    .replace("otlpEndpoint: 'http://127.0.0.1:4318',", '');
  assert.notEqual(program, example);
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', program],
    {
      cwd: pkg,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const closed = once(child, 'close');
  await waitFor(
    async () => (/listening on (\S+)/.test(output) || child.exitCode !== null ? true : undefined),
    30_000,
    'listening',
    20,
  );
  const url = /listening on (\S+)/.exec(output)?.[1];
  assert.ok(url, output);
  const res = await fetch(`${url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'grpo.run.id', value: { stringValue: 'readme' } }] },
          scopeLogs: [
            { scope: { name: 'training' }, logRecords: [{ severityNumber: 9, body: { stringValue: 'hi' } }] },
          ],
        },
      ],
    }),
  });
  assert.equal(res.status, 200);
  child.kill('SIGTERM');
  const [code] = (await closed) as [number | null];
  live.delete(child);
  assert.equal(code, 0, output);
  assert.ok(existsSync(join(out, 'readme', 'logs', 'training.log')));
});
