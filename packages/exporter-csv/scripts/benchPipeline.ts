// For bench/csv: an OTel LoggerProvider around a processor, built where @opentelemetry/sdk-logs
// resolves (a dependency of this package), so the benchmark measures the real emit path.
import type { Logger } from '@opentelemetry/api-logs';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
} from '@opentelemetry/sdk-logs';

export interface BenchPipeline {
  logger: Logger;
  provider: LoggerProvider;
}

/** A LoggerProvider with one processor; its logger is the `model_outputs` channel. */
export function benchPipeline(processor: LogRecordProcessor): BenchPipeline {
  const provider = new LoggerProvider({ processors: [processor] });
  return { provider, logger: provider.getLogger('model_outputs') };
}

/** OTel's own BatchLogRecordProcessor, for comparison with the sdk's LocalSinkProcessor. */
export function otelBatchProcessor(
  exporter: LogRecordExporter,
  batchSize: number,
  maxQueue: number,
): LogRecordProcessor {
  return new BatchLogRecordProcessor({
    exporter,
    maxExportBatchSize: batchSize,
    maxQueueSize: maxQueue,
    scheduledDelayMillis: 1000,
  });
}
