import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { isMainThread } from 'node:worker_threads';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { severityToLevelName } from '../config/levels.js';
import type { LogFormatter } from './formatters/FormatInput.js';
import { PythonFormatter } from './formatters/PythonFormatter.js';
import { toFormatInput } from './formatters/toFormatInput.js';

export interface ConsoleLogRecordExporterOptions {
  /** Python's StreamHandler writes to stderr by default. */
  stream?: 'stdout' | 'stderr';
  /** Colour the level name: only on a TTY (`auto`, the default), `always` or `never`. */
  color?: 'auto' | 'always' | 'never';
  formatter?: LogFormatter;
}

const COLORS: Record<string, string> = {
  DEBUG: '\u001b[2m',
  INFO: '\u001b[36m',
  WARNING: '\u001b[33m',
  ERROR: '\u001b[31m',
  CRITICAL: '\u001b[1;31m',
};
const RESET = '\u001b[0m';

/**
 * Writes formatted log lines to stdout or stderr, one line per record, coloured by level on a TTY.
 * Unlike OTel's own ConsoleLogRecordExporter (which dumps record objects) it is meant for people.
 */
export class ConsoleLogRecordExporter {
  private readonly stream: NodeJS.WriteStream;
  private readonly fd: number;
  private readonly color: boolean;
  private readonly direct: boolean;
  private readonly formatter: LogFormatter;
  private isShutdown = false;

  constructor(options: ConsoleLogRecordExporterOptions = {}) {
    this.stream = options.stream === 'stdout' ? process.stdout : process.stderr;
    this.fd = options.stream === 'stdout' ? 1 : 2;
    const mode = options.color ?? 'auto';
    // On a telemetry thread the process's stdout and stderr are pipes to the main thread, which
    // writes only when its event loop turns: there the lines go straight to the file descriptor.
    this.direct = !isMainThread;
    const tty = this.direct ? isatty(this.fd) : this.stream.isTTY === true;
    this.color = mode === 'always' || (mode === 'auto' && tty && !process.env.NO_COLOR);
    this.formatter = options.formatter ?? new PythonFormatter();
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('console exporter is shut down') });
      return;
    }
    try {
      if (this.direct) writeSync(this.fd, this.render(records));
      else this.stream.write(this.render(records));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  exportSync(records: readonly ReadableLogRecord[]): void {
    writeSync(this.fd, this.render(records));
  }

  forceFlush(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.writableNeedDrain) this.stream.once('drain', () => resolve());
      else resolve();
    });
  }

  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    await this.forceFlush();
    this.isShutdown = true;
  }

  private render(records: readonly ReadableLogRecord[]): string {
    let out = '';
    for (const r of records) {
      let line: string;
      try {
        line = this.formatter.format(toFormatInput(r));
      } catch {
        line = `${severityToLevelName(r.severityNumber)} ${r.instrumentationScope.name} ${String(r.body)}`;
      }
      if (this.color) {
        const c = COLORS[severityToLevelName(r.severityNumber)];
        if (c) line = `${c}${line}${RESET}`;
      }
      out += `${line}\n`;
    }
    return out;
  }
}
