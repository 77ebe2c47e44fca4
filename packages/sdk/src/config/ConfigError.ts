// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text quoted from the file (keys, values) with line breaks and control characters escaped: one line. */
function oneLine(s: string): string {
  return s.replace(UNPRINTABLE, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

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
    keyPath = oneLine(keyPath);
    detail = oneLine(detail);
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
