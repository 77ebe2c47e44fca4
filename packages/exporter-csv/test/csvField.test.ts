import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, FORMULA_ESCAPE_PREFIX, needsQuotes, startsFormula } from '@grpo-otel/exporter-csv';
import fc from 'fast-check';

test('fields are quoted only when they hold a comma, a quote, CR or LF; quotes are doubled', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['plain', 'plain'],
    ['a b', 'a b'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line1\nline2', '"line1\nline2"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\n', '"crlf\r\n"'],
    ["it's", "it's"],
    ['日本語, 😀', '"日本語, 😀"'],
    [' leading space', ' leading space'],
  ];
  for (const [input, want] of cases) assert.equal(csvField(input, false), want, JSON.stringify(input));
});

test('formula escape: =, +, -, @, tab and CR at the start get an apostrophe, inside the quotes', () => {
  assert.equal(FORMULA_ESCAPE_PREFIX, "'");
  const cases: [string, string][] = [
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['-2,3', `"'-2,3"`],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ["'=1", "'=1"],
    ['\n=1', '"\n=1"'],
  ];
  for (const [input, want] of cases) assert.equal(csvField(input, true), want, JSON.stringify(input));
  assert.equal(csvField('=1', false), '=1');
});

test('needsQuotes and startsFormula agree with a direct definition on arbitrary strings', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      assert.equal(needsQuotes(s), /[",\r\n]/.test(s));
      if (s.length > 0) assert.equal(startsFormula(s.charCodeAt(0)), /^[=+\-@\t\r]/.test(s));
    }),
  );
});
