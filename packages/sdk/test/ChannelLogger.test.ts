import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LoggerProvider, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import { DropCounter } from '../src/internal/DropCounter.js';
import { StrideSampler } from '../src/internal/StrideSampler.js';
import { TokenBucket } from '../src/internal/TokenBucket.js';
import { ChannelLogger } from '../src/logging/ChannelLogger.js';

function setup(extra: { limiter?: TokenBucket; sampler?: StrideSampler; minLevel?: number } = {}) {
  // A small local processor that keeps what it is given.
  const seen: SdkLogRecord[] = [];
  const provider = new LoggerProvider({
    processors: [
      {
        onEmit: (r: SdkLogRecord) => void seen.push(r),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const drops = new DropCounter();
  const log = new ChannelLogger('rewards');
  log._bind({ logger: provider.getLogger('rewards'), minLevel: extra.minLevel ?? 20, drops, ...extra });
  const records = async () => {
    await provider.forceFlush();
    return seen;
  };
  return { records, drops, log };
}

describe('ChannelLogger', () => {
  test('Python level names map to OTel severities; below the channel level nothing is emitted', async () => {
    const { records, log } = setup();
    log.debug('d');
    log.info('i', { k: 1 });
    log.warning('w');
    log.error('e');
    log.critical('c');
    const got = (await records()).map((r) => [r.body, r.severityText, r.severityNumber]);
    assert.deepEqual(got, [
      ['i', 'INFO', 9],
      ['w', 'WARNING', 13],
      ['e', 'ERROR', 17],
      ['c', 'CRITICAL', 21],
    ]);
    assert.deepEqual((await records())[0]!.attributes, { k: 1 });
    assert.equal((await records())[0]!.instrumentationScope.name, 'rewards');
    assert.equal(log.isEnabledFor('DEBUG'), false);
    assert.equal(log.isEnabledFor('INFO'), true);
  });

  test('exception() carries OTel exception attributes', async () => {
    const { records, log } = setup();
    log.exception('failed', new TypeError('bad'));
    const a = (await records())[0]!.attributes;
    assert.equal(a['exception.type'], 'TypeError');
    assert.equal(a['exception.message'], 'bad');
    assert.match(String(a['exception.stacktrace']), /TypeError: bad/);
  });

  test('sample keeps exactly the configured fraction, evenly spaced, and counts the rest', async () => {
    const { records, drops, log } = setup({ sampler: new StrideSampler(0.25) });
    for (let i = 0; i < 100; i++) log.info(`r${i}`);
    const kept = (await records()).map((r) => r.body);
    assert.equal(kept.length, 25);
    assert.deepEqual(kept.slice(0, 3), ['r3', 'r7', 'r11']);
    assert.equal(drops.total({ reason: 'sampled', where: 'rewards' }), 75);
  });

  test('rate_limit: a token bucket per channel; the excess is counted as rate_limited', async () => {
    let now = 0;
    const { records, drops, log } = setup({ limiter: new TokenBucket(10, 5, () => now) });
    for (let i = 0; i < 20; i++) log.info('burst');
    assert.equal((await records()).length, 5, 'burst allowance');
    now += 1000;
    for (let i = 0; i < 20; i++) log.info('after 1 s');
    assert.equal((await records()).length, 10, '10/s refill, capped at the burst of 5');
    assert.equal(drops.total({ reason: 'rate_limited' }), 30);
  });

  test('unbound (before initialize): WARNING and above go to stderr, like Python last resort; the first lower record says it was ignored', () => {
    const log = new ChannelLogger('x');
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      log.info('quiet');
      log.info('quiet again');
      log.warning('loud');
    } finally {
      process.stderr.write = orig;
    }
    assert.deepEqual(writes, [
      'grpo-otel: getLogger("x").info() called before initialize(); ignored\n',
      'loud\n',
    ]);
  });
});

describe('StrideSampler and TokenBucket', () => {
  test('StrideSampler keeps floor(n * ratio) of n calls for every prefix', () => {
    for (const ratio of [0.1, 0.33, 0.5, 0.9, 1]) {
      const s = new StrideSampler(ratio);
      let kept = 0;
      for (let n = 1; n <= 1000; n++) {
        if (s.keep()) kept++;
        assert.equal(kept, Math.floor(n * ratio));
      }
    }
  });
});
