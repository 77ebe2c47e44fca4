import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_COLUMN_ALIASES, createRowFormatter } from '@grpo-otel/exporter-csv';
import {
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_CORRECT,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SAMPLE_REASONING,
  ATTR_GRPO_SAMPLE_REWARD,
  ATTR_GRPO_STEP,
} from '@grpo-otel/semconv';
import { cellText } from '@grpo-otel/testkit/csvArbitraries';
import { SeverityNumber } from '@opentelemetry/api-logs';
import fc from 'fast-check';
import { fakeRecord } from './helpers/fakeRecord.js';

const SEED_COLUMNS = ['timestamp', 'question', 'true_answer', 'model_answer', 'model_reasoning'];

test("the seed's columns read the semconv sample attributes; the header ends with CR LF", () => {
  const f = createRowFormatter(SEED_COLUMNS);
  assert.equal(f.header, 'timestamp,question,true_answer,model_answer,model_reasoning\r\n');
  const row = f.format(
    fakeRecord({
      hrTime: [1_714_566_896, 789_000_000],
      attributes: {
        [ATTR_GRPO_SAMPLE_QUESTION]: 'What is 2 + 3, "roughly"?',
        [ATTR_GRPO_SAMPLE_EXPECTED_ANSWER]: '5',
        [ATTR_GRPO_SAMPLE_ANSWER]: '-5',
        [ATTR_GRPO_SAMPLE_REASONING]: 'First,\nadd.',
      },
    }),
  );
  assert.equal(row, '2024-05-01T12:34:56.789Z,"What is 2 + 3, ""roughly""?",5,\'-5,"First,\nadd."\r\n');
});

test('every alias maps to its semconv attribute', () => {
  assert.deepEqual(
    { ...CSV_COLUMN_ALIASES },
    {
      step: ATTR_GRPO_STEP,
      question: ATTR_GRPO_SAMPLE_QUESTION,
      true_answer: ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
      model_answer: ATTR_GRPO_SAMPLE_ANSWER,
      model_reasoning: ATTR_GRPO_SAMPLE_REASONING,
      model_output: 'grpo.sample.completion',
      completion: 'grpo.sample.completion',
      correct: ATTR_GRPO_SAMPLE_CORRECT,
      reward: ATTR_GRPO_SAMPLE_REWARD,
    },
  );
  const f = createRowFormatter(Object.keys(CSV_COLUMN_ALIASES));
  const attributes = Object.fromEntries(Object.values(CSV_COLUMN_ALIASES).map((k) => [k, `v:${k}`]));
  const row = f.format(fakeRecord({ attributes }));
  assert.equal(
    row,
    `${Object.values(CSV_COLUMN_ALIASES)
      .map((k) => `v:${k}`)
      .join(',')}\r\n`,
  );
});

test('record fields: level, name/channel, message; other columns are attribute keys verbatim', () => {
  const f = createRowFormatter([
    'level',
    'name',
    'channel',
    'message',
    'grpo.sample.id',
    'custom key',
    'absent',
  ]);
  assert.equal(f.header, 'level,name,channel,message,grpo.sample.id,custom key,absent\r\n');
  const r = fakeRecord({
    severityNumber: SeverityNumber.WARN2,
    scope: 'rewards',
    body: 'reward, low',
    attributes: { 'grpo.sample.id': 7, 'custom key': 'x' },
  });
  assert.equal(f.format(r), 'WARN,rewards,rewards,"reward, low",7,x,\r\n');
  const named = fakeRecord({ severityNumber: SeverityNumber.INFO, severityText: 'WARNING' });
  assert.equal(createRowFormatter(['level']).format(named), 'WARNING\r\n');
  assert.equal(createRowFormatter(['level']).format(fakeRecord()), '""\r\n');
});

test('non-string values: numbers (negative ones unprefixed), booleans, arrays and maps as JSON, missing empty', () => {
  const f = createRowFormatter([
    'step',
    'reward',
    'correct',
    'list',
    'map',
    'neg_string',
    'bytes',
    'missing',
  ]);
  const row = f.format(
    fakeRecord({
      attributes: {
        [ATTR_GRPO_STEP]: 120,
        [ATTR_GRPO_SAMPLE_REWARD]: -0.25,
        [ATTR_GRPO_SAMPLE_CORRECT]: false,
        list: [1, 'two', -3],
        map: { a: '=x' },
        neg_string: '-0.25',
        bytes: new Uint8Array([0xfb, 0xff]),
      },
    }),
  );
  assert.equal(row, `120,-0.25,false,"[1,""two"",-3]","{""a"":""=x""}",'-0.25,'+/8=,\r\n`);
  assert.equal(f.counts.formulaEscapedCells, 2);
});

