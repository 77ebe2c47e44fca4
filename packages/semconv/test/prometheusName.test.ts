import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type InstrumentKind,
  prometheusMetricType,
  prometheusName,
  prometheusSeries,
} from '@grpo-otel/semconv';

const m = (name: string, unit: string, instrument: InstrumentKind) => ({ name, unit, instrument });

// Expected values worked out by hand from the collector's rules (otlptranslator metric_namer.go and
// unit_namer.go; collector-contrib pkg/translator/prometheus README examples).
describe('prometheusName', () => {
  test('README examples of the collector-contrib translator', () => {
    assert.equal(
      prometheusName(m('system.filesystem.usage', 'By', 'updowncounter')),
      'system_filesystem_usage_bytes',
    );
    assert.equal(prometheusName(m('system.network.dropped', '{packets}', 'gauge')), 'system_network_dropped');
    assert.equal(
      prometheusName(m('system.network.dropped', 'packets', 'gauge')),
      'system_network_dropped_packets',
    );
    assert.equal(
      prometheusName(m('system.memory.utilization', '1', 'gauge')),
      'system_memory_utilization_ratio',
    );
    assert.equal(
      prometheusName(m('storage.filesystem.utilization', '%', 'gauge')),
      'storage_filesystem_utilization_percent',
    );
    assert.equal(
      prometheusName(m('astro.light.speed', 'm/s', 'gauge')),
      'astro_light_speed_meters_per_second',
    );
    assert.equal(
      prometheusName(m('system.processes.created', '{processes}', 'counter')),
      'system_processes_created_total',
    );
  });

  test('counters get _total, whatever their unit annotation', () => {
    assert.equal(prometheusName(m('http.requests', '{request}', 'counter')), 'http_requests_total');
    assert.equal(
      prometheusName(m('http.requests', '{request}', 'observable_counter')),
      'http_requests_total',
    );
    // otlptranslator doc example: unit 1 on a counter is not a ratio.
    assert.equal(prometheusName(m('requests.count', '1', 'counter')), 'requests_count_total');
  });

  test('every "total" token moves to the end of a counter name; gauges keep theirs', () => {
    assert.equal(prometheusName(m('foo.total.bar', '{x}', 'counter')), 'foo_bar_total');
    assert.equal(prometheusName(m('foo.total', '{x}', 'counter')), 'foo_total');
    assert.equal(prometheusName(m('foo.total.bar', '{x}', 'gauge')), 'foo_total_bar');
  });

  test('_ratio only for gauges in unit 1, deduplicated and moved to the end', () => {
    assert.equal(
      prometheusName(m('grpo.completion.clipped_ratio', '1', 'gauge')),
      'grpo_completion_clipped_ratio',
    );
    assert.equal(prometheusName(m('foo.ratio.low', '1', 'observable_gauge')), 'foo_low_ratio');
    assert.equal(prometheusName(m('foo.usage', '1', 'updowncounter')), 'foo_usage');
    assert.equal(prometheusName(m('foo.usage', '1', 'histogram')), 'foo_usage');
  });

  test('unit words: time and bytes; not repeated when the name has them', () => {
    assert.equal(
      prometheusName(m('http.server.request.duration', 's', 'histogram')),
      'http_server_request_duration_seconds',
    );
    assert.equal(prometheusName(m('rpc.duration', 'ms', 'histogram')), 'rpc_duration_milliseconds');
    assert.equal(
      prometheusName(m('process.memory.usage', 'By', 'updowncounter')),
      'process_memory_usage_bytes',
    );
    assert.equal(prometheusName(m('gc.pause.seconds', 's', 'histogram')), 'gc_pause_seconds');
    assert.equal(prometheusName(m('disk.io', 'MiBy', 'counter')), 'disk_io_mebibytes_total');
  });

  test('per units: x/y becomes _x_per_y, annotations drop out', () => {
    assert.equal(prometheusName(m('network.io.rate', 'By/s', 'gauge')), 'network_io_rate_bytes_per_second');
    assert.equal(
      prometheusName(m('grpo.throughput.tokens', '{token}/s', 'gauge')),
      'grpo_throughput_tokens_per_second',
    );
    assert.equal(
      prometheusName(m('grpo.efficiency.reward_gain', '{reward}/h', 'gauge')),
      'grpo_efficiency_reward_gain_per_hour',
    );
    assert.equal(
      prometheusName(m('grpo.efficiency.token_cost', '{token}/{reward}', 'gauge')),
      'grpo_efficiency_token_cost',
    );
    assert.equal(prometheusName(m('x.speed', 'm/min', 'gauge')), 'x_speed_meters_per_min');
  });

  test('empty units, odd characters, leading digits', () => {
    assert.equal(prometheusName(m('grpo.reward.mean', '', 'gauge')), 'grpo_reward_mean');
    assert.equal(
      prometheusName(m('(lambda).function.executions(#)', '', 'gauge')),
      'lambda_function_executions',
    );
    assert.equal(prometheusName(m('foo__bar..baz', '', 'gauge')), 'foo_bar_baz');
    assert.equal(prometheusName(m('2xx.responses', '{response}', 'counter')), '_2xx_responses_total');
  });
});

describe('prometheusSeries and prometheusMetricType', () => {
  test('histograms expose _bucket, _sum and _count', () => {
    assert.deepEqual(prometheusSeries(m('grpo.step.duration', 's', 'histogram')), [
      'grpo_step_duration_seconds_bucket',
      'grpo_step_duration_seconds_sum',
      'grpo_step_duration_seconds_count',
    ]);
  });

  test('counters and gauges are one series', () => {
    assert.deepEqual(prometheusSeries(m('grpo.training.steps', '{step}', 'counter')), [
      'grpo_training_steps_total',
    ]);
    assert.deepEqual(prometheusSeries(m('grpo.reward.mean', '{reward}', 'gauge')), ['grpo_reward_mean']);
  });

  test('up-down counters are gauges in Prometheus', () => {
    assert.equal(prometheusMetricType('updowncounter'), 'gauge');
    assert.equal(prometheusMetricType('observable_updowncounter'), 'gauge');
    assert.equal(prometheusMetricType('observable_gauge'), 'gauge');
    assert.equal(prometheusMetricType('observable_counter'), 'counter');
    assert.equal(prometheusMetricType('histogram'), 'histogram');
  });
});
