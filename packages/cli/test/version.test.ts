import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '@grpo-otel/cli';

test('--version prints the version of the package.json (its one source)', async () => {
  const out: string[] = [];
  assert.equal(await main(['--version'], { out: (l) => out.push(l), err: () => undefined }), 0);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.deepEqual(out, [pkg.version]);
});
