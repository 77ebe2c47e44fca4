// A trainer-like process for the SIGKILL test (test/tensorboardCrash.test.ts): writes a long run
// (20 scalars, a histogram and every 10 steps a text per step, rolling over files), yielding to the
// event loop between steps like a training loop, and reports its progress on stdout until killed:
// `step N` once step N is handed to the writer, `flushed N` once flush() resolved after step N.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { TensorBoardRun } from '@grpo-otel/exporter-tensorboard';

const [logDir, runName = 'crash'] = process.argv.slice(2);
if (!logDir) throw new Error('usage: crashWriter <logDir> [runName]');
const run = new TensorBoardRun({ logDir, runName, maxFileBytes: 256 * 1024 });
const values = Array.from({ length: 200 }, (_, i) => Math.sin(i));
for (let step = 0; ; step++) {
  const scalars: [string, number][] = [];
  for (let k = 0; k < 20; k++) scalars.push([`crash/s${k}`, step + k / 100]);
  run.addScalars(step, scalars);
  run.addHistogram('crash/h', values, step);
  if (step % 10 === 0) run.addText('crash/text', `step ${step} | ${'x'.repeat(step % 300)}`, step);
  if (step % 100 === 0) process.stdout.write(`step ${step}\n`);
  if (step % 500 === 0) {
    // what flush() resolved for must survive the kill
    await run.flush();
    process.stdout.write(`flushed ${step}\n`);
  }
  await yieldToLoop();
}
