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
// With GRPO_BENCH_PROFILE=<folder> (bench/overhead/profile.ts) the same measured steps are also
// profiled: <folder>/main.cpuprofile (the training thread, V8's sampling profiler at 250 us) and
// <folder>/threads.json (the training thread's scheduler counters, the other threads' CPU time).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
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

/** Scheduler counters of the calling thread (Linux /proc/thread-self/sched), or undefined. */
/** @returns {Record<string, number> | undefined} */
function schedCounters() {
  try {
    /** @type {Record<string, number>} */
    const out = {};
    for (const line of readFileSync('/proc/thread-self/sched', 'utf8').split('\n')) {
      const m =
        /^(se\.sum_exec_runtime|se\.nr_migrations|nr_voluntary_switches|nr_involuntary_switches)\s*:\s*([\d.]+)/.exec(
          line,
        );
      if (m) out[m[1]] = Number(m[2]);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each thread of the process but the calling one, by thread id (Linux), or undefined. */
/** @returns {Map<string, number> | undefined} */
function otherThreadsCpu() {
  try {
    const self = readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0];
    const out = new Map();
    for (const tid of readdirSync('/proc/self/task')) {
      if (tid === self) continue;
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(tid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
      } catch {
        // The thread ended meanwhile.
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

// GRPO_BENCH_WORKER_FLOOR=<ms> (breakdown.ts): after each step, what a telemetry worker design would
// leave on the training thread (workerFloor.mjs).
const floorMs = process.env.GRPO_BENCH_WORKER_FLOOR;
const afterStep =
  floorMs === undefined ? undefined : (await import('./workerFloor.mjs')).startWorkerFloor(Number(floorMs));

const profileDir = process.env.GRPO_BENCH_PROFILE;
/** @type {Session | undefined} */
let session;
if (profileDir) {
  session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
}
/** @type {{ sched: Record<string, number> | undefined, others: Map<string, number> | undefined } | undefined} */
let profileStart;

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
    afterStep?.(e.step);
    if (e.step === skip) {
      start = threadCpuSeconds();
      if (session) {
        profileStart = { sched: schedCounters(), others: otherThreadsCpu() };
        session.post('Profiler.start');
      }
    }
    if (e.step === trainer.steps - 1) {
      end = threadCpuSeconds();
      if (session && profileDir && profileStart) writeProfile(session, profileDir, profileStart);
    }
  },
});
const measured =
  start !== undefined && end !== undefined ? { steps: trainer.steps - 1 - skip, seconds: end - start } : null;
writeFileSync(join(outDir, 'training-thread.json'), `${JSON.stringify(measured)}\n`);

/**
 * Stops the profiler and writes the profile and the thread counters of the measured steps.
 * @param {Session} s
 * @param {string} dir
 * @param {{ sched: Record<string, number> | undefined, others: Map<string, number> | undefined }} from
 */
function writeProfile(s, dir, from) {
  const sched = schedCounters();
  const others = otherThreadsCpu();
  s.post('Profiler.stop', (err, result) => {
    if (err) throw err;
    writeFileSync(join(dir, 'main.cpuprofile'), JSON.stringify(result.profile));
  });
  /** @param {string} k */
  const delta = (k) => (sched && from.sched ? (sched[k] ?? 0) - (from.sched[k] ?? 0) : null);
  let otherCpu = null;
  if (others && from.others) {
    otherCpu = 0;
    for (const [tid, sec] of others) otherCpu += sec - (from.others.get(tid) ?? 0);
  }
  const threads = {
    steps: trainer.steps - 1 - skip,
    mainCpuMs: delta('se.sum_exec_runtime'),
    involuntarySwitches: delta('nr_involuntary_switches'),
    voluntarySwitches: delta('nr_voluntary_switches'),
    migrations: delta('se.nr_migrations'),
    otherThreadsCpuMs: otherCpu === null ? null : otherCpu * 1000,
  };
  writeFileSync(join(dir, 'threads.json'), `${JSON.stringify(threads)}\n`);
}
