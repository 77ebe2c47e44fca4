import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isEventFileName, parseEventFile } from '@grpo-otel/exporter-tensorboard';
import { parseCsv } from './parseCsv.js';
import { ReportError } from './ReportError.js';
import type {
  CsvTable,
  HistogramPoint,
  RunContents,
  RunFolder,
  ScalarPoint,
  TextPoint,
} from './RunFolder.js';
import { undoFormulaEscape } from './undoFormulaEscape.js';

/** Directories never searched: dependencies and version control, not run output. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.venv']);
const CSV_NAME = /\.csv(?:\.(\d+))?$/i;

/**
 * Reads an output folder: every TensorBoard event file under it (names containing `tfevents`,
 * one run per directory) and every CSV file (`*.csv` and its rotated backups `*.csv.<n>`).
 * Throws a {@link ReportError} when the folder does not exist or holds no event file; damaged
 * records and unreadable CSV files are reported in `warnings`, never thrown.
 */
export async function readRunFolder(folder: string): Promise<RunFolder> {
  const root = resolve(folder);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(root);
  } catch {
    throw new ReportError(`${folder}: no such folder`);
  }
  if (!st.isDirectory()) throw new ReportError(`${folder}: not a folder`);
  const eventPaths: string[] = [];
  const csvPaths: string[] = [];
  await walk(root, eventPaths, csvPaths);
  if (eventPaths.length === 0) {
    throw new ReportError(
      `${folder}: no TensorBoard event files (names containing 'tfevents') in this folder or below; ` +
        'give the output folder of a run that had a tensorboard handler',
    );
  }
  const warnings: string[] = [];
  const byRun = new Map<string, Collector>();
  eventPaths.sort();
  for (const path of eventPaths) {
    const rel = relPath(root, path);
    const run = relPath(root, dirname(path)) || '.';
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (err) {
      warnings.push(`${rel}: unreadable (${(err as Error).message})`);
      continue;
    }
    const contents = parseEventFile(buf, path, run);
    for (const issue of contents.issues) warnings.push(`${rel}: ${issue.message}`);
    let c = byRun.get(run);
    if (!c) {
      c = new Collector(run);
      byRun.set(run, c);
    }
    for (const e of contents.events) c.add(e.event.step, e.event.wallTime, e.values);
  }
  const runs = [...byRun.values()].map((c) => c.finish()).sort((a, b) => cmp(a.run, b.run));
  return {
    folder: root,
    eventFiles: eventPaths.map((p) => relPath(root, p)),
    runs,
    csvTables: await readCsvTables(root, csvPaths, warnings),
    warnings,
  };
}

async function walk(dir: string, events: string[], csvs: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(p, events, csvs);
    } else if (e.isFile()) {
      if (isEventFileName(e.name)) events.push(p);
      else if (CSV_NAME.test(e.name)) csvs.push(p);
    }
  }
}

class Collector {
  private readonly scalars = new Map<string, ScalarPoint[]>();
  private readonly histograms = new Map<string, HistogramPoint[]>();
  private readonly texts = new Map<string, TextPoint[]>();
  constructor(private readonly run: string) {}

  add(
    step: number,
    wallTime: number,
    values: ReturnType<typeof parseEventFile>['events'][number]['values'],
  ): void {
    for (const v of values) {
      switch (v.kind) {
        case 'scalar':
          push(this.scalars, v.tag, { step, value: v.value, wallTime });
          break;
        case 'histogram': {
          const h = v.histogram;
          push(this.histograms, v.tag, {
            step,
            wallTime,
            min: h.min,
            max: h.max,
            num: h.num,
            sum: h.sum,
            bucketLimit: Array.from(h.bucketLimit),
            bucket: Array.from(h.bucket),
          });
          break;
        }
        case 'text':
          push(this.texts, v.tag, { step, wallTime, text: v.text });
          break;
      }
    }
  }

  finish(): RunContents {
    return {
      run: this.run,
      scalars: mapValues(this.scalars, lastPerStep),
      histograms: mapValues(this.histograms, lastPerStep),
      texts: mapValues(this.texts, (points) => stableSortByStep(points)),
    };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mapValues<T, U>(map: Map<string, T>, f: (v: T) => U): Map<string, U> {
  return new Map([...map].sort((a, b) => cmp(a[0], b[0])).map(([k, v]) => [k, f(v)]));
}

function stableSortByStep<T extends { step: number }>(points: T[]): T[] {
  return points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.step - b.p.step || a.i - b.i)
    .map((x) => x.p);
}

/** Sorted by step, one point per step: the one written last (as TensorBoard shows it). */
function lastPerStep<T extends { step: number }>(points: T[]): T[] {
  const sorted = stableSortByStep(points);
  const out: T[] = [];
  for (const p of sorted) {
    if (out.length > 0 && out[out.length - 1]!.step === p.step) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

async function readCsvTables(root: string, paths: string[], warnings: string[]): Promise<CsvTable[]> {
  // Group rotated backups with their current file: x.csv.3, x.csv.2, x.csv.1, x.csv (oldest first).
  const groups = new Map<string, { path: string; n: number }[]>();
  for (const p of paths) {
    const m = CSV_NAME.exec(basename(p))!;
    const base = m[1] === undefined ? p : p.slice(0, -(m[1].length + 1));
    push(groups, base, { path: p, n: m[1] === undefined ? 0 : Number(m[1]) });
  }
  const tables: CsvTable[] = [];
  for (const [base, files] of [...groups].sort((a, b) => cmp(a[0], b[0]))) {
    // Newest first: the current file's columns are the table's; backups with others are left out.
    files.sort((a, b) => a.n - b.n);
    const parsed: {
      rel: string;
      header: string[];
      body: string[][];
      openQuote: boolean;
      unterminated: boolean;
    }[] = [];
    for (const f of files) {
      const rel = relPath(root, f.path);
      let text: string;
      try {
        text = await readFile(f.path, 'utf8');
      } catch (err) {
        warnings.push(`${rel}: unreadable (${(err as Error).message})`);
        continue;
      }
      const r = parseCsv(text);
      const [header, ...body] = r.rows;
      if (header) parsed.push({ rel, header, body, openQuote: r.openQuote, unterminated: r.unterminated });
    }
    const header = parsed[0]?.header;
    if (!header) continue;
    const rows: string[][] = [];
    const read: string[] = [];
    for (const p of parsed.reverse()) {
      if (p.header.join('\u0000') !== header.join('\u0000')) {
        warnings.push(`${p.rel}: its columns differ from ${relPath(root, base)}'s; left out`);
        continue;
      }
      read.push(p.rel);
      let torn = p.openQuote;
      p.body.forEach((r, i) => {
        if (p.unterminated && i === p.body.length - 1 && r.length !== header.length) torn = true;
        else rows.push(header.map((_, k) => undoFormulaEscape(r[k] ?? '')));
      });
      if (torn) warnings.push(`${p.rel}: the last row is cut short (torn write); left out`);
    }
    tables.push({ file: relPath(root, base), files: read, header, rows });
  }
  return tables;
}

function relPath(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
