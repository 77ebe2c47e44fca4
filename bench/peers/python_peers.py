"""The Python side of bench/peers: the reference step (8 prompts x 8 completions, 4 reward functions,
256 tokens with policy and reference logprobs and entropies) logged the usual Python ways, timing the
training thread's CPU (time.thread_time_ns) over each step's logging:

- numpy_tbx: numpy statistics (per-function mean/std/min/max, group advantages, zero-std groups, KL
  per token, entropy, lengths), tensorboardX scalars and histograms, the 64 model outputs to a csv
  file, a summary line through logging to a file;
- wandb: the same statistics through wandb.log in offline mode (scalars, wandb.Histogram, the model
  outputs as a wandb.Table), the summary line through logging; skipped when wandb is not installed;
- grpo_otel: the Python bridge (python/grpo_otel) with the calls the TypeScript side makes (log_reward
  per function, log_reward_metrics, log_generation_metrics with the per-token values, log_model_output
  per completion, log_training_progress) and the summary line on its training channel, a file handler
  and OTLP/HTTP to a local endpoint that accepts and discards (the statistics and analyses are the
  sink's, behind the collector); its training thread's CPU, and the whole process's (its telemetry
  and export threads share the interpreter with training); with the per-token values of every
  completion, and of one in ten (the default metrics.sampling_ratio); skipped without its dependencies.

Prints one JSON line per peer. Usage: python python_peers.py OUT_DIR STEPS SKIP [GAP_MS]
"""

import csv
import json
import logging
import os
import sys
import time

import numpy as np

PROMPTS, GROUP, TOKENS = 8, 8, 256
COMPLETIONS = PROMPTS * GROUP
FUNCS = ["correctness", "format", "length", "topic"]
WORDS = "the sum of two numbers is so we add carry then answer".split()
# Distinct steps made, cycled with their step numbers (as workload.ts: a trainer logs what it has just
# made, still in the CPU's caches).
POOL = 8


def make_steps(steps, seed=42):
    pool = make_distinct(min(steps, POOL), seed)
    return [dict(pool[i % len(pool)], step=i + 1) for i in range(steps)]


def make_distinct(steps, seed):
    rng = np.random.default_rng(seed)
    out = []
    for s in range(1, steps + 1):
        texts = []
        for _ in range(COMPLETIONS):
            words = " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), 40))
            texts.append(f"<reasoning>\n{words}\n</reasoning>\n<answer>\n{rng.integers(0, 100)}\n</answer>")
        lp = (-3 * rng.random((COMPLETIONS, TOKENS))).astype(np.float32)
        out.append(
            {
                "step": s,
                "rewards": {f: rng.random(COMPLETIONS) for f in FUNCS},
                "texts": texts,
                "questions": [f"What is {c} + {s}?" for c in range(COMPLETIONS)],
                "answers": [str(c + s) for c in range(COMPLETIONS)],
                "tokens": rng.integers(0, 32000, (COMPLETIONS, TOKENS)),
                "logprobs": lp,
                "ref_logprobs": lp - (0.1 * rng.random((COMPLETIONS, TOKENS))).astype(np.float32),
                "entropies": (2 * rng.random((COMPLETIONS, TOKENS))).astype(np.float32),
                "loss": float(rng.random()),
            }
        )
    return out


def statistics(d):
    """The values every peer logs: what grpo-otel's analyses compute for the step."""
    scalars = {}
    total = np.zeros(COMPLETIONS)
    for f, r in d["rewards"].items():
        scalars[f"rewards/{f}/mean"] = float(r.mean())
        scalars[f"rewards/{f}/std"] = float(r.std())
        scalars[f"rewards/{f}/min"] = float(r.min())
        scalars[f"rewards/{f}/max"] = float(r.max())
        total += r
    grouped = total.reshape(PROMPTS, GROUP)
    std = grouped.std(axis=1)
    advantages = (grouped - grouped.mean(axis=1, keepdims=True)) / (std[:, None] + 1e-8)
    scalars["reward"] = float(total.mean())
    scalars["reward_std"] = float(total.std())
    scalars["frac_reward_zero_std"] = float((std < 1e-8).mean())
    delta = d["ref_logprobs"] - d["logprobs"]
    scalars["kl"] = float((np.exp(delta) - delta - 1).mean())
    scalars["entropy"] = float(d["entropies"].mean())
    lengths = np.array([len(t) for t in d["texts"]])
    scalars["completions/mean_length"] = float(lengths.mean())
    scalars["completions/min_length"] = float(lengths.min())
    scalars["completions/max_length"] = float(lengths.max())
    scalars["loss"] = d["loss"]
    histograms = {f"rewards/{f}": r for f, r in d["rewards"].items()}
    histograms["advantages"] = advantages.ravel()
    histograms["completions/length"] = lengths
    return scalars, histograms


