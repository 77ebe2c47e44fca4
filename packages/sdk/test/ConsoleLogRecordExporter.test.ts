import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The exporter writes to the process's own stdout/stderr, so each case runs in a child process whose
// stderr is a pipe (not a TTY), as it is under CI or when output is redirected.
const sdkDir = fileURLToPath(new URL('..', import.meta.url));

function run(color: string, extraEnv: Record<string, string> = {}): string {
  const script = `
    import { initialize, getTrainingLogger, shutdown, parseConfig } from '@grpo-otel/sdk';
    const yaml = 'root: { level: INFO, handlers: [c] }\\nhandlers:\\n  c: { class: logging.StreamHandler, formatter: f, color: ${color} }\\nformatters:\\n  f: { format: "%(levelname)s %(name)s %(message)s" }\\n';
    initialize({ config: parseConfig(yaml, { source: 'c.yaml', baseDir: '/', env: {} }), env: {}, handleExit: false });
    getTrainingLogger().info('hello');
    getTrainingLogger().error('bad');
    await shutdown();`;
  const p = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: sdkDir,
      encoding: 'utf8',
      env: { ...process.env, ...extraEnv },
    },
  );
  assert.equal(p.status, 0, p.stderr);
  return p.stderr;
}

test('console: readable lines on stderr, no colour when stderr is not a TTY', () => {
  assert.equal(run('auto'), 'INFO training hello\nERROR training bad\n');
});

test('console: colour by level when asked for (color: always)', () => {
  assert.equal(
    run('always'),
    '\u001b[36mINFO training hello\u001b[0m\n\u001b[31mERROR training bad\u001b[0m\n',
  );
});

test('console: color never wins even with colour forced elsewhere', () => {
  assert.equal(run('never', { FORCE_COLOR: '1' }), 'INFO training hello\nERROR training bad\n');
});
