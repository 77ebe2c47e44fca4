import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';

/**
 * Stamps each log record with the training step current when it was emitted (`grpo.step`), unless
 * the caller set one. Sinks that export later (the TensorBoard text writer, OTLP batches) then place a
 * record at the step it belongs to, not at whatever step is current when they get to it; without
 * this, a record logged at step 5 and written after step 6 began would land at step 6 and could put
 * a TensorBoard tag's steps out of order (which makes TensorBoard purge data). Runs before the
 * router, while the record is still writable.
 */
export class StepStampProcessor implements LogRecordProcessor {
  constructor(private readonly getStep: () => number | undefined) {}

  onEmit(record: SdkLogRecord, _context?: Context): void {
    const step = this.getStep();
    if (step === undefined || record.attributes[ATTR_GRPO_STEP] !== undefined) return;
    record.setAttribute(ATTR_GRPO_STEP, step);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
