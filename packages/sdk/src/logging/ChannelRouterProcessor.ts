import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';

/** One destination of a channel: a sink's processor and the handler's minimum severity. */
export interface Route {
  handler: string;
  processor: LogRecordProcessor;
  minSeverity: number;
}

/**
 * Sends each log record to the handlers its channel routes to (the channel is the record's
 * instrumentation scope name, i.e. the logger name), applying each handler's level, as Python's
 * logging does with a logger's handlers and `propagate`. Channels without a route of their own use
 * `defaultRoutes` (the root logger's handlers).
 */
export class ChannelRouterProcessor implements LogRecordProcessor {
  constructor(
    private readonly routes: ReadonlyMap<string, readonly Route[]>,
    private readonly defaultRoutes: readonly Route[],
    private readonly sinks: readonly LogRecordProcessor[],
  ) {}

  onEmit(record: SdkLogRecord, context?: Context): void {
    const routes = this.routes.get(record.instrumentationScope.name) ?? this.defaultRoutes;
    const severity = record.severityNumber ?? 0;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i]!;
      if (severity >= r.minSeverity) r.processor.onEmit(record, context);
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.shutdown()));
  }

  /** The handler names a channel's records go to (for `validate-config` and tests). */
  handlersOf(channel: string): string[] {
    return (this.routes.get(channel) ?? this.defaultRoutes).map((r) => r.handler);
  }
}
