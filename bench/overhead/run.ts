// Telemetry overhead on a real training loop: the demo GRPO trainer (packages/demo-trainer, tfjs wasm)
// with every handler on and every step logged, vs the same run with OTEL_SDK_DISABLED=true. Runs in
// pairs of child processes (same seed, so the same work), the order alternating within pairs; the
// figure is the median over pairs of the ratio of mean step times, with its spread.
// Usage: pnpm bench:overhead [--pairs 10] [--steps 40] [--skip 5] [--warmup-steps 20] [--check] [--keep]
//   (= node --conditions=source --import tsx bench/overhead/run.ts ...)
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import {
  exportedLogRecords,
  exportedMetrics,
  exportedSpans,
  startCollector,
} from '../../test/helpers/collector.js';
import {
  type Mode,
  mean,
  measuredSteps,
  type OverheadSummary,
  type PairSteps,
  runOrder,
  summarize,
} from './pairs.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return v;
};
const PAIRS = arg('pairs', 10);
const STEPS = arg('steps', 40);
const SKIP = arg('skip', 5);
const WARMUP_STEPS = arg('warmup-steps', 20);
const SEED = arg('seed', 1);
const CHECK = args.includes('--check');
const KEEP = args.includes('--keep');
const TARGET = 1.01;

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const shippedConfig = join(root, 'packages', 'demo-trainer', 'config', 'logging_config.yaml');

/** The demo's shipped config with every step logged and every completion analysed. */
function benchConfig(path: string): void {
  const config = parse(readFileSync(shippedConfig, 'utf8'));
  config.metrics.logging_frequency = 1;
  config.metrics.sampling_ratio = 1;
  // Validation at the start and the end only: its passes are not part of a step's time anyway.
  config.metrics.validation_frequency = STEPS + 1;
  writeFileSync(path, stringify(config));
}

interface RunResult {
  stepSeconds: number[];
  stepCpuSeconds: number[];
  reward: number[];
  drops: { signal: string; reason: string; where: string; count: number }[];
  wallSeconds: number;
}

function runOnce(dir: string, config: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  mkdirSync(dir, { recursive: true });
  // The console handler writes to stderr: into a file, as `... 2> train.log` would.
  const console = openSync(join(dir, 'console.log'), 'w');
  const options = JSON.stringify({ steps: STEPS, warmupSteps: WARMUP_STEPS, seed: SEED });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(here, 'trainRun.ts'), join(dir, 'run'), config, options],
    { cwd: root, env, stdio: ['ignore', 'ignore', console] },
  );
  closeSync(console);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = readFileSync(join(dir, 'console.log'), 'utf8').slice(-4000);
        reject(new Error(`training run in ${dir} failed (code ${code}, signal ${signal}):\n${tail}`));
        return;
      }
      const s = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
      resolve({
        stepSeconds: s.history.stepSeconds,
        stepCpuSeconds: s.history.stepCpuSeconds,
        reward: s.history.reward,
        drops: s.drops,
        wallSeconds: (performance.now() - t0) / 1000,
      });
    });
  });
}