def file_logger(path):
    log = logging.getLogger(f"peers.{os.path.basename(path)}")
    log.setLevel(logging.INFO)
    log.propagate = False
    h = logging.FileHandler(path)
    h.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    log.addHandler(h)
    return log, h


def timed_steps(data, skip, gap, log, log_step, close):
    """The training thread's CPU (ns) over the logging of the steps after `skip`, and the close."""
    total = 0
    for d in data:
        t0 = time.thread_time_ns()
        scalars, histograms = statistics(d)
        log_step(d, scalars, histograms)
        log.info("step %d: reward %.4f, kl %.4f, entropy %.4f", d["step"], scalars["reward"], scalars["kl"], scalars["entropy"])
        if d["step"] > skip:
            total += time.thread_time_ns() - t0
        time.sleep(gap)
    t0 = time.thread_time_ns()
    close()
    return total + time.thread_time_ns() - t0


def run_numpy_tbx(out, data, skip, gap):
    from tensorboardX import SummaryWriter

    writer = SummaryWriter(os.path.join(out, "tbx"))
    log, handler = file_logger(os.path.join(out, "tbx_training.log"))
    f = open(os.path.join(out, "tbx_model_outputs.csv"), "w", newline="")
    rows = csv.writer(f)
    rows.writerow(["timestamp", "step", "question", "true_answer", "model_answer"])

    def log_step(d, scalars, histograms):
        step = d["step"]
        for k, v in scalars.items():
            writer.add_scalar(k, v, step)
        for k, v in histograms.items():
            writer.add_histogram(k, v, step)
        now = time.time()
        for c in range(COMPLETIONS):
            rows.writerow([now, step, d["questions"][c], d["answers"][c], d["texts"][c]])
        f.flush()

    def close():
        writer.close()
        f.close()
        handler.close()

    return timed_steps(data, skip, gap, log, log_step, close)


def run_wandb(out, data, skip, gap):
    import wandb

    run = wandb.init(mode="offline", dir=out, project="peers", settings=wandb.Settings(silent=True))
    log, handler = file_logger(os.path.join(out, "wandb_training.log"))

    def log_step(d, scalars, histograms):
        row = dict(scalars)
        for k, v in histograms.items():
            row[k] = wandb.Histogram(v)
        row["model_outputs"] = wandb.Table(
            columns=["question", "true_answer", "model_answer"],
            data=[[d["questions"][c], d["answers"][c], d["texts"][c]] for c in range(COMPLETIONS)],
        )
        run.log(row, step=d["step"])

    def close():
        run.finish()
        handler.close()

    return timed_steps(data, skip, gap, log, log_step, close)


class _Discard:
    """An OTLP/HTTP endpoint on 127.0.0.1 that answers 200 to every export and keeps nothing."""

    def __init__(self):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def run_grpo_otel(out, data, skip, gap, sampling_ratio=1.0):
    """Returns (training-thread ns, process ns) over the steps after `skip` and the shutdown."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
    import grpo_otel

    sink = _Discard()
    config = f"""version: 1
root: {{level: INFO, handlers: [file]}}
loggers:
  training: {{level: INFO, handlers: [file], propagate: false}}
  model_outputs: {{level: INFO, handlers: [], propagate: false}}
  rewards: {{level: INFO, handlers: [file], propagate: false}}
  metrics: {{level: INFO, handlers: [file], propagate: false}}
