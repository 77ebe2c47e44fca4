import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./fixtures/childLogger.ts', import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A long flush interval, so that at the moment of the signal almost everything is still buffered.
const CONFIG = `version: 1
loggers:
  training:
    level: INFO
    handlers: [file]
    propagate: false
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    filename: out/training.log
    formatter: plain
    flush_interval: 30
    max_queue_size: 1000000
formatters:
  plain:
    format: "%(message)s"
`;

function setup(): { dir: string; config: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-exit-'));
  dirs.push(dir);
  const config = join(dir, 'c.yaml');
  writeFileSync(config, CONFIG);
  return { dir, config, log: join(dir, 'out/training.log') };
}

/** Runs the child in the config's folder: the config's relative paths resolve against the working directory. */
function run(config: string, ...args: string[]): ChildProcess {
  // tsx by its resolved URL: the child runs outside the workspace.
  const tsx = import.meta.resolve('tsx');
  return spawn(process.execPath, ['--conditions=source', '--import', tsx, child, config, ...args], {
    cwd: dirname(config),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the child's exit, the highest count it reported, and its stderr. */
function watch(
  p: ChildProcess,
  onLogged?: (n: number) => void,
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  logged: number;
  stdout: string;
  stderr: string;
}> {
  let stdout = '';
  let stderr = '';
  let logged = 0;
  p.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const m of d.toString().matchAll(/logged (\d+)/g)) {
      logged = Math.max(logged, Number(m[1]));
      onLogged?.(logged);
    }
  });
  p.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) =>
    p.on('exit', (code, signal) => resolve({ code, signal, logged, stdout, stderr })),
  );
}

/** The record numbers in the file, asserted to be exactly 0..n-1 in order. */
function assertContiguous(file: string, atLeast: number): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'file ends with a newline (no partial line)');
  for (let i = 0; i < lines.length; i++) assert.equal(lines[i], `record ${i}`);
  assert.ok(lines.length >= atLeast, `file has ${lines.length} records, child reported ${atLeast}`);
  return lines.length;
}

describe('flush on exit paths (real child processes)', { timeout: 60_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: every record logged is on disk, and the process still dies of the signal`, async () => {
      const { config, log } = setup();
      const p = run(config, 'loop');
      let sent = false;
      const result = await watch(p, (n) => {
        if (!sent && n >= 2000) {
          sent = true;
          p.kill(signal);
        }
      });
      assert.equal(result.signal, signal, `child exited with code ${result.code}: ${result.stderr}`);
      assertContiguous(log, result.logged);
    });
  }

  test('an application SIGTERM handler that calls process.exit keeps its say, and nothing is lost', async () => {
    const { config, log } = setup();
    const p = run(config, 'loop-app-handler');
    let sent = false;
    const result = await watch(p, (n) => {
      if (!sent && n >= 2000) {
        sent = true;
        p.kill('SIGTERM');
      }
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /app handler/);
    assertContiguous(log, result.logged);
  });

  test('normal exit without shutdown(): flushed, and the process is not kept alive', async () => {
    const { config, log } = setup();
    const result = await watch(run(config, 'finite', '5000'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(assertContiguous(log, 5000), 5000);
  });

  test('process.exit(): local sinks drained synchronously', async () => {
    const { config, log } = setup();
    const result = await watch(run(config, 'exit', '3000'));
    assert.equal(result.code, 3, result.stderr);
    assert.equal(assertContiguous(log, 3000), 3000);
  });
});
