// Hostile input through the public API (fast-check): NaN, ±Infinity, -0, huge numbers, bigints,
// empty and size-1 reward groups, long and binary strings with lone surrogates, CSV formula and
// HTML/markdown payloads, odd attribute keys and values that are not OTel AnyValues, with every
// file sink on (Python-format log, JSON log, CSV, TensorBoard). Nothing may throw out of the API;
// afterwards every sink's output is read back by its consumer, and drops and sanitizations are
// counted exactly as an oracle written here expects.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import {
  type GrpoTelemetry,
  getLogger,
  initialize,
  type LogAttributes,
  logGenerationMetrics,
  logHparams,
  logMemoryUsage,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  recordSpan,
  runValidation,
  setValidationDataset,
  shutdown,
  withSpan,
  withStepSpan,
} from '@grpo-otel/sdk';
import {
  hostileAttributes,
  hostileKey,
  hostileNumber,
  hostileString,
  hostileValue,
} from '@grpo-otel/testkit/hostileArbitraries';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import fc from 'fast-check';

const FULL = process.env.GRPO_RELIABILITY === '1';
const RUNS = FULL ? 400 : 40;
const SEED = 20261126;
const MAX_STRING = 2000;
const MARKER = /…\[truncated (\d+) chars\]/;

/** Errors reported through OTel's diag (an analysis that failed, an exporter error): none expected. */
const diagErrors: string[] = [];
const quiet = () => undefined;
diag.setLogger(
  {
    error: (...a: unknown[]) => diagErrors.push(a.map(String).join(' ')),
    warn: quiet,
    info: quiet,
    debug: quiet,
    verbose: quiet,
  },
  DiagLogLevel.ERROR,
);

