/** The validated file as plain data (shape guaranteed by the schema). */
export interface RawConfig {
  version?: number;
  root?: RawChannel;
  loggers?: Record<string, RawChannel>;
  handlers?: Record<string, Record<string, unknown> & { class: string }>;
  formatters?: Record<string, Record<string, unknown>>;
  metrics?: Record<string, unknown>;
  resource?: Record<string, unknown>;
  otlp?: Record<string, unknown>;
  limits?: Record<string, unknown>;
  files?: Record<string, unknown>;
}
export interface RawChannel {
  level?: string;
  handlers?: string[];
  propagate?: boolean;
  rate_limit?: number | { records_per_second: number; burst?: number };
  sample?: number;
}
