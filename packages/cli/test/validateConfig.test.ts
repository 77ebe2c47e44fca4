import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '@grpo-otel/cli';
import { ConfigError, loadConfigFile } from '@grpo-otel/sdk';

const seed = fileURLToPath(new URL('../../sdk/test/fixtures/seed-logging_config.yaml', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'grpo-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir, env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('validate-config: exit 0 and a summary of handlers and where each channel goes', async () => {
  const r = await run(['validate-config', seed]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /: valid$/m);
  // Relative paths resolve against the working directory, as when a trainer started there loads it.
  assert.ok(r.out.includes(`\nrelative paths resolve against ${dir} (the working directory)\n`), r.out);
  assert.match(
    r.out,
    /^ {2}file +rotating file logs\/training\.log \(rotates at 10 MiB, keeps 5\), format 'standard'$/m,
  );
  assert.match(r.out, /^ {2}tensorboard +tensorboard logs\/tensorboard$/m);
  assert.match(r.out, /^ {2}training +INFO +-> console, file, tensorboard$/m);
  assert.match(r.out, /^ {2}model_outputs +INFO +-> csv, file$/m);
  assert.match(r.out, /^ {2}system +INFO +-> console, file +\(not in the file: behaves as root\)$/m);
  assert.ok(r.out.split('\n').length < 40, 'fits on one screen');
});

test('validate-config: exit 1 with exactly the loader error, one line', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, readFileSync(seed, 'utf8').replace('backupCount: 5', 'backupCount: -5'));
  let expected = '';
  try {
    loadConfigFile(bad, { env: {} });
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    expected = e.message;
  }
  const r = await run(['validate-config', bad]);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, expected);
  assert.match(r.err, /bad\.yaml:46:18: handlers\.file\.backupCount: expected an integer >= 0, got -5$/);
});

test('validate-config: a missing file and usage errors', async () => {
  const missing = await run(['validate-config', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.yaml: file not found$/);
  assert.equal((await run(['validate-config'])).code, 2);
  assert.equal((await run(['no-such-command'])).code, 2);
});

test('the installed bin (node_modules/.bin/grpo-otel at the repo root) runs the built CLI, no stack trace', () => {
  const bin = join(repoRoot, 'node_modules/.bin/grpo-otel');
  const bad = join(dir, 'typo.yaml');
  writeFileSync(bad, 'version: 1\nhandlers:\n  f:\n    class: logging.FileHandlr\n    filename: x.log\n');
  const p = spawnSync(bin, ['validate-config', bad], { encoding: 'utf8' });
  assert.equal(p.status, 1, p.stderr);
  assert.equal(
    p.stderr,
    `${bad}:4:12: handlers.f.class: unknown handler class string 'logging.FileHandlr' (did you mean 'logging.FileHandler'?); expected one of console, file, csv, tensorboard, otlp, traces, null, or a Python name such as logging.StreamHandler, logging.handlers.RotatingFileHandler, logging.custom.CSVHandler, logging.custom.TensorBoardHandler\n`,
  );
  const ok = spawnSync(bin, ['validate-config', seed], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
});

test('validate-config never prints a credential: URL passwords are masked, header values not shown', async () => {
  const f = join(dir, 'secret.yaml');
  writeFileSync(
    f,
    [
      'version: 1',
      'root: { level: INFO, handlers: [o] }',
      'handlers:',
      '  o: { class: otlp, endpoint: "https://trainer:hunter2pw@127.0.0.1:4318", headers: { Authorization: "Bearer tok3n-value" } }',
      'otlp: { endpoint: "https://ci:s3cretpw@127.0.0.1:4318", headers: { x-api-key: "k3y-value" } }',
      '',
    ].join('\n'),
  );
  const r = await run(['validate-config', f]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /https:\/\/trainer:\*\*\*@127\.0\.0\.1:4318/);
  assert.match(r.out, /https:\/\/ci:\*\*\*@127\.0\.0\.1:4318/);
  for (const secret of ['hunter2pw', 's3cretpw', 'tok3n-value', 'k3y-value']) {
    assert.ok(!r.out.includes(secret) && !r.err.includes(secret), secret);
  }
});