const dir = mkdtempSync(join(tmpdir(), 'grpo-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CSV_COLUMNS = ['timestamp', 'level', 'name', 'message', 'question', 'true_answer', 'model_answer', 'x'];

function start(sub: string): GrpoTelemetry {
  const base = join(dir, sub);
  const f = join(dir, `${sub}.yaml`);
  writeFileSync(
    f,
    `version: 1
root: { level: DEBUG, handlers: [text, json, csv, tb] }
handlers:
  text: { class: file, filename: ${base}/out.log, formatter: std }
  json: { class: file, filename: ${base}/out.jsonl, formatter: json }
  csv: { class: csv, filename: ${base}/out.csv, columns: [${CSV_COLUMNS.join(', ')}] }
  tb: { class: tensorboard, log_dir: ${base}/tb }
formatters:
  std: { format: "%(asctime)s %(name)s %(levelname)s %(message)s" }
  json: { format: json }
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  sampling_ratio: 1
  validation: { max_samples: 3, timeout_per_sample: 0.2 }
limits: { max_string_length: ${MAX_STRING} }
# The counts these tests read are the instance's (sanitized, drops): it must run on this thread.
telemetry_thread: { enabled: false }
`,
  );
  const t = initialize({ configPath: f, handleExit: false, registerGlobal: false });
  assert.ok(t);
  return t;
}

const sanitized = (t: GrpoTelemetry, reason: 'coerced' | 'truncated' | 'control_characters') =>
  t.sanitized.get(reason) ?? 0;
const invalid = (t: GrpoTelemetry) => t.drops.total({ reason: 'invalid_value' });

/**
 * A span time, labelled valid or not: `performance.now()` readings up to 1 s in the past (valid), or
 * not a time (NaN, infinities, negative numbers, a reading from the future, strings, objects, null,
 * undefined). Read when the op runs, so that "in the past" holds then.
 */
const hostileSpanTime = fc.oneof(
  fc.double({ min: 0, max: 1000, noNaN: true }).map((ago) => ({
    ok: true,
    time: () => Math.max(0, performance.now() - ago),
  })),
  fc
    .constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1,
      '5',
      null,
      undefined,
      {},
      [1],
    )
    .map((v) => ({ ok: false, time: () => v as number })),
  fc.double({ min: 60_000, max: 1e9, noNaN: true }).map((ahead) => ({
    ok: false,
    time: () => performance.now() + ahead,
  })),
);

/** Reads a sink's files back with their consumers and checks what every consumer needs. */
async function checkSinks(
  sub: string,
): Promise<{ csvRows: string[][]; jsonLines: Record<string, unknown>[] }> {
  const base = join(dir, sub);
  // Log files: valid UTF-8 (a fatal decoder throws on anything else), whole lines, no control bytes.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const text = decoder.decode(readFileSync(join(base, 'out.log')));
  assert.ok(text.endsWith('\n'), 'the text log ends with a whole line');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/, 'no control characters');
  const jsonText = decoder.decode(readFileSync(join(base, 'out.jsonl')));
  assert.ok(jsonText.endsWith('\n'));
  const jsonLines = jsonText
    .split('\n')
    .slice(0, -1)
    .map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`out.jsonl line ${i + 1} is not JSON: ${String(err)}: ${l.slice(0, 200)}`);
      }
    });
  for (const r of jsonLines) {
    const msg = String(r.message);
    const m = MARKER.exec(msg);
    assert.ok(msg.length <= MAX_STRING + (m ? m[0].length : 0), 'messages are cut at the limit');
  }
  // CSV: strict csv-parse, one column count, no cell a spreadsheet would evaluate.
  const csvRows = parseCsv(decoder.decode(readFileSync(join(base, 'out.csv'))));
  assert.deepEqual(csvRows[0], CSV_COLUMNS);
  for (const [i, row] of csvRows.entries()) {
    assert.equal(row.length, CSV_COLUMNS.length, `CSV row ${i} has every column`);
    for (const cell of row) {
      if (/^[=+\-@\t\r]/.test(cell)) {
        assert.match(
          cell,
          /^-(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i,
          `only negative numbers start with a trigger: ${cell.slice(0, 80)}`,
        );
      }
    }
  }
  // TensorBoard: every event file reads back whole; scalars finite; text has no live HTML.
  const files = await readEvents(join(base, 'tb'));
  assert.ok(files.length > 0);
  for (const f of files) {
    assert.deepEqual(f.issues, [], `${f.path} reads back without issues`);
    for (const e of f.events) {
      for (const v of e.values) {
        // The facade never records NaN or ±Infinity; TensorBoard stores float32, so a finite value past
        // ±3.4e38 reads back as ±Infinity (its format's limit), never as NaN.
        if (v.kind === 'scalar') assert.ok(!Number.isNaN(v.value), `scalar ${v.tag} is not NaN`);
        if (v.kind === 'text') {
          assert.doesNotMatch(v.text, /<script|<img|<a\s/i, `text ${v.tag} holds no raw HTML`);
        }
      }
    }
  }
  return { csvRows, jsonLines };
}