const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(2)}%`;
const ms = (s: number): string => (s * 1000).toFixed(1);

async function main(): Promise<void> {
  if (SKIP >= STEPS) throw new RangeError(`--skip (${SKIP}) must be below --steps (${STEPS})`);
  const work = mkdtempSync(join(tmpdir(), 'grpo-bench-overhead-'));
  const collector = await startCollector();
  const started = performance.now();
  const load = [loadavg()[0]!];
  try {
    const config = join(work, 'telemetry.yaml');
    benchConfig(config);
    const base: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'GRPO_OTEL_CONFIG'),
    );
    base.OTEL_EXPORTER_OTLP_ENDPOINT = collector.otlpHttpEndpoint;
    const envOf: Record<Mode, NodeJS.ProcessEnv> = {
      on: base,
      off: { ...base, OTEL_SDK_DISABLED: 'true' },
    };
    process.stdout.write(
      `demo trainer: ${STEPS} GRPO steps per run (first ${SKIP} not counted) after ${WARMUP_STEPS} ` +
        `supervised steps, seed ${SEED}; ${PAIRS} pairs; OTLP to the collector at ${collector.otlpHttpEndpoint}\n`,
    );
    const steps: { on?: number[]; off?: number[] }[] = Array.from({ length: PAIRS }, () => ({}));
    const cpu: { on?: number[]; off?: number[] }[] = Array.from({ length: PAIRS }, () => ({}));
    let reference: number[] | undefined;
    const drops = new Map<string, number>();
    for (const { pair, mode } of runOrder(PAIRS)) {
      const r = await runOnce(join(work, `pair${pair}-${mode}`), config, envOf[mode]);
      // Same seed, same work: the rewards of every step must match run for run.
      reference ??= r.reward;
      if (JSON.stringify(r.reward) !== JSON.stringify(reference))
        throw new Error(`pair ${pair} (${mode}): the run's rewards differ from the first run's`);
      if (mode === 'off' && r.drops.length > 0)
        throw new Error('telemetry disabled, yet the run counted drops');
      for (const d of r.drops) {
        const key = `${d.signal}/${d.reason}/${d.where}`;
        drops.set(key, (drops.get(key) ?? 0) + d.count);
      }
      steps[pair]![mode] = measuredSteps(r.stepSeconds, SKIP);
      cpu[pair]![mode] = measuredSteps(r.stepCpuSeconds, SKIP);
      process.stdout.write(
        `  pair ${String(pair + 1).padStart(2)} ${mode.padEnd(3)}: mean step ${ms(mean(steps[pair]![mode]!))} ms ` +
          `(CPU ${ms(mean(cpu[pair]![mode]!))} ms), ` +
          `run ${r.wallSeconds.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}\n`,
      );
      load.push(loadavg()[0]!);
    }
    const s = summarize(steps.map((p): PairSteps => ({ on: p.on!, off: p.off! })));
    const c = summarize(cpu.map((p): PairSteps => ({ on: p.on!, off: p.off! })));
    const exported = await collector.readExported();
    const minutes = (performance.now() - started) / 60_000;

    const rows = s.ratios.map(
      (r, i) =>
        `| ${i + 1} | ${i % 2 === 0 ? 'on, off' : 'off, on'} | ${pct(r.meanRatio)} | ${pct(r.medianRatio)} | ${pct(c.ratios[i]!.meanRatio)} |`,
    );
    const line = (what: string, x: OverheadSummary['meanRatio'], bold = false): string =>
      `| ${what} | ${bold ? '**' : ''}${pct(x.median)}${bold ? '**' : ''} | ${pct(x.q1)} .. ${pct(x.q3)} | ${pct(x.min)} .. ${pct(x.max)} |`;
    process.stdout.write(
      `\n| pair | order | mean step time | median step time | CPU time per step |\n|---:|---|---:|---:|---:|\n${rows.join('\n')}\n\n` +
        `| overhead (on/off - 1) | median over pairs | quartiles | min .. max |\n|---|---:|---:|---:|\n` +
        `${line('mean step time (wall)', s.meanRatio, true)}\n` +
        `${line('median step time (wall)', s.medianRatio)}\n` +
        `${line('process CPU time per step', c.meanRatio)}\n\n` +
        `pooled median step: ${ms(s.pooledMedianSeconds.on)} ms with telemetry, ${ms(s.pooledMedianSeconds.off)} ms without ` +
        `(CPU ${ms(c.pooledMedianSeconds.on)} / ${ms(c.pooledMedianSeconds.off)} ms); ` +
        `telemetry slower in ${s.slowerWithTelemetry} of ${s.pairs} pairs (CPU: ${c.slowerWithTelemetry})\n` +
        `${STEPS - SKIP} measured steps x ${PAIRS} pairs x 2 modes in ${minutes.toFixed(1)} min; ` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}; ` +
        `load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}\n` +
        `collector received ${exportedLogRecords(exported).length} log records, ` +
        `${exportedMetrics(exported).length} metric batches, ${exportedSpans(exported).length} spans` +
        `${drops.size > 0 ? `; drops counted by the SDK: ${[...drops].map(([k, n]) => `${k} x${n}`).join(', ')}` : ''}\n`,
    );
    if (CHECK && s.meanRatio.median > TARGET) {
      process.stdout.write(`overhead ${pct(s.meanRatio.median)} is above the ${pct(TARGET)} target\n`);
      process.exitCode = 1;
    }
  } finally {
    await collector.stop();
    if (KEEP) process.stdout.write(`runs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
