import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codePointLength } from '@grpo-otel/metrics';

test("codePointLength counts code points as Python's len(str) does", () => {
  assert.equal(codePointLength(''), 0);
  assert.equal(codePointLength('abc'), 3);
  assert.equal(codePointLength('日本'), 2);
  assert.equal(codePointLength('😀'), 1); // a surrogate pair
  assert.equal(codePointLength('a😀b🎉'), 4);
  // Lone surrogates are one code point each (Python: len('\ud83d') == 1), at the end too.
  assert.equal(codePointLength('\uD83D'), 1);
  assert.equal(codePointLength('x\uD83D'), 2);
  assert.equal(codePointLength('\uDE00\uD83D'), 2);
  assert.equal(codePointLength('\uD83D\uD83D\uDE00'), 2);
});
