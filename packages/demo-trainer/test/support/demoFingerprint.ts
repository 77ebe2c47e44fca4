import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, type TrainerOptions } from '@grpo-otel/demo-trainer';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import { parseCsv } from '@grpo-otel/report';

/** The run the fingerprint is taken of: a fixed seed, few steps (two logging steps), a small model. */
export const FINGERPRINT_TRAINER: Partial<TrainerOptions> = Object.freeze({
  seed: 3,
  steps: 20,
  warmupSteps: 20,
  hiddenSize: 32,
  embeddingSize: 16,
  promptsPerStep: 4,
  groupSize: 4,
});

/**
 * Scalars whose values or steps depend on the machine and the clock rather than on the seed, found
 * by diffing runs of the same seed: rates and durations, memory, and the observable gauges a periodic
 * reader collects at whatever step the timer lands on (tfjs memory, the SDK's own counters), and
 * the validation's generalization gap, which compares against the training accuracies the analysis
 * worker has answered by the time validation ends (under load, not yet the last logging step's).
 */
const VARYING_TAG =
  /^(grpo\.throughput\.|grpo\.efficiency\.|grpo\.memory\.|grpo\.tfjs\.|grpo\.sdk\.|process\.|v8js\.)|duration|generalization_gap/;

/** CSV columns that differ between runs of one seed. */
const VARYING_COLUMNS = new Set(['timestamp']);

/** The environment without OTLP settings, so the run writes files only. */
const filesOnly = (): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));

/**
 * The canonical form of what a demo run wrote that a seed decides: every TensorBoard scalar as
 * `tag<TAB>step<TAB>value` (sorted; machine- and clock-dependent tags left out), then every row of the
 * model-output CSV as JSON (the timestamp column left out), headed by the SHA-256 of the rest.
 */
export async function demoFingerprint(
  trainer: Partial<TrainerOptions> = FINGERPRINT_TRAINER,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-fingerprint-'));
  try {
    const summary = await runDemo({
      outDir: join(dir, 'run'),
      runId: 'fingerprint',
      env: filesOnly(),
      trainer,
    });
    const scalars: string[] = [];
    for (const file of await readEvents(summary.files.tensorboard)) {
      for (const { event, values } of file.events) {
        for (const v of values) {
          if (v.kind !== 'scalar' || VARYING_TAG.test(v.tag)) continue;
          scalars.push(`${file.run}/${v.tag}\t${event.step}\t${v.value}`);
        }
      }
    }
    scalars.sort();
    const [header = [], ...rows] = parseCsv(readFileSync(summary.files.csv, 'utf8')).rows;
    const keep = header.map((name) => !VARYING_COLUMNS.has(name));
    const csv = [header, ...rows].map((row) => JSON.stringify(row.filter((_, i) => keep[i])));
    const body = ['# tensorboard scalars', ...scalars, '# model-output csv', ...csv].join('\n');
    const digest = createHash('sha256').update(body).digest('hex');
    return `# demo fingerprint sha256 ${digest}\n${body}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
