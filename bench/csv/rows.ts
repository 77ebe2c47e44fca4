// Seed-shaped model-output rows for the CSV benchmark: timestamp, question, true_answer,
// model_answer, model_reasoning, as GSM8K-style math word problems and model outputs. Deterministic.
import { mulberry32 } from '@grpo-otel/metrics';

export interface ModelOutputRow {
  /** OTel HrTime of the record. */
  hrTime: [number, number];
  /** The same time as ISO 8601 text (what Python's writer is handed: its strongest case). */
  timestamp: string;
  question: string;
  trueAnswer: string;
  modelAnswer: string;
  modelReasoning: string;
}

const WORDS = (
  'the a of and to in is that it for on with as was at by an be this which from or have not are ' +
  'apples oranges Janet eggs ducks farmer market dollars each per day week total how many much does ' +
  'she he they cost price sells buys remaining left after twice half three four five dozen cups liters ' +
  'minutes hours miles train speed average percent discount profit step first then so therefore'
).split(' ');
const PUNCT = [', ', ', ', '. ', '? ', '; ', ': ', ' "', '" ', ' (', ') ', '\n', ' - ', "'s "];

function text(next: () => number, min: number, max: number): string {
  const target = min + Math.floor(next() * (max - min));
  let s = '';
  while (s.length < target) {
    const r = next();
    if (r < 0.12) s += PUNCT[Math.floor(next() * PUNCT.length)];
    else if (r < 0.2) s += `${Math.floor(next() * 1000)} `;
    else s += `${WORDS[Math.floor(next() * WORDS.length)]} `;
  }
  return s.slice(0, target);
}

/** `count` rows; lengths: question 100-300, answers 1-12 / 1-80, reasoning 150-400 characters. */
export function modelOutputRows(count: number, seed = 1): ModelOutputRow[] {
  const next = mulberry32(seed);
  const start = Date.UTC(2025, 0, 15, 9, 30, 0);
  const rows: ModelOutputRow[] = [];
  for (let i = 0; i < count; i++) {
    const ms = start + i * 3;
    const answer = String(Math.floor(next() * 5000) - 200);
    const right = next() < 0.4;
    const modelAnswer = right
      ? answer
      : next() < 0.5
        ? String(Math.floor(next() * 5000))
        : `"${text(next, 1, 60).trim()}"`;
    rows.push({
      hrTime: [Math.floor(ms / 1000), (ms % 1000) * 1e6],
      timestamp: new Date(ms).toISOString(),
      question: text(next, 100, 300),
      trueAnswer: next() < 0.1 ? Number(answer).toLocaleString('en-US') : answer,
      modelAnswer,
      modelReasoning: text(next, 150, 400),
    });
  }
  return rows;
}
