// The `otlp.queue` config keys: defaults, seconds to milliseconds, an `otlp` handler's own queue, errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, type OtlpHandlerConfig, parseConfig } from '@grpo-otel/sdk';

const load = (text: string) => parseConfig(text, { source: 'q.yaml', baseDir: '/base', env: {} });

function configError(text: string): ConfigError {
  try {
    load(text);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('otlp.queue', () => {
  test('defaults', () => {
    const c = load('version: 1\notlp: { enabled: true }\n');
    assert.deepEqual(c.otlp.queue, {
      maxRecords: 32768,
      maxBytes: 32 * 1024 * 1024,
      overflow: 'drop_oldest',
      maxExportBatchSize: 512,
      retry: { initialIntervalMs: 1000, maxIntervalMs: 30_000 },
    });
  });

  test('the section sets every signal; an otlp handler inherits it, or sets its own', () => {
    const c = load(`version: 1
root: { handlers: [a, b, c] }
handlers:
  a: { class: otlp }
  b: { class: otlp, max_queue_size: 77 }
  c: { class: otlp, max_queue_size: 77, queue: { max_records: 5, overflow: drop_oldest } }
otlp:
  enabled: true
  queue:
    max_records: 100
    max_bytes: 2048
    overflow: drop_newest
    max_export_batch_size: 10
    retry: { initial_interval: 0.5, max_interval: 4 }
`);
    const q = c.otlp.queue;
    assert.deepEqual(q, {
      maxRecords: 100,
      maxBytes: 2048,
      overflow: 'drop_newest',
      maxExportBatchSize: 10,
      retry: { initialIntervalMs: 500, maxIntervalMs: 4000 },
    });
    const h = (name: string) => (c.handlers.get(name) as OtlpHandlerConfig).queue;
    assert.deepEqual(h('a'), q);
    assert.deepEqual(h('b'), { ...q, maxRecords: 77 });
    assert.deepEqual(h('c'), { ...q, maxRecords: 5, overflow: 'drop_oldest' });
  });

  test('bad values are one clear error naming the key', () => {
    let e = configError('version: 1\notlp:\n  queue: { overflow: drop_middle }\n');
    assert.equal(e.keyPath, 'otlp.queue.overflow');
    assert.match(e.detail, /drop_oldest/);
    e = configError('version: 1\notlp:\n  queue: { max_records: 0 }\n');
    assert.equal(e.keyPath, 'otlp.queue.max_records');
    e = configError('version: 1\notlp:\n  queue: { max_bytes: 10 }\n');
    assert.equal(e.keyPath, 'otlp.queue.max_bytes');
    e = configError('version: 1\notlp:\n  queue: { retry: { initial_interval: 5, max_interval: 1 } }\n');
    assert.equal(e.keyPath, 'otlp.queue.retry.max_interval');
    assert.match(e.detail, /shorter than initial_interval/);
    e = configError('version: 1\notlp:\n  queue: { max_record: 5 }\n');
    assert.equal(e.keyPath, 'otlp.queue.max_record');
  });
});
