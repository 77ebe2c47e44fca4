import { ATTR_GRPO_MEMORY_POOL, ATTR_GRPO_STEP, METRICS } from '@grpo-otel/semconv';
import { forwardCall } from '../runtime/callForwarding.js';
import { activeTelemetry, currentThread } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import type { TensorMemory } from '../runtime/TrainingState.js';

export interface MemorySnapshot {
  /** Resident set size of the process, bytes. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Highest RSS seen by the SDK so far, bytes. */
  peakRss: number;
  /** Mean of the RSS samples the SDK has taken (each metric collection and each call), bytes. */
  averageRss: number;
  /** Tensor memory, when the trainer registered a reader (`registerTensorMemory`). */
  tensors?: { numBytes: number; numTensors: number; peakBytes: number };
}

const MiB = 1024 * 1024;

/**
 * The seed's `log_memory_usage()`: reads the process's memory, updates the peak the SDK tracks
 * (exported as `grpo.memory.peak_usage`; current use is exported continuously as
 * `process.memory.usage` and `v8js.memory.heap.used`), and logs one record on the `system` channel,
 * at the current step. While `metrics.enable.resource_metrics` is off it only returns the reading.
 */
export function logMemoryUsage(): MemorySnapshot | undefined {
  const thread = currentThread();
  if (thread) {
    // The reading is this thread's (the heap is per thread); the telemetry thread records it.
    const m = process.memoryUsage();
    const tm = thread.noteTensorMemory();
    forwardCall('logMemoryUsage', [m, tm]);
    return thread.memorySnapshot(m, tm);
  }
  const t = activeTelemetry();
  if (!t) return undefined;
  return recordMemoryUsage(t, process.memoryUsage(), t.training.readTensorMemory());
}

/** {@link logMemoryUsage} with a reading taken (on the training thread, with a telemetry thread). */
export function recordMemoryUsage(
  t: GrpoTelemetry,
  m: NodeJS.MemoryUsage,
  tm: TensorMemory | undefined,
): MemorySnapshot {
  const peakRss = t.training.notePeakMemory('rss', m.rss);
  t.training.notePeakMemory('v8_heap', m.heapUsed);
  t.training.rssSamples.push(m.rss);
  const enabled = t.config.metrics.enable.resourceMetrics;
  const snap: MemorySnapshot = {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    peakRss,
    averageRss: t.training.rssSamples.mean,
    ...(tm ? { tensors: { ...tm, peakBytes: t.training.notePeakMemory('tensor', tm.numBytes) } } : {}),
  };
  if (!enabled) return snap;
  // TensorBoard shows these readings at the current step (not the reading taken when the step ends).
  t.recordObservation(METRICS.processMemoryUsage, m.rss);
  t.recordObservation(METRICS.memoryPeakUsage, peakRss, { [ATTR_GRPO_MEMORY_POOL]: 'rss' });
  if (tm) {
    t.recordObservation(METRICS.tfjsMemoryUsage, tm.numBytes);
    t.recordObservation(METRICS.tfjsTensorCount, tm.numTensors);
    t.recordObservation(METRICS.memoryPeakUsage, t.training.notePeakMemory('tensor', tm.numBytes), {
      [ATTR_GRPO_MEMORY_POOL]: 'tensor',
    });
  }
  const attrs: Record<string, number> = {
    'process.memory.usage': m.rss,
    'v8js.memory.heap.used': m.heapUsed,
    'v8js.memory.heap.total': m.heapTotal,
    'process.memory.external': m.external,
    'process.memory.peak_usage': peakRss,
    'process.memory.average_usage': snap.averageRss,
  };
  if (tm) {
    attrs['grpo.tfjs.memory.usage'] = tm.numBytes;
    attrs['grpo.tfjs.tensor.count'] = tm.numTensors;
  }
  attrs[ATTR_GRPO_STEP] = t.currentStep;
  t.logger('system').info(
    `memory: rss=${(m.rss / MiB).toFixed(1)} MiB (peak ${(peakRss / MiB).toFixed(1)}, average ${(snap.averageRss / MiB).toFixed(1)}), heap=${(m.heapUsed / MiB).toFixed(1)}/${(m.heapTotal / MiB).toFixed(1)} MiB, external=${(m.external / MiB).toFixed(1)} MiB${tm ? `, tensors=${(tm.numBytes / MiB).toFixed(1)} MiB in ${tm.numTensors}` : ''}`,
    attrs,
  );
  return snap;
}
