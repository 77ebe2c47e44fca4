/**
 * A config problem, reported as one line: `file:line:column: key.path: what was expected`.
 * Thrown by the loader; the CLI prints `message` alone, never a stack trace.
 */
export class ConfigError extends Error {
  readonly file: string;
  /** 1-based; 0 when the problem has no position (e.g. the file cannot be read). */
  readonly line: number;
  readonly column: number;
  /** Dotted key path, e.g. `handlers.file.maxBytes`; empty for the document itself. */
  readonly keyPath: string;
  readonly detail: string;

  constructor(file: string, line: number, column: number, keyPath: string, detail: string) {
    const where = line > 0 ? `${file}:${line}:${column}` : file;
    super(keyPath ? `${where}: ${keyPath}: ${detail}` : `${where}: ${detail}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.keyPath = keyPath;
    this.detail = detail;
  }
}
