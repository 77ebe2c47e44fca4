/** A scalar at a step. */
export interface ScalarPoint {
  step: number;
  value: number;
  /** Seconds since the epoch. */
  wallTime: number;
}

/** A histogram at a step (TensorBoard's HistogramProto: bucket i ends at `bucketLimit[i]`). */
export interface HistogramPoint {
  step: number;
  wallTime: number;
  min: number;
  max: number;
  num: number;
  /** NaN when the writer did not record it (tensor-form histograms). */
  sum: number;
  bucketLimit: number[];
  bucket: number[];
}

/** A text summary at a step. */
export interface TextPoint {
  step: number;
  wallTime: number;
  text: string;
}

/** What one TensorBoard run (a directory of event files) holds, by tag, each sorted by step. */
export interface RunContents {
  /** The run's directory relative to the folder read (`.` for the folder itself). */
  run: string;
  /** One point per step (the last written wins, as in TensorBoard). */
  scalars: Map<string, ScalarPoint[]>;
  /** One point per step (the last written wins). */
  histograms: Map<string, HistogramPoint[]>;
  /** Every text value, in step order. */
  texts: Map<string, TextPoint[]>;
}

/** One CSV file (with its rotated backups, oldest first) as a table. */
export interface CsvTable {
  /** The current file, relative to the folder read (e.g. `logs/model_outputs.csv`). */
  file: string;
  /** Every file read for it, oldest first (`x.csv.2`, `x.csv.1`, `x.csv`), relative. */
  files: string[];
  header: string[];
  /** Data rows, each as long as the header, the formula escape undone. */
  rows: string[][];
}

/** Everything a report is built from: the runs of the folder's event files and its CSV tables. */
export interface RunFolder {
  /** The folder, absolute. */
  folder: string;
  /** Event files read, relative to the folder. */
  eventFiles: string[];
  runs: RunContents[];
  csvTables: CsvTable[];
  /** Problems met while reading (torn or corrupt records, unreadable files), one line each. */
  warnings: string[];
}
