import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SIGNAL,
  METRICS,
  type MetricDefinition,
} from '@grpo-otel/semconv';
import type { Meter } from '@opentelemetry/api';
import type { ExportQueueStats } from './ExportQueue.js';

/**
 * The export queues' own metrics: records held (`grpo.sdk.queue.size`), the bound
 * (`grpo.sdk.queue.capacity`) and failed export attempts (`grpo.sdk.export.errors`, retried ones too).
 */
export function registerQueueMetrics(meter: Meter, queues: readonly { stats(): ExportQueueStats }[]): void {
  const instrument = (def: MetricDefinition) => ({
    description: def.description,
    unit: def.unit,
  });
  const size = meter.createObservableUpDownCounter(
    METRICS.sdkQueueSize.name,
    instrument(METRICS.sdkQueueSize),
  );
  const capacity = meter.createObservableUpDownCounter(
    METRICS.sdkQueueCapacity.name,
    instrument(METRICS.sdkQueueCapacity),
  );
  const errors = meter.createObservableCounter(
    METRICS.sdkExportErrors.name,
    instrument(METRICS.sdkExportErrors),
  );
  meter.addBatchObservableCallback(
    (result) => {
      for (const q of queues) {
        const s = q.stats();
        const attrs = { [ATTR_GRPO_SDK_SIGNAL]: s.signal, [ATTR_GRPO_SDK_EXPORTER]: s.name };
        result.observe(size, s.records, attrs);
        result.observe(capacity, s.maxRecords, attrs);
        for (const [type, n] of s.errors) result.observe(errors, n, { ...attrs, [ATTR_ERROR_TYPE]: type });
      }
    },
    [size, capacity, errors],
  );
}
