import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_CORRECT,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SAMPLE_REASONING,
} from '@grpo-otel/semconv';
import { parseJsonArrayPrefix, parseLogText } from './parseLogText.js';
import type { CellKind, CompletionTable } from './ReportModel.js';
import type { CsvTable, RunContents } from './RunFolder.js';

const ATTR_SAMPLES = 'grpo.reward.samples';
const ATTR_VALUES = 'grpo.reward.values';
const ATTR_COMPLETION = 'grpo.sample.completion';

export interface CompletionTableOptions {
  /** Rows kept per table, evenly spaced over the run (first and last included). Default 200. */
  maxRows?: number;
  /** Characters kept per cell; longer text ends with `…`. Default 2000. */
  maxCellChars?: number;
}

type Cell = string | number | boolean | null;

/** `count` indices evenly spaced over 0..n-1, the first and the last included. */
export function evenlySpaced(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  if (count <= 1) return count === 1 ? [n - 1] : [];
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function select(rows: Cell[][], options: CompletionTableOptions): Cell[][] {
  const max = options.maxCellChars ?? 2000;
  return evenlySpaced(rows.length, options.maxRows ?? 200).map((i) =>
    rows[i]!.map((c) => (typeof c === 'string' ? cut(c, max) : c)),
  );
}

/**
 * The completions tables of a report:
 * - "Sampled completions and their rewards", from the `rewards` channel in the event files: each
 *   `logReward` record with samples gives its completions and their rewards, one column per reward
 *   function (records of one step whose i-th samples are the same completion share a row);
 * - one table per CSV file of the folder, its columns as written (the model outputs of the seed's
 *   CSV handler: question, true answer, model answer, reasoning, ...);
 * - when there is no CSV, the `model_outputs` channel from the event files, if it went there.
 */
export function completionTables(
  runs: readonly RunContents[],
  csvTables: readonly CsvTable[],
  options: CompletionTableOptions = {},
): CompletionTable[] {
  const out: CompletionTable[] = [];
  const rewards = rewardSamples(runs);
  if (rewards.rows.length > 0) {
    out.push({
      id: 'reward-samples',
      title: 'Sampled completions and their rewards',
      source: rewards.sources.join(', '),
      columns: [
        { label: 'step', kind: 'step' },
        { label: 'completion', kind: 'text' },
        ...rewards.functions.map((f) => ({ label: f, kind: 'number' as const })),
      ],
      rows: select(rewards.rows, options),
      totalRows: rewards.rows.length,
    });
  }
  csvTables.forEach((t, i) => {
    if (t.rows.length === 0) return;
    const kinds = t.header.map((h): CellKind => columnKind(h));
    out.push({
      id: `csv-${i + 1}`,
      title: `Model outputs (${t.file})`,
      source: t.files.join(', '),
      columns: t.header.map((label, k) => ({ label, kind: kinds[k]! })),
      rows: select(
        t.rows.map((r) => r.map((c, k) => typed(c, kinds[k]!))),
        options,
      ),
      totalRows: t.rows.length,
    });
  });
  if (csvTables.every((t) => t.rows.length === 0)) {
    const logged = modelOutputRecords(runs);
    if (logged.rows.length > 0)
      out.push({
        id: 'model-outputs',
        title: 'Model outputs',
        source: logged.sources.join(', '),
        columns: [
          { label: 'step', kind: 'step' },
          { label: 'question', kind: 'text' },
          { label: 'expected', kind: 'text' },
          { label: 'answer', kind: 'text' },
          { label: 'correct', kind: 'bool' },
          { label: 'completion', kind: 'text' },
        ],
        rows: select(logged.rows, options),
        totalRows: logged.rows.length,
      });
  }
  return out;
}

function columnKind(name: string): CellKind {
  const n = name.toLowerCase();
  if (n === 'step' || n === 'grpo.step') return 'step';
  if (n === 'timestamp') return 'time';
  if (n === 'correct' || n === 'grpo.sample.correct') return 'bool';
  if (n === 'reward' || n.endsWith('_reward') || n === 'grpo.sample.reward') return 'number';
  return 'text';
}

function typed(cell: string, kind: CellKind): Cell {
  if (cell === '') return null;
  if (kind === 'step' || kind === 'number') {
    const n = Number(cell);
    return Number.isFinite(n) ? n : cell;
  }
  if (kind === 'bool') return cell === 'true' ? true : cell === 'false' ? false : cell;
  return cell;
}

function rewardSamples(runs: readonly RunContents[]): {
  rows: Cell[][];
  functions: string[];
  sources: string[];
} {
  interface Row {
    step: number;
    completion: string;
    rewards: Map<string, number | string>;
  }
  const rows: Row[] = [];
  const functions = new Set<string>();
  const sources = new Set<string>();
  for (const r of runs) {
    for (const [tag, points] of r.texts) {
      if (!tag.startsWith('logs/')) continue;
      for (const p of points) {
        if (!p.text.includes('grpo\\.reward\\.samples')) continue;
        // Rows of this text value by sample index (one step's records of the different functions).
        const byIndex = new Map<number, Row[]>();
        for (const rec of parseLogText(p.text)) {
          const fn = rec.attributes[ATTR_GRPO_REWARD_FUNCTION];
          const samples = parseJsonArrayPrefix(rec.attributes[ATTR_SAMPLES] ?? '');
          if (!fn || !samples) continue;
          const values = parseJsonArrayPrefix(rec.attributes[ATTR_VALUES] ?? '') ?? [];
          functions.add(fn);
          sources.add(r.run === '.' ? tag : `${r.run}/${tag}`);
          samples.forEach((sample, i) => {
            const completion = typeof sample === 'string' ? sample : JSON.stringify(sample);
            const v = values[i];
            const value = typeof v === 'number' || typeof v === 'string' ? v : undefined;
            const candidates = byIndex.get(i) ?? [];
            let row = candidates.find((c) => c.completion === completion && !c.rewards.has(fn));
            if (!row) {
              row = { step: p.step, completion, rewards: new Map() };
              candidates.push(row);
              byIndex.set(i, candidates);
              rows.push(row);
            }
            if (value !== undefined) row.rewards.set(fn, value);
          });
        }
      }
    }
  }
  const fns = [...functions].sort();
  const stable = rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.step - b.row.step || a.i - b.i);
  return {
    rows: stable.map(({ row }) => [row.step, row.completion, ...fns.map((f) => row.rewards.get(f) ?? null)]),
    functions: fns,
    sources: [...sources],
  };
}