test('channel loggers: hostile messages, keys and values never throw; drops and coercions are counted exactly', async () => {
  const t = start('loggers');
  const log = getLogger('training');
  // The oracle, for top-level attributes: what the normalizer must do with each value.
  const outcome = (v: unknown): 'keep' | 'coerce' | 'drop' | 'nested' => {
    if (typeof v === 'number') return Number.isFinite(v) ? 'keep' : 'coerce';
    if (typeof v === 'bigint') return 'coerce';
    if (typeof v === 'symbol' || typeof v === 'function') return 'drop';
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'drop' : 'coerce';
    if (v instanceof Error || v instanceof Float32Array) return 'nested';
    if (v instanceof Map || (typeof v === 'object' && v !== null && v.constructor?.name === 'Custom'))
      return 'drop';
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return 'nested';
    return 'keep';
  };
  let emitted = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(
        'debug',
        'info',
        'warning',
        'error',
        'critical',
        'exception',
        'log',
      ) as fc.Arbitrary<string>,
      fc.oneof(hostileString, hostileValue),
      fc.array(
        fc.tuple(
          hostileKey,
          fc.oneof(
            hostileNumber,
            fc.bigInt(),
            fc.constant(Symbol('s')),
            fc.constant(() => 2),
          ),
        ),
        {
          maxLength: 6,
        },
      ),
      (method, message, pairs) => {
        const attrs: Record<string, unknown> = {};
        for (const [k, v] of pairs)
          Object.defineProperty(attrs, k, { value: v, enumerable: true, writable: true, configurable: true });
        const keys = Object.keys(attrs);
        let drops = 0;
        let coerced = typeof message === 'string' ? 0 : 1;
        for (const k of keys) {
          const o = outcome(attrs[k]);
          if (k === '' || k === '__proto__' || o === 'drop') drops++;
          else if (o === 'coerce') coerced++;
        }
        const d0 = invalid(t);
        const c0 = sanitized(t, 'coerced');
        const call = () => {
          if (method === 'exception') log.exception(message as string, message, attrs as LogAttributes);
          else if (method === 'log') log.log('nonsense-level', message as string, attrs as LogAttributes);
          else (log as unknown as Record<string, (m: unknown, a: unknown) => void>)[method]!(message, attrs);
        };
        assert.doesNotThrow(call);
        emitted++;
        assert.equal(invalid(t) - d0, drops, 'dropped attributes are counted one each');
        if (method !== 'exception')
          assert.equal(sanitized(t, 'coerced') - c0, coerced, 'coercions are counted');
      },
    ),
    { numRuns: RUNS * 3, seed: SEED },
  );
  // Nested and non-map attributes of any shape.
  fc.assert(
    fc.property(hostileString, hostileAttributes, (message, attrs) => {
      assert.doesNotThrow(() => log.info(message, attrs as LogAttributes));
      emitted++;
    }),
    { numRuns: RUNS * 3, seed: SEED },
  );
  assert.ok(t.sanitized.get('control_characters'), 'control characters and lone surrogates were replaced');
  assert.ok(t.sanitized.get('truncated'), 'long strings were cut');
  await shutdown();
  const { jsonLines, csvRows } = await checkSinks('loggers');
  assert.equal(jsonLines.length, emitted, 'one JSON line per record');
  assert.equal(csvRows.length - 1, emitted, 'one CSV row per record');
});

