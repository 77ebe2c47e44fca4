import { readFile } from 'node:fs/promises';

/** One held-out problem. `answer` is the reference final answer; `steps` the intermediate results a
 * complete worked solution states; `reasoning` a reference solution text. */
export interface ValidationSample {
  id: string;
  question: string;
  answer: string;
  reasoning?: string;
  steps?: string[];
}

/** A dataset file problem: names the file, the line (JSONL) or item, and what is wrong. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${file}${where ? `:${where}` : ''}: ${detail}`);
    this.name = 'DatasetError';
  }
}

function toSample(raw: unknown, index: number, file: string, where: string): ValidationSample {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DatasetError(file, where, `item ${index}: expected an object with "question" and "answer"`);
  }
  const o = raw as Record<string, unknown>;
  const question = o.question ?? o.prompt;
  const answer = o.answer ?? o.true_answer ?? o.expected;
  if (typeof question !== 'string' || question.length === 0) {
    throw new DatasetError(file, where, `item ${index}: "question" must be a non-empty string`);
  }
  if (typeof answer !== 'string' && typeof answer !== 'number') {
    throw new DatasetError(file, where, `item ${index}: "answer" must be a string or a number`);
  }
  const s: ValidationSample = { id: String(o.id ?? index), question, answer: String(answer) };
  if (typeof o.reasoning === 'string') s.reasoning = o.reasoning;
  if (Array.isArray(o.steps)) s.steps = o.steps.map(String);
  return s;
}

/** Parses dataset text: a JSON array (or `{ "samples": [...] }`), or JSON Lines (one object per line). */
export function parseValidationDataset(text: string, file: string): ValidationSample[] {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new DatasetError(file, '', 'the dataset is empty');
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && /^\{\s*"samples"\s*:/.test(trimmed))) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new DatasetError(file, '', `invalid JSON: ${(err as Error).message}`);
    }
    const items = Array.isArray(data) ? data : (data as { samples?: unknown }).samples;
    if (!Array.isArray(items))
      throw new DatasetError(file, '', 'expected a JSON array of samples or {"samples": [...]}');
    return items.map((x, i) => toSample(x, i, file, ''));
  }
  const out: ValidationSample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(file, String(i + 1), `invalid JSON line: ${(err as Error).message}`);
    }
    out.push(toSample(raw, out.length, file, String(i + 1)));
  }
  return out;
}

/** Reads a JSON or JSONL validation dataset; throws a {@link DatasetError} naming the file and line. */
export async function loadValidationDataset(file: string): Promise<ValidationSample[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(
      file,
      '',
      code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`,
    );
  }
  return parseValidationDataset(text, file);
}