test('formulaEscape false writes cells as they are', () => {
  const f = createRowFormatter(['message'], { formulaEscape: false });
  assert.equal(f.format(fakeRecord({ body: '=cmd|"/c calc"!A1' })), '"=cmd|""/c calc""!A1"\r\n');
  assert.equal(f.counts.formulaEscapedCells, 0);
});

test('lone surrogates become U+FFFD and the row is counted', () => {
  const f = createRowFormatter(['message', 'x']);
  assert.equal(
    f.format(fakeRecord({ body: 'a\ud800b', attributes: { x: '\udfff' } })),
    'a\ufffdb,\ufffd\r\n',
  );
  assert.equal(f.format(fakeRecord({ body: '😀 ok' })), '😀 ok,\r\n');
  assert.deepEqual({ ...f.counts }, { rows: 2, formulaEscapedCells: 0, loneSurrogateRows: 1 });
});

test('a one-column row with an empty cell is written as "" (not a blank line)', () => {
  const f = createRowFormatter(['message']);
  assert.equal(f.format(fakeRecord({ body: '' })), '""\r\n');
  assert.equal(f.format(fakeRecord({})), '""\r\n');
  assert.equal(createRowFormatter(['a', 'b']).format(fakeRecord({})), ',\r\n');
});

test('column names needing quotes are quoted in the header, never formula-escaped', () => {
  assert.equal(createRowFormatter(['a,b', 'say "x"', '-neg']).header, '"a,b","say ""x""",-neg\r\n');
});

test('encode writes exactly the bytes of format, row by row, with the row ends', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          body: fc.oneof(
            cellText({ loneSurrogates: true }),
            fc.double(),
            fc.boolean(),
            fc.constant(undefined),
          ),
          a: cellText({ loneSurrogates: true, maxLength: 40 }),
          b: fc.oneof(fc.integer(), fc.array(fc.string()), fc.constant(undefined)),
        }),
        { maxLength: 30 },
      ),
      fc.boolean(),
      fc.integer({ min: 1, max: 4 }),
      (inputs, formulaEscape, width) => {
        const columns = ['message', 'a', 'b', 'level'].slice(0, width);
        const records = inputs.map((x) => fakeRecord({ body: x.body, attributes: { a: x.a, b: x.b } }));
        const byFormat = createRowFormatter(columns, { formulaEscape });
        const byEncode = createRowFormatter(columns, { formulaEscape });
        const rows = records.map((r) => byFormat.format(r));
        const ends: number[] = [];
        const bytes = byEncode.encode(records, ends);
        assert.ok(bytes.equals(Buffer.from(rows.join(''), 'utf8')));
        let end = 0;
        assert.deepEqual(
          ends,
          rows.map((r) => {
            end += Buffer.byteLength(r, 'utf8');
            return end;
          }),
        );
        assert.deepEqual({ ...byEncode.counts }, { ...byFormat.counts });
      },
    ),
  );
  // A batch larger than the encoder's scratch buffer grows it.
  const big = createRowFormatter(['message']);
  const text = '€'.repeat(50_000);
  const out = big.encode([fakeRecord({ body: text }), fakeRecord({ body: text })]);
  assert.equal(out.toString('utf8'), `${text}\r\n${text}\r\n`);
});

test('encode writes the timestamp column with the same bytes as format, for any time', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.integer({ min: 0, max: 4_102_444_800 }),
            fc.integer({ min: -70_000_000_000, max: 300_000_000_000 }),
            fc.constantFrom(Number.NaN, 1e15, -1),
          ),
          fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(-1, 1e9, Number.NaN)),
        ),
        { minLength: 1, maxLength: 20 },
      ),
      fc.boolean(),
      (times, first) => {
        const columns = first ? ['timestamp', 'message'] : ['message', 'timestamp'];
        const records = times.map(([s, ns]) => fakeRecord({ hrTime: [s, ns], body: 'b' }));
        const byFormat = createRowFormatter(columns);
        const rows = records.map((r) => byFormat.format(r));
        const bytes = createRowFormatter(columns).encode(records);
        assert.equal(bytes.toString('utf8'), rows.join(''));
      },
    ),
  );
});