test('facade: hostile numbers, names, groups and texts never throw; non-finite values are dropped and counted', async () => {
  const t = start('facade');
  setValidationDataset([
    { question: 'q1 <script>x</script>', answer: '1' },
    { question: '=1+1', answer: '2' },
    { question: 'q3', answer: '3' },
  ]);
  let step = 0;
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('progress' as const),
      metrics: fc.dictionary(
        fc.oneof(hostileKey, fc.constantFrom('loss', 'lr', 'kl', 'num_tokens')),
        hostileNumber,
        { maxKeys: 5 },
      ),
    }),
    fc.record({
      kind: fc.constant('reward' as const),
      name: fc.oneof(hostileString, hostileValue),
      values: fc.oneof(fc.array(hostileNumber, { maxLength: 8 }), hostileValue),
      samples: fc.option(fc.oneof(fc.array(hostileValue, { maxLength: 3 }), hostileValue)),
    }),
    fc.record({
      kind: fc.constant('rewardMetrics' as const),
      dict: fc.oneof(
        fc.dictionary(
          fc.oneof(hostileKey, fc.constantFrom('a', 'b')),
          fc.oneof(fc.array(hostileNumber, { maxLength: 8 }), hostileValue),
          {
            maxKeys: 3,
          },
        ),
        hostileValue,
      ),
      options: fc.oneof(
        hostileNumber,
        fc.record(
          {
            groupSize: fc.oneof(fc.constantFrom(1, 2, 0, -1, 1.5), hostileNumber),
            historyWindow: hostileNumber,
            weights: fc.oneof(
              fc.dictionary(hostileKey, fc.oneof(hostileNumber, hostileValue), { maxKeys: 3 }),
              hostileValue,
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    }),
    fc.record({
      kind: fc.constant('generations' as const),
      gens: fc.oneof(
        fc.array(
          fc.oneof(
            hostileString,
            hostileValue,
            fc.record(
              {
                text: fc.oneof(hostileString, hostileValue),
                tokens: fc.oneof(fc.array(hostileNumber, { maxLength: 6 }), hostileValue),
                logprobs: fc.array(hostileNumber, { maxLength: 6 }),
                truncated: hostileValue,
              },
              { requiredKeys: ['text'] },
            ),
          ),
          { maxLength: 5 },
        ),
        hostileValue,
      ),
      refs: fc.option(fc.array(hostileValue, { maxLength: 5 })),
      groupSize: fc.option(fc.oneof(fc.constantFrom(1, 2, 0, -1, 1.5), hostileNumber)),
      maxTokens: fc.option(fc.oneof(fc.constantFrom(1, 2, 0, -1, 1.5), hostileNumber)),
    }),
    fc.record({
      kind: fc.constant('modelOutput' as const),
      q: fc.oneof(hostileString, hostileValue),
      a: fc.oneof(hostileString, hostileValue),
      out: fc.oneof(hostileString, hostileValue),
      why: fc.option(hostileValue),
    }),
    fc.record({
      kind: fc.constant('timing' as const),
      seconds: hostileNumber,
      samples: fc.option(hostileNumber),
      tokens: fc.option(hostileNumber),
      phases: fc.option(fc.dictionary(hostileKey, hostileNumber, { maxKeys: 3 })),
    }),
    fc.record({
      kind: fc.constant('hparams' as const),
      h: fc.oneof(fc.dictionary(hostileKey, hostileValue, { maxKeys: 4 }), hostileValue),
    }),
    fc.record({
      kind: fc.constant('span' as const),
      name: hostileString,
      attrs: hostileAttributes,
      start: hostileSpanTime,
      end: hostileSpanTime,
    }),
    fc.constant({ kind: 'memory' as const }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 6 }), (ops) => {
      for (const o of ops) {
        const d0 = invalid(t);
        switch (o.kind) {
          case 'progress': {
            step++;
            const nonFinite = Object.values(o.metrics).filter((v) => !Number.isFinite(v)).length;
            assert.doesNotThrow(() => logTrainingProgress(step, o.metrics));
            // Every non-finite value is one counted drop (more may come from keys of cumulative names).
            assert.ok(invalid(t) - d0 >= nonFinite, 'non-finite progress values are counted');
            break;
          }
          case 'reward': {
            const { name, values, samples } = o;
            assert.doesNotThrow(() =>
              logReward(name as string, values as number[], samples as string[] | undefined),
            );
            const numeric =
              Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
            if (typeof name === 'string' && name !== '' && numeric) {
              const nonFinite = Array.from(values as ArrayLike<unknown>).filter(
                (v) => !Number.isFinite(v),
              ).length;
              assert.ok(invalid(t) - d0 >= nonFinite, 'non-finite rewards are counted');
            } else {
              assert.ok(invalid(t) - d0 >= 1, 'a bad call is counted');
            }
            break;
          }
          case 'rewardMetrics':
            assert.doesNotThrow(() =>
              logRewardMetrics(step, o.dict as Record<string, number[]>, o.options as number),
            );
            break;
          case 'generations':
            assert.doesNotThrow(() =>
              logGenerationMetrics(step, o.gens as string[], o.refs as string[] | undefined, {
                ...(o.groupSize !== null ? { groupSize: o.groupSize } : {}),
                ...(o.maxTokens !== null ? { maxTokens: o.maxTokens } : {}),
              }),
            );
            break;
          case 'modelOutput':
            assert.doesNotThrow(() =>
              logModelOutput(o.q as string, o.a as string, o.out as string, o.why as string | undefined),
            );
            break;
          case 'timing':
            assert.doesNotThrow(() =>
              logStepTiming(step, {
                seconds: o.seconds,
                ...(o.samples !== null ? { samples: o.samples } : {}),
                ...(o.tokens !== null ? { tokens: o.tokens } : {}),
                ...(o.phases !== null ? { phases: o.phases } : {}),
              }),
            );
            if (!Number.isFinite(o.seconds) || o.seconds <= 0) assert.ok(invalid(t) - d0 >= 1);
            break;
          case 'hparams':
            assert.doesNotThrow(() => logHparams(o.h as Record<string, string>));
            break;
          case 'span': {
            // The oracle: OTel span attributes are primitives or arrays of one primitive type.
            const prim = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
            const a = o.attrs;
            let bad = 0;
            if (a !== null && a !== undefined && (typeof a !== 'object' || Array.isArray(a))) bad = 1;
            else if (a) {
              for (const [k, v] of Object.entries(a)) {
                const types = new Set(
                  Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined).map((x) => typeof x) : [],
                );
                const arrayOk =
                  Array.isArray(v) &&
                  v.every((x) => x === null || x === undefined || prim(x)) &&
                  types.size <= 1;
                if (k === '' || k === '__proto__' || !(v === undefined || prim(v) || arrayOk)) bad++;
              }
            }
            const s0 = t.drops.total({ signal: 'traces' });
            assert.equal(
              withSpan(o.name, o.attrs as Record<string, string>, () => 7),
              7,
            );
            assert.equal(
              t.drops.total({ signal: 'traces' }) - s0,
              bad,
              'span attributes OTel does not take are counted',
            );
            assert.equal(
              withStepSpan(step, () => 8),
              8,
            );
            // recordSpan: times that are not ones, or an end before the start, drop the span (one
            // count); otherwise its attributes are checked as withSpan's.
            const r0 = t.drops.total({ signal: 'traces' });
            const start = o.start.time();
            const end = o.end.time();
            assert.doesNotThrow(() => recordSpan(o.name, o.attrs as Record<string, string>, start, end));
            const timesOk = o.start.ok && o.end.ok && (end as number) >= (start as number);
            assert.equal(t.drops.total({ signal: 'traces' }) - r0, timesOk ? bad : 1, 'recordSpan drops');
            const w0 = t.drops.total({ signal: 'traces' });
            assert.equal(
              withSpan('timed', {}, () => 9, { startTime: start }),
              9,
            );
            assert.equal(
              t.drops.total({ signal: 'traces' }) - w0,
              o.start.ok || start === undefined ? 0 : 1,
              'withSpan startTime (none given: none to drop)',
            );
            break;
          }
          case 'memory':
            assert.ok(logMemoryUsage());
            break;
        }
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // A hostile validation model: throws non-errors, returns junk, huge text, or never answers.
  const answers: (() => unknown)[] = [
    () => {
      throw 'a string';
    },
    () => null,
    () => ({ text: Symbol('s') }),
    () => ({ text: 'x'.repeat(1_000_000), tokens: Number.NaN }),
    () => new Promise(() => undefined),
    () => '<answer>\uD800</answer>',
    () => Promise.reject(Object.create(null)),
  ];
  for (const [i, answer] of answers.entries()) {
    const r = await runValidation(++step, () => answer() as string);
    assert.ok(r, `validation ${i} returns a result`);
    assert.equal(r.results.length, 3);
  }
  await shutdown();
  assert.deepEqual(diagErrors, [], 'no analysis or export failed');
  assert.equal(t.drops.total({ reason: 'export_failed' }), 0, 'no analysis or export failed');
  await checkSinks('facade');
});

test('a 10 MB completion is cut at limits.max_string_length with a marker, in every sink', async () => {
  const t = start('big');
  const big = `<reasoning>${'why '.repeat(2_500_000)}</reasoning><answer>=1+1</answer>`;
  logModelOutput('=SUM(A1)', '2', big);
  getLogger('model_outputs').info(big, { x: big });
  assert.ok(logGenerationMetrics(1, [big, big.slice(0, 100)]));
  await shutdown();
  assert.ok((t.sanitized.get('truncated') ?? 0) >= 3);
  // The question and the answer: the CSV sink's formula escapes are counted too.
  assert.equal(t.formulaEscapedCells, 2);
  const { csvRows, jsonLines } = await checkSinks('big');
  const cut = big.length - MAX_STRING;
  const x = csvRows[2]![CSV_COLUMNS.indexOf('x')]!;
  assert.equal(x, `${big.slice(0, MAX_STRING)}…[truncated ${cut} chars]`);
  assert.equal(csvRows[1]![CSV_COLUMNS.indexOf('model_answer')], "'=1+1", 'the formula answer is escaped');
  assert.equal(csvRows[1]![CSV_COLUMNS.indexOf('question')], "'=SUM(A1)");
  assert.ok(jsonLines.every((l) => JSON.stringify(l).length < 3 * MAX_STRING + 2000));
  for (const f of readdirSync(join(dir, 'big'))) assert.ok(!f.includes('\uFFFD'));
});
