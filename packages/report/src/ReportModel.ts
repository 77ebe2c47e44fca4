/** How a series is drawn. */
export type SeriesStyle = 'line' | 'dashed' | 'thin' | 'points';

/** One line of a chart, its values aligned with the chart's steps (null: no value at that step). */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Palette index: series of one subject (e.g. a reward function's mean and moving average) share it. */
  color: number;
  style: SeriesStyle;
  /** Right-hand axis. */
  y2?: boolean;
}

/** A chart of the report. */
export interface Chart {
  id: string;
  title: string;
  /** One sentence: what to look for. */
  description: string;
  yLabel: string;
  y2Label?: string;
  /** Fix the y axis to start at 0 and reach at least 1 (ratios). */
  unitRange?: boolean;
  /** The x values (training steps), ascending. */
  steps: number[];
  series: ChartSeries[];
  /** Filled areas between two series (indices into `series`: upper, lower). */
  bands: [number, number][];
  /** Values drawn (non-null, over all series). */
  points: number;
  /** The TensorBoard tags (or `tag (computed)`) the series come from. */
  sources: string[];
}

/** A chart the run has no data for, and the metrics it would be drawn from. */
export interface MissingChart {
  title: string;
  metrics: string[];
}

/** A plateau or collapse detector switching on. */
export interface SignalMark {
  step: number;
  /** `grpo.signal.kind`: reward_plateau, entropy_collapse, ... */
  kind: string;
  /** The reward function of a plateau; '' for run-wide signals. */
  subject: string;
  /** The detector's message from the `metrics` channel, when it is in the event files. */
  detail?: string;
  /** Where it was found: the `grpo.signal.active` scalar, the log text, or both. */
  source: 'scalar' | 'log' | 'both';
}

export type CellKind = 'text' | 'number' | 'bool' | 'step' | 'time';

/** A table of sampled completions. */
export interface CompletionTable {
  id: string;
  title: string;
  /** Where the rows come from (file or tag). */
  source: string;
  columns: { label: string; kind: CellKind }[];
  rows: (string | number | boolean | null)[][];
  /** Rows available before the selection (`rows` holds at most the configured maximum). */
  totalRows: number;
}

/** One headline figure. */
export interface SummaryItem {
  label: string;
  value: string;
  detail?: string;
}

/** Everything the HTML shows, computed from a {@link RunFolder}; plain data (JSON-serialisable). */
export interface ReportModel {
  title: string;
  /** ISO 8601. */
  generatedAt: string;
  folder: string;
  runs: string[];
  firstStep?: number;
  lastStep?: number;
  summary: SummaryItem[];
  charts: Chart[];
  missingCharts: MissingChart[];
  signals: SignalMark[];
  tables: CompletionTable[];
  eventFiles: string[];
  csvFiles: string[];
  warnings: string[];
}
