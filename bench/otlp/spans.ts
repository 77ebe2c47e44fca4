// The training thread's cost of the demo's four spans per step (grpo.step with grpo.generate,
// grpo.reward and grpo.update inside), the current withSpan vs the baseline of 552cb3b
// (withSpanBaseline.ts), side by side in one process: blocks of steps alternate between the two,
// with the whole span path on (NodeTracerProvider, AsyncLocalStorage context, our queued OTLP span
// processor exporting protobuf to a real collector). Reports main-thread CPU per step of each.
// Usage: GRPO_OTELCOL_BIN=... node --conditions=source --import tsx bench/otlp/spans.ts [--steps 2000] [--blocks 10]
// Measured (2 cores shared with other jobs, Node 20, --steps 2000 --blocks 8, three runs): CPU per
// step (4 spans) baseline 23.5 / 20.4 / 22.3 us, current 16.6 / 15.0 / 16.5 us: ratio 0.70 / 0.74 / 0.74.
// Wall time is noisier under load (ratios 0.66 / 0.78 / 1.09); CPU is the figure to read.
import { performance } from 'node:perf_hooks';
import { startCollector } from '@grpo-otel/testkit/collector';
import type { Attributes, Span } from '../../packages/sdk/node_modules/@opentelemetry/api/build/src/index.js';
import { initialize, parseConfig, shutdown, withSpan } from '../../packages/sdk/src/index.js';
import { withSpanBaseline } from './withSpanBaseline.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const STEPS = arg('steps', 2000);
const BLOCKS = arg('blocks', 10);

type WithSpan = <T>(name: string, attributes: Attributes, fn: (span: Span) => T) => T;

const collector = await startCollector();
const yaml = `
version: 1
root: { level: WARNING, handlers: [] }
# The OTLP span path on this thread (what the bench compares).
telemetry_thread: { enabled: false }
otlp: { endpoint: "${collector.otlpHttpEndpoint}", logs: false, metrics: false, traces: true }
`;
initialize({
  config: parseConfig(yaml, { source: 'bench', baseDir: process.cwd(), env: {} }),
  handleExit: false,
});

let sink = 0;
function steps(ws: WithSpan, first: number, n: number): void {
  for (let step = first; step < first + n; step++) {
    ws('grpo.step', { 'grpo.step': step }, () => {
      sink += ws(
        'grpo.generate',
        {
          'grpo.batch.size': 8,
          'grpo.group.size': 8,
          'gen_ai.request.max_tokens': 48,
          'gen_ai.request.temperature': 1,
        },
        () => step,
      );
      sink += ws('grpo.reward', { 'grpo.batch.size': 64 }, () => 1);
      sink += ws('grpo.update', { 'grpo.batch.size': 64 }, () => 2);
    });
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const variants: [string, WithSpan][] = [
  ['baseline', withSpanBaseline],
  ['current', withSpan],
];
const totals = new Map<string, { cpu: number; wall: number; steps: number }>();
let step = 0;
steps(withSpanBaseline, step, 200); // warm both paths up
steps(withSpan, step, 200);
for (let b = 0; b < BLOCKS * 2; b++) {
  const [name, ws] = variants[(b + Math.floor(b / 2)) % 2]!; // ABBA order
  // Let the queue send what the block before left, outside the measurement.
  await new Promise((r) => setTimeout(r, 20));
  const c0 = cpuMs();
  const t0 = performance.now();
  steps(ws, step, STEPS);
  const t = totals.get(name) ?? { cpu: 0, wall: 0, steps: 0 };
  t.cpu += cpuMs() - c0;
  t.wall += performance.now() - t0;
  t.steps += STEPS;
  totals.set(name, t);
  step += STEPS;
}
await shutdown();
await collector.stop();
const per = (name: string) => {
  const t = totals.get(name)!;
  return { cpuUs: (t.cpu * 1000) / t.steps, wallUs: (t.wall * 1000) / t.steps };
};
const base = per('baseline');
const cur = per('current');
console.log(`steps per variant: ${totals.get('current')!.steps} (4 spans each), sink ${sink > 0}`);
console.log(`baseline: ${base.wallUs.toFixed(1)} us wall, ${base.cpuUs.toFixed(1)} us CPU per step`);
console.log(`current:  ${cur.wallUs.toFixed(1)} us wall, ${cur.cpuUs.toFixed(1)} us CPU per step`);
console.log(
  `ratio current/baseline: wall ${(cur.wallUs / base.wallUs).toFixed(3)}, CPU ${(cur.cpuUs / base.cpuUs).toFixed(3)}`,
);
