import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { ExportErrorCounter, errorTypeOf } from '../src/internal/ExportErrorCounter.js';

function fsError(code: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: failed, write`);
  e.code = code;
  return e;
}

function captureWarnings(t: { after(fn: () => void): void }): string[] {
  const seen: string[] = [];
  const keep = (m: string) => seen.push(m);
  diag.setLogger(
    { error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  );
  t.after(() => diag.disable());
  return seen;
}

test('each cause of a sink is reported once, every failure counted by error type', (t) => {
  const warnings = captureWarnings(t);
  const c = new ExportErrorCounter();
  for (let i = 0; i < 5; i++) c.record('logs', 'csv', fsError('ENOSPC'), 10);
  c.record('logs', 'csv', fsError('EACCES'), 10);
  c.record('logs', 'file', fsError('ENOSPC'), 3);
  assert.equal(c.total({ exporter: 'csv', errorType: 'ENOSPC' }), 5);
  assert.equal(c.total({ exporter: 'csv' }), 6);
  assert.equal(c.total({ errorType: 'ENOSPC' }), 6);
  assert.equal(warnings.filter((w) => /'csv' cannot write \(ENOSPC/.test(w)).length, 1);
  assert.equal(warnings.filter((w) => /'csv' cannot write \(EACCES/.test(w)).length, 1);
  assert.equal(warnings.filter((w) => /'file' cannot write \(ENOSPC/.test(w)).length, 1);
  assert.equal(warnings.length, 3);
});

test('after a success the recovery is reported, and the same cause again is reported again', (t) => {
  const warnings = captureWarnings(t);
  const c = new ExportErrorCounter();
  c.succeeded('csv');
  assert.equal(warnings.length, 0, 'a sink that never failed says nothing');
  c.record('logs', 'csv', fsError('ENOSPC'), 1);
  assert.equal(c.isFailing('csv'), true);
  c.succeeded('csv');
  c.succeeded('csv');
  assert.equal(c.isFailing('csv'), false);
  c.record('logs', 'csv', fsError('ENOSPC'), 1);
  assert.deepEqual(
    warnings.map((w) => (/cannot write/.test(w) ? 'failed' : /writes again/.test(w) ? 'recovered' : w)),
    ['failed', 'recovered', 'failed'],
  );
  assert.deepEqual(c.snapshot(), [{ signal: 'logs', exporter: 'csv', errorType: 'ENOSPC', count: 2 }]);
});

test('errorTypeOf: the fs code, else the error name, else _OTHER', () => {
  assert.equal(errorTypeOf(fsError('EACCES')), 'EACCES');
  assert.equal(errorTypeOf(new TypeError('x')), 'TypeError');
  assert.equal(errorTypeOf('a string'), '_OTHER');
  assert.equal(errorTypeOf(undefined), '_OTHER');
});
