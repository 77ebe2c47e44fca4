// Where a CPU profile's time goes (pure functions, tested in test/benchOverhead.test.ts on a hand-made
// profile): each sample of the training thread is telemetry (the SDK's or OpenTelemetry's code below the
// trainer's last frame: what the trainer called, or a callback of the SDK's own timers and I/O), the
// trainer (its own code, tfjs and the wasm kernels), garbage collection, idle, or other (Node's own).

/** The parts of a V8 CPU profile (`Profiler.stop`'s `profile`) read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  /** Node id of each sample, in order. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from `startTime`). */
  timeDeltas: number[];
}

export interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
}

export type Part = 'telemetry' | 'trainer' | 'gc' | 'idle' | 'other';

/** Frames of the SDK, its exporters and libraries, and OpenTelemetry (sources, builds or installed). */
const TELEMETRY =
  /\/packages\/(sdk|exporter-[a-z]+|file-writer|metrics|semconv)\/|\/@grpo-otel\/(sdk|exporter-[a-z]+|file-writer|metrics|semconv)\/|\/@opentelemetry\/|\/@opentelemetry\+/;
/** Frames of the training loop: the demo trainer, tfjs and the wasm kernels. */
const TRAINER = /\/packages\/demo-trainer\/|\/@grpo-otel\/demo-trainer\/|@tensorflow|^wasm:/;

/** Where one sample's time goes, and for telemetry the outermost SDK/OTel frame below the trainer. */
export function classify(stack: readonly CallFrame[]): { part: Part; entry?: CallFrame } {
  const leaf = stack.at(-1);
  if (!leaf) return { part: 'other' };
  if (leaf.functionName === '(garbage collector)') return { part: 'gc' };
  if (leaf.functionName === '(idle)' || leaf.functionName === '(program)') return { part: 'idle' };
  let lastTrainer = -1;
  for (let i = 0; i < stack.length; i++) if (TRAINER.test(stack[i]!.url)) lastTrainer = i;
  for (let i = lastTrainer + 1; i < stack.length; i++) {
    if (TELEMETRY.test(stack[i]!.url)) return { part: 'telemetry', entry: stack[i]! };
  }
  return { part: lastTrainer >= 0 ? 'trainer' : 'other' };
}

export interface Attribution {
  /**
   * Milliseconds per part, each sample counting the profile's mean sampling interval. A sample delayed
   * (the profiler's own thread waiting for a CPU) leaves a longer gap, but what ran in the gap is
   * unknown: counting samples spreads such gaps evenly instead of charging whatever ran just before.
   */
  ms: Record<Part, number>;
  /** Milliseconds per part, each sample counting the time until the next one. */
  msToNext: Record<Part, number>;
  /** Telemetry milliseconds by entry frame (`function file:line`, samples counted), largest first. */
  entries: [string, number][];
}

const noParts = (): Record<Part, number> => ({ telemetry: 0, trainer: 0, gc: 0, idle: 0, other: 0 });

/** Adds up a profile by part and by telemetry entry frame. */
export function attribute(profile: CpuProfile): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cache = new Map<number, { part: Part; entry?: CallFrame }>();
  const ms = noParts();
  const msToNext = noParts();
  const entries = new Map<string, number>();
  const n = profile.samples.length;
  // The mean interval: the time from the first sample to the last over the gaps between them.
  let span = 0;
  for (let i = 1; i < n; i++) span += profile.timeDeltas[i] ?? 0;
  const interval = n > 1 ? span / (n - 1) / 1000 : 0;
  for (let i = 0; i < n; i++) {
    const id = profile.samples[i]!;
    let c = cache.get(id);
    if (!c) {
      const stack: CallFrame[] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const node = byId.get(cur);
        if (node) stack.push(node.callFrame);
      }
      stack.reverse();
      c = classify(stack);
      cache.set(id, c);
    }
    ms[c.part] += interval;
    // The last sample has no next one: it counts as nothing there.
    msToNext[c.part] += (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (c.entry) {
      const key = `${c.entry.functionName || '(anonymous)'} ${c.entry.url.replace(/^.*\/(packages|node_modules)\//, '')}:${c.entry.lineNumber + 1}`;
      entries.set(key, (entries.get(key) ?? 0) + interval);
    }
  }
  return { ms, msToNext, entries: [...entries].sort((a, b) => b[1] - a[1]) };
}
