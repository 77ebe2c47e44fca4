// OpenTelemetry's metrics building blocks for code outside the sdk package that has no OTel
// dependency of its own (bench/facade): resolved here, from the sdk's dependencies.
export { metrics } from '@opentelemetry/api';
export { ExportResultCode } from '@opentelemetry/core';
export {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
