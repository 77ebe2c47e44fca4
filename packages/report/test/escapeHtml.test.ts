import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, jsonForHtmlScript } from '@grpo-otel/report';
import fc from 'fast-check';

test('escapeHtml: the five specials become entities; controls go; lone surrogates become U+FFFD', () => {
  assert.equal(
    escapeHtml(`<script>alert("x")</script> & 'y'`),
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
  );
  assert.equal(escapeHtml('a\u0000b\u0007c\u001bd\u007fe\u0085f'), 'abcdef');
  assert.equal(escapeHtml('tab\tline\nreturn\r'), 'tab\tline\nreturn\r');
  assert.equal(escapeHtml('x\ud800y\udc00z😀'), 'x\ufffdy\ufffdz😀');
});

test('escapeHtml: no output ever holds < > " or an unescaped &', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const out = escapeHtml(s);
      assert.ok(!/[<>"']/.test(out));
      assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(out));
    }),
  );
});

test('jsonForHtmlScript: parses back to the value and cannot close its script element', () => {
  const value = {
    a: '</script><script>alert(1)</script>',
    b: '<!-- x -->',
    c: 'a\u2028b\u2029c&d',
    n: [1, 2.5],
  };
  const json = jsonForHtmlScript(value);
  assert.ok(!/[<>&\u2028\u2029]/.test(json), json);
  assert.deepEqual(JSON.parse(json), value);
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const j = jsonForHtmlScript(v);
      assert.ok(!/[<>&]/.test(j));
      assert.deepEqual(JSON.parse(j), JSON.parse(JSON.stringify(v)));
    }),
  );
});
