// bench/peers/pause.ts: what a pause between two steps does to the cost of the same work on this
// machine. The reference step's per-token arrays (256 KB) copied into shared memory, and the step's
// generation batch encoded by the SDK's codec (what `logGenerationMetrics` writes into the telemetry
// ring), each timed with nothing between two rounds, after a 20 ms sleep (a training step's idle
// wait), and after 20 ms of spinning on the same thread (busy, touching no memory). The same work on
// the same memory; only the time between two rounds differs. Usage:
//   node --conditions=source --import tsx bench/peers/pause.ts [--rounds 300] [--pause-ms 20]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { encodeValue } from '../../packages/sdk/src/internal/ValueCodec.js';
import { makeSteps } from './workload.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '300' }, 'pause-ms': { type: 'string', default: '20' } },
});
const ROUNDS = Number(values.rounds);
const PAUSE = Number(values['pause-ms']);
if (!Number.isInteger(ROUNDS) || ROUNDS < 20) throw new RangeError(`bad --rounds: ${values.rounds}`);
if (!(PAUSE > 0)) throw new RangeError(`bad --pause-ms: ${values['pause-ms']}`);

const sab = new SharedArrayBuffer(4 << 20);
const views = {
  u8: new Uint8Array(sab),
  dv: new DataView(sab),
  f64: new Float64Array(sab),
  f32: new Float32Array(sab),
  i32: new Int32Array(sab),
  buf: Buffer.from(sab),
};
// Mapped in before anything is timed (as the telemetry thread does with its ring).
views.i32.fill(0);
const d = makeSteps(1)[0]!;
const batch = d.texts.map((text, c) => ({
  text,
  tokens: d.tokens[c]!,
  logprobs: d.logprobs[c]!,
  refLogprobs: d.refLogprobs[c]!,
  entropies: d.entropies[c]!,
}));
const frame = [
  1,
  'logGenerationMetrics',
  Date.now(),
  '',
  '',
  0,
  [1, batch, d.answers.map((answer) => ({ answer })), { groupSize: 8 }],
];
const arrays = [...d.tokens, ...d.logprobs, ...d.refLogprobs, ...d.entropies];

const work = {
  'copy the per-token arrays (256 KB)': () => {
    let o = 0;
    for (const a of arrays) {
      if (a instanceof Int32Array) views.i32.set(a, o);
      else views.f32.set(a, o);
      o += a.length;
    }
  },
  'encode the generation frame (codec)': () => {
    encodeValue(views, 0, sab.byteLength, frame);
  },
};
type Pause = 'none' | 'sleep' | 'spin';
async function pause(kind: Pause): Promise<void> {
  if (kind === 'sleep') await sleep(PAUSE);
  else if (kind === 'spin') {
    const end = performance.now() + PAUSE;
    while (performance.now() < end);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const lines = [
  `bench/peers/pause: µs per round (median of ${ROUNDS}, first 10% skipped), the same work after no pause, a ${PAUSE} ms sleep, ${PAUSE} ms of spinning`,
  `${'work'.padEnd(40)}${'none'.padStart(10)}${'sleep'.padStart(10)}${'spin'.padStart(10)}${'sleep/none'.padStart(12)}${'spin/none'.padStart(12)}`,
];
for (const [name, fn] of Object.entries(work)) {
  const m: Record<Pause, number> = { none: 0, sleep: 0, spin: 0 };
  for (const kind of ['none', 'sleep', 'spin'] as const) {
    const ts: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await pause(kind);
      const t = process.hrtime.bigint();
      fn();
      ts.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    m[kind] = median(ts.slice(Math.floor(ROUNDS / 10)));
  }
  lines.push(
    `${name.padEnd(40)}${m.none.toFixed(1).padStart(10)}${m.sleep.toFixed(1).padStart(10)}${m.spin.toFixed(1).padStart(10)}${`x${(m.sleep / m.none).toFixed(2)}`.padStart(12)}${`x${(m.spin / m.none).toFixed(2)}`.padStart(12)}`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
