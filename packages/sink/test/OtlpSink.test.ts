// The sink over HTTP, fed with bodies OpenTelemetry JS's serializers make: per-run routing, the
// files each run gets (TensorBoard at the step the data carries, CSV, channel logs), gzip, and the
// 4xx answers for bad input, each counted.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analysisSettings, OtlpSink } from '@grpo-otel/sink';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { CONTENT_TYPE, logsBody, makeLogRecords, makeMetrics, metricsBody } from './support/producers.js';
import { scalarsOf, tagsOf } from './support/readRun.js';
import { batchAttributes } from './support/stepBatch.js';

const SETTINGS = analysisSettings({
  historyWindow: 5,
  plateau: { window: 5, minDelta: 0.01, patience: 1, objective: 'total' },
  collapse: { entropyThreshold: 0.05, diversityThreshold: 0.2, window: 5 },
});

async function post(
  url: string,
  signal: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/v1/${signal}`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}

describe('OtlpSink', () => {
  let dir: string;
  let sink: OtlpSink;
  let url: string;
  before(async () => {
    dir = await tempDirUntilExit('grpo-sink-');
    sink = new OtlpSink({ outDir: dir, port: 0, analysis: SETTINGS, maxRequestBytes: 256 * 1024 });
    url = await sink.listen();
  });
  after(() => sink.shutdown());

  test('listens on loopback by default', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  for (const encoding of ['protobuf', 'json'] as const) {
    test(`${encoding}: logs of two runs go to each run's CSV and channel log files`, async () => {
      const runA = `a-${encoding}`;
      const runB = `b-${encoding}`;
      for (const run of [runA, runB]) {
        const records = await makeLogRecords({ 'grpo.run.id': run, 'service.name': 'trainer' }, (logger) => {
          logger('training').emit({
            severityNumber: SeverityNumber.INFO,
            severityText: 'INFO',
            body: `hello ${run}`,
            attributes: { 'grpo.step': 3 },
          });
          logger('model_outputs').emit({
            severityNumber: SeverityNumber.INFO,
            body: 'sample',
            eventName: 'grpo.model_output',
            attributes: {
              'grpo.step': 3,
              'grpo.sample.question': 'What is 2+2?',
              'grpo.sample.expected_answer': '4',
              'grpo.sample.answer': run,
              'grpo.sample.correct': false,
            },
          });
        });
        const res = await post(url, 'logs', logsBody(records, encoding), {
          'content-type': CONTENT_TYPE[encoding],
        });
        assert.equal(res.status, 200, res.text);
      }
      for (const run of [runA, runB]) {
        const rows = parseCsv(readFileSync(join(dir, run, 'model_outputs.csv'), 'utf8'));
        assert.deepEqual(rows[0], [
          'timestamp',
          'step',
          'question',
          'true_answer',
          'model_answer',
          'model_reasoning',
          'correct',
        ]);
        assert.equal(rows.length, 2);
        assert.deepEqual(rows[1]!.slice(1), ['3', 'What is 2+2?', '4', run, '', 'false']);
        const log = readFileSync(join(dir, run, 'logs', 'training.log'), 'utf8');
        assert.match(log, new RegExp(` - training - INFO - hello ${run}\\n$`));
        assert.ok(existsSync(join(dir, run, 'logs', 'model_outputs.log')));
      }
    });

    test(`${encoding}: metric points are written to TensorBoard at the step they carry`, async () => {
      const run = `m-${encoding}`;
      for (const step of [5, 6]) {
        const rm = await makeMetrics({ 'grpo.run.id': run }, (meter) => {
          meter
            .createGauge('grpo.reward.mean')
            .record(step / 10, { 'grpo.reward.function': 'correctness', 'grpo.step': step });
          meter.createCounter('grpo.training.samples').add(8, { 'grpo.step': step });
        });
        const res = await post(url, 'metrics', metricsBody(rm, encoding), {
          'content-type': CONTENT_TYPE[encoding],
        });
        assert.equal(res.status, 200, res.text);
      }
      // A point without a step lands at the run's last step.
      const rm = await makeMetrics({ 'grpo.run.id': run }, (meter) =>
        meter.createGauge('grpo.memory.usage').record(100),
      );
      assert.equal(
        (await post(url, 'metrics', metricsBody(rm, encoding), { 'content-type': CONTENT_TYPE[encoding] }))
          .status,
        200,
      );
      await sink.forceFlush();
      const scalars = await scalarsOf(join(dir, 'tensorboard', run));
      assert.deepEqual(scalars.get('grpo.reward.mean/correctness'), [
        [5, Math.fround(0.5)],
        [6, Math.fround(0.6)],
      ]);
      assert.deepEqual(scalars.get('grpo.training.samples'), [
        [5, 8],
        [6, 8],
      ]);
      assert.deepEqual(scalars.get('grpo.memory.usage'), [[6, 100]]);
    });
  }

  test('gzip bodies are read; the ranks of one run share its TensorBoard run', async () => {
    for (const rank of [0, 1]) {
      const rm = await makeMetrics({ 'grpo.run.id': 'ranks', 'grpo.rank': rank }, (meter) =>
        meter
          .createGauge('grpo.reward.mean')
          .record(rank, { 'grpo.reward.function': `r${rank}`, 'grpo.step': 1 }),
      );
      const res = await post(url, 'metrics', gzipSync(metricsBody(rm, 'protobuf')), {
        'content-type': CONTENT_TYPE.protobuf,
        'content-encoding': 'gzip',
      });
      assert.equal(res.status, 200, res.text);
    }
    await sink.forceFlush();
    assert.deepEqual(
      readdirSync(join(dir, 'tensorboard', 'ranks')).filter((n) => !n.includes('tfevents')),
      [],
    );
    const scalars = await scalarsOf(join(dir, 'tensorboard', 'ranks'));
    assert.deepEqual(scalars.get('grpo.reward.mean/r0'), [[1, 0]]);
    assert.deepEqual(scalars.get('grpo.reward.mean/r1'), [[1, 1]]);
  });

  test('grpo.step.batch records are analysed at their step; a bad one is a counted drop', async () => {
    const run = 'batches';
    const records = await makeLogRecords({ 'grpo.run.id': run }, (logger) => {
      for (let step = 1; step <= 3; step++)
        logger('rewards').emit({
          eventName: 'grpo.step.batch',
          attributes: batchAttributes({ step, level: 0.5 }) as never,
        });
      logger('rewards').emit({
        eventName: 'grpo.step.batch',
        attributes: { ...batchAttributes({ step: 4, level: 0.5 }), 'grpo.batch.rewards': [1, 2, 3] } as never,
      });
    });
    const before = sink.stats.snapshot();
    const res = await post(url, 'logs', logsBody(records, 'protobuf'), {
      'content-type': CONTENT_TYPE.protobuf,
    });
    assert.equal(res.status, 200, res.text);
    const stats = sink.stats.snapshot();
    assert.equal(stats.batches - before.batches, 3);
    assert.equal(stats.dropped.bad_batch - before.dropped.bad_batch, 1);
    await sink.forceFlush();
    const runDir = join(dir, 'tensorboard', run);
    const scalars = await scalarsOf(runDir);
    for (const tag of [
      'grpo.reward.mean/correctness',
      'grpo.reward.mean/total',
      'grpo.policy.entropy',
      'grpo.task.accuracy',
    ])
      assert.deepEqual(
        scalars.get(tag)?.map(([s]) => s),
        [1, 2, 3],
        `${tag}: ${[...scalars.keys()].join(' ')}`,
      );
    assert.ok((await tagsOf(runDir, 'histogram')).has('grpo.reward.value/correctness'));
    assert.ok(!existsSync(join(dir, run, 'logs', 'rewards.log')), 'batch records are not log lines');
    assert.match(
      readFileSync(join(dir, run, 'logs', 'metrics.log'), 'utf8'),
      /metrics - INFO - rewards at step 3: correctness=/,
    );
  });

  test('a metric the trainer records itself is left out of the analyses: one point per tag and step', async () => {
    const run = 'trainer-owned';
    // The trainer's own reward mean of step 1 first (learned from its points) ...
    const rm = await makeMetrics({ 'grpo.run.id': run }, (meter) =>
      meter
        .createGauge('grpo.reward.mean')
        .record(0.25, { 'grpo.reward.function': 'correctness', 'grpo.split': 'train', 'grpo.step': 1 }),
    );
    const metrics = await post(url, 'metrics', metricsBody(rm, 'protobuf'), {
      'content-type': CONTENT_TYPE.protobuf,
    });
    assert.equal(metrics.status, 200, metrics.text);
    // ... then batches: step 1's, and step 2's saying the trainer records grpo.completion.mean_length
    // too (before any such point of it has come).
    const records = await makeLogRecords({ 'grpo.run.id': run }, (logger) => {
      logger('rewards').emit({
        eventName: 'grpo.step.batch',
        attributes: batchAttributes({ step: 1, level: 0.5 }) as never,
      });
      logger('rewards').emit({
        eventName: 'grpo.step.batch',
        attributes: {
          ...batchAttributes({ step: 2, level: 0.5 }),
          'grpo.batch.reported_metrics': ['grpo.completion.mean_length'],
        } as never,
      });
    });
    const before = sink.stats.snapshot().leftToTrainer;
    const res = await post(url, 'logs', logsBody(records, 'protobuf'), {
      'content-type': CONTENT_TYPE.protobuf,
    });
    assert.equal(res.status, 200, res.text);
    await sink.forceFlush();
    const scalars = await scalarsOf(join(dir, 'tensorboard', run));
    // the trainer's value only, at its step only (the sink's mean of step 2 is left out too)
    assert.deepEqual(scalars.get('grpo.reward.mean/correctness'), [[1, 0.25]]);
    assert.equal(scalars.has('grpo.reward.mean/total'), false);
    assert.deepEqual(
      scalars.get('grpo.completion.mean_length')?.map(([step]) => step),
      [1],
      'the sink’s at step 1, none at step 2, whose batch named it the trainer’s',
    );
    // the metrics the trainer does not record: from the analyses, every step
    for (const tag of [
      'grpo.reward.std/correctness',
      'grpo.reward.moving_average/total',
      'grpo.policy.entropy',
    ])
      assert.deepEqual(
        scalars.get(tag)?.map(([step]) => step),
        [1, 2],
        tag,
      );
    // mean per function and total (3 series) at 2 steps, and step 2's mean length
    assert.equal(sink.stats.snapshot().leftToTrainer - before, 3 * 2 + 1);
  });

  test("the ranks of one run (grpo.world_size 2): each step analysed once, over both ranks' completions", async () => {
    const run = 'two-ranks';
    const before = sink.stats.snapshot().batches;
    for (const rank of [0, 1]) {
      const records = await makeLogRecords(
        { 'grpo.run.id': run, 'grpo.rank': rank, 'grpo.world_size': 2 },
        (logger) => {
          for (let step = 1; step <= 3; step++)
            logger('rewards').emit({
              eventName: 'grpo.step.batch',
              attributes: batchAttributes({ step, level: rank === 0 ? 1 : 0 }) as never,
            });
        },
      );
      const res = await post(url, 'logs', logsBody(records, 'protobuf'), {
        'content-type': CONTENT_TYPE.protobuf,
      });
      assert.equal(res.status, 200, res.text);
    }
    assert.equal(sink.stats.snapshot().batches - before, 6);
    await sink.forceFlush();
    const scalars = await scalarsOf(join(dir, 'tensorboard', run));
    assert.deepEqual(scalars.get('grpo.reward.mean/correctness'), [
      [1, 0.5],
      [2, 0.5],
      [3, 0.5],
    ]);
    const summaries = readFileSync(join(dir, run, 'logs', 'metrics.log'), 'utf8').match(
      /rewards at step \d+/g,
    );
    assert.deepEqual(summaries, ['rewards at step 1', 'rewards at step 2', 'rewards at step 3']);
  });

  test('bad input gets a clear 4xx and is counted', async () => {
    const before = sink.stats.snapshot().dropped.rejected_request;
    const cases: [string, string, Uint8Array | string, Record<string, string>, number, RegExp][] = [
      [
        'bad protobuf',
        'logs',
        Uint8Array.from([0x0a, 0x05, 0x01]),
        { 'content-type': CONTENT_TYPE.protobuf },
        400,
        /bad OTLP protobuf logs request/,
      ],
      [
        'bad JSON',
        'metrics',
        '{"resourceMetrics": ',
        { 'content-type': CONTENT_TYPE.json },
        400,
        /bad OTLP\/JSON metrics request: not JSON/,
      ],
      [
        'bad gzip',
        'logs',
        'not gzip',
        { 'content-type': CONTENT_TYPE.json, 'content-encoding': 'gzip' },
        400,
        /bad gzip body/,
      ],
      [
        'media type',
        'logs',
        '{}',
        { 'content-type': 'text/plain' },
        415,
        /content-type must be application\/x-protobuf or application\/json/,
      ],
      [
        'encoding',
        'logs',
        '{}',
        { 'content-type': CONTENT_TYPE.json, 'content-encoding': 'br' },
        415,
        /content-encoding must be gzip or identity/,
      ],
      [
        'too large',
        'logs',
        'x'.repeat(300 * 1024),
        { 'content-type': CONTENT_TYPE.json },
        413,
        /over 262144 bytes/,
      ],
      [
        'too large after gunzip',
        'logs',
        gzipSync('x'.repeat(300 * 1024)) as unknown as Uint8Array,
        { 'content-type': CONTENT_TYPE.json, 'content-encoding': 'gzip' },
        413,
        /after gunzip/,
      ],
      ['unknown path', 'profiles', '{}', { 'content-type': CONTENT_TYPE.json }, 404, /unknown path/],
    ];
    for (const [name, signal, body, headers, status, message] of cases) {
      const res = await post(url, signal, body, headers);
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.match(res.text, message, name);
    }
    assert.equal(sink.stats.snapshot().dropped.rejected_request - before, cases.length);
    const health = await fetch(`${url}/`);
    assert.equal(health.status, 200);
    assert.equal(
      ((await health.json()) as { dropped: { rejected_request: number } }).dropped.rejected_request,
      before + cases.length,
    );
  });
});

