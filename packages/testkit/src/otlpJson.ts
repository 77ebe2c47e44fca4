// The OTLP JSON the collector's file exporter writes: its shapes (the fields tests usually look at)
// and readers of its files.
import { readFile } from 'node:fs/promises';

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpResource {
  attributes?: OtlpKeyValue[];
  [key: string]: unknown;
}

export interface OtlpScope {
  name?: string;
  version?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  [key: string]: unknown;
}

export interface OtlpNumberDataPoint {
  attributes?: OtlpKeyValue[];
  timeUnixNano?: string;
  asDouble?: number;
  asInt?: string | number;
  [key: string]: unknown;
}

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpNumberDataPoint[] };
  sum?: { dataPoints?: OtlpNumberDataPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: Array<Record<string, unknown>>; aggregationTemporality?: number };
  [key: string]: unknown;
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  [key: string]: unknown;
}

export interface ResourceLogs {
  resource?: OtlpResource;
  scopeLogs?: Array<{ scope?: OtlpScope; logRecords?: OtlpLogRecord[] }>;
}

export interface ResourceMetrics {
  resource?: OtlpResource;
  scopeMetrics?: Array<{ scope?: OtlpScope; metrics?: OtlpMetric[] }>;
}

export interface ResourceSpans {
  resource?: OtlpResource;
  scopeSpans?: Array<{ scope?: OtlpScope; spans?: OtlpSpan[] }>;
}

/** The file exporter's output, one entry per JSON line, grouped by signal. */
export interface ExportedLines {
  logs: Array<{ resourceLogs: ResourceLogs[] }>;
  metrics: Array<{ resourceMetrics: ResourceMetrics[] }>;
  traces: Array<{ resourceSpans: ResourceSpans[] }>;
  /** Lines that are JSON but none of the above (e.g. profiles). */
  other: unknown[];
}

/** One exported item with the resource and scope it came with. */
export interface Located<T> {
  resource: OtlpResource;
  scope: OtlpScope;
  item: T;
}

/** readExportFile of each file, merged (each file's payloads keep their order). */
export async function readExportFiles(paths: readonly string[]): Promise<ExportedLines> {
  const out: ExportedLines = { logs: [], metrics: [], traces: [], other: [] };
  for (const p of paths) {
    const one = await readExportFile(p);
    out.logs.push(...one.logs);
    out.metrics.push(...one.metrics);
    out.traces.push(...one.traces);
    out.other.push(...one.other);
  }
  return out;
}

/** Parses a file exporter output file (JSON format): complete lines only; a missing file is empty. */
export async function readExportFile(path: string): Promise<ExportedLines> {
  const out: ExportedLines = { logs: [], metrics: [], traces: [], other: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  // A line still being written has no newline yet: leave it for the next read.
  const end = text.lastIndexOf('\n');
  for (const line of text.slice(0, end + 1).split('\n')) {
    if (line.trim() === '') continue;
    const payload = JSON.parse(line) as Record<string, unknown>;
    if (Array.isArray(payload.resourceLogs)) out.logs.push(payload as { resourceLogs: ResourceLogs[] });
    else if (Array.isArray(payload.resourceMetrics))
      out.metrics.push(payload as { resourceMetrics: ResourceMetrics[] });
    else if (Array.isArray(payload.resourceSpans))
      out.traces.push(payload as { resourceSpans: ResourceSpans[] });
    else out.other.push(payload);
  }
  return out;
}

/** Every log record in the export, with its resource and scope. */
export function exportedLogRecords(exported: ExportedLines): Array<Located<OtlpLogRecord>> {
  return exported.logs.flatMap((p) =>
    p.resourceLogs.flatMap((rl) =>
      (rl.scopeLogs ?? []).flatMap((sl) =>
        (sl.logRecords ?? []).map((item) => ({ resource: rl.resource ?? {}, scope: sl.scope ?? {}, item })),
      ),
    ),
  );
}

/** Every metric in the export, with its resource and scope. */
export function exportedMetrics(exported: ExportedLines): Array<Located<OtlpMetric>> {
  return exported.metrics.flatMap((p) =>
    p.resourceMetrics.flatMap((rm) =>
      (rm.scopeMetrics ?? []).flatMap((sm) =>
        (sm.metrics ?? []).map((item) => ({ resource: rm.resource ?? {}, scope: sm.scope ?? {}, item })),
      ),
    ),
  );
}

/** Every span in the export, with its resource and scope. */
export function exportedSpans(exported: ExportedLines): Array<Located<OtlpSpan>> {
  return exported.traces.flatMap((p) =>
    p.resourceSpans.flatMap((rs) =>
      (rs.scopeSpans ?? []).flatMap((ss) =>
        (ss.spans ?? []).map((item) => ({ resource: rs.resource ?? {}, scope: ss.scope ?? {}, item })),
      ),
    ),
  );
}

/** The plain JS value of an OTLP AnyValue (ints stay strings if OTLP JSON sent them as strings). */
export function anyValue(v: OtlpAnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return v.intValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributesToObject(v.kvlistValue.values);
  return undefined;
}

/** OTLP attributes as a plain object. */
export function attributesToObject(attrs: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of attrs ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}
