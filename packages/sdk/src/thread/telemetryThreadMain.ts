// The telemetry thread (`telemetry_thread.enabled`): runs the SDK (GrpoTelemetry: routing, formatting,
// the step pipeline, OTel's log and metric providers, the analysis worker, every sink) on the frames
// the training thread writes into the shared ring, in order, each call under the trace context and
// time it was made with. See runtime/TelemetryThread.ts for the training thread's side.
import { parentPort, workerData } from 'node:worker_threads';
import {
  type Attributes,
  type Context,
  context,
  createTraceState,
  DiagLogLevel,
  diag,
  type HrTime,
  type Meter,
  type MetricOptions,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import { atCallTime } from '../internal/callClock.js';
import type { DropReason, DropSignal } from '../internal/DropCounter.js';
import {
  prefaultRing,
  RING_ACK,
  RING_CLOSED,
  RING_READY,
  RING_SIGNAL_LISTENERS,
  RingReader,
  ringHeader,
  sharedValue,
} from '../internal/FrameRing.js';
import { formatDiag } from '../internal/SdkDiagLogger.js';
import { installSdkDiagnostics } from '../logging/sdkDiagnostics.js';
import { channelLogger, setActiveTelemetry } from '../runtime/channelRegistry.js';
import type { ForwardedInstrumentKind } from '../runtime/ForwardingMeter.js';
import { forwardDiagToRoot } from '../runtime/forwardDiagToRoot.js';
import { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import type { TensorMemory } from '../runtime/TrainingState.js';
import {
  F_CALL,
  F_DROP,
  F_DROPS,
  F_EXIT,
  F_FLUSH,
  F_FLUSH_SYNC,
  F_LOG,
  F_METRIC,
  F_OBSERVE,
  F_SHUTDOWN,
  F_SPAN,
  F_TENSOR_MEMORY,
  type ThreadMessage,
  type ThreadStart,
} from '../runtime/threadFrames.js';
import { threadCalls } from './threadCalls.js';

const start = workerData as ThreadStart;
const header = ringHeader(start.sab);
// Before anything else: the training thread may already be writing, and each page it writes first costs it a fault.
prefaultRing(start.sab);
const reader = new RingReader(start.sab);
const shared = sharedValue(start.sab);
const post = (m: ThreadMessage) => parentPort?.postMessage(m);

function ack(seq: number): void {
  Atomics.store(header, RING_ACK, seq);
  Atomics.notify(header, RING_ACK);
}

function callContext(traceId: string, spanId: string, traceFlags: number): Context {
  return traceId ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags }) : ROOT_CONTEXT;
}

function hr(s: number, ns: number): HrTime {
  return [s, ns];
}

/** An ended span, as the training thread's `SpanForwarder` wrote it. */
function readableSpan(t: GrpoTelemetry, f: unknown[]): ReadableSpan {
  const [
    ,
    name,
    kind,
    traceId,
    spanId,
    traceFlags,
    traceState,
    parentSpanId,
    s0,
    n0,
    s1,
    n1,
    code,
    message,
    attributes,
    events,
    links,
    scopeName,
    scopeVersion,
    schemaUrl,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  ] = f as [
    number,
    string,
    number,
    string,
    string,
    number,
    string,
    string,
    number,
    number,
    number,
    number,
    number,
    string,
    ReadableSpan['attributes'],
    [string, number, number, ReadableSpan['attributes'], number][],
    [string, string, number, ReadableSpan['attributes'], number][],
    string,
    string,
    string,
    number,
    number,
    number,
  ];
  const sc: SpanContext = {
    traceId,
    spanId,
    traceFlags,
    ...(traceState ? { traceState: createTraceState(traceState) } : {}),
  };
  const startTime = hr(s0, n0);
  const endTime = hr(s1, n1);
  let ds = s1 - s0;
  let dn = n1 - n0;
  if (dn < 0) {
    ds -= 1;
    dn += 1e9;
  }
  return {
    name,
    kind,
    spanContext: () => sc,
    ...(parentSpanId ? { parentSpanContext: { traceId, spanId: parentSpanId, traceFlags } } : {}),
    startTime,
    endTime,
    duration: [ds, dn],
    status: message ? { code, message } : { code },
    attributes,
    events: events.map(([n, es, ens, a, d]) => ({
      name: n,
      time: hr(es, ens),
      attributes: a,
      droppedAttributesCount: d,
    })),
    links: links.map(([tid, sid, fl, a, d]) => ({
      context: { traceId: tid, spanId: sid, traceFlags: fl },
      attributes: a,
      droppedAttributesCount: d,
    })),
    ended: true,
    resource: t.resource,
    instrumentationScope: {
      name: scopeName,
      ...(scopeVersion ? { version: scopeVersion } : {}),
      ...(schemaUrl ? { schemaUrl } : {}),
    },
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  };
}