function modelOutputRecords(runs: readonly RunContents[]): { rows: Cell[][]; sources: string[] } {
  const rows: Cell[][] = [];
  const sources = new Set<string>();
  for (const r of runs) {
    for (const [tag, points] of r.texts) {
      if (!tag.startsWith('logs/')) continue;
      for (const p of points) {
        if (!p.text.includes('grpo\\.sample\\.question')) continue;
        for (const rec of parseLogText(p.text)) {
          const a = rec.attributes;
          if (a[ATTR_GRPO_SAMPLE_QUESTION] === undefined) continue;
          sources.add(r.run === '.' ? tag : `${r.run}/${tag}`);
          const correct = a[ATTR_GRPO_SAMPLE_CORRECT];
          rows.push([
            p.step,
            a[ATTR_GRPO_SAMPLE_QUESTION] ?? null,
            a[ATTR_GRPO_SAMPLE_EXPECTED_ANSWER] ?? null,
            a[ATTR_GRPO_SAMPLE_ANSWER] ?? null,
            correct === 'true' ? true : correct === 'false' ? false : (correct ?? null),
            a[ATTR_COMPLETION] ?? a[ATTR_GRPO_SAMPLE_REASONING] ?? null,
          ]);
        }
      }
    }
  }
  return { rows, sources: [...sources] };
}
