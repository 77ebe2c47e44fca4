"""The batch record's fast OTLP encoding decodes to what the OTel encoder writes."""

import math

import grpo_otel
from grpo_otel import _fastencode
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest


def _records(req):
    out = []
    for rl in req.resource_logs:
        for sl in rl.scope_logs:
            for lr in sl.log_records:
                attrs = {kv.key: kv.value for kv in lr.attributes}
                out.append((dict((kv.key, kv.value) for kv in rl.resource.attributes), sl.scope.name, lr.event_name, lr.body, attrs))
    return out


def test_fast_encoding_equals_the_otel_encoder(bridge):
    grpo_otel.log_training_progress(1, {"loss": 0.5})
    grpo_otel.log_reward_metrics(2, {"f": [1.0, 0.0], "g": [0.5, math.nan]}, group_size=2)
    grpo_otel.log_generation_metrics(
        2,
        [{"text": "a", "tokens": [1, 2], "logprobs": [-0.1, -1e-300], "entropies": [1.5, 2.0]},
         {"text": "b", "tokens": [3], "logprobs": [-2.5], "entropies": [0.25]}],
    )
    grpo_otel.log_training_progress(2, {"loss": 0.25})  # the step's report sends its batch
    batch = bridge.records()
    assert any(_fastencode.is_batch_record(r) for r in batch)
    fast = ExportLogsServiceRequest.FromString(_fastencode.encode_request(batch))
    slow = encode_logs(batch)
    a, b = _records(fast), _records(slow)
    assert len(a) == len(b) == len(batch)
    key = lambda x: (x[2], x[3].string_value)  # noqa: E731
    for x, y in zip(sorted(a, key=key), sorted(b, key=key)):
        assert x[:4] == y[:4]
        assert x[4].keys() == y[4].keys()
        for k in x[4]:
            if k == "grpo.batch.rewards":
                xs = [v.double_value for v in x[4][k].array_value.values]
                ys = [v.double_value for v in y[4][k].array_value.values]
                assert xs[:3] == ys[:3] and math.isnan(xs[3]) and math.isnan(ys[3])
            else:
                assert x[4][k] == y[4][k], k


def test_double_array_attribute_bytes_match_protobuf():
    from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, KeyValue

    values = [0.0, -1.5, 1e300, 3.25]
    want = KeyValue(key="k", value=AnyValue(array_value=ArrayValue(values=[AnyValue(double_value=v) for v in values])))
    assert _fastencode.double_array_attribute("k", values) == want.SerializeToString()