/** `getMeter()`'s instruments, made on the SDK's meter here as the training thread first uses them. */
class MeterMirror {
  private readonly sync = new Map<
    string,
    { add?(v: number, a?: Attributes): void; record?(v: number, a?: Attributes): void }
  >();
  private readonly readings = new Map<string, [number, Attributes | undefined][]>();

  constructor(private readonly meter: Meter) {}

  measure(
    kind: ForwardedInstrumentKind,
    name: string,
    options: MetricOptions,
    value: number,
    attributes?: Attributes,
  ): void {
    const key = `${kind}\u0000${name}`;
    let inst = this.sync.get(key);
    if (!inst) {
      const m = this.meter;
      inst =
        kind === 'counter'
          ? m.createCounter(name, options)
          : kind === 'updowncounter'
            ? m.createUpDownCounter(name, options)
            : kind === 'histogram'
              ? m.createHistogram(name, options)
              : m.createGauge(name, options);
      this.sync.set(key, inst);
    }
    if (inst.add) inst.add(value, attributes);
    else inst.record?.(value, attributes);
  }

  observe(
    kind: ForwardedInstrumentKind,
    name: string,
    options: MetricOptions,
    observations: [number, Attributes | undefined][],
  ): void {
    const key = `${kind}\u0000${name}`;
    if (!this.readings.has(key)) {
      const m = this.meter;
      const inst =
        kind === 'observablecounter'
          ? m.createObservableCounter(name, options)
          : kind === 'observableupdowncounter'
            ? m.createObservableUpDownCounter(name, options)
            : m.createObservableGauge(name, options);
      inst.addCallback((r) => {
        for (const [v, a] of this.readings.get(key) ?? []) r.observe(v, a);
      });
    }
    this.readings.set(key, observations);
  }
}

/** The frames of one kind of data: calls, records, spans, drops, tensor memory, measurements. */
function handle(t: GrpoTelemetry, f: unknown[], tensor: { last?: TensorMemory }, meters: MeterMirror): void {
  switch (f[0]) {
    case F_CALL: {
      const [, name, time, traceId, spanId, flags, args] = f as [
        number,
        string,
        number,
        string,
        string,
        number,
        unknown[],
      ];
      const fn = threadCalls[name as keyof typeof threadCalls] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) {
        diag.error(`grpo-otel: the telemetry thread got an unknown call ${name}`);
        return;
      }
      context.with(callContext(traceId, spanId, flags), () => atCallTime(time, () => fn(...args)));
      return;
    }
    case F_LOG: {
      const [, channel, levelno, message, attributes, time, traceId, spanId, flags] = f as [
        number,
        string,
        number,
        string,
        Record<string, unknown> | undefined,
        number,
        string,
        string,
        number,
      ];
      context.with(callContext(traceId, spanId, flags), () =>
        atCallTime(time, () => channelLogger(channel).log(levelno, message, attributes as never)),
      );
      return;
    }
    case F_SPAN:
      t.acceptSpan(readableSpan(t, f));
      return;
    case F_DROP: {
      const [, signal, reason, where, count] = f as [number, DropSignal, DropReason, string, number];
      t.drops.record(signal, reason, where, count, false);
      return;
    }
    case F_METRIC: {
      const [, kind, name, options, value, attributes, time, traceId, spanId, flags] = f as [
        number,
        ForwardedInstrumentKind,
        string,
        MetricOptions,
        number,
        Attributes | undefined,
        number,
        string,
        string,
        number,
      ];
      context.with(callContext(traceId, spanId, flags), () =>
        atCallTime(time, () => meters.measure(kind, name, options, value, attributes)),
      );
      return;
    }
    case F_OBSERVE: {
      const [, kind, name, options, observations] = f as [
        number,
        ForwardedInstrumentKind,
        string,
        MetricOptions,
        [number, Attributes | undefined][],
      ];
      meters.observe(kind, name, options, observations);
      return;
    }
    case F_TENSOR_MEMORY: {
      const first = tensor.last === undefined;
      tensor.last = { numBytes: f[1] as number, numTensors: f[2] as number };
      if (first) t.training.registerTensorMemory(() => tensor.last as TensorMemory);
      return;
    }
  }
}