test('OtlpSink: a token is required when set; split-by-rank makes a run per rank', async () => {
  const dir = await tempDirUntilExit('grpo-sink-token-');
  const sink = new OtlpSink({ outDir: dir, port: 0, analysis: false, token: 's3cret', splitByRank: true });
  const url = await sink.listen();
  try {
    const rm = await makeMetrics({ 'grpo.run.id': 'split', 'grpo.rank': 2 }, (meter) =>
      meter.createGauge('g').record(1, { 'grpo.step': 4 }),
    );
    const body = metricsBody(rm, 'json');
    const none = await post(url, 'metrics', body, { 'content-type': CONTENT_TYPE.json });
    assert.equal(none.status, 401);
    const wrong = await post(url, 'metrics', body, {
      'content-type': CONTENT_TYPE.json,
      authorization: 'Bearer nope',
    });
    assert.equal(wrong.status, 401);
    const ok = await post(url, 'metrics', body, {
      'content-type': CONTENT_TYPE.json,
      authorization: 'Bearer s3cret',
    });
    assert.equal(ok.status, 200, ok.text);
    await sink.forceFlush();
    assert.deepEqual((await scalarsOf(join(dir, 'tensorboard', 'split', 'rank-2'))).get('g'), [[4, 1]]);
  } finally {
    await sink.shutdown();
    await sink.shutdown(); // idempotent
  }
  assert.equal(
    await fetch(`${url}/`).then(
      () => 'answered',
      () => 'closed',
    ),
    'closed',
  );
});
