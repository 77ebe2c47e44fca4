import { getHeapSpaceStatistics } from 'node:v8';
import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_MEMORY_POOL,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SANITIZE_REASON,
  ATTR_GRPO_SDK_SIGNAL,
  ATTR_V8JS_HEAP_SPACE_NAME,
  METRICS,
  type MetricDefinition,
} from '@grpo-otel/semconv';
import type { Meter } from '@opentelemetry/api';
import { DROP_SIGNALS, type DropCounter } from '../internal/DropCounter.js';
import type { ExportErrorCounter } from '../internal/ExportErrorCounter.js';
import { type SanitizeReason, SDK_SANITIZE_REASONS } from '../internal/StringSanitizer.js';
import type { TrainingState } from './TrainingState.js';

/** What the SDK's own metrics read, at each collection. */
export interface SelfMetricSources {
  drops: DropCounter;
  exportErrors: ExportErrorCounter;
  /** Strings changed by the config's `limits`, by reason. */
  sanitized: ReadonlyMap<SanitizeReason, number>;
  /** CSV cells prefixed with `'` so that no spreadsheet evaluates them. */
  formulaEscapedCells(): number;
  training: TrainingState;
  /** `metrics.enable.resource_metrics`: process, V8, tensor and peak memory. */
  resourceMetrics: boolean;
}

/** A total the SDK keeps itself, read at each collection (semconv names it a counter). */
function observableCounter(meter: Meter, def: MetricDefinition) {
  return meter.createObservableCounter(def.name, { description: def.description, unit: def.unit });
}

function observable(meter: Meter, def: MetricDefinition) {
  const options = { description: def.description, unit: def.unit };
  switch (def.instrument) {
    case 'observable_counter':
      return meter.createObservableCounter(def.name, options);
    case 'observable_updowncounter':
      return meter.createObservableUpDownCounter(def.name, options);
    default:
      return meter.createObservableGauge(def.name, options);
  }
}

/**
 * The SDK's metrics about itself (records dropped, export errors, values sanitized) and, when
 * enabled, the process's resources (RSS, V8 heap, tensor memory, peaks), as observable instruments.
 */
export function registerSelfMetrics(meter: Meter, s: SelfMetricSources): void {
  observableCounter(meter, METRICS.sdkRecordDropped).addCallback((result) => {
    for (const e of s.drops.snapshot()) {
      result.observe(e.count, {
        [ATTR_GRPO_SDK_SIGNAL]: e.signal,
        [ATTR_GRPO_SDK_DROP_REASON]: e.reason,
        [ATTR_GRPO_SDK_EXPORTER]: e.where,
      });
    }
    // Each signal also has a series without a reason that stays 0, so "records dropped" reads 0
    // (not "no data") for a healthy run, and sums over the reasons are unchanged.
    for (const signal of DROP_SIGNALS) result.observe(0, { [ATTR_GRPO_SDK_SIGNAL]: signal });
  });
  observableCounter(meter, METRICS.sdkExportErrors).addCallback((result) => {
    for (const e of s.exportErrors.snapshot()) {
      result.observe(e.count, {
        [ATTR_GRPO_SDK_SIGNAL]: e.signal,
        [ATTR_GRPO_SDK_EXPORTER]: e.exporter,
        [ATTR_ERROR_TYPE]: e.errorType,
      });
    }
  });
  observableCounter(meter, METRICS.sdkValueSanitized).addCallback((result) => {
    // Every reason from the start (0 until it happens): bounded, and rate()/increase() then see
    // the first sanitization as an increase.
    for (const reason of SDK_SANITIZE_REASONS) {
      const n = s.sanitized.get(reason) ?? 0;
      result.observe(n, { [ATTR_GRPO_SDK_SIGNAL]: 'logs', [ATTR_GRPO_SDK_SANITIZE_REASON]: reason });
    }
    result.observe(s.formulaEscapedCells(), {
      [ATTR_GRPO_SDK_SIGNAL]: 'logs',
      [ATTR_GRPO_SDK_SANITIZE_REASON]: 'formula_escaped',
    });
  });
  if (!s.resourceMetrics) return;
  const t = s.training;
  observable(meter, METRICS.processMemoryUsage).addCallback((r) => {
    const rss = process.memoryUsage.rss();
    t.notePeakMemory('rss', rss);
    t.rssSamples.push(rss);
    r.observe(rss);
  });
  observable(meter, METRICS.v8jsMemoryHeapUsed).addCallback((r) => {
    let total = 0;
    for (const space of getHeapSpaceStatistics()) {
      total += space.space_used_size;
      r.observe(space.space_used_size, { [ATTR_V8JS_HEAP_SPACE_NAME]: space.space_name });
    }
    t.notePeakMemory('v8_heap', total);
  });
  observable(meter, METRICS.tfjsMemoryUsage).addCallback((r) => {
    const m = t.readTensorMemory();
    if (m) r.observe(m.numBytes);
  });
  observable(meter, METRICS.tfjsTensorCount).addCallback((r) => {
    const m = t.readTensorMemory();
    if (m) r.observe(m.numTensors);
  });
  observable(meter, METRICS.memoryPeakUsage).addCallback((r) => {
    for (const [pool, bytes] of t.memoryPeaks()) r.observe(bytes, { [ATTR_GRPO_MEMORY_POOL]: pool });
  });
}
