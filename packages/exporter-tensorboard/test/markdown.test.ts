import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionsTable, escapeMarkdown, markdownTable } from '@grpo-otel/exporter-tensorboard';

test('escapeMarkdown: HTML becomes entities, markdown punctuation is escaped, breaks become <br>', () => {
  assert.equal(
    escapeMarkdown('<script>alert("x")</script>'),
    '&lt;script&gt;alert\\(&quot;x&quot;\\)&lt;/script&gt;',
  );
  assert.equal(escapeMarkdown('a | b'), 'a \\| b');
  assert.equal(escapeMarkdown('line1\nline2\r\nline3'), 'line1<br>line2<br>line3');
  assert.equal(escapeMarkdown('# title'), '\\# title');
  assert.equal(escapeMarkdown('1. item'), '1\\. item');
  assert.equal(
    escapeMarkdown('**bold** _it_ `code` [l](u) ![i](s)'),
    '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\[l\\]\\(u\\) \\!\\[i\\]\\(s\\)',
  );
  assert.equal(escapeMarkdown('a\\b'), 'a\\\\b');
  assert.equal(escapeMarkdown('x\u0000y\u0007z\tw'), 'xyz w');
  assert.equal(escapeMarkdown('日本語 😀'), '日本語 😀');
});

test('markdownTable: header, separator and one line per row whatever the cells hold', () => {
  const md = markdownTable(
    ['a', 'b|c'],
    [
      ['x\ny', 1.23456789],
      [null, '</td><td>'],
    ],
  );
  const lines = md.split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], '| a | b\\|c |');
  assert.equal(lines[1], '| --- | --- |');
  assert.equal(lines[2], '| x<br>y | 1\\.23457 |');
  assert.equal(lines[3], '|   | &lt;/td&gt;&lt;td&gt; |');
  // every line has exactly header.length + 1 unescaped pipes
  for (const l of lines) assert.equal(l.replace(/\\\|/g, '').split('|').length - 1, 3);
});

test('markdownTable: long cells are cut', () => {
  const md = markdownTable(['c'], [['z'.repeat(50)]], { maxCellChars: 10 });
  assert.match(md, /\| z{10}… \|$/);
});

test('completionsTable: columns from the rows, one per reward function, every cell escaped', () => {
  const md = completionsTable([
    {
      prompt: 'What is 2+2?',
      completion: '<reasoning>2+2</reasoning>\n<answer>4</answer>',
      reward: 1.5,
      rewards: { format: 0.5, correctness: 1 },
    },
    { prompt: 'p|2', completion: 'no | idea', reward: 0, rewards: { correctness: 0 } },
  ]);
  const lines = md.split('\n');
  assert.equal(lines[0], '| \\# | prompt | completion | reward | correctness | format |');
  assert.equal(lines.length, 4);
  assert.equal(
    lines[2],
    '| 1 | What is 2\\+2? | &lt;reasoning&gt;2\\+2&lt;/reasoning&gt;<br>&lt;answer&gt;4&lt;/answer&gt; | 1\\.5 | 1 | 0\\.5 |',
  );
  assert.equal(lines[3], '| 2 | p\\|2 | no \\| idea | 0 | 0 |   |');
});
