// Config fuzz (a seeded, bounded number of cases; 20x more in test/reliability/configFuzz.test.ts):
// generated YAML documents, YAML token soup, alias bombs and deep nesting, and byte-level mutations of
// the seed config and the embedded default through the loader. Every case either loads or throws a
// ConfigError whose message is one line starting `file:line:col:`; nothing else is thrown, nothing
// crashes the process, and nothing hangs (the child has a time limit).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '@grpo-otel/sdk';
import { excessiveNesting } from '../src/config/nestingDepth.js';
import { runConfigFuzz } from './runConfigFuzz.js';

test('config fuzz: only one-line ConfigErrors, never another exception, a crash or a hang', () => {
  const s = runConfigFuzz(400, 20261126, 180_000);
  assert.equal(s.cases, 400);
  assert.deepEqual(s.failures, [], `${s.failureCount} of ${s.cases} cases failed`);
  assert.equal(s.accepted + s.configError, s.cases);
  // The mix reached both outcomes and every generator.
  assert.ok(s.configError > 0 && s.accepted > 0, JSON.stringify(s));
  for (const kind of ['document', 'soup', 'special', 'seed-mutation', 'default-mutation']) {
    assert.ok((s.counts[kind] ?? 0) > 0, `${kind} cases ran`);
  }
});

test('nesting past 64 levels is refused before the YAML parser sees it; text inside values never counts', () => {
  const deep = `root:\n  level: INFO\nx: ${'['.repeat(70)}${']'.repeat(70)}\n`;
  assert.throws(
    () => parseConfig(deep, { source: 'deep.yaml', baseDir: '/tmp' }),
    (e: unknown) =>
      e instanceof ConfigError && e.message === 'deep.yaml:3:67: collections nested deeper than 64 levels',
  );
  assert.equal(excessiveNesting(`${'- '.repeat(64)}x`), 64 * 2 - 2);
  const brackets = '['.repeat(100);
  for (const ok of [
    `a: "${brackets}"\n`,
    `a: '${brackets}'\n`,
    `a: x${brackets}\n`,
    `# ${brackets}\n`,
    `a: |\n  ${brackets}\n  ${brackets}\nb: 1\n`,
    `a: >-\n  ${brackets}\nb: [1, [2, {c: 3}]]\n`,
  ]) {
    assert.equal(excessiveNesting(ok), undefined, ok);
  }
});
