// The Python bridge's own tests (python/tests, pytest) in the test venv (python/requirements.txt pins
// pytest, the OTel Python SDK, its OTLP/HTTP exporter and PyYAML), with the bridge on PYTHONPATH; and
// `pip install` of python/ (its pyproject.toml, built with the setuptools pip fetches from PyPI) into a
// temporary target, imported from there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDir } from '@grpo-otel/testkit/tempDir';

// No bytecode or pytest cache in the checkout (the test command compares it before and after).
const PY_ENV = {
  ...process.env,
  PYTHONPATH: join(repoRoot, 'python'),
  PYTHONDONTWRITEBYTECODE: '1',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  GRPO_OTEL_CONFIG: '',
};

test('pytest passes the bridge’s tests', () => {
  const r = spawnSync(
    pythonBinary(),
    [
      '-m',
      'pytest',
      'python/tests',
      '-q',
      '-p',
      'no:cacheprovider',
      '-W',
      'error::pytest.PytestUnraisableExceptionWarning',
    ],
    { cwd: repoRoot, env: PY_ENV, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, `pytest failed:\n${r.stdout}\n${r.stderr}`);
  const summary = r.stdout.trim().split('\n').pop() ?? '';
  assert.match(summary, /^\d+ passed/, summary);
  assert.doesNotMatch(summary, /failed|error/, summary);
});

test('pip installs python/ and the installed package imports with its generated names', (t) => {
  const dir = tempDir(t, 'grpo-py-install-');
  // A copy: pip builds in the source tree (build/, *.egg-info), which must stay clean.
  const src = join(dir, 'src');
  cpSync(join(repoRoot, 'python'), src, {
    recursive: true,
    filter: (p) => !/(__pycache__|\.pytest_cache|tests|examples)$/.test(p),
  });
  const target = join(dir, 'site');
  const install = spawnSync(
    pythonBinary(),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, src],
    { env: PY_ENV, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(install.status, 0, `pip install failed:\n${install.stdout}\n${install.stderr}`);
  const probe = spawnSync(
    pythonBinary(),
    [
      '-c',
      'import grpo_otel, grpo_otel.trl, grpo_otel.semconv as S; print(grpo_otel.__file__); print(S.REWARD_MEAN.name, grpo_otel.__version__)',
    ],
    { env: { ...PY_ENV, PYTHONPATH: target }, cwd: dir, encoding: 'utf8' },
  );
  assert.equal(probe.status, 0, probe.stderr);
  const [file, names] = probe.stdout.trim().split('\n');
  assert.ok(file?.startsWith(target), `imported from ${file}, not the install target`);
  assert.match(names ?? '', /^grpo\.reward\.mean 0\.1\.0$/);
});
