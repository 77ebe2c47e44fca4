// The Jaeger the tests and the local stack build is the approved release, v1.75.0 (later tags are served
// by the module proxy but are not approved), and the docs name the version the script builds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';

const APPROVED = 'v1.75.0';
const script = join(repoRoot, 'scripts', 'install-jaeger.sh');

test('scripts/install-jaeger.sh builds the approved Jaeger release by default', () => {
  const text = readFileSync(script, 'utf8');
  const pin = /JAEGER_VERSION="\$\{GRPO_JAEGER_VERSION:-(v[0-9.]+)\}"/.exec(text);
  assert.ok(pin, 'the default version assignment was not found');
  assert.equal(pin[1], APPROVED);
  // No other Jaeger version is named in the script (its comments and messages included).
  assert.deepEqual([...new Set(text.match(/v1\.\d+\.\d+/g))], [APPROVED]);
});

test('the docs name the version the script builds, and only it', () => {
  for (const doc of ['deploy/README.md', 'README.md']) {
    const text = readFileSync(join(repoRoot, doc), 'utf8');
    const named = [...new Set(text.match(/jaeger[^\n`]*@v\d+\.\d+\.\d+|jaeger-v\d+\.\d+\.\d+/gi) ?? [])];
    for (const n of named) assert.ok(n.endsWith(APPROVED), `${doc} names ${n}`);
  }
  const deploy = readFileSync(join(repoRoot, 'deploy', 'README.md'), 'utf8');
  assert.ok(deploy.includes(`cmd/jaeger@${APPROVED}`));
});

test('a version that is not a release tag is refused before anything is built', () => {
  const res = spawnSync('bash', [script], {
    env: { ...process.env, GRPO_JAEGER_VERSION: 'latest' },
    encoding: 'utf8',
  });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /GRPO_JAEGER_VERSION must look like v1\.75\.0, not latest/);
  assert.equal(res.stdout, '');
});
