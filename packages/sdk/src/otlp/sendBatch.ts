import { context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';

/**
 * Calls an exporter's `export` the way OTel's batch processors do: once the resource's asynchronous
 * attributes have settled, with tracing suppressed (the export's own HTTP request is not traced).
 */
export function sendBatch<T extends { resource: Resource }>(
  exporter: { export(items: T[], done: (result: ExportResult) => void): void },
  batch: T[],
  done: (result: ExportResult) => void,
): void {
  const call = () => {
    try {
      context.with(suppressTracing(context.active()), () => exporter.export(batch, done));
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: err as Error });
    }
  };
  const resource = batch[0]?.resource;
  if (resource?.asyncAttributesPending && resource.waitForAsyncAttributes) {
    resource.waitForAsyncAttributes().then(call, call);
  } else {
    call();
  }
}
