import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { initialize, parseConfig, shutdown, withSpan, withStepSpan } from '../src/index.js';

// No OTLP traces and no span processor given: nothing would receive a span, so none is recorded.
before(() => {
  const yaml = 'version: 1\nroot: { level: WARNING, handlers: [] }\n';
  initialize({
    config: parseConfig(yaml, { source: 'noTracing.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
  });
});
after(() => shutdown());

test('with no span processor, spans record nothing but keep their context (IDs, nesting)', () => {
  const out = withStepSpan(3, (step) =>
    withSpan('grpo.generate', { 'grpo.batch.size': 8 }, (gen) => {
      assert.equal(gen.isRecording(), false);
      assert.equal(step.isRecording(), false);
      assert.equal(trace.getActiveSpan(), gen, 'the inner span is active inside fn');
      // Valid IDs, one trace: log records made here carry them.
      assert.ok(isSpanContextValid(gen.spanContext()));
      assert.equal(gen.spanContext().traceId, step.spanContext().traceId);
      assert.notEqual(gen.spanContext().spanId, step.spanContext().spanId);
      return 42;
    }),
  );
  assert.equal(out, 42);
  assert.throws(
    () =>
      withSpan('fails', {}, () => {
        throw new Error('boom');
      }),
    /boom/,
  );
});
