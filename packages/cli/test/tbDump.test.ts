import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '@grpo-otel/cli';
import { TensorBoardRun } from '@grpo-otel/exporter-tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'grpo-cli-tbdump-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir, env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

before(async () => {
  for (const name of ['b-run', 'a-run']) {
    const r = new TensorBoardRun({ logDir: join(dir, 'logs'), runName: name });
    for (let step = 1; step <= 3; step++) {
      r.addScalar('grpo.reward.mean/total', step / 10, step);
      r.addScalar('grpo.policy.entropy', 2 - step / 4, step);
      r.addHistogram('grpo.reward.value/total', [0, step, 2 * step], step);
    }
    r.addText('logs/training', `first line of step 2\nsecond line`, 2);
    r.addCustomScalarsLayout();
    await r.close();
  }
});

test('tb-dump: runs, then per run and tag the scalars, histograms and text, sorted', async () => {
  const r = await run(['tb-dump', 'logs']);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      'logs: 2 runs',
      '  a-run  (1 file, 12 events)',
      '  b-run  (1 file, 12 events)',
      '',
      'run a-run',
      '  scalars',
      '    grpo.policy.entropy',
      '      1  1.75',
      '      2  1.5',
      '      3  1.25',
      '    grpo.reward.mean/total',
      '      1  0.1',
      '      2  0.2',
      '      3  0.3',
      '  histograms',
      '    grpo.reward.value/total',
      '      1  count 3, min 0, max 2',
      '      2  count 3, min 0, max 4',
      '      3  count 3, min 0, max 6',
      '  text',
      '    logs/training',
      '      2  first line of step 2',
      '  other',
      '    custom_scalars__config__  (plugin custom_scalars, 1 value)',
      '',
      'run b-run',
      '  scalars',
      '    grpo.policy.entropy',
      '      1  1.75',
      '      2  1.5',
      '      3  1.25',
      '    grpo.reward.mean/total',
      '      1  0.1',
      '      2  0.2',
      '      3  0.3',
      '  histograms',
      '    grpo.reward.value/total',
      '      1  count 3, min 0, max 2',
      '      2  count 3, min 0, max 4',
      '      3  count 3, min 0, max 6',
      '  text',
      '    logs/training',
      '      2  first line of step 2',
      '  other',
      '    custom_scalars__config__  (plugin custom_scalars, 1 value)',
    ].join('\n'),
  );
});

test('tb-dump: --run picks one run, --limit shortens long series', async () => {
  const r = await run(['tb-dump', join(dir, 'logs'), '--run', 'b-run', '--limit', '2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /: 1 run\n {2}b-run/);
  assert.match(r.out, / {4}grpo\.policy\.entropy\n {6}1 {2}1\.75\n {6}\.\.\. 1 more\n {6}3 {2}1\.25\n/);
  assert.equal((await run(['tb-dump', 'logs', '--run', 'nope'])).code, 1);
});

test('tb-dump: a torn last record is listed under problems (exit 0); a corrupted one exits 1', async () => {
  const runDir = join(dir, 'logs', 'a-run');
  const file = join(runDir, readdirSync(runDir)[0]!);
  const bytes = readFileSync(file);
  const damaged = join(dir, 'damaged');
  const torn = new TensorBoardRun({ logDir: damaged, runName: 'torn' });
  await torn.close();
  const tornFile = join(damaged, 'torn', readdirSync(join(damaged, 'torn'))[0]!);
  writeFileSync(tornFile, bytes.subarray(0, bytes.length - 5));
  let r = await run(['tb-dump', 'damaged']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /problems\n {4}.*: torn last record at byte \d+: \d+ of \d+ bytes present/);

  const flipped = Buffer.from(bytes);
  flipped[100]! ^= 0xff;
  writeFileSync(tornFile, flipped);
  r = await run(['tb-dump', 'damaged']);
  assert.equal(r.code, 1);
  assert.match(r.out, /problems\n {4}.*: corrupted record/);
});

test('tb-dump: usage errors exit 2', async () => {
  assert.equal((await run(['tb-dump'])).code, 2);
  assert.equal((await run(['tb-dump', 'a', 'b'])).code, 2);
  assert.equal((await run(['tb-dump', 'logs', '--limit', 'x'])).code, 2);
  const missing = await run(['tb-dump', 'does-not-exist']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read does-not-exist/);
  assert.match((await run(['help'])).out, /grpo-otel tb-dump <logdir>/);
});

test('tb-dump into a pipe that closes early (| head): exits quietly, no EPIPE stack trace', async () => {
  const big = new TensorBoardRun({ logDir: join(dir, 'big'), runName: 'r' });
  for (let step = 1; step <= 3000; step++) {
    for (let k = 0; k < 10; k++) big.addScalar(`grpo.metric_${k}`, step * k, step);
  }
  await big.close();
  const bin = fileURLToPath(new URL('../bin/grpo-otel.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'tb-dump', join(dir, 'big')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  // Read the first chunk, then close the pipe as `head` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, null);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
});