handlers:
  file: {{class: logging.handlers.RotatingFileHandler, filename: grpo_otel_training.log, formatter: standard}}
formatters:
  standard: {{format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'}}
resource: {{run_id: bench-peers}}
otlp: {{endpoint: {sink.url}, export_interval: 1}}
metrics: {{logging_frequency: 1, full_metrics_frequency: 1, sampling_ratio: {sampling_ratio}}}
"""
    base = os.path.join(out, f"grpo_otel_{sampling_ratio}")
    os.makedirs(base, exist_ok=True)
    grpo_otel.initialize(config=grpo_otel.parse_config(config, "peers.yaml", env={}, base_dir=base), handle_exit=False)
    log = grpo_otel.get_logger("training")
    thread_ns = process_ns = 0
    for d in data:
        if d["step"] == skip + 1:
            grpo_otel.force_flush()
        t0, p0 = time.thread_time_ns(), time.process_time_ns()
        step = d["step"]
        for f, r in d["rewards"].items():
            grpo_otel.log_reward(f, r, step=step)
        grpo_otel.log_reward_metrics(step, d["rewards"], group_size=GROUP)
        grpo_otel.log_generation_metrics(
            step,
            [
                {"text": d["texts"][c], "tokens": d["tokens"][c], "logprobs": d["logprobs"][c], "ref_logprobs": d["ref_logprobs"][c], "entropies": d["entropies"][c]}
                for c in range(COMPLETIONS)
            ],
            d["answers"],
            group_size=GROUP,
        )
        for c in range(COMPLETIONS):
            grpo_otel.log_model_output(d["questions"][c], d["answers"][c], d["texts"][c], step=step)
        grpo_otel.log_training_progress(step, {"loss": d["loss"], "learning_rate": 1e-6})
        log.info("step %d: loss %.4f", step, d["loss"])
        if step > skip:
            thread_ns += time.thread_time_ns() - t0
        time.sleep(gap)
        if step > skip:
            # The process's CPU over the step and its gap: the calls, and what the telemetry and export
            # threads did meanwhile (sleeping costs nothing).
            process_ns += time.process_time_ns() - p0
    t0, p0 = time.thread_time_ns(), time.process_time_ns()
    grpo_otel.shutdown()
    sink.close()
    return thread_ns + time.thread_time_ns() - t0, process_ns + time.process_time_ns() - p0


def main():
    out, steps, skip = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gap = (float(sys.argv[4]) if len(sys.argv) > 4 else 20) / 1000
    data = make_steps(steps)
    measured = steps - skip
    peers = [("numpy+tensorboardX+csv+logging", run_numpy_tbx)]
    try:
        import wandb  # noqa: F401

        peers.append(("wandb offline+logging", run_wandb))
    except ImportError:
        print(json.dumps({"peer": "wandb offline+logging", "skipped": "wandb is not installed"}), flush=True)
    for name, fn in peers:
        ns = fn(out, data, skip, gap)
        print(json.dumps({"peer": name, "steps": measured, "allUsPerStep": ns / measured / 1000}), flush=True)
    try:
        import opentelemetry.sdk  # noqa: F401
        import yaml  # noqa: F401
    except ImportError as e:
        print(json.dumps({"peer": "grpo_otel Python bridge", "skipped": f"{e.name} is not installed"}), flush=True)
        return
    # Every completion's per-token values (the values the other peers log), then the default
    # metrics.sampling_ratio (0.1): per-token values of one completion in ten.
    for ratio, name in ((1.0, "grpo_otel Python bridge"), (0.1, "grpo_otel Python bridge, sampling 0.1")):
        thread_ns, process_ns = run_grpo_otel(out, data, skip, gap, ratio)
        print(json.dumps({"peer": name, "steps": measured, "allUsPerStep": thread_ns / measured / 1000}), flush=True)
        print(json.dumps({"peer": f"{name} (all threads)", "steps": measured, "allUsPerStep": process_ns / measured / 1000}), flush=True)


if __name__ == "__main__":
    main()
