import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLogRecord } from '@grpo-otel/exporter-tensorboard';
import { parseJsonArrayPrefix, parseLogText, unescapeMarkdown } from '@grpo-otel/report';
import fc from 'fast-check';

type Rec = Parameters<typeof renderLogRecord>[0];
const rec = (body: string, attributes: Record<string, unknown>, level = 'INFO'): Rec =>
  ({ hrTime: [1_700_000_000, 5_000_000], severityText: level, body, attributes }) as unknown as Rec;

/** What escapeMarkdown cannot keep: control characters (removed) and tabs (spaces). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same set escapeMarkdown removes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const lossy = (s: string) => s.replace(CONTROL, '').replace(/\t/g, ' ');
const lines = (s: string) => lossy(s).replace(/\r\n|\r|\n|\u2028|\u2029/g, '\n');

test('parseLogText reads back what the TensorBoard log exporter rendered', () => {
  const records = [
    rec('reward correctness: mean=0.5 *bold* `code` | pipe', {
      'grpo.reward.function': 'correctness',
      'grpo.reward.samples': ['<answer>4</answer>', 'a · *b*: c', '\\n literal'],
      'grpo.reward.values': [1, 0, 0.5],
      'grpo.step': 3,
    }),
    rec(
      'plateau at step 3\nsecond line <br> not a break',
      { 'grpo.signal.kind': 'reward_plateau' },
      'WARNING',
    ),
    rec('no attributes', {}),
  ];
  const text = records.map((r) => renderLogRecord(r)).join('\n\n');
  const parsed = parseLogText(text);
  assert.equal(parsed.length, 3);
  assert.equal(parsed[0]!.level, 'INFO');
  assert.equal(parsed[0]!.time, '2023-11-14T22:13:20.005Z');
  assert.equal(parsed[0]!.message, 'reward correctness: mean=0.5 *bold* `code` | pipe');
  assert.deepEqual(Object.keys(parsed[0]!.attributes), [
    'grpo.reward.function',
    'grpo.reward.samples',
    'grpo.reward.values',
  ]);
  assert.deepEqual(parseJsonArrayPrefix(parsed[0]!.attributes['grpo.reward.samples']!), [
    '<answer>4</answer>',
    'a · *b*: c',
    '\\n literal',
  ]);
  assert.deepEqual(parseJsonArrayPrefix(parsed[0]!.attributes['grpo.reward.values']!), [1, 0, 0.5]);
  assert.equal(parsed[1]!.level, 'WARNING');
  assert.equal(parsed[1]!.message, 'plateau at step 3\nsecond line <br> not a break');
  assert.deepEqual(parsed[1]!.attributes, { 'grpo.signal.kind': 'reward_plateau' });
  assert.deepEqual(parsed[2]!.attributes, {});
});

test('parseLogText: any message and attribute value survives the round trip (but for controls and tabs)', () => {
  const text = fc.string({
    unit: fc.constantFrom(
      'a',
      '*',
      '\\',
      '`',
      '<',
      '>',
      '&',
      '·',
      ' ',
      '\n',
      '|',
      '#',
      '\t',
      'é',
      ':',
      '_',
      '\u0001',
    ),
  });
  fc.assert(
    fc.property(
      text,
      fc.dictionary(
        fc
          .stringMatching(/^[a-z][a-z._*\\ ]{0,8}$/)
          .filter((k) => !['grpo.step', 'grpo.channel'].includes(k)),
        text,
        { maxKeys: 4 },
      ),
      (body, attrs) => {
        const [p] = parseLogText(renderLogRecord(rec(body, attrs)));
        assert.equal(p!.message, lines(body));
        const expected = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [lossy(k), lines(v)]));
        assert.deepEqual(p!.attributes, expected);
      },
    ),
    { numRuns: 300 },
  );
});

test('parseJsonArrayPrefix: complete elements of an array the exporter cut with …', () => {
  assert.deepEqual(parseJsonArrayPrefix('["a","b\\"c",3]'), ['a', 'b"c', 3]);
  assert.deepEqual(parseJsonArrayPrefix('["a","b\\"c","unfini…'), ['a', 'b"c']);
  assert.deepEqual(parseJsonArrayPrefix('[0,1,2,3…'), [0, 1, 2]);
  assert.equal(parseJsonArrayPrefix('not json'), undefined);
  assert.equal(parseJsonArrayPrefix('{"a":1}'), undefined);
});

test('unescapeMarkdown inverts escapeMarkdown', () => {
  assert.equal(unescapeMarkdown('a\\*b\\*<br>&lt;x&gt; &amp; &quot;q&quot; &\\#39;'), 'a*b*\n<x> & "q" \'');
});
