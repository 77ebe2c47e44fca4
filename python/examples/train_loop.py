"""A small GRPO-shaped training loop instrumented only through grpo_otel: the evidence runs' trainer.

Each step samples G completions for P prompts, scores them with four reward functions and reports
rewards, generations (texts, token counts, per-token logprobs and entropies, references with reasoning
steps), progress (loss, learning
rate, gradient norm, clipping, epoch, step and phase timings, throughput, with TRL's and verl's names)
and memory; validation runs every --validate-every steps. With --bad-input-step N, step N also logs a
NaN loss (dropped and counted) and an over-long line (cut and counted), as a trainer's bugs would. The rewards are deterministic: with --rewards flat every
step has exactly the same rewards (the reward plateau alert fires); with --rewards learning the
fraction of correct completions climbs from 0.1 to 0.9 over the run (the other functions stay flat).

    python python/examples/train_loop.py --endpoint http://127.0.0.1:4318 --steps 30 --rewards flat

Prints one JSON line at the end: the run id and the steps sent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grpo_otel  # noqa: E402

CONFIG = """version: 1
root: {{level: INFO, handlers: []}}
resource:
  run_id: {run_id}
  service_name: {service}
  experiment: {experiment}
  model: tiny-python-policy
  rank: 0
  world_size: 1
otlp:
  endpoint: {endpoint}
  export_interval: {interval}
metrics:
  logging_frequency: 1
  full_metrics_frequency: {full_every}
  validation_frequency: {validate_every}
limits:
  max_string_length: 4096
"""

FUNCS = ("correctness", "format", "length", "reasoning")


def addends(answer: int) -> tuple:
    """The two numbers a prompt with this answer adds."""
    return answer // 2, answer - answer // 2


def completion(rng: random.Random, answer: int, correct: bool) -> str:
    words = " ".join(rng.choice(("add", "carry", "the", "sum", "then", "so")) for _ in range(rng.randint(3, 12)))
    a, b = addends(answer)
    given = answer if correct else answer + 1
    return f"<reasoning>\n{words} {a} + {b} = {given}\n</reasoning>\n<answer>\n{given}\n</answer>"


def reference(answer: int) -> dict:
    """A prompt's reference as the seed's log_generation_metrics takes it: the expected answer, the
    steps a complete solution states, a reference reasoning and the question (reasoning completeness
    and hallucinations at the sink)."""
    a, b = addends(answer)
    return {"answer": str(answer), "steps": [f"{a} + {b}", answer], "reasoning": f"{a} + {b} = {answer}", "question": f"What is {a} + {b}?"}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoint", required=True, help="the collector's OTLP/HTTP base URL")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--rewards", choices=("flat", "learning"), default="learning")
    p.add_argument("--run-id", default=None)
    p.add_argument("--service-name", default="grpo-python-loop")
    p.add_argument("--experiment", default="python-bridge")
    p.add_argument("--prompts", type=int, default=4)
    p.add_argument("--group-size", type=int, default=4)
    p.add_argument("--export-interval", type=float, default=0.5)
    p.add_argument("--full-every", type=int, default=5)
    p.add_argument("--validate-every", type=int, default=10)
    p.add_argument("--sleep", type=float, default=0.0, help="seconds of 'training' per step")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bad-input-step", type=int, default=0, help="a step that also logs a NaN loss and an over-long line")
    a = p.parse_args(argv)

    run_id = a.run_id or grpo_otel._runtime.generate_run_id()
    config = grpo_otel.parse_config(
        CONFIG.format(
            run_id=run_id,
            service=a.service_name,
            experiment=a.experiment,
            endpoint=a.endpoint,
            interval=a.export_interval,
            full_every=a.full_every,
            validate_every=a.validate_every,
        ),
        "train_loop.yaml",
        env={},
    )
    grpo_otel.initialize(config=config)
    n = a.prompts * a.group_size
    validation = [{"question": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(8)]
    for step in range(1, a.steps + 1):
        t0 = time.perf_counter()
        # The same draws every step (flat), except the number of correct completions when learning.
        rng = random.Random(a.seed)
        p_correct = 0.5 if a.rewards == "flat" else 0.1 + 0.8 * step / max(1, a.steps)
        k = round(p_correct * n)
        correct = [i % a.group_size < k // a.prompts + (1 if i // a.group_size < k % a.prompts else 0) for i in range(n)]
        answers = [rng.randint(1, 50) for _ in range(a.prompts) for _ in range(a.group_size)]
        texts = [completion(rng, ans, c) for ans, c in zip(answers, correct)]
        rewards = {
            "correctness": [1.0 if c else 0.0 for c in correct],
            "format": [1.0 if rng.random() < 0.8 else 0.0 for _ in range(n)],
            "length": [min(1.0, len(t) / 80) for t in texts],
            "reasoning": [rng.random() * (p_correct + 0.1) for _ in range(n)],
        }
        grpo_otel.log_reward_metrics(step, rewards, group_size=a.group_size)
        if grpo_otel.is_logging_step(step, full=True, final=step == a.steps):
            gens = []
            for t in texts:
                k = rng.randint(4, 12)
                lp = [-rng.random() for _ in range(k)]
                gens.append({"text": t, "tokens": k, "logprobs": lp, "ref_logprobs": [x - 0.05 for x in lp], "entropies": [rng.random() for _ in range(k)]})
            grpo_otel.log_generation_metrics(step, gens, [reference(x) for x in answers], group_size=a.group_size, final=step == a.steps)
            grpo_otel.log_model_output(f"What is {answers[0]}?", str(answers[0]), texts[0])
        if a.sleep:
            time.sleep(a.sleep)
        seconds = time.perf_counter() - t0
        grpo_otel.log_training_progress(
            step,
            {
                "loss": 1.0 / step,
                "learning_rate": 1e-5,
                "accuracy": sum(correct) / n,
                "num_tokens": step * n * 40,
                "grad_norm": 1.0 + 0.1 * (step % 3),
                "epoch": step / a.steps,
                "completions/clipped_ratio": sum(len(t) > 120 for t in texts) / n,
                "clip_ratio/low_mean": 0.01,
                "clip_ratio/high_mean": 0.02,
                "clip_ratio/region_mean": 0.03,
                # verl's timings and throughput; ours by semconv name for the samples
                "timing_s/step": seconds,
                "timing_s/gen": 0.6 * seconds,
                "timing_s/reward": 0.1 * seconds,
                "timing_s/update_actor": 0.3 * seconds,
                "perf/throughput": n * 40 / max(seconds, 1e-9),
                "grpo.training.samples": n,
                "grpo.throughput.samples": n / max(seconds, 1e-9),
            },
        )
        if step == a.bad_input_step:
            grpo_otel.log_training_progress(step, {"loss": float("nan")})
            grpo_otel.get_training_logger().info("a very long line: %s", "x" * 5000)
        grpo_otel.log_memory_usage()
        if grpo_otel.should_validate(step):
            grpo_otel.run_validation(lambda q: completion(rng, 2 * int(q.split()[2]), rng.random() < p_correct), validation, step)
    grpo_otel.shutdown()
    print(json.dumps({"run_id": run_id, "steps": a.steps, "rewards": a.rewards}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
