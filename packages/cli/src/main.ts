import { createRequire } from 'node:module';
import { demo } from './commands/demo.js';
import { runReport } from './commands/report.js';
import { sink } from './commands/sink.js';
import { tbDump } from './commands/tbDump.js';
import { type CommandIO, validateConfig } from './commands/validateConfig.js';

const USAGE = `grpo-otel: telemetry for GRPO training

usage:
  grpo-otel validate-config <config.yaml>   check a config and show where each channel goes
  grpo-otel demo [--steps N] [--seed N] [--group-size G] [--config F] [--out DIR]
                                            a real GRPO training run (tfjs) with logs, CSV and TensorBoard files
                                            (needs @grpo-otel/demo-trainer, an optional peer of this package)
  grpo-otel tb-dump <logdir> [--run NAME] [--limit N]
                                            print the scalars, histograms and text of TensorBoard event files
  grpo-otel report <output folder> [--out FILE]
                                            a self-contained HTML report of a run (charts, completions); prints its path
  grpo-otel sink [--port N] [--host H] [--out DIR] [--token T] [--otlp-endpoint URL] [--config F] ...
                                            an OTLP/HTTP receiver behind the collector: TensorBoard, CSV, log files and
                                            the analyses per run, for any trainer (grpo-otel sink --help)
  grpo-otel help | --version`;

/** The CLI's version, from its package.json (built or from sources, two folders up). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Partial<CommandIO> = {}): Promise<number> {
  const full: CommandIO = {
    out: io.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err: io.err ?? ((l) => process.stderr.write(`${l}\n`)),
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'validate-config':
      return validateConfig(rest, full);
    case 'demo':
      return demo(rest, full, io.err ? undefined : process.stderr);
    case 'tb-dump':
      return tbDump(rest, full);
    case 'report':
      return runReport(rest, full);
    case 'sink':
      return sink(rest, full);
    case '--version':
    case 'version':
      full.out(VERSION);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      full.out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      full.err(`grpo-otel: unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}