async function run(): Promise<void> {
  if (start.userDiag) {
    // The application's own logger lives on its thread: hand it ours (lost only if the process exits first).
    const to =
      (level: 'error' | 'warn' | 'info' | 'debug' | 'verbose') =>
      (message: string, ...args: unknown[]) =>
        post({ type: 'diag', level, message: formatDiag(message, args) });
    diag.setLogger(
      { error: to('error'), warn: to('warn'), info: to('info'), debug: to('debug'), verbose: to('verbose') },
      { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
    );
  } else installSdkDiagnostics(start.env, forwardDiagToRoot);
  const t = new GrpoTelemetry(start.config as ResolvedConfig, {
    handleExit: false,
    // The telemetry thread's own globals: the context manager its calls run under.
    registerGlobal: true,
    processAttributes: start.processAttributes as never,
  });
  setActiveTelemetry(t);
  t.analyses.onSignal((notice) => {
    // Only when the training thread has a callback: a message wakes its event loop.
    if (Atomics.load(header, RING_SIGNAL_LISTENERS) === 0) return;
    const sc = trace.getSpanContext(context.active());
    post({
      type: 'signal',
      notice,
      traceId: sc?.traceId ?? '',
      spanId: sc?.spanId ?? '',
      traceFlags: sc?.traceFlags ?? 0,
    });
  });
  Atomics.store(header, RING_READY, 1);
  // Atomics.waitAsync holds no handle: without one, this thread's loop would end between frames.
  const alive = setInterval(() => {}, 1 << 30);
  const tensor: { last?: TensorMemory } = {};
  const meters = new MeterMirror(t.meter);
  for (;;) {
    await reader.waitForFrames(1000);
    let sliceStart = performance.now();
    for (let f = reader.next(); f; f = reader.next()) {
      const frame = f.value as unknown[];
      const kind = frame[0] as number;
      if (kind >= F_FLUSH) {
        // Everything before it is handled: the writer may go on.
        reader.release();
        const seq = frame[1] as number;
        if (kind === F_FLUSH) await t.forceFlush();
        else if (kind === F_FLUSH_SYNC) t.flushSync();
        else if (kind === F_DROPS) post({ type: 'drops', seq, drops: t.drops.snapshot() });
        else if (kind === F_EXIT) {
          // The training thread waits in its 'exit' handler while this thread still runs: the
          // analyses in flight are answered (within half the exit timeout) before the local sinks drain.
          const cfg = (start.config as ResolvedConfig).telemetryThread;
          await Promise.race([t.analyses.drain(), new Promise((r) => setTimeout(r, cfg.exitTimeoutMs / 2))]);
          t.exitSync();
          clearInterval(alive);
          ack(seq);
          Atomics.store(header, RING_CLOSED, 1);
          return;
        } else if (kind === F_SHUTDOWN) {
          await t.shutdown(frame[2] as number);
          setActiveTelemetry(undefined);
          // The run's final counts, for getDrops() after shutdown().
          post({ type: 'drops', seq, drops: t.drops.snapshot() });
          clearInterval(alive);
          ack(seq);
          Atomics.store(header, RING_CLOSED, 1);
          return;
        }
        // A flush's waiter reads the training accuracy next (a validation pass after it).
        shared[0] = t.training.recentTrainingAccuracy;
        ack(seq);
        sliceStart = performance.now();
        continue;
      }
      try {
        handle(t, frame, tensor, meters);
      } catch (err) {
        diag.error('grpo-otel: the telemetry thread failed to handle a call', err);
      }
      // A writer that never stops must not starve this thread's timers (exports, the analysis answers):
      // a flush due while it reads runs at most 5 ms late (what a SIGKILL then loses beyond the interval).
      if (performance.now() - sliceStart > 5) {
        reader.release();
        await new Promise((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    reader.release();
    shared[0] = t.training.recentTrainingAccuracy;
  }
}

run().then(
  () => {
    parentPort?.close();
  },
  (err: unknown) => {
    Atomics.store(header, RING_CLOSED, 1);
    Atomics.notify(header, RING_ACK);
    post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    diag.error('grpo-otel: the telemetry thread stopped', err);
  },
);
