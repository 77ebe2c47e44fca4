import { after, before } from 'node:test';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { forceFlush, initialize, parseConfig, shutdown } from '../../src/index.js';

/**
 * Initializes the SDK for the test file (no handlers, spans to an in-memory exporter) and shuts it
 * down after; returns the exporter and a function that flushes and returns the finished spans (the
 * resource may still be settling its attributes: exports happen once it has).
 */
export function inMemoryTracing(source: string): {
  exporter: InMemorySpanExporter;
  spans: () => Promise<ReadableSpan[]>;
} {
  const exporter = new InMemorySpanExporter();
  before(() => {
    const yaml = 'version: 1\nroot: { level: WARNING, handlers: [] }\n';
    initialize({
      config: parseConfig(yaml, { source, baseDir: '/', env: {} }),
      env: {},
      handleExit: false,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  });
  after(() => shutdown());
  return {
    exporter,
    spans: async () => {
      await forceFlush();
      return exporter.getFinishedSpans();
    },
  };
}
