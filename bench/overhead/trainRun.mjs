// One measured run of the demo trainer, in its own process (bench/overhead/run.ts starts it).
// Plain JavaScript run by plain `node`, on the built packages (`pnpm build`; the bench's script builds
// first): the code a user of the published packages runs, not the test runner's on-the-fly transpile
// of src/ (esbuild's keepNames wrappers and all).
// Usage: node bench/overhead/trainRun.mjs <run folder> <config.yaml> <options json> [skip]
// Telemetry is on or off by the environment alone (OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_ENDPOINT).
// The run writes <run folder>/summary.json (per-step wall and process CPU times in history, drops);
// beside it, training-thread.json: the CPU time of the training (main) thread alone from the end of
// step `skip` to the end of the second-to-last step (the last one validates), read from Linux's
// /proc/thread-self/stat (10 ms ticks), or null where that is not available.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from '../../packages/demo-trainer/dist/index.js';

const [outDir, configPath, optionsJson, skipArg] = process.argv.slice(2);
if (!outDir || !configPath || !optionsJson) {
  process.stderr.write('usage: trainRun.mjs <run folder> <config.yaml> <trainer options json> [skip]\n');
  process.exit(2);
}
/** @type {{ steps: number }} */
const trainer = JSON.parse(optionsJson);
const skip = Number(skipArg ?? 0);
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node supports

/** User + system CPU seconds of the calling thread, or undefined off Linux. */
/** @returns {number | undefined} */
function threadCpuSeconds() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 (utime) and 15 (stime) of proc(5); `fields` starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** @type {number | undefined} */
let start;
/** @type {number | undefined} */
let end;
await runDemo({
  outDir,
  configPath,
  trainer,
  onProgress: (e) => {
    if (e.kind !== 'step') return;
    if (e.step === skip) start = threadCpuSeconds();
    if (e.step === trainer.steps - 1) end = threadCpuSeconds();
  },
});
const measured =
  start !== undefined && end !== undefined ? { steps: trainer.steps - 1 - skip, seconds: end - start } : null;
writeFileSync(join(outDir, 'training-thread.json'), `${JSON.stringify(measured)}\n`);
