import { resolve } from 'node:path';
import { type EventFileContents, readEvents } from '@grpo-otel/exporter-tensorboard';
import type { CommandIO } from './validateConfig.js';

const USAGE = 'usage: grpo-otel tb-dump <logdir | event file> [--run NAME] [--limit N]';

interface Series<T> {
  /** [step, value] in file order. */
  points: [number, T][];
}

interface RunDump {
  files: number;
  events: number;
  scalars: Map<string, Series<number>>;
  histograms: Map<string, Series<{ num: number; min: number; max: number }>>;
  texts: Map<string, Series<string>>;
  tensors: Map<string, { plugin: string; count: number }>;
  issues: string[];
}

/**
 * `grpo-otel tb-dump`: reads TensorBoard event files with our own reader (CRCs checked) and prints
 * the runs, then per tag the scalars (step → value), histograms (step → count/min/max) and texts
 * (step → first line), runs and tags sorted, steps in order. Torn and corrupted records are listed
 * under "problems". Exit code 0, or 1 when a record is corrupted (a torn last record, what a killed
 * writer leaves, is reported but not an error), 2 on usage errors.
 */
export async function tbDump(args: string[], io: CommandIO): Promise<number> {
  let target: string | undefined;
  let runFilter: string | undefined;
  let limit = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--run') runFilter = args[++i];
    else if (a === '--limit') limit = Number(args[++i]);
    else if (a.startsWith('-') || target !== undefined) {
      io.err(`grpo-otel tb-dump: unexpected argument '${a}'\n${USAGE}`);
      return 2;
    } else target = a;
  }
  if (
    target === undefined ||
    (args.includes('--run') && !runFilter) ||
    !Number.isSafeInteger(limit) ||
    limit < 0
  ) {
    io.err(USAGE);
    return 2;
  }
  let files: EventFileContents[];
  try {
    files = await readEvents(resolve(io.cwd, target));
  } catch (err) {
    io.err(`grpo-otel tb-dump: cannot read ${target}: ${(err as Error).message}`);
    return 2;
  }
  const runs = new Map<string, RunDump>();
  let corrupted = false;
  for (const f of files) {
    if (runFilter !== undefined && f.run !== runFilter) continue;
    let run = runs.get(f.run);
    if (!run) {
      run = {
        files: 0,
        events: 0,
        scalars: new Map(),
        histograms: new Map(),
        texts: new Map(),
        tensors: new Map(),
        issues: [],
      };
      runs.set(f.run, run);
    }
    run.files++;
    for (const issue of f.issues) {
      run.issues.push(`${f.path}: ${issue.message}`);
      if (issue.kind !== 'torn') corrupted = true;
    }
    for (const e of f.events) {
      run.events++;
      const step = e.event.step;
      for (const v of e.values) {
        if (v.kind === 'scalar') push(run.scalars, v.tag, step, v.value);
        else if (v.kind === 'histogram') {
          const h = v.histogram;
          push(run.histograms, v.tag, step, { num: h.num, min: h.min, max: h.max });
        } else if (v.kind === 'text') push(run.texts, v.tag, step, firstLine(v.text));
        else if (v.kind === 'tensor') {
          const t = run.tensors.get(v.tag) ?? { plugin: v.plugin, count: 0 };
          t.count++;
          run.tensors.set(v.tag, t);
        }
      }
    }
  }
  if (runs.size === 0) {
    io.out(runFilter !== undefined ? `no run '${runFilter}' in ${target}` : `no event files in ${target}`);
    return runFilter !== undefined ? 1 : 0;
  }
  const names = [...runs.keys()].sort();
  io.out(`${target}: ${names.length} run${names.length === 1 ? '' : 's'}`);
  for (const name of names) {
    const r = runs.get(name)!;
    io.out(`  ${name}  (${r.files} file${r.files === 1 ? '' : 's'}, ${r.events} events)`);
  }
  for (const name of names) {
    const r = runs.get(name)!;
    io.out('');
    io.out(`run ${name}`);
    section(io, 'scalars', r.scalars, limit, (v) => formatFloat(v));
    section(
      io,
      'histograms',
      r.histograms,
      limit,
      (h) => `count ${h.num}, min ${formatFloat(h.min)}, max ${formatFloat(h.max)}`,
    );
    section(io, 'text', r.texts, limit, (t) => t);
    if (r.tensors.size > 0) {
      io.out('  other');
      for (const tag of [...r.tensors.keys()].sort()) {
        const t = r.tensors.get(tag)!;
        io.out(`    ${tag}  (plugin ${t.plugin || '-'}, ${t.count} value${t.count === 1 ? '' : 's'})`);
      }
    }
    if (r.issues.length > 0) {
      io.out('  problems');
      for (const i of r.issues) io.out(`    ${i}`);
    }
  }
  return corrupted ? 1 : 0;
}

function push<T>(map: Map<string, Series<T>>, tag: string, step: number, value: T): void {
  let s = map.get(tag);
  if (!s) {
    s = { points: [] };
    map.set(tag, s);
  }
  s.points.push([step, value]);
}

function section<T>(
  io: CommandIO,
  title: string,
  map: Map<string, Series<T>>,
  limit: number,
  fmt: (v: T) => string,
): void {
  if (map.size === 0) return;
  io.out(`  ${title}`);
  for (const tag of [...map.keys()].sort()) {
    const points = map.get(tag)!.points;
    io.out(`    ${tag}`);
    const width = Math.max(...points.map(([s]) => String(s).length));
    const line = ([s, v]: [number, T]) => io.out(`      ${String(s).padStart(width)}  ${fmt(v)}`);
    if (limit > 0 && points.length > limit) {
      const head = Math.ceil(limit / 2);
      const tail = limit - head;
      for (const p of points.slice(0, head)) line(p);
      io.out(`      ... ${points.length - limit} more`);
      for (const p of points.slice(points.length - tail)) line(p);
    } else {
      for (const p of points) line(p);
    }
  }
}

/** The shortest decimal that reads back as the same float32 (TensorBoard stores scalars as float32). */
export function formatFloat(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.fround(v) === v) {
    for (let p = 1; p <= 9; p++) {
      const s = Number(v.toPrecision(p));
      if (Math.fround(s) === v) return String(s);
    }
  }
  return String(v);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
