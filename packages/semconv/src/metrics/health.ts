import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SANITIZE_REASON,
  ATTR_GRPO_SDK_SIGNAL,
} from '../attributeKeys.js';
import { defineMetric } from '../internal/define.js';

/** The telemetry SDK's own health: nothing is lost silently. */
export const HEALTH_METRICS = {
  sdkRecordDropped: defineMetric({
    name: 'grpo.sdk.record.dropped',
    instrument: 'counter',
    unit: '{record}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_DROP_REASON, ATTR_GRPO_SDK_EXPORTER],
    description: 'Telemetry records (log records, measurements, spans) the SDK dropped instead of exporting.',
    note: '`grpo.sdk.exporter` is set when the drop happened in one sink (queue full, export failed).',
  }),
  sdkRecordExported: defineMetric({
    name: 'grpo.sdk.record.exported',
    instrument: 'counter',
    unit: '{record}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_EXPORTER],
    description: 'Telemetry records successfully handed to an exporter (sink).',
    note: 'Drop ratio: dropped / (dropped + exported).',
  }),
  sdkValueSanitized: defineMetric({
    name: 'grpo.sdk.value.sanitized',
    instrument: 'counter',
    unit: '{value}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_SANITIZE_REASON],
    description:
      'Values the SDK altered (truncated, escaped, replaced) so that they could be exported safely.',
  }),
  sdkExportErrors: defineMetric({
    name: 'grpo.sdk.export.errors',
    instrument: 'counter',
    unit: '{error}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_EXPORTER, ATTR_ERROR_TYPE],
    description: 'Failed export attempts (batches), including ones later retried successfully.',
  }),
  sdkQueueSize: defineMetric({
    name: 'grpo.sdk.queue.size',
    instrument: 'observable_updowncounter',
    unit: '{record}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_EXPORTER],
    description: 'Records waiting in a bounded export queue.',
  }),
  sdkQueueCapacity: defineMetric({
    name: 'grpo.sdk.queue.capacity',
    instrument: 'observable_updowncounter',
    unit: '{record}',
    valueType: 'int',
    category: 'health',
    attributes: [ATTR_GRPO_SDK_SIGNAL, ATTR_GRPO_SDK_EXPORTER],
    description: 'Capacity of a bounded export queue; records beyond it are dropped (`queue_full`).',
  }),
} as const;
