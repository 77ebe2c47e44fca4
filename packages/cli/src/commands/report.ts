import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ReportError, writeReport } from '@grpo-otel/report';
import type { CommandIO } from './validateConfig.js';

export const REPORT_USAGE = `usage: grpo-otel report <output folder> [--out FILE] [--title TEXT]

Writes a self-contained HTML report of a run's output folder (its TensorBoard event files and
model-output CSV): rewards per function with moving averages, correctness and validation accuracy,
entropy and KL, completion lengths, format adherence, diversity, throughput, step time and memory,
plateaus and collapses marked, and sampled completions with their rewards. It opens in any browser
without a server or network. Prints the path of the file (default: <output folder>/report.html).`;

/**
 * `grpo-otel report <folder> [--out file.html] [--title text]`: builds the report with
 * `@grpo-otel/report` and prints its path on stdout (problems met while reading, such as a torn
 * last record, go to stderr as warnings). Exit 0 when written, 1 when the folder is missing or has
 * no event files (one line saying so), 2 for usage errors.
 */
export async function runReport(args: string[], io: CommandIO): Promise<number> {
  let values: { out?: string; title?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        title: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.err(`grpo-otel report: ${(err as Error).message}\n\n${REPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(REPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(
      `grpo-otel report: ${positionals.length === 0 ? 'give the output folder of a run' : `one folder expected, got ${positionals.length}`}\n\n${REPORT_USAGE}`,
    );
    return 2;
  }
  try {
    const result = await writeReport(resolve(io.cwd, positionals[0]!), {
      ...(values.out !== undefined ? { out: resolve(io.cwd, values.out) } : {}),
      ...(values.title !== undefined ? { title: values.title } : {}),
    });
    for (const w of result.model.warnings) io.err(`grpo-otel report: warning: ${w}`);
    io.out(result.path);
    return 0;
  } catch (err) {
    if (err instanceof ReportError) {
      io.err(`grpo-otel report: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
